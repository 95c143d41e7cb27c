"""Online booking's part of a patient's export: their verified booking attempts and identity reviews.

The code's HMAC is a credential, never exported; nor is the network hash
(a keyed digest for the rate limits, not something the patient gave).
"""

from patients.identity.export import HISTORY_EXCLUSION, ExportSection, model_as_dict
from patients.models import BookingVerification, IdentityReview, Patient


def _online_booking_section(patient: Patient) -> dict[str, list[dict[str, object]]]:
    attempts = BookingVerification.objects.filter(patient=patient).select_related(
        "location", "appointment_type", "therapist"
    )
    reviews = IdentityReview.objects.filter(patient=patient) | IdentityReview.objects.filter(
        candidate=patient
    )
    return {
        "attempts": [
            {
                **model_as_dict(attempt, exclude={"code_hash", "network_hash"}),
                "location_name": attempt.location.name,
                "appointment_type_name": attempt.appointment_type.name,
                "therapist_name": attempt.therapist.display_name if attempt.therapist else "",
            }
            for attempt in attempts
        ],
        "identity_reviews": [model_as_dict(review) for review in reviews.order_by("created_at", "pk")],
    }


SECTIONS = (
    ExportSection(
        "online_booking",
        _online_booking_section,
        models=("patients.BookingVerification", "patients.IdentityReview"),
    ),
)

EXPORT_EXCLUDED = {
    "patients.BookingVerificationAuditEvent": HISTORY_EXCLUSION,
    "patients.IdentityReviewAuditEvent": HISTORY_EXCLUSION,
}
