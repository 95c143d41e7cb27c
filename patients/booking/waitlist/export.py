"""The waitlist's part of a patient's export: their entries and the offers made to them.

Manage-link and offer token hashes are credentials, never exported.
"""

from patients.identity.export import HISTORY_EXCLUSION, ExportSection, model_as_dict
from patients.models import Patient


def _waitlist_section(patient: Patient) -> list[dict[str, object]]:
    rows = []
    for entry in patient.waitlist_entries.select_related("location", "appointment_type").prefetch_related(
        "offers__therapist"
    ):
        row = model_as_dict(entry)
        row["location_name"] = entry.location.name
        row["appointment_type_name"] = entry.appointment_type.name
        row["offers"] = [
            {**model_as_dict(offer, exclude={"token_hash"}), "therapist_name": offer.therapist.display_name}
            for offer in entry.offers.all()
        ]
        rows.append(row)
    return rows


SECTIONS = (
    ExportSection("waitlist", _waitlist_section, models=("patients.WaitlistEntry", "patients.WaitlistOffer")),
)

EXPORT_EXCLUDED = {
    "patients.WaitlistEntryAuditEvent": HISTORY_EXCLUSION,
    "patients.WaitlistOfferAuditEvent": HISTORY_EXCLUSION,
    "patients.AppointmentLink": "Manage links of appointments: credentials (token hashes), not the patient's data.",
    "patients.AppointmentLinkAuditEvent": HISTORY_EXCLUSION,
}
