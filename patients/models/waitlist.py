"""The waitlist: patients waiting for an earlier or better time, and the offers made to them.

A WaitlistEntry says what would suit (location, appointment type, a therapist
or any, weekdays, parts of the day or explicit times, until when). When a
matching time frees, each of the first active entries, in order of joining,
gets a WaitlistOffer (one per entry and slot, ever) and an email with a claim
link; the first to claim gets the time.
"""

from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from clinic.audit.tracking import audit_tracked
from patients.booking.waitlist.choices import ALL_PARTS, ALL_WEEKDAYS, OfferStatus, WaitlistStatus


@audit_tracked
class WaitlistEntry(models.Model):
    """One patient's wish for a time; waits while `active` and until `until` (inclusive)."""

    patient = models.ForeignKey("patients.Patient", on_delete=models.CASCADE, related_name="waitlist_entries")
    location = models.ForeignKey("staff.Location", on_delete=models.PROTECT, related_name="+")
    appointment_type = models.ForeignKey(
        "patients.AppointmentType", on_delete=models.PROTECT, related_name="+"
    )
    # None: any therapist at the location.
    therapist = models.ForeignKey(
        "staff.TherapistProfile", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # A booked visit the patient would move to an earlier time (joined from its manage link):
    # only earlier times are offered, and a claim moves this visit instead of booking another.
    appointment = models.ForeignKey(
        "patients.Appointment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    weekdays = models.PositiveSmallIntegerField(default=ALL_WEEKDAYS, help_text="Bit set, Monday = 1.")
    parts_of_day = models.PositiveSmallIntegerField(default=ALL_PARTS, help_text="Bit set of PartOfDay.")
    earliest = models.TimeField(null=True, blank=True)
    latest = models.TimeField(null=True, blank=True)
    until = models.DateField()
    status = models.CharField(max_length=10, choices=WaitlistStatus.choices, default=WaitlistStatus.ACTIVE)
    # The order of joining: offers go to the earliest first.
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name_plural = "waitlist entries"
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=WaitlistStatus.values), name="patients_waitlistentry_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(weekdays__gte=1, weekdays__lte=ALL_WEEKDAYS),
                name="patients_waitlistentry_weekdays_range",
                violation_error_message="Choose at least one day of the week.",
            ),
            # Either parts of the day, or an explicit window of times (earliest before latest).
            models.CheckConstraint(
                condition=Q(
                    parts_of_day__gte=1,
                    parts_of_day__lte=ALL_PARTS,
                    earliest__isnull=True,
                    latest__isnull=True,
                )
                | Q(parts_of_day=0, earliest__isnull=False, latest__isnull=False, earliest__lt=F("latest")),
                name="patients_waitlistentry_times_valid",
                violation_error_message="Choose parts of the day, or a time range that ends after it starts.",
            ),
            # One waiting entry per patient, location and type: joining again updates it.
            models.UniqueConstraint(
                fields=["patient", "location", "appointment_type"],
                condition=Q(status=WaitlistStatus.ACTIVE),
                name="patients_waitlistentry_one_active",
                violation_error_message="This patient is already on the waitlist for that visit.",
            ),
        ]
        indexes = [
            # Matching: the active entries for a location and type, in order of joining.
            models.Index(
                fields=["location", "appointment_type", "created_at"],
                condition=Q(status=WaitlistStatus.ACTIVE),
                name="patients_waitlist_active",
            ),
        ]

    def __str__(self) -> str:
        return f"Waitlist entry {self.pk} ({self.status})"


@audit_tracked
class WaitlistOffer(models.Model):
    """One free time offered to one entry; only the hash of the emailed claim token is stored."""

    entry = models.ForeignKey(WaitlistEntry, on_delete=models.CASCADE, related_name="offers")
    therapist = models.ForeignKey("staff.TherapistProfile", on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    # The latest email's link (made when it is rendered); empty until then.
    token_hash = models.CharField(max_length=64, blank=True, default="")
    status = models.CharField(max_length=10, choices=OfferStatus.choices, default=OfferStatus.OFFERED)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    claimed_at = models.DateTimeField(null=True, blank=True)
    appointment = models.ForeignKey(
        "patients.Appointment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            # Exactly once: an entry is offered a given time at most once, whatever runs twice.
            models.UniqueConstraint(
                fields=["entry", "therapist", "starts_at"], name="patients_waitlistoffer_once_per_slot"
            ),
            models.UniqueConstraint(
                fields=["token_hash"], condition=~Q(token_hash=""), name="patients_waitlistoffer_token_unique"
            ),
            models.CheckConstraint(
                condition=Q(status__in=OfferStatus.values), name="patients_waitlistoffer_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(starts_at__lt=F("ends_at")), name="patients_waitlistoffer_starts_before_ends"
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("created_at")) & Q(expires_at__lte=F("starts_at")),
                name="patients_waitlistoffer_expiry_range",
                violation_error_message="An offer expires after it is made and no later than the visit.",
            ),
            models.CheckConstraint(
                condition=Q(status=OfferStatus.CLAIMED, claimed_at__isnull=False)
                | (~Q(status=OfferStatus.CLAIMED) & Q(claimed_at__isnull=True)),
                name="patients_waitlistoffer_claimed_at",
            ),
        ]
        indexes = [
            # The open offers of one therapist's time (a claim closes the others; expiry sweep).
            models.Index(
                fields=["therapist", "starts_at"],
                condition=Q(status=OfferStatus.OFFERED),
                name="patients_waitlistoffer_open",
            ),
        ]

    def __str__(self) -> str:
        return f"Waitlist offer {self.pk} ({self.status})"
