"""Template helpers of the outbox: a message kind by its name, not its code."""

from django import template

from clinic.messaging.registry import KINDS

register = template.Library()


@register.filter
def kind_label(value: object) -> str:
    """`{{ message.kind|kind_label }}`: the registered kind's label ("Weekly check-in request").

    A kind no app registers any more (an old row) is shown in words from its name.
    """
    kind = KINDS.get(str(value))
    if kind is not None:
        return kind.label
    return str(value).replace("_", " ").replace("-", " ").capitalize()
