from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Replace

from clinic.audit.tracking import audit_tracked
from clinic.dbsearch import TrigramIndex, trigram
from patients.identity.choices import ContactMethod, ReferralSource, Sex
from patients.identity.search import patient_search_text
from patients.identity.validators import validate_phone


def _digits_of(field: str) -> models.Expression:
    """The field without the separators validate_phone allows: its digits."""
    expression: models.Expression = F(field)
    for char in " -().+":
        expression = Replace(expression, Value(char), Value(""))
    return expression


class ActivePatientManager(models.Manager["Patient"]):
    """Patients in use: archived records are out of search, lists and booking."""

    def get_queryset(self) -> models.QuerySet["Patient"]:
        return super().get_queryset().filter(archived_at__isnull=True)


# phone_digits is derived from phone by the database: the history already has the phone.
@audit_tracked(exclude=["phone_digits"])
class Patient(models.Model):
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=20, choices=Sex.choices)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True, validators=[validate_phone])
    # The phone's digits, kept by the database whatever writes the row (search by phone).
    phone_digits = models.GeneratedField(
        expression=_digits_of("phone"), output_field=models.CharField(max_length=30), db_persist=True
    )
    preferred_contact = models.CharField(
        max_length=10, choices=ContactMethod.choices, default=ContactMethod.EMAIL
    )
    address_line1 = models.CharField("address", max_length=200, blank=True)
    address_line2 = models.CharField("address (line 2)", max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=12, blank=True)
    emergency_contact_name = models.CharField(max_length=150, blank=True)
    emergency_contact_phone = models.CharField(max_length=30, blank=True, validators=[validate_phone])
    emergency_contact_relationship = models.CharField(max_length=60, blank=True)
    referral_source = models.CharField(
        max_length=20, choices=ReferralSource.choices, default=ReferralSource.SELF
    )
    referral_detail = models.CharField(
        max_length=200, blank=True, help_text="Referrer's name or practice, if any."
    )
    # Set when a mail server refused the address for good (5xx); cleared when the
    # address changes. The front desk sees it on the patient page.
    # The language the patient chose for their pages and emails (a code from
    # settings.PATIENT_LANGUAGES); blank means the clinic's own language.
    language = models.CharField(max_length=8, blank=True, default="")
    email_undeliverable_at = models.DateTimeField(null=True, blank=True, editable=False)
    email_undeliverable_reason = models.CharField(max_length=300, blank=True, editable=False)
    # Optimistic lock: every saved edit bumps it; a save naming an older version is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Soft delete: records are archived, never deleted (retention of health records).
    archived_at = models.DateTimeField(null=True, blank=True, editable=False)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    # The default manager hides archived patients; all_objects is for clinic admins
    # (the archived record's hub, export, admin site). Related lookups
    # (appointment.patient) use the plain base manager and still find them.
    objects = ActivePatientManager()
    all_objects = models.Manager()  # noqa: DJ012 -- a manager; ruff reads any models.* call as a field

    class Meta:
        ordering = ["last_name", "first_name", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(sex__in=Sex.values), name="patients_patient_sex_valid"),
            models.CheckConstraint(condition=Q(version__gte=1), name="patients_patient_version_positive"),
            models.CheckConstraint(
                condition=Q(preferred_contact__in=ContactMethod.values),
                name="patients_patient_preferred_contact_valid",
            ),
            models.CheckConstraint(
                condition=Q(referral_source__in=ReferralSource.values),
                name="patients_patient_referral_source_valid",
            ),
            models.CheckConstraint(
                condition=~Q(email="") | ~Q(phone=""),
                name="patients_patient_has_contact",
                violation_error_message="Give an email address or a phone number.",
            ),
            models.CheckConstraint(
                condition=Q(date_of_birth__gte=date(1900, 1, 1)),
                name="patients_patient_dob_plausible",
                violation_error_message="Date of birth is before 1900.",
            ),
            models.CheckConstraint(
                condition=Q(archived_at__isnull=False) | Q(archived_by__isnull=True),
                name="patients_patient_archived_by_has_time",
            ),
        ]
        indexes = [
            # The patient list in name order, a page at a time after the last row shown
            # (clinic.paging); duplicate checks (name + date of birth).
            models.Index(fields=["last_name", "first_name", "id"], name="patients_patient_name"),
            # Search: a word anywhere in the names or email (patients.identity.search).
            TrigramIndex(trigram(patient_search_text()), name="patients_patient_search"),
            # Search: digits anywhere in the phone number.
            TrigramIndex(trigram("phone_digits"), name="patients_patient_phone_digits"),
            models.Index(fields=["date_of_birth"], name="patients_patient_dob"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def display_name(self) -> str:
        """How staff address the patient: preferred name when given."""
        return f"{self.preferred_name or self.first_name} {self.last_name}"

    def age_on(self, day: date) -> int:
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
