"""Demo online booking: what the public booking page offers, and what it has brought in (fictional).

Initial evaluations and follow-ups are bookable online; the free discovery
visit too, with the desk's approval. Three runners booked through the
public pages: one confirmed evaluation, one discovery visit waiting for the
desk, and one record that looks like an existing patient (same name and date
of birth, another email), left on the desk's review list.
"""

from datetime import timedelta

from django.utils import timezone

from clinic.staff.models import Location, TherapistProfile
from patients.booking.choices import VisitKind
from patients.booking.online.services import online_confirm, online_hold
from patients.booking.online.slots import online_slots
from patients.models import AppointmentType, BookingVerification, Patient

DISCOVERY_VISIT = "Free discovery visit"
ONLINE_TYPES = {
    "Initial evaluation": (
        "Your first visit (60 minutes): your running and your hip, a full examination and a plan. "
        "We email you a health form to fill in before you come."
    ),
    "Follow-up": "A visit for runners already in a programme with us.",
    DISCOVERY_VISIT: "A free 20-minute chat and a quick look, to see whether physiotherapy is right for you.",
}

RUNNERS = (
    # first, last, date of birth, email, phone, visit type, days ahead
    ("Jess", "Marlow", "1993-02-08", "jess.marlow@example.com", "07700 900611", "Initial evaluation", 3),
    ("Tom", "Reyes", "1986-09-21", "tom.reyes@example.com", "07700 900612", DISCOVERY_VISIT, 4),
)


def load_types() -> None:
    """Offer the online types (idempotent: the admin may have changed them since)."""
    AppointmentType.objects.get_or_create(
        name=DISCOVERY_VISIT,
        defaults={
            "kind": VisitKind.DISCOVERY,
            "duration_minutes": 20,
            "colour": "#1971c2",
            "requires_intake": False,
            "needs_approval": True,
        },
    )
    for name, description in ONLINE_TYPES.items():
        AppointmentType.objects.filter(name=name, online_description="").update(
            online_bookable=True, online_description=description
        )


def _book(*, first, last, born, email, phone, type_name, days_ahead, location, therapist) -> None:
    appointment_type = AppointmentType.objects.get(name=type_name)
    now = timezone.now()
    start_day = (now + timedelta(days=days_ahead)).date()
    slots = online_slots(
        location=location,
        appointment_type=appointment_type,
        therapist=therapist,
        start_day=start_day,
        days=7,
        now=now,
    )
    if not slots:
        return
    slot = slots[len(slots) // 2]
    # As the public pages leave it once the emailed code was right (no code email in the demo outbox).
    verification = BookingVerification.objects.create(
        email=email,
        first_name=first,
        last_name=last,
        date_of_birth=born,
        phone=phone,
        location=location,
        appointment_type=appointment_type,
        therapist=slot.therapist,
        starts_at=slot.starts_at,
        created_at=now,
        verified_at=now,
    )
    online_confirm(appointment=online_hold(verification=verification))


def load() -> None:
    load_types()
    if BookingVerification.objects.exists():
        return
    location = Location.objects.filter(is_active=True).order_by("pk").first()
    therapist = TherapistProfile.objects.filter(is_active=True, locations=location).order_by("pk").first()
    if location is None or therapist is None:
        return
    for first, last, born, email, phone, type_name, days_ahead in RUNNERS:
        _book(
            first=first,
            last=last,
            born=born,
            email=email,
            phone=phone,
            type_name=type_name,
            days_ahead=days_ahead,
            location=location,
            therapist=therapist,
        )
    # A runner already on file books a follow-up with another address: the desk decides.
    existing = Patient.objects.exclude(email="").order_by("pk").first()
    if existing is not None:
        _book(
            first=existing.first_name,
            last=existing.last_name,
            born=existing.date_of_birth,
            email=f"{existing.first_name.lower()}.runs@example.net",
            phone="07700 900613",
            type_name="Follow-up",
            days_ahead=5,
            location=location,
            therapist=therapist,
        )
