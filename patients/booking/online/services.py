"""Online booking once the code is right: who the patient is, the hold, its confirmation, requests.

- `online_hold`: after a verified code, the patient is found (email and date
  of birth of an active record), or registered; a record that looks like an
  existing one (same name and date of birth, another email) is registered
  with an IdentityReview for the desk, never merged or auto-confirmed. Then
  the slot is held for ONLINE_BOOKING_HOLD_MINUTES as an Appointment row
  (status booked, hold "held") under the booking locks, so PostgreSQL's
  exclusion constraints keep it from anyone else.
- `online_confirm`: the patient confirms in time: the visit becomes final
  through the desk's own path (history, confirmation with .ics, reminders,
  intake), or a request for the desk (a type that needs approval, or an
  identity under review).
- `booking_request_approve` / `booking_request_decline`: the desk's answer,
  emailed to the patient either way; `patients.booking.requests.services.identity_review_resolve` closes a review
  (the lists: patients.booking.online.selectors).

History events of the patient's acts are by the "Online booking" system user
with `by_patient`; every row here keeps its change history (the audit).
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from clinic.messaging.services import About, schedule_message
from clinic.staff.models import User
from patients.booking.actors import online_booking_user
from patients.booking.choices import (
    AppointmentAction,
    AppointmentStatus,
    BookingSource,
    CancelledBy,
    HoldState,
)
from patients.booking.online.slots import slot_offered
from patients.booking.services import BookingError, appointment_confirmed, appointment_create
from patients.identity.choices import Sex
from patients.identity.services import patient_register
from patients.links.core import normalise_name
from patients.links.language import patient_language_set
from patients.messages import PatientMessageKind
from patients.models import Appointment, AppointmentEvent, BookingVerification, IdentityReview, Patient

TAKEN = "Someone has just taken that time. Please choose another."
REVIEW_REASON = (
    "Booked online with the same name and date of birth as this record, and another email address."
)


class HoldLapsedError(BookingError):
    """The hold ran out (or was released) before the patient confirmed it."""

    def __init__(self) -> None:
        super().__init__("The time we held for you has run out. Please choose a time again.")


def _patient_for(verification: BookingVerification) -> Patient:
    """The patient a verified attempt is about: found by email and date of birth, or registered.

    A new record with the name and date of birth of an existing one (and
    another email address) gets an IdentityReview naming that one, and the
    language the booking was made in (an existing record keeps its own here:
    the booking view stores the pages' language on it, clinic.patient_language).
    """
    if verification.patient_id is not None:
        known = Patient.objects.filter(pk=verification.patient_id).first()
        if known is not None:
            return known
    same_email = (
        Patient.objects.filter(email__iexact=verification.email, date_of_birth=verification.date_of_birth)
        .order_by("pk")
        .first()
    )
    if same_email is not None:
        return same_email
    first, last = normalise_name(verification.first_name), normalise_name(verification.last_name)
    candidate = next(
        (
            p
            for p in Patient.objects.filter(date_of_birth=verification.date_of_birth).order_by("pk")
            if normalise_name(p.first_name) == first and normalise_name(p.last_name) == last
        ),
        None,
    )
    patient = patient_register(
        first_name=verification.first_name,
        last_name=verification.last_name,
        date_of_birth=verification.date_of_birth,
        # Not asked online (no health questions); the intake and the desk complete the record.
        sex=Sex.OTHER,
        email=verification.email,
        phone=verification.phone,
    )
    if verification.language:
        # The language the booking was made in: the new record's emails are written in it.
        patient_language_set(patient_id=patient.pk, language=verification.language)
        patient.language = verification.language
    if candidate is not None:
        IdentityReview.objects.create(patient=patient, candidate=candidate, reason=REVIEW_REASON)
    return patient


@transaction.atomic
def online_identify(*, verification: BookingVerification) -> Patient:
    """The patient a verified attempt proves (found or registered, as for a hold), for the waitlist.

    Side effects: a new Patient (and an IdentityReview for a look-alike) when
    no record has this email and date of birth; the attempt remembers the patient.
    """
    verification = BookingVerification.objects.select_for_update().get(pk=verification.pk)
    if verification.verified_at is None:
        raise BookingError("Enter the code we emailed you first.")
    patient = _patient_for(verification)
    if verification.patient_id != patient.pk:
        verification.patient = patient
        verification.save(update_fields=["patient"])
    return patient


@transaction.atomic
def online_hold(*, verification: BookingVerification) -> Appointment:
    """Hold the attempt's slot for its verified patient (found or registered here).

    Raises BookingError (TAKEN) when the slot is no longer offered or someone
    else holds it now; then nothing is saved, not even a new patient.
    Side effects: the Appointment row (hold "held", source online, expiring
    in ONLINE_BOOKING_HOLD_MINUTES); the patient and any IdentityReview;
    the attempt remembers both. No email: nothing is sent until it is confirmed.
    """
    verification = (
        BookingVerification.objects.select_for_update(of=("self",))
        .select_related("location", "appointment_type", "therapist")
        .get(pk=verification.pk)
    )
    if verification.verified_at is None:
        raise BookingError("Enter the code we emailed you first.")
    if verification.therapist is None or verification.starts_at is None:
        raise BookingError("Choose a time first.")
    now = timezone.now()
    if not slot_offered(
        location=verification.location,
        appointment_type=verification.appointment_type,
        therapist=verification.therapist,
        starts_at=verification.starts_at,
        now=now,
    ):
        raise BookingError(TAKEN, field="starts_at")
    patient = _patient_for(verification)
    try:
        hold = appointment_create(
            patient=patient,
            therapist=verification.therapist,
            location=verification.location,
            appointment_type=verification.appointment_type,
            starts_at=verification.starts_at,
            created_by=online_booking_user(),
            hold=HoldState.HELD,
            hold_expires_at=now + timedelta(minutes=settings.ONLINE_BOOKING_HOLD_MINUTES),
            source=BookingSource.ONLINE,
        )
    except BookingError as exc:
        if exc.field == "starts_at":
            raise BookingError(TAKEN, field="starts_at") from exc
        raise
    verification.patient = patient
    verification.appointment = hold
    verification.save(update_fields=["patient", "appointment"])
    IdentityReview.objects.filter(patient=patient, resolved_at__isnull=True, appointment__isnull=True).update(
        appointment=hold
    )
    return hold


def _locked(appointment: Appointment) -> Appointment | None:
    return (
        Appointment.objects.select_for_update()
        .select_related("patient", "therapist", "location", "appointment_type")
        .filter(pk=appointment.pk)
        .first()
    )


def needs_desk(appointment: Appointment) -> bool:
    """Does this online booking wait for the desk (a type that needs approval, or an identity to review)?"""
    return (
        appointment.appointment_type.needs_approval
        or IdentityReview.objects.filter(patient=appointment.patient_id, resolved_at__isnull=True).exists()
    )


@transaction.atomic
def online_confirm(*, appointment: Appointment) -> Appointment:
    """The patient confirms their hold: a final visit, or a request the desk answers.

    Raises HoldLapsedError when the hold has run out or is gone. Confirmed: the history event "booked" by the patient, the
    confirmation with the .ics, the reminders and, for a type that requires
    it, the intake invitation (appointment_confirmed, as a desk booking).
    Requested: hold "requested", a "requested" event, no email yet.
    """
    row = _locked(appointment)
    if row is None or row.hold != HoldState.HELD or row.status != AppointmentStatus.BOOKED:
        raise HoldLapsedError
    if row.hold_expires_at is None or row.hold_expires_at <= timezone.now():
        raise HoldLapsedError  # its time is free already; the release deletes the row
    user = online_booking_user()
    requested = needs_desk(row)
    row.hold = HoldState.REQUESTED if requested else HoldState.CONFIRMED
    row.hold_expires_at = None
    row.version += 1
    row.save(update_fields=["hold", "hold_expires_at", "version", "updated_at"])
    if requested:
        AppointmentEvent.objects.create(
            appointment=row, action=AppointmentAction.REQUESTED, by=user, by_patient=True
        )
    else:
        appointment_confirmed(row, by=user, by_patient=True)
    return row


def _request(appointment: Appointment) -> Appointment:
    row = _locked(appointment)
    if row is None or row.hold != HoldState.REQUESTED or row.status != AppointmentStatus.BOOKED:
        raise BookingError("This request has already been answered.")
    return row


@transaction.atomic
def booking_request_approve(*, appointment: Appointment, by: User) -> Appointment:
    """The desk confirms an online request: the visit becomes final and the patient is told.

    Side effects: an "approved" history event by `by`; the confirmation with
    the .ics, reminders and, for a type that requires it, the intake
    invitation (the same path as every booking). The identity review, if any,
    stays open for the desk. Raises BookingError for a request already answered.
    """
    row = _request(appointment)
    row.hold = HoldState.CONFIRMED
    row.version += 1
    row.save(update_fields=["hold", "version", "updated_at"])
    appointment_confirmed(row, by=by, action=AppointmentAction.APPROVED)
    return row


@transaction.atomic
def booking_request_decline(*, appointment: Appointment, by: User, reason: str) -> Appointment:
    """The desk declines an online request: the time is free again and the patient is emailed.

    The row is cancelled by the clinic with `reason` (required; the email
    quotes it), with a "declined" history event by `by`. Raises BookingError
    for a request already answered or a missing reason.
    """
    if not reason.strip():
        raise BookingError("Give a reason: the patient's email quotes it.", field="reason")
    row = _request(appointment)
    row.status = AppointmentStatus.CANCELLED
    row.cancelled_by = CancelledBy.CLINIC
    row.cancel_reason = reason.strip()[:200]
    row.hold = HoldState.CONFIRMED
    row.sequence += 1
    row.version += 1
    row.save()
    AppointmentEvent.objects.create(
        appointment=row, action=AppointmentAction.DECLINED, by=by, detail=row.cancel_reason
    )
    if row.patient.email:
        schedule_message(
            kind=PatientMessageKind.BOOKING_DECLINED,
            to=row.patient.email,
            due_at=timezone.now(),
            key=f"appointment:{row.pk}:booking-declined",
            about=About.of(row),
            patient_id=row.patient_id,
        )
    return row
