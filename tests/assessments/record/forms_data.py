"""What a browser posts for the assessment form as rendered (every input, with its current value)."""

from django import forms

from assessments.record.forms.bundle import AssessmentForms
from assessments.record.selectors import assessment_for_page


def browser_post(assessment, **overrides: object) -> dict[str, object]:
    record = assessment_for_page(assessment.pk)
    data: dict[str, object] = {"version": str(record.version)}
    for form in AssessmentForms(record)._all_forms():
        for field in form:
            value = field.value()
            widget = field.field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple):
                data[field.html_name] = list(value or [])
            elif isinstance(widget, forms.CheckboxInput):
                if value:
                    data[field.html_name] = "on"
            elif isinstance(widget, forms.NullBooleanSelect):
                data[field.html_name] = {True: "true", False: "false"}.get(value, "unknown")
            else:
                data[field.html_name] = "" if value is None else str(value)
    data.update({name: str(value) for name, value in overrides.items()})
    return data
