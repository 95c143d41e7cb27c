from django.conf import settings
from django.http import HttpRequest

from clinic import locality
from clinic.staff.sessions import session_times


def clinic(request: HttpRequest) -> dict[str, object]:
    return {
        "CLINIC_NAME": settings.CLINIC_NAME,
        "CLINIC_PHONE": settings.CLINIC_PHONE,
        "CLINIC_EMAIL": settings.CLINIC_EMAIL,
        # What differs by the clinic's country (clinic/locality.py): emergency number, words, formats.
        "LOCALITY": locality.current(),
        "PATIENT_LANGUAGE_CHOICES": settings.PATIENT_LANGUAGES,
    }


def session_timeout(request: HttpRequest) -> dict[str, object]:
    """Timings for the session warning script (signed-in pages only)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    times = session_times(request.session)
    return {
        "session_timeout": {
            "idle_remaining": max(0, times.idle_remaining),
            "absolute_remaining": max(0, times.absolute_remaining),
            "warn_seconds": settings.SESSION_EXPIRY_WARNING_SECONDS,
        }
    }
