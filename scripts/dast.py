"""Helpers of scripts/dast.sh (`make dast`): the scan's data, and signed-in sessions.

    python scripts/dast.py setup OUT.json   (Django settings of the scan database, as its owner)
    python scripts/dast.py login OUT.json BASE_URL   (prints the staff session's Cookie header)
    python scripts/dast.py link OUT.json BASE_URL    (prints the intake link session's Cookie header)
    python scripts/dast.py unlock OUT.json OWNER_DATABASE_URL   (until stopped: see `unlock`)

`setup` makes a therapist with an authenticator device, a patient and an
intake link; `login` signs the therapist in over HTTP with both factors, as a
browser would. Production cookies are marked Secure and the scan runs on plain
HTTP on loopback, so the cookies are carried by hand rather than by a cookie jar.
"""

# The Django imports of `setup` follow django.setup(), inside it.
# ruff: noqa: PLC0415

import hashlib
import hmac
import json
import re
import secrets
import struct
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def setup(out: Path) -> None:
    import os

    import django

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "clinic.settings")
    django.setup()
    from datetime import date

    from django_otp.plugins.otp_totp.models import TOTPDevice

    from clinic.staff.choices import Role
    from clinic.staff.models import TherapistProfile, User
    from clinic.staff.roles import role_group
    from patients.intake.services.invitations import intake_invite, intake_issue_token
    from patients.models import Patient

    password = secrets.token_urlsafe(24)
    user, _ = User.objects.update_or_create(
        email="dast.therapist@stride.test", defaults={"full_name": "Dast Therapist", "is_active": True}
    )
    user.set_password(password)
    user.save()
    user.groups.add(role_group(Role.THERAPIST))
    TherapistProfile.objects.get_or_create(user=user, defaults={"display_name": user.full_name})
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(user=user, name="Scanner", confirmed=True)
    patient, _ = Patient.objects.get_or_create(
        first_name="Scan",
        last_name="Target",
        date_of_birth=date(1988, 4, 12),
        defaults={"sex": "female", "email": "scan.target@example.com"},
    )
    invitation = intake_invite(patient=patient, appointment=None, by=user)
    token = intake_issue_token(invitation=invitation, sent=True)
    out.write_text(
        json.dumps(
            {
                "email": user.email,
                "password": password,
                "totp_key": device.key,
                "patient_id": patient.pk,
                "intake_path": f"/patients/intake/{token}/",
                "invitation_id": invitation.pk,
                "last_name": patient.last_name,
                "dob": [patient.date_of_birth.day, patient.date_of_birth.month, patient.date_of_birth.year],
            }
        )
    )
    out.chmod(0o600)


def totp(hex_key: str, step: int = 30, digits: int = 6) -> str:
    """RFC 6238 code of this moment (django-otp's defaults: SHA-1, 30 s, 6 digits)."""
    counter = struct.pack(">Q", int(time.time()) // step)
    digest = hmac.new(bytes.fromhex(hex_key), counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 10**digits
    return f"{code:0{digits}d}"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


class Session:
    """Cookies by hand (they are Secure; the scan is plain HTTP on loopback)."""

    def __init__(self, base: str) -> None:
        if not base.startswith("http://127.0.0.1:"):
            raise SystemExit("dast.py talks to the loopback server only.")
        self.base = base
        self.cookies: dict[str, str] = {}
        self.opener = urllib.request.build_opener(_NoRedirect())

    def request(self, path: str, data: dict[str, str] | None = None) -> tuple[int, str, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body)  # noqa: S310 -- loopback http only
        if self.cookies:
            req.add_header("Cookie", self.cookie_header())
        try:
            response = self.opener.open(req, timeout=20)
        except urllib.error.HTTPError as exc:
            response = exc
        with response:
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
            return response.status, response.headers.get("Location", ""), response.read().decode()

    def csrf(self, path: str) -> str:
        status, _, page = self.request(path)
        match = CSRF_FIELD.search(page)
        if status != 200 or match is None:
            raise SystemExit(f"dast.py: no form at {path} (HTTP {status}).")
        return match.group(1)

    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())


def login(data: dict, base: str) -> Session:
    session = Session(base)
    token = session.csrf("/accounts/login/")
    status, location, _ = session.request(
        "/accounts/login/",
        {"csrfmiddlewaretoken": token, "username": data["email"], "password": data["password"]},
    )
    if status != 302:
        raise SystemExit(f"dast.py: sign-in refused (HTTP {status}).")
    status, location, _ = session.request("/")
    if location.startswith("/accounts/two-factor/verify/"):
        verify = location
        for _ in range(2):
            token = session.csrf(verify)
            status, location, _ = session.request(
                verify, {"csrfmiddlewaretoken": token, "otp_token": totp(data["totp_key"])}
            )
            if status == 302:
                break
            # A code works once: a second sign-in in the same 30 s waits for the next one.
            time.sleep(31 - int(time.time()) % 30)
        else:
            raise SystemExit(f"dast.py: second factor refused (HTTP {status}).")
    status, _, _ = session.request("/patients/")
    if status != 200:
        raise SystemExit(f"dast.py: signed in, but the patient list answers HTTP {status}.")
    return session


def link(data: dict, base: str) -> Session:
    """A browser that opened the intake link and stands at the identity check."""
    session = Session(base)
    status, _, _ = session.request(data["intake_path"])
    if status not in (200, 302):
        raise SystemExit(f"dast.py: the intake link answers HTTP {status}.")
    session.csrf("/patients/intake/check/")
    return session


def unlock(data: dict, owner_url: str) -> None:
    """Clear the scan link's failed identity checks five times a second, until stopped.

    A link locks after INTAKE_MAX_FAILED_CHECKS (at most 50, a database
    constraint) wrong answers, and every sqlmap payload is one. The lockout
    itself is tested in the suite; here it would only end the scan early.
    """
    import psycopg

    with psycopg.connect(owner_url.replace("postgres://", "postgresql://", 1), autocommit=True) as conn:
        while True:
            conn.execute(
                "UPDATE patients_intakeinvitation SET failed_checks = 0, locked_at = NULL"
                " WHERE id = %s AND (failed_checks > 0 OR locked_at IS NOT NULL)",
                [data["invitation_id"]],
            )
            time.sleep(0.2)


def main(argv: list[str]) -> None:
    command, out = argv[1], Path(argv[2])
    if command == "setup":
        setup(out)
        return
    data = json.loads(out.read_text())
    if command == "login":
        print(login(data, argv[3]).cookie_header())
    elif command == "link":
        print(link(data, argv[3]).cookie_header())
    elif command == "unlock":
        unlock(data, argv[3])
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
