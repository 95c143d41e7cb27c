"""The manage link: the patient cancels or moves their own visit, outside the late-cancellation window.

Tokens are made when a confirmation or rescheduled email is rendered
(`manage_link_issue`); only their SHA-256 hash is stored, on an
AppointmentLink of exactly one appointment, so a token can never reach
another. Changes go through the booking services, recorded in the visit's
history as done by the patient (`by` is the "Online booking" system user).
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from clinic.staff.models import TherapistProfile
from patients.booking.actors import online_booking_user
from patients.booking.choices import CancelledBy
from patients.booking.manage.rules import ManageState, manage_state
from patients.booking.services import BookingError, appointment_cancel, appointment_reschedule
from patients.booking.waitlist.slots import slots_between
from patients.links import core as links
from patients.models import Appointment, AppointmentLink

PATIENT_CANCEL_REASON = "Cancelled by the patient (manage link)"


def manage_link_url(token: str) -> str:
    return settings.SITE_URL + reverse("manage:manage", kwargs={"token": token})


def manage_link_issue(*, appointment: Appointment) -> str | None:
    """Make one more manage token for the visit and return its URL (None once the visit has started).

    The token works until the visit starts; earlier tokens keep working.
    """
    now = timezone.now()
    if appointment.starts_at <= now:
        return None
    token, digest = links.token_make()
    AppointmentLink.objects.create(
        appointment=appointment, token_hash=digest, issued_at=now, expires_at=appointment.starts_at
    )
    return manage_link_url(token)


def manage_link_find(token: str) -> AppointmentLink | None:
    """The unexpired link a token belongs to, with its visit; None for anything else."""
    link = links.token_find(
        AppointmentLink.objects.select_related(
            "appointment__patient",
            "appointment__location",
            "appointment__therapist",
            "appointment__appointment_type",
        ),
        token,
    )
    if link is None or link.expires_at <= timezone.now():
        return None
    return link


def appointment_manage_state(appointment: Appointment, *, now: datetime | None = None) -> ManageState:
    return manage_state(
        status=appointment.status,
        hold=appointment.hold,
        starts_at=appointment.starts_at,
        now=now or timezone.now(),
        late_cancellation_hours=settings.LATE_CANCELLATION_HOURS,
    )


class ManageClosedError(BookingError):
    """The visit can no longer be changed online (late, started, cancelled): call the clinic."""


def _open_locked(link: AppointmentLink) -> Appointment:
    appointment = Appointment.objects.select_for_update().get(pk=link.appointment_id)
    if appointment_manage_state(appointment) != ManageState.OPEN:
        raise ManageClosedError(
            f"This visit can no longer be changed online: please call us on {settings.CLINIC_PHONE}."
        )
    return appointment


@transaction.atomic
def appointment_cancel_by_patient(*, link: AppointmentLink, reason: str = "") -> Appointment:
    """The patient cancels through the manage link (outside the late-cancellation window only).

    Side effects as appointment_cancel (reminders stop, cancellation email,
    the freed time offered to the waitlist on commit); the history names the
    patient. Raises ManageClosedError inside the window or for a visit not open.
    """
    appointment = _open_locked(link)
    return appointment_cancel(
        appointment=appointment,
        by=online_booking_user(),
        cancelled_by=CancelledBy.PATIENT,
        reason=reason.strip() or PATIENT_CANCEL_REASON,
        by_patient=True,
    )


@transaction.atomic
def appointment_reschedule_by_patient(
    *, link: AppointmentLink, therapist: TherapistProfile, starts_at: datetime
) -> Appointment:
    """The patient moves the visit to a free online time (same type; the therapist chosen or any).

    The time must be one the online slot list offers that day. Side effects
    as appointment_reschedule (reminders move, rescheduled email). Raises
    ManageClosedError as appointment_cancel_by_patient, BookingError for a time not free.
    """
    appointment = _open_locked(link)
    location = appointment.location
    day = starts_at.astimezone(ZoneInfo(location.time_zone)).date()
    offered = {
        (slot.therapist.pk, slot.starts_at)
        for slot in slots_between(
            location=location,
            appointment_type=appointment.appointment_type,
            therapist=therapist,
            first_day=day,
            last_day=day,
            now=timezone.now(),
        )
    }
    if (therapist.pk, starts_at) not in offered:
        raise BookingError("That time is no longer free. Please choose another.", field="slot")
    return appointment_reschedule(
        appointment=appointment,
        starts_at=starts_at,
        therapist=therapist,
        by=online_booking_user(),
        by_patient=True,
    )
