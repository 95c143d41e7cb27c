"""Security settings read at start-up, each case in a fresh process (see tests/test_settings.py)."""

import json
from pathlib import Path

import pytest

from tests.test_settings import production_env, run

SHOW = """
import json
from pathlib import Path
import django
django.setup()
from django.conf import settings as s
print(json.dumps({name: getattr(s, name, None) for name in %r}))
"""

# The CSRF cookie a page with a form sets, as Django's middleware writes it.
CSRF_COOKIE = """
import django
django.setup()
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware, get_token
from django.test import RequestFactory

def page(request):
    get_token(request)
    return HttpResponse()

response = CsrfViewMiddleware(page)(RequestFactory().get("/", secure=True))
for cookie in response.cookies.values():
    print(cookie.output(header=""))
"""


def _show(var_dir, names: list[str], **env: str) -> dict[str, object]:
    result = run(["-c", SHOW % (names,)], var_dir, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _refused(var_dir, **env: str) -> str:
    result = run(["-c", SHOW % (["DEBUG"],)], var_dir, **env)
    assert result.returncode != 0
    return result.stderr


@pytest.fixture
def var_dir(tmp_path):
    return tmp_path / "var"


# --- The client address behind a proxy ------------------------------------------------------------


def test_behind_a_proxy_without_the_client_address_header_the_settings_refuse(var_dir):
    stderr = _refused(var_dir, **production_env(var_dir, BEHIND_TLS_PROXY="1"))

    assert "ImproperlyConfigured: BEHIND_TLS_PROXY=1 needs CLIENT_IP_META" in stderr


def test_behind_a_proxy_with_the_header_every_limit_reads_it(var_dir):
    values = _show(
        var_dir,
        ["CLIENT_IP_META", "AUDIT_CLIENT_IP_META", "AXES_CLIENT_IP_CALLABLE", "SECURE_PROXY_SSL_HEADER"],
        **production_env(var_dir, BEHIND_TLS_PROXY="1", CLIENT_IP_META="HTTP_X_REAL_IP"),
    )

    assert values == {
        "CLIENT_IP_META": "HTTP_X_REAL_IP",
        "AUDIT_CLIENT_IP_META": "HTTP_X_REAL_IP",
        "AXES_CLIENT_IP_CALLABLE": "clinic.web.client_ip",
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
    }


def test_the_production_example_env_starts_behind_its_proxy(var_dir):
    example = Path(__file__).resolve().parents[2] / ".envs" / ".production" / ".django.example"
    env = {}
    for line in example.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition("=")
            env[name] = value.strip('"')
    env.update(
        SECRET_KEY=production_env(var_dir)["SECRET_KEY"],
        DATABASE_URL=f"sqlite:///{var_dir / 'stride.sqlite3'}",
        CELERY_BROKER_URL="memory://",
    )

    values = _show(var_dir, ["BEHIND_TLS_PROXY", "CLIENT_IP_META"], **env)

    assert env["BEHIND_TLS_PROXY"] == "1"
    assert values["CLIENT_IP_META"] == "HTTP_X_REAL_IP"
    assert "SESSION_COOKIE_AGE" not in env  # the session's length is SESSION_ABSOLUTE_TIMEOUT_SECONDS


def test_the_older_audit_name_still_sets_the_client_address(var_dir):
    values = _show(var_dir, ["CLIENT_IP_META"], DEBUG="1", AUDIT_CLIENT_IP_META="HTTP_X_REAL_IP")

    assert values == {"CLIENT_IP_META": "HTTP_X_REAL_IP"}


# --- Cookies -----------------------------------------------------------------------------------------


def test_production_cookies_are_host_only_and_the_csrf_cookie_lasts_the_session(var_dir):
    result = run(["-c", CSRF_COOKIE], var_dir, **production_env(var_dir))
    assert result.returncode == 0, result.stderr
    cookies = result.stdout.strip().splitlines()
    values = _show(
        var_dir,
        ["SESSION_COOKIE_NAME", "SESSION_COOKIE_DOMAIN", "SESSION_COOKIE_PATH", "LINK_DEVICE_COOKIE_NAME"],
        **production_env(var_dir),
    )

    [csrf] = [c.strip() for c in cookies if c.strip().startswith("__Host-csrftoken=")]
    attributes = {part.strip().split("=")[0].lower() for part in csrf.split(";")[1:]}
    assert {"secure", "path", "httponly"} <= attributes
    assert "Path=/" in csrf
    assert "domain" not in attributes
    assert "max-age" not in attributes and "expires" not in attributes  # a browser-session cookie
    assert values == {
        "SESSION_COOKIE_NAME": "__Host-sessionid",
        "SESSION_COOKIE_DOMAIN": None,
        "SESSION_COOKIE_PATH": "/",
        "LINK_DEVICE_COOKIE_NAME": "__Host-linkdevice",
    }


def test_development_keeps_the_plain_cookie_names(var_dir):
    values = _show(var_dir, ["SESSION_COOKIE_NAME", "CSRF_COOKIE_NAME", "CSRF_COOKIE_AGE"], DEBUG="1")

    # __Host- cookies need HTTPS, which `make run` does not have.
    assert values == {
        "SESSION_COOKIE_NAME": "sessionid",
        "CSRF_COOKIE_NAME": "csrftoken",
        "CSRF_COOKIE_AGE": None,
    }


# --- The second factor -------------------------------------------------------------------------------


def test_the_second_factor_is_required_of_every_role_by_default(var_dir):
    assert _show(var_dir, ["STAFF_2FA_REQUIRED"], DEBUG="1") == {"STAFF_2FA_REQUIRED": True}
    assert _show(var_dir, ["STAFF_2FA_REQUIRED"], DEBUG="1", STAFF_2FA_REQUIRED="0") == {
        "STAFF_2FA_REQUIRED": False
    }


# --- Numeric security settings -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        (
            "INTAKE_MAX_FAILED_CHECKS",
            "51",
            "INTAKE_MAX_FAILED_CHECKS is 51: it must be between 1 and 50 "
            "(the database counts at most 50 failed checks per link).",
        ),
        ("INTAKE_MAX_FAILED_CHECKS", "0", "INTAKE_MAX_FAILED_CHECKS is 0: it must be between 1 and 50"),
        ("INTAKE_CHECKS_PER_IP_PER_HOUR", "0", "INTAKE_CHECKS_PER_IP_PER_HOUR is 0: it must be at least 1."),
        ("AXES_FAILURE_LIMIT", "0", "AXES_FAILURE_LIMIT is 0: it must be at least 1."),
        ("AXES_COOLOFF_MINUTES", "0", "AXES_COOLOFF_MINUTES is 0: it must be at least 1."),
        ("SIGNIN_ADDRESS_FAILURE_LIMIT", "3", "SIGNIN_ADDRESS_FAILURE_LIMIT is 3: it must be at least 5"),
        ("PASSWORD_RESET_TIMEOUT", "10", "PASSWORD_RESET_TIMEOUT is 10: it must be at least 60."),
        (
            "PASSWORD_RESET_PER_IP_PER_HOUR",
            "0",
            "PASSWORD_RESET_PER_IP_PER_HOUR is 0: it must be at least 1.",
        ),
        (
            "PASSWORD_RESET_PER_EMAIL_PER_HOUR",
            "0",
            "PASSWORD_RESET_PER_EMAIL_PER_HOUR is 0: it must be at least 1.",
        ),
        ("SESSION_IDLE_TIMEOUT_SECONDS", "5", "SESSION_IDLE_TIMEOUT_SECONDS is 5: it must be at least 60."),
        (
            "SESSION_ABSOLUTE_TIMEOUT_SECONDS",
            "600",
            "SESSION_ABSOLUTE_TIMEOUT_SECONDS is 600: it must be at least 1800",
        ),
        ("INTAKE_LINK_DAYS", "0", "INTAKE_LINK_DAYS is 0: it must be at least 1."),
        ("INTAKE_SESSION_MINUTES", "0", "INTAKE_SESSION_MINUTES is 0: it must be at least 1."),
        ("LINK_DEVICE_DAYS", "0", "LINK_DEVICE_DAYS is 0: it must be between 1 and 400"),
        (
            "LINK_DEVICE_DAYS",
            "401",
            "LINK_DEVICE_DAYS is 401: it must be between 1 and 400 (browsers keep a cookie at most 400 days).",
        ),
    ],
)
def test_a_numeric_security_setting_out_of_range_stops_the_start(var_dir, variable, value, message):
    stderr = _refused(var_dir, DEBUG="1", **{variable: value})

    assert f"ImproperlyConfigured: {message}" in stderr


def test_the_database_cap_on_failed_checks_is_the_settings_cap():
    from django.db.models import Q

    from assessments.models import Programme
    from patients.models import IntakeInvitation

    caps = {
        constraint.name: constraint.condition
        for model in (IntakeInvitation, Programme)
        for constraint in model._meta.constraints
        if "failed_checks" in constraint.name
    }

    assert caps == {
        "patients_intakeinvitation_failed_checks_bounded": Q(failed_checks__lte=50),
        "assessments_programme_failed_checks_bounded": Q(link_failed_checks__lte=50),
    }
