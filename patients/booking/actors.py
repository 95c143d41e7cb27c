"""Who is recorded when the patient acts on their own bookings (online booking, the manage link)."""

from clinic.staff.models import User

ONLINE_BOOKING_EMAIL = "online-booking@system.invalid"


def online_booking_user() -> User:
    """The one system user recorded as `created_by`/`by` when the patient acts online.

    Inactive, with no password and no role: it can never sign in. History
    events it writes carry `by_patient`, so they read "by the patient (online)".
    """
    user, created = User.objects.get_or_create(
        email=ONLINE_BOOKING_EMAIL, defaults={"full_name": "Online booking", "is_active": False}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user
