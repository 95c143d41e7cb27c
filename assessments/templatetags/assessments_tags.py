"""Template helpers of the clinical record, and the patient hub's clinical section."""

from django import template

from assessments.record.selectors import outstanding_orders_for_patient, patient_assessments

register = template.Library()


@register.filter
def get(mapping: dict | None, key: object) -> object:
    """`{{ derived|get:key }}`: a dict value by a computed key ("" when missing)."""
    if not mapping:
        return ""
    return mapping.get(key, "")


@register.filter
def has(collection: object, key: object) -> bool:
    try:
        return key in collection
    except TypeError:
        return False


@register.inclusion_tag("assessments/record/_patient_clinical.html", takes_context=True)
def patient_clinical(context: template.Context, patient: object) -> dict[str, object]:
    """The hub's "Assessments and programme" section (two queries, whatever the record's size)."""
    return {
        "patient": patient,
        "assessments": patient_assessments(patient),
        "orders": list(outstanding_orders_for_patient(patient)),
        "user": context.get("user"),
        "is_archived": getattr(patient, "is_archived", False),
    }
