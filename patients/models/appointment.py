from datetime import timedelta

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import RangeOperators
from django.db import models
from django.db.models import F, Func, Q

from clinic.audit.tracking import audit_tracked
from patients.booking.choices import (
    LONGEST_VISIT,
    OCCUPYING_STATUSES,
    AppointmentAction,
    AppointmentStatus,
    BookingSource,
    CancelledBy,
    HoldState,
    VisitKind,
)


class AppointmentType(models.Model):
    """A kind of visit the clinic offers (configured by the clinic admin)."""

    name = models.CharField(max_length=80, unique=True)
    kind = models.CharField(max_length=20, choices=VisitKind.choices)
    duration_minutes = models.PositiveSmallIntegerField()
    colour = models.CharField(max_length=7, default="#0b5563", help_text="Calendar colour, e.g. #0b5563.")
    requires_intake = models.BooleanField(
        default=False, help_text="Booking sends the online intake form to the patient."
    )
    is_active = models.BooleanField(default=True)
    online_bookable = models.BooleanField(
        "offered online", default=False, help_text="Patients may book this type on the public booking pages."
    )
    needs_approval = models.BooleanField(
        default=False, help_text="An online booking is a request the front desk confirms or declines."
    )
    online_description = models.CharField(
        max_length=300, blank=True, help_text="Shown on the booking pages: one or two plain sentences."
    )

    class Meta:
        ordering = ["duration_minutes", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    duration_minutes__gte=10, duration_minutes__lte=LONGEST_VISIT // timedelta(minutes=1)
                ),
                name="patients_appointmenttype_duration_range",
                violation_error_message="A visit lasts 10 to 180 minutes.",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=VisitKind.values), name="patients_appointmenttype_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(colour__regex=r"^#[0-9A-Fa-f]{6}$"),
                name="patients_appointmenttype_colour_hex",
                violation_error_message="Colour must look like #0b5563.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.duration_minutes} min)"


class TsTzRange(Func):
    function = "TSTZRANGE"
    output_field = models.DateTimeField()  # only used inside the constraint


@audit_tracked
class Appointment(models.Model):
    patient = models.ForeignKey("patients.Patient", on_delete=models.PROTECT, related_name="appointments")
    therapist = models.ForeignKey(
        "staff.TherapistProfile", on_delete=models.PROTECT, related_name="appointments"
    )
    location = models.ForeignKey("staff.Location", on_delete=models.PROTECT, related_name="appointments")
    appointment_type = models.ForeignKey(AppointmentType, on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    status = models.CharField(
        max_length=12, choices=AppointmentStatus.choices, default=AppointmentStatus.BOOKED
    )
    notes = models.TextField(
        "notes for the therapist", blank=True, max_length=2000, help_text="Reason for visit, referral."
    )
    cancelled_by = models.CharField(max_length=10, choices=CancelledBy.choices, blank=True)
    cancel_reason = models.CharField(max_length=200, blank=True)
    late_cancellation = models.BooleanField(default=False)
    # Bumped on every change the patient is told about (iCalendar SEQUENCE).
    sequence = models.PositiveIntegerField(default=0)
    # Optimistic lock of staff edits (reschedule, notes, status): bumped on every save
    # through the services; a save naming an older version is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    # An online booking before it is final (HoldState); the row occupies its time all the same.
    hold = models.CharField(max_length=10, choices=HoldState.choices, blank=True, default=HoldState.CONFIRMED)
    hold_expires_at = models.DateTimeField(null=True, blank=True)
    source = models.CharField(max_length=10, choices=BookingSource.choices, default=BookingSource.DESK)
    created_by = models.ForeignKey("staff.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__lt=F("ends_at")),
                name="patients_appointment_starts_before_ends",
                violation_error_message="An appointment must end after it starts.",
            ),
            # Day lists and the calendar look for visits overlapping a day from
            # LONGEST_VISIT before it (patients.booking.selectors.appointments_between).
            models.CheckConstraint(
                condition=Q(ends_at__lte=F("starts_at") + LONGEST_VISIT),
                name="patients_appointment_longest_visit",
                violation_error_message="A visit lasts at most three hours.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=AppointmentStatus.values),
                name="patients_appointment_status_valid",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="patients_appointment_version_positive"),
            models.CheckConstraint(
                condition=Q(cancelled_by__in=["", *CancelledBy.values]),
                name="patients_appointment_cancelled_by_valid",
            ),
            models.CheckConstraint(
                condition=Q(hold__in=HoldState.values), name="patients_appointment_hold_valid"
            ),
            # A hold awaiting the patient lapses; a request waits for the desk; a visit has no expiry.
            models.CheckConstraint(
                condition=Q(hold=HoldState.HELD, hold_expires_at__isnull=False)
                | (~Q(hold=HoldState.HELD) & Q(hold_expires_at__isnull=True)),
                name="patients_appointment_hold_expiry",
            ),
            models.CheckConstraint(
                condition=Q(source__in=BookingSource.values), name="patients_appointment_source_valid"
            ),
            # No double booking, ever: PostgreSQL refuses overlapping visits for
            # one therapist, or for one patient (SQLite relies on the service).
            ExclusionConstraint(
                name="patients_appointment_therapist_no_overlap",
                expressions=[
                    ("therapist", RangeOperators.EQUAL),
                    (TsTzRange("starts_at", "ends_at"), RangeOperators.OVERLAPS),
                ],
                condition=Q(status__in=OCCUPYING_STATUSES),
                violation_error_message="The therapist already has an appointment at that time.",
            ),
            ExclusionConstraint(
                name="patients_appointment_patient_no_overlap",
                expressions=[
                    ("patient", RangeOperators.EQUAL),
                    (TsTzRange("starts_at", "ends_at"), RangeOperators.OVERLAPS),
                ],
                condition=Q(status__in=OCCUPYING_STATUSES),
                violation_error_message="The patient already has an appointment at that time.",
            ),
        ]
        indexes = [
            # Calendar and day lists: a location's or a therapist's visits in a range.
            models.Index(fields=["location", "starts_at"], name="patients_appt_location_start"),
            models.Index(fields=["therapist", "starts_at"], name="patients_appt_therapist_start"),
            # Visits in a range anywhere (appointments_between without a location).
            models.Index(fields=["starts_at"], name="patients_appt_start"),
        ]

    def __str__(self) -> str:
        return f"{self.appointment_type.name} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def is_open(self) -> bool:
        return self.status in {AppointmentStatus.BOOKED, AppointmentStatus.ARRIVED}


@audit_tracked
class AppointmentEvent(models.Model):
    """What happened to an appointment, by whom and when (kept forever)."""

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=12, choices=AppointmentAction.choices)
    by = models.ForeignKey("staff.User", on_delete=models.PROTECT, related_name="+")
    # The patient acted (online booking, the manage link); `by` is then the system user.
    by_patient = models.BooleanField(default=False)
    at = models.DateTimeField(auto_now_add=True)
    previous_starts_at = models.DateTimeField(null=True, blank=True)
    previous_therapist = models.ForeignKey(
        "staff.TherapistProfile", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    detail = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=AppointmentAction.values),
                name="patients_appointmentevent_action_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} by {self.actor} at {self.at:%Y-%m-%d %H:%M}"

    @property
    def actor(self) -> str:
        return "the patient (online)" if self.by_patient else str(self.by)
