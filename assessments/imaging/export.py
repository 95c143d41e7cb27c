"""The imaging orders in the patient's export, with who ordered and reviewed them."""

from assessments.models import ImagingOrder
from patients.identity.export import HISTORY_EXCLUSION, ExportSection, model_as_dict
from patients.models import Patient


def imaging_orders_section(patient: Patient) -> list[dict[str, object]]:
    orders = (
        ImagingOrder.objects.filter(patient=patient)
        .select_related("ordered_by", "reviewed_by")
        .order_by("ordered_at", "pk")
    )
    rows = []
    for order in orders:
        row = model_as_dict(order)
        row["ordered_by_name"] = order.ordered_by.get_full_name()
        row["reviewed_by_name"] = order.reviewed_by.get_full_name() if order.reviewed_by_id else None
        rows.append(row)
    return rows


SECTIONS = (ExportSection("imaging_orders", imaging_orders_section, models=("assessments.ImagingOrder",)),)

EXPORT_EXCLUDED = {"assessments.ImagingOrderAuditEvent": HISTORY_EXCLUSION}
