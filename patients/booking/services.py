"""Booking: appointments from booked to completed, cancelled or no-show.

Every change runs in one transaction with the emails it causes (confirmation,
reminders, intake invitation), so the outbox never disagrees with the diary.
No double booking: the service locks the therapist and the patient, checks
for overlaps and offers alternatives; PostgreSQL's exclusion constraints
refuse whatever slips past.
"""

import operator
from datetime import date, datetime, timedelta
from functools import partial, reduce

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from clinic.locking import check_version
from clinic.messaging.services import About, messages_cancel, schedule_message
from clinic.messaging.timing import hours_before
from clinic.staff.models import Location, TherapistProfile, User
from patients.booking.choices import (
    OCCUPYING_STATUSES,
    AppointmentAction,
    AppointmentStatus,
    BookingSource,
    CancelledBy,
    HoldState,
)
from patients.booking.scheduling import Slot, alternative_slots, on_time_off, within_working_hours
from patients.identity.services import patient_register, patient_update
from patients.intake.services.invitations import (
    intake_cancel_for_appointment,
    intake_invite,
    intake_nudges_move_for_appointment,
)
from patients.messages import PatientMessageKind
from patients.models import Appointment, AppointmentEvent, AppointmentType, Patient


class BookingError(ValidationError):
    """A booking that cannot be made, with nearby free slots to offer instead."""

    def __init__(
        self, message: str, *, field: str | None = None, alternatives: list[Slot] | None = None
    ) -> None:
        super().__init__({field: [message]} if field else message)
        self.field = field
        self.alternatives = alternatives or []


def _check_slot(
    *,
    patient: Patient,
    therapist: TherapistProfile,
    location: Location,
    starts_at: datetime,
    ends_at: datetime,
    duration: timedelta,
    exclude: int | None = None,
) -> None:
    if starts_at < timezone.now():
        raise BookingError("That time is in the past: choose a time from now on.", field="starts_at")
    # A lapsed online hold gives its time back to whoever books it next (the row would
    # otherwise still meet the exclusion constraints).
    holds_release_expired(
        therapist=therapist, patient=patient, starts_at=starts_at, ends_at=ends_at, keep=exclude
    )
    if not therapist.locations.filter(pk=location.pk).exists():
        raise BookingError(f"{therapist} does not work at {location}.", field="therapist")

    def alternatives() -> list[Slot]:
        return alternative_slots(
            therapist=therapist,
            location=location,
            starts_at=starts_at,
            duration=duration,
            exclude_appointment=exclude,
        )

    if not within_working_hours(therapist=therapist, location=location, starts_at=starts_at, ends_at=ends_at):
        raise BookingError(
            f"{therapist} is not working at {location} at that time.",
            field="starts_at",
            alternatives=alternatives(),
        )
    if on_time_off(therapist=therapist, starts_at=starts_at, ends_at=ends_at):
        raise BookingError(
            f"{therapist} is away at that time.", field="starts_at", alternatives=alternatives()
        )
    clashes = Appointment.objects.filter(
        status__in=OCCUPYING_STATUSES, starts_at__lt=ends_at, ends_at__gt=starts_at
    )
    if exclude is not None:
        clashes = clashes.exclude(pk=exclude)
    if clashes.filter(therapist=therapist).exists():
        raise BookingError(
            f"{therapist} already has an appointment at that time.",
            field="starts_at",
            alternatives=alternatives(),
        )
    if clashes.filter(patient=patient).exists():
        raise BookingError("The patient already has an appointment at that time.", field="starts_at")


def holds_release_expired(
    *,
    therapist: TherapistProfile | None = None,
    patient: Patient | None = None,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    keep: int | None = None,
) -> int:
    """Delete online holds whose time ran out (those of the therapist or patient over a time, or all).

    `keep` names a row to leave (the visit being moved).

    A hold is a row only so that the exclusion constraints keep its time: it
    was never confirmed, no email was sent about it, so it leaves no visit
    behind (its change history keeps it). Rows are locked before they go, and
    one locked by a confirmation under way is left to it (it re-checks the
    expiry itself). Returns how many went.
    """
    expired = Appointment.objects.filter(hold=HoldState.HELD, hold_expires_at__lte=timezone.now())
    if keep is not None:
        expired = expired.exclude(pk=keep)
    if starts_at is not None and ends_at is not None:
        expired = expired.filter(starts_at__lt=ends_at, ends_at__gt=starts_at)
    whose = [Q(therapist=therapist)] if therapist is not None else []
    whose += [Q(patient=patient)] if patient is not None else []
    if whose:
        expired = expired.filter(reduce(operator.or_, whose))
    with transaction.atomic():
        # FOR UPDATE re-reads a row changed meanwhile: one confirmed just now no longer matches.
        ids = list(expired.select_for_update(skip_locked=True).values_list("pk", flat=True))
        if not ids:
            return 0
        _, deleted = Appointment.objects.filter(pk__in=ids).delete()
    return deleted.get(Appointment._meta.label, 0)


def _lock(therapist: TherapistProfile, patient: Patient) -> None:
    # Serialise bookings per therapist and per patient: the second of two
    # simultaneous bookings waits here, then sees the first one's row.
    TherapistProfile.objects.select_for_update().filter(pk=therapist.pk).first()
    Patient.objects.select_for_update().filter(pk=patient.pk).first()


def _save(appointment: Appointment) -> None:
    try:
        with transaction.atomic():
            appointment.save()
    except IntegrityError as exc:
        if "no_overlap" in str(exc):
            raise BookingError(
                "Someone has just booked that time. Please choose another slot.", field="starts_at"
            ) from exc
        raise


def _reminder_key(appointment: Appointment, hours: int) -> str:
    # The sequence names the visit's time: a moved visit gets new reminders
    # even when the old ones were already sent.
    return f"appointment:{appointment.pk}:reminder:{hours}h:{appointment.sequence}"


def _schedule_patient_emails(appointment: Appointment, *, kind: str) -> None:
    """Tell the patient now (with the .ics) and queue the reminders.

    A reminder is due N × 3600 s before the visit (exact elapsed time, in
    UTC), keeps quiet hours in the location's zone and expires when the visit
    starts. Reminders for an earlier time of this visit are cancelled first.
    """
    patient = appointment.patient
    about = About.of(appointment)
    reminder_keys = {_reminder_key(appointment, hours) for hours in settings.APPOINTMENT_REMINDER_HOURS}
    messages_cancel(about=about, kinds=[PatientMessageKind.APPOINTMENT_REMINDER], keep_keys=reminder_keys)
    if not patient.email:
        return
    schedule_message(
        kind=kind,
        to=patient.email,
        due_at=timezone.now(),
        key=f"appointment:{appointment.pk}:{kind}:{appointment.sequence}",
        about=about,
        patient_id=patient.pk,
        # A confirmation is pointless once the visit has started; a cancellation still informs.
        expires_at=None if kind == PatientMessageKind.APPOINTMENT_CANCELLED else appointment.starts_at,
    )
    if kind == PatientMessageKind.APPOINTMENT_CANCELLED:
        return
    for hours in settings.APPOINTMENT_REMINDER_HOURS:
        due_at = hours_before(appointment.starts_at, hours)
        if due_at <= timezone.now():
            continue
        schedule_message(
            kind=PatientMessageKind.APPOINTMENT_REMINDER,
            to=patient.email,
            due_at=due_at,
            key=_reminder_key(appointment, hours),
            about=about,
            patient_id=patient.pk,
            expires_at=appointment.starts_at,
            time_zone=appointment.location.time_zone,
        )


def appointment_create(
    *,
    patient: Patient,
    therapist: TherapistProfile,
    location: Location,
    appointment_type: AppointmentType,
    starts_at: datetime,
    created_by: User,
    notes: str = "",
    hold: str = HoldState.CONFIRMED,
    hold_expires_at: datetime | None = None,
    source: str = BookingSource.DESK,
) -> Appointment:
    """The row of a visit (or of an online hold), checked and saved under the therapist's and patient's locks.

    Nothing is sent and no history event is written: a confirmed visit goes on
    to appointment_confirmed; a hold waits for the patient or the desk.
    Raises BookingError (with alternatives) for a time in the past, outside
    the therapist's hours, or clashing. Call inside a transaction.
    """
    duration = timedelta(minutes=appointment_type.duration_minutes)
    ends_at = starts_at + duration
    _lock(therapist, patient)
    _check_slot(
        patient=patient,
        therapist=therapist,
        location=location,
        starts_at=starts_at,
        ends_at=ends_at,
        duration=duration,
    )
    appointment = Appointment(
        patient=patient,
        therapist=therapist,
        location=location,
        appointment_type=appointment_type,
        starts_at=starts_at,
        ends_at=ends_at,
        notes=notes,
        hold=hold,
        hold_expires_at=hold_expires_at,
        source=source,
        created_by=created_by,
    )
    # The exclusion constraints are checked by the service above and by
    # PostgreSQL on save; Django cannot validate them on SQLite.
    appointment.full_clean(validate_constraints=False)
    _save(appointment)
    return appointment


def appointment_confirmed(
    appointment: Appointment,
    *,
    by: User,
    by_patient: bool = False,
    action: str = AppointmentAction.BOOKED,
) -> None:
    """What a visit becoming final causes: its history event, the confirmation with the .ics,
    the reminders and, for a type that requires the intake, the intake invitation.

    The one path for a desk booking, an online confirmation and an approved request.
    Call inside the transaction that made the visit final.
    """
    AppointmentEvent.objects.create(appointment=appointment, action=action, by=by, by_patient=by_patient)
    _schedule_patient_emails(appointment, kind=PatientMessageKind.APPOINTMENT_CONFIRMATION)
    if appointment.appointment_type.requires_intake:
        intake_invite(patient=appointment.patient, appointment=appointment, by=by)


@transaction.atomic
def appointment_book(
    *,
    patient: Patient,
    therapist: TherapistProfile,
    location: Location,
    appointment_type: AppointmentType,
    starts_at: datetime,
    booked_by: User,
    notes: str = "",
) -> Appointment:
    """Book a visit.

    Side effects: an AppointmentEvent; a confirmation email with an .ics and
    the reminder emails queued; for a type that requires the intake, an intake
    invitation and its email. Raises BookingError (with alternatives) for a
    time in the past, outside the therapist's hours, or clashing.
    """
    if appointment_type.requires_intake and not patient.email:
        raise BookingError("An email address is needed to send this patient the intake form.", field="email")
    appointment = appointment_create(
        patient=patient,
        therapist=therapist,
        location=location,
        appointment_type=appointment_type,
        starts_at=starts_at,
        created_by=booked_by,
        notes=notes,
    )
    appointment_confirmed(appointment, by=booked_by)
    return appointment


@transaction.atomic
def evaluation_book(
    *,
    patient: Patient | None,
    therapist: TherapistProfile,
    location: Location,
    appointment_type: AppointmentType,
    starts_at: datetime,
    booked_by: User,
    notes: str = "",
    first_name: str = "",
    last_name: str = "",
    date_of_birth: date | None = None,
    sex: str = "",
    email: str = "",
    phone: str = "",
) -> Appointment:
    """The front desk's booking: an existing patient, or a new one registered here, and the visit.

    With `patient` None the patient is registered from the name, date of
    birth, sex, email and phone given (full validation); an existing patient
    without an email address gets `email` added, so an evaluation's intake
    form can be sent. Then the visit is booked as by appointment_book.

    Side effects, all in one transaction: the new Patient (or the email on an
    existing one); the Appointment and its AppointmentEvent; the confirmation
    email with an .ics and the reminders queued; for a type that requires the
    intake (an evaluation), an IntakeInvitation and its email queued.
    Raises ValidationError for patient details that do not validate and
    BookingError (with alternatives) for a slot that cannot be booked; either
    way nothing is saved, so a new patient never exists without the visit.
    """
    if patient is None:
        patient = patient_register(
            first_name=first_name,
            last_name=last_name,
            date_of_birth=date_of_birth,
            sex=sex,
            email=email,
            phone=phone,
        )
    elif email and not patient.email:
        # Read under the lock: an address saved meanwhile (the patient's edit
        # form) is kept, never overwritten by the booking form's.
        current = Patient.objects.select_for_update().get(pk=patient.pk)
        if not current.email:
            patient = patient_update(patient=current, expected_version=current.version, email=email)
        else:
            patient = current
    return appointment_book(
        patient=patient,
        therapist=therapist,
        location=location,
        appointment_type=appointment_type,
        starts_at=starts_at,
        booked_by=booked_by,
        notes=notes,
    )


def _locked(appointment: Appointment) -> Appointment:
    return (
        Appointment.objects.select_for_update()
        .select_related("patient", "therapist", "location", "appointment_type")
        .get(pk=appointment.pk)
    )


def _not_awaiting(appointment: Appointment) -> None:
    """An online hold or request is not yet a visit: the patient or the desk answers it first."""
    if appointment.hold == HoldState.HELD:
        raise BookingError(
            "The patient is still confirming this online booking; it frees itself if they don't."
        )
    if appointment.hold == HoldState.REQUESTED:
        raise BookingError(
            "This is an online request: approve or decline it on the Online requests page first."
        )


@transaction.atomic
def appointment_reschedule(
    *,
    appointment: Appointment,
    starts_at: datetime,
    by: User,
    therapist: TherapistProfile | None = None,
    expected_version: int | None = None,
    by_patient: bool = False,
) -> Appointment:
    """Move a booked visit; its reminders move with it and the patient is told.

    `by_patient`: the patient moved it (the manage link, a waitlist offer); `by` is then the system user.

    Refused with StaleVersionError when the visit changed since
    `expected_version` (the staff form's version); bumps the version.
    """
    appointment = _locked(appointment)
    check_version(appointment, expected_version)
    if appointment.status != AppointmentStatus.BOOKED:
        raise BookingError("Only a booked appointment can be moved.")
    _not_awaiting(appointment)
    new_therapist = therapist or appointment.therapist
    duration = appointment.ends_at - appointment.starts_at
    _lock(new_therapist, appointment.patient)
    _check_slot(
        patient=appointment.patient,
        therapist=new_therapist,
        location=appointment.location,
        starts_at=starts_at,
        ends_at=starts_at + duration,
        duration=duration,
        exclude=appointment.pk,
    )
    event = AppointmentEvent(
        appointment=appointment,
        action=AppointmentAction.RESCHEDULED,
        by=by,
        by_patient=by_patient,
        previous_starts_at=appointment.starts_at,
        previous_therapist=appointment.therapist,
    )
    appointment.starts_at = starts_at
    appointment.ends_at = starts_at + duration
    appointment.therapist = new_therapist
    appointment.sequence += 1
    appointment.version += 1
    _save(appointment)
    event.save()
    # Reminders for the old time, whether waiting, claimed or sent, give way to new ones.
    _schedule_patient_emails(appointment, kind=PatientMessageKind.APPOINTMENT_RESCHEDULED)
    # The intake link expires at the visit; a move changes that.
    for invitation in appointment.intake_invitations.filter(
        submitted_at__isnull=True, revoked_at__isnull=True
    ):
        if invitation.expires_at and invitation.expires_at > appointment.starts_at:
            invitation.expires_at = appointment.starts_at
            invitation.save(update_fields=["expires_at"])
    # The intake nudges move with the visit.
    intake_nudges_move_for_appointment(appointment=appointment)
    return appointment


@transaction.atomic
def appointment_cancel(
    *,
    appointment: Appointment,
    by: User,
    cancelled_by: str,
    reason: str,
    expected_version: int | None = None,
    by_patient: bool = False,
) -> Appointment:
    """Cancel a booked visit: reminders and intake emails stop, the patient is told.

    Refused with StaleVersionError when the visit changed since
    `expected_version`; bumps the version. `by_patient`: the patient cancelled
    (the manage link; `by` is then the system user). Once committed, the
    freed time is offered to the waitlist (a task, at once).
    """
    from patients.booking.waitlist.tasks import (  # noqa: PLC0415 -- the waitlist books through this module
        waitlist_slot_freed_enqueue,
    )

    appointment = _locked(appointment)
    check_version(appointment, expected_version)
    if appointment.status != AppointmentStatus.BOOKED:
        raise BookingError("Only a booked appointment can be cancelled.")
    _not_awaiting(appointment)
    if cancelled_by not in CancelledBy.values:
        raise BookingError("Say who cancelled.", field="cancelled_by")
    if not reason.strip():
        raise BookingError("Give a reason for the cancellation.", field="reason")
    appointment.status = AppointmentStatus.CANCELLED
    appointment.cancelled_by = cancelled_by
    appointment.cancel_reason = reason.strip()[:200]
    appointment.late_cancellation = appointment.starts_at - timezone.now() < timedelta(
        hours=settings.LATE_CANCELLATION_HOURS
    )
    appointment.sequence += 1
    appointment.version += 1
    appointment.save()
    AppointmentEvent.objects.create(
        appointment=appointment,
        action=AppointmentAction.CANCELLED,
        by=by,
        by_patient=by_patient,
        detail=appointment.cancel_reason,
    )
    messages_cancel(about=About.of(appointment))
    intake_cancel_for_appointment(appointment=appointment)
    _schedule_patient_emails(appointment, kind=PatientMessageKind.APPOINTMENT_CANCELLED)
    # The freed time goes to the waitlist once the cancellation is committed.
    transaction.on_commit(partial(waitlist_slot_freed_enqueue, appointment_id=appointment.pk))
    return appointment


_TRANSITIONS = {
    AppointmentAction.ARRIVED: ({AppointmentStatus.BOOKED}, AppointmentStatus.ARRIVED),
    AppointmentAction.COMPLETED: (
        {AppointmentStatus.ARRIVED, AppointmentStatus.BOOKED},
        AppointmentStatus.COMPLETED,
    ),
    AppointmentAction.NO_SHOW: ({AppointmentStatus.BOOKED}, AppointmentStatus.NO_SHOW),
}


@transaction.atomic
def appointment_mark(
    *, appointment: Appointment, action: str, by: User, expected_version: int | None = None
) -> Appointment:
    """Record the arrival, complete, or mark a no-show. Pending reminders stop.

    Refused with StaleVersionError when the visit changed since
    `expected_version` (the page the button was on); bumps the version.
    """
    appointment = _locked(appointment)
    check_version(appointment, expected_version)
    _not_awaiting(appointment)
    allowed_from, new_status = _TRANSITIONS[AppointmentAction(action)]
    if appointment.status not in allowed_from:
        raise BookingError(
            f"A {appointment.get_status_display().lower()} appointment cannot be marked "
            f"{AppointmentStatus(new_status).label.lower()}."
        )
    appointment.status = new_status
    appointment.version += 1
    appointment.save(update_fields=["status", "version", "updated_at"])
    AppointmentEvent.objects.create(appointment=appointment, action=action, by=by)
    messages_cancel(about=About.of(appointment), kinds=[PatientMessageKind.APPOINTMENT_REMINDER])
    return appointment
