"""Template helpers of the audit log: a stored route name as the page's title."""

from django import template
from django.apps import apps

from clinic.navigation import page_title as _page_title

register = template.Library()


@register.filter
def page_title(view_name: object) -> str:
    """`{{ event.view_name|page_title }}`: "assessments:programme_detail" → "Programme"."""
    return _page_title(str(view_name))


@register.filter
def object_title(label: object) -> str:
    """A stored model label in words: "assessments.programme" → "Programme".

    Looked up in the app registry, so the audit app imports no model above it.
    """
    try:
        model = apps.get_model(str(label))
    except (LookupError, ValueError):
        return str(label).rpartition(".")[2].replace("_", " ").capitalize()
    return str(model._meta.verbose_name).capitalize()
