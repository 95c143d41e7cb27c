"""Demo staff and location (fictional; for `make run`)."""

import base64
from datetime import time

from django.contrib.auth.hashers import make_password

from clinic.staff.choices import Role, Weekday
from clinic.staff.models import Location, OpeningHours, TherapistProfile, User, WorkingHours
from clinic.staff.roles import role_group

DEMO_PASSWORD = "stride-demo-2026"  # noqa: S105 -- the published demo login, never used in production
# The demo staff's authenticator key (hex, as django-otp stores it); published
# like the password so a newcomer can add it to any authenticator app. Every
# demo account has a device with this key: one app entry (or `make demo-code`)
# signs in as any of them, as STAFF_2FA_REQUIRED asks of every role.
DEMO_ADMIN_TOTP_KEY = "5374726964652d64656d6f2d61646d696e2d3236"

DEMO_STAFF = (
    # email, full name, role, therapist display name
    ("admin@stride.example", "Morgan Hale", Role.CLINIC_ADMIN, None),
    ("sam.okafor@stride.example", "Sam Okafor", Role.THERAPIST, "Sam Okafor, MCSP"),
    ("priya.raman@stride.example", "Priya Raman", Role.THERAPIST, "Priya Raman, MCSP"),
    ("desk@stride.example", "Jo Bennett", Role.FRONT_DESK, None),
)


def load() -> dict[str, User]:
    location, _ = Location.objects.get_or_create(
        name="Stride Riverside",
        defaults={
            "address": "1 Example Wharf, Riverside, AB1 2CD",
            "phone": "01632 960 000",
            "time_zone": "Europe/London",
        },
    )
    for weekday in (Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY, Weekday.FRIDAY):
        OpeningHours.objects.get_or_create(
            location=location, weekday=weekday, opens=time(8), defaults={"closes": time(19)}
        )
    OpeningHours.objects.get_or_create(
        location=location, weekday=Weekday.SATURDAY, opens=time(9), defaults={"closes": time(13)}
    )
    users = {}
    password = ""  # hashed once for all the demo accounts: PBKDF2 takes about a second a time
    for email, full_name, role, display_name in DEMO_STAFF:
        user = User.objects.filter(email=email).first()
        if user is None:
            password = password or make_password(DEMO_PASSWORD)
            user = User.objects.create(
                email=email, password=password, full_name=full_name, is_staff=role == Role.CLINIC_ADMIN
            )
        user.groups.add(role_group(role))
        if display_name:
            profile, _ = TherapistProfile.objects.get_or_create(
                user=user, defaults={"display_name": display_name}
            )
            profile.locations.add(location)
            _working_hours(profile, location, early=email.startswith("sam"))
        users[email] = user
        _demo_authenticator(user)
    return users


def _demo_authenticator(user: User) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: PLC0415 -- demo only

    if not TOTPDevice.objects.filter(user=user).exists():
        TOTPDevice.objects.create(
            user=user, name="Demo authenticator", key=DEMO_ADMIN_TOTP_KEY, confirmed=True
        )


def demo_admin_totp_secret() -> str:
    """The base32 key an authenticator app asks for."""
    return base64.b32encode(bytes.fromhex(DEMO_ADMIN_TOTP_KEY)).decode()


def _working_hours(profile: TherapistProfile, location: Location, *, early: bool) -> None:
    # Sam works early shifts and Saturday mornings; Priya works late shifts.
    starts, ends = (time(8), time(16)) if early else (time(11), time(19))
    for weekday in (Weekday.MONDAY, Weekday.TUESDAY, Weekday.WEDNESDAY, Weekday.THURSDAY, Weekday.FRIDAY):
        WorkingHours.objects.get_or_create(
            therapist=profile, weekday=weekday, starts=starts, defaults={"location": location, "ends": ends}
        )
    if early:
        WorkingHours.objects.get_or_create(
            therapist=profile,
            weekday=Weekday.SATURDAY,
            starts=time(9),
            defaults={"location": location, "ends": time(13)},
        )
