"""Template filters of the patient's forms: how a field is drawn, and the first message to link to."""

from django import forms, template

from patients.intake.forms.widgets import field_kind, first_error

register = template.Library()


@register.filter(name="field_kind")
def field_kind_filter(bound: forms.BoundField) -> str:
    """scale, radios, inline, checkboxes, checkbox, pace, select or input (see field.html)."""
    return field_kind(bound.field)


@register.simple_tag
def first_error_of(form: forms.BaseForm) -> dict[str, object] | None:
    """{"label": the question, "target": the id of its first input} of the first field with a message."""
    found = first_error(form)
    if found is None:
        return None
    bound, target = found
    return {"label": bound.label, "target": target, "message": bound.errors[0] if bound.errors else ""}
