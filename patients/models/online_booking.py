"""Online booking by the public: the emailed code that proves an address, and uncertain matches.

A BookingVerification is one attempt from the booking pages: the slot the
visitor chose, the details they typed and a 6-digit code sent to the typed
address (kept as an HMAC only, made when its email is rendered). Until the
code is right nothing about any patient is looked up or shown. An
IdentityReview is a record created online that looks like an existing one
(same name and date of birth, another email): the front desk decides.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from clinic.audit.tracking import audit_tracked


# The history of every attempt (sent, wrong tries, verified, the hold it made) is the audit of
# the code: never the code, nor what a visitor typed (kept on the row, which goes after
# VERIFICATION_KEEP_DAYS unless it led to a booking).
@audit_tracked(exclude=["code_hash", "email", "first_name", "last_name", "date_of_birth", "phone"])
class BookingVerification(models.Model):
    """One visitor's attempt to book a slot online, proved by a code sent to the typed email."""

    email = models.EmailField()
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    phone = models.CharField(max_length=30, blank=True)
    # What the proved address is for: a chosen slot, or joining the waitlist (no slot).
    purpose = models.CharField(
        max_length=10,
        choices=[("booking", "Booking a time"), ("waitlist", "Joining the waitlist")],
        default="booking",
    )
    # The chosen slot ("any therapist" is resolved when the slot list is shown); none for the waitlist.
    location = models.ForeignKey("staff.Location", on_delete=models.CASCADE, related_name="+")
    appointment_type = models.ForeignKey(
        "patients.AppointmentType", on_delete=models.CASCADE, related_name="+"
    )
    therapist = models.ForeignKey(
        "staff.TherapistProfile", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    starts_at = models.DateTimeField(null=True, blank=True)
    # A keyed hash of the visitor's network, for the rate limits and the audit (never the address).
    network_hash = models.CharField(max_length=64, blank=True)
    # The language of the booking pages when the code was asked for: its email is written in it
    # (blank on attempts made before it was kept: the clinic's own).
    language = models.CharField(max_length=8, blank=True, default="", choices=settings.PATIENT_LANGUAGES)
    code_hash = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField()
    issued_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    failed_tries = models.PositiveSmallIntegerField(default=0)
    verified_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    patient = models.ForeignKey(
        "patients.Patient", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    appointment = models.ForeignKey(
        "patients.Appointment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(failed_tries__lte=50), name="patients_bookingverification_tries_bounded"
            ),
            models.CheckConstraint(
                condition=Q(code_hash="") | Q(issued_at__isnull=False, expires_at__isnull=False),
                name="patients_bookingverification_code_has_times",
            ),
            models.CheckConstraint(
                condition=Q(purpose="waitlist", therapist__isnull=True, starts_at__isnull=True)
                | Q(purpose="booking", therapist__isnull=False, starts_at__isnull=False),
                name="patients_bookingverification_purpose_slot",
            ),
            models.CheckConstraint(
                condition=Q(language="")
                | Q(language__in=[code for code, _name in settings.PATIENT_LANGUAGES]),
                name="patients_bookingverification_language_offered",
            ),
        ]
        indexes = [
            # The per-address limits: one address's attempts in the last day.
            models.Index(fields=["email", "created_at"], name="patients_bookver_email"),
            models.Index(fields=["created_at"], name="patients_bookver_created"),
        ]

    def __str__(self) -> str:
        return f"Booking verification {self.pk}"


@audit_tracked
class IdentityReview(models.Model):
    """A patient created online who may be an existing one: the desk merges or keeps both."""

    patient = models.ForeignKey("patients.Patient", on_delete=models.CASCADE, related_name="+")
    candidate = models.ForeignKey("patients.Patient", on_delete=models.CASCADE, related_name="+")
    appointment = models.ForeignKey(
        "patients.Appointment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        "staff.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolution = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(patient=models.F("candidate")), name="patients_identityreview_two_records"
            ),
        ]
        indexes = [
            models.Index(
                fields=["created_at"], condition=Q(resolved_at__isnull=True), name="patients_idreview_open"
            ),
        ]

    def __str__(self) -> str:
        return f"Identity review {self.pk}"
