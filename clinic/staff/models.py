from functools import cached_property

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic.audit.tracking import audit_track, audit_tracked
from clinic.staff.choices import Role, Weekday
from clinic.staff.validators import validate_time_zone


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: object) -> "User":
        if not email:
            raise ValueError("Staff accounts need an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> "User":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


# History of the account's name, address and access flags; the password hash
# and sign-in times stay out (the security log records password changes).
@audit_tracked(exclude=["password", "last_login", "access_stamp"])
class User(AbstractBaseUser, PermissionsMixin):
    """A member of staff. Staff sign in with their email address."""

    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=150)
    is_active = models.BooleanField(default=True)
    # Access to the Django admin site (clinic admins only).
    is_staff = models.BooleanField("admin site access", default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    # Bumped whenever the user's roles or authenticators change: sessions keep a snapshot of
    # both (access_snapshot.py) that is good only while this still matches.
    access_stamp = models.PositiveBigIntegerField(default=0, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(email=models.functions.Lower("email")),
                name="staff_user_email_lowercase",
                violation_error_message="Email addresses are stored in lower case.",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @cached_property
    def roles(self) -> frozenset[str]:
        """The user's roles (values of Role), read once per request."""
        if not self.is_active:
            return frozenset()
        names = set(self.groups.values_list("name", flat=True))
        return frozenset(role.value for role in Role if role.label in names)

    @cached_property
    def has_twofactor_device(self) -> bool:
        """True once the user has confirmed an authenticator app, read once per request."""
        return TOTPDevice.objects.filter(user=self, confirmed=True).exists()

    def has_role(self, *roles: str) -> bool:
        """True for any of `roles`; clinic admins and superusers hold every role."""
        if not self.is_active:
            return False
        if self.is_superuser or Role.CLINIC_ADMIN in self.roles:
            return True
        return bool(self.roles.intersection(roles))


class Location(models.Model):
    name = models.CharField(max_length=120, unique=True)
    address = models.TextField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    time_zone = models.CharField(max_length=64, default="Europe/London", validators=[validate_time_zone])
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class OpeningHours(models.Model):
    """When a location is open on one day of the week (local wall time)."""

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    opens = models.TimeField()
    closes = models.TimeField()

    class Meta:
        ordering = ["location", "weekday", "opens"]
        verbose_name_plural = "opening hours"
        constraints = [
            models.CheckConstraint(
                condition=Q(opens__lt=F("closes")),
                name="staff_openinghours_opens_before_closes",
                violation_error_message="Opening time must be before closing time.",
            ),
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6),
                name="staff_openinghours_weekday_valid",
            ),
            models.UniqueConstraint(
                fields=["location", "weekday", "opens"],
                name="staff_openinghours_no_duplicates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.location}: {self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class TherapistProfile(models.Model):
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="therapist_profile")
    display_name = models.CharField(max_length=120)
    registration_number = models.CharField(
        max_length=40, blank=True, help_text="Professional registration (e.g. HCPC number)."
    )
    locations = models.ManyToManyField(Location, related_name="therapists", blank=True)
    is_active = models.BooleanField(default=True)
    online_bookable = models.BooleanField(
        "bookable online", default=True, help_text="Patients may choose this therapist on the booking pages."
    )

    class Meta:
        ordering = ["display_name"]

    def __str__(self) -> str:
        return self.display_name


class WorkingHours(models.Model):
    """When a therapist sees patients at a location on one day of the week."""

    therapist = models.ForeignKey(TherapistProfile, on_delete=models.CASCADE, related_name="working_hours")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="working_hours")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    starts = models.TimeField()
    ends = models.TimeField()

    class Meta:
        ordering = ["therapist", "weekday", "starts"]
        verbose_name_plural = "working hours"
        constraints = [
            models.CheckConstraint(
                condition=Q(starts__lt=F("ends")),
                name="staff_workinghours_starts_before_ends",
                violation_error_message="Start time must be before end time.",
            ),
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6),
                name="staff_workinghours_weekday_valid",
            ),
            models.UniqueConstraint(
                fields=["therapist", "weekday", "starts"],
                name="staff_workinghours_no_duplicates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.therapist} at {self.location}: {self.get_weekday_display()} {self.starts:%H:%M}–{self.ends:%H:%M}"


class TimeOffKind(models.TextChoices):
    LEAVE = "leave", "Leave"
    BLOCKED = "blocked", "Blocked time"


class TimeOff(models.Model):
    """An exception to working hours: leave, training, admin time."""

    therapist = models.ForeignKey(TherapistProfile, on_delete=models.CASCADE, related_name="time_off")
    kind = models.CharField(max_length=10, choices=TimeOffKind.choices, default=TimeOffKind.BLOCKED)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["starts_at"]
        verbose_name = "time off"
        verbose_name_plural = "time off"
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__lt=F("ends_at")),
                name="staff_timeoff_starts_before_ends",
                violation_error_message="Time off must end after it starts.",
            ),
            models.CheckConstraint(condition=Q(kind__in=TimeOffKind.values), name="staff_timeoff_kind_valid"),
        ]
        indexes = [
            # Slot search: a therapist's time off overlapping a day.
            models.Index(fields=["therapist", "starts_at"], name="staff_timeoff_therapist_start"),
        ]

    def __str__(self) -> str:
        return f"{self.therapist}: {self.get_kind_display()} {self.starts_at:%Y-%m-%d %H:%M}"


class UserGroups(User.groups.through):  # type: ignore[name-defined,misc]  # Django's generated M2M model
    """Who holds which role (the User.groups rows), tracked so role changes keep their history."""

    class Meta:
        proxy = True


audit_track(UserGroups, model_name="UserGroupsAuditEvent")


class TwoFactorDevice(TOTPDevice):
    """django-otp's authenticator devices, tracked so set-ups and resets keep their history."""

    class Meta:
        proxy = True


# Only who, which device and whether it is confirmed: the secret key and the
# code counters never enter the history.
audit_track(
    TwoFactorDevice,
    exclude=[
        f.name for f in TOTPDevice._meta.local_fields if f.name not in {"id", "user", "name", "confirmed"}
    ],
    model_name="TwoFactorDeviceAuditEvent",
)
