"""clinic/settings.py read from the environment, each case in a fresh process.

Every test starts from a minimal environment (PATH, HOME and a temporary
STRIDE_VAR_DIR), so nothing from the developer's shell leaks in.
"""

import json
import secrets
import subprocess
from pathlib import Path

import pytest

from tests.settings_process import run_python

PRODUCTION_SECRET = secrets.token_urlsafe(60)

SHOW_SETTINGS = """
import json
import django
django.setup()
from django.conf import settings as s
print(json.dumps({
    "DEBUG": s.DEBUG,
    "ENGINE": s.DATABASES["default"]["ENGINE"],
    "NAME": str(s.DATABASES["default"]["NAME"]),
    "CELERY_BROKER_URL": s.CELERY_BROKER_URL,
    "EMAIL_BACKEND": s.EMAIL_BACKEND,
    "EMAIL_FILE_PATH": str(s.EMAIL_FILE_PATH),
    "EMAIL_HOST": getattr(s, "EMAIL_HOST", None),
    "EMAIL_PORT": getattr(s, "EMAIL_PORT", None),
    "EMAIL_HOST_USER": getattr(s, "EMAIL_HOST_USER", None),
    "EMAIL_HOST_PASSWORD": getattr(s, "EMAIL_HOST_PASSWORD", None),
    "EMAIL_USE_TLS": getattr(s, "EMAIL_USE_TLS", None),
    "EMAIL_USE_SSL": getattr(s, "EMAIL_USE_SSL", None),
    "CELERY_BROKER_TRANSPORT_OPTIONS": getattr(s, "CELERY_BROKER_TRANSPORT_OPTIONS", None),
    "MESSAGE_DISPATCH_INTERVAL": s.MESSAGE_DISPATCH_INTERVAL,
}))
"""

# What the Celery app itself schedules (clinic/celery.py reads the CELERY_* settings).
SHOW_BEAT_SCHEDULE = """
import json
import django
django.setup()
from clinic.celery import app
print(json.dumps({name: str(entry["schedule"]) for name, entry in app.conf.beat_schedule.items()}))
"""


EMBEDDED_KEYS = ("DEBUG", "ENGINE", "NAME", "CELERY_BROKER_URL", "EMAIL_BACKEND", "EMAIL_FILE_PATH")


@pytest.fixture
def var_dir(tmp_path: Path) -> Path:
    return tmp_path / "var"


def run(args: list[str], var_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    base = {
        "HOME": str(Path.home()),
        "STRIDE_VAR_DIR": str(var_dir),
        "DJANGO_SETTINGS_MODULE": "clinic.settings",
    }
    return run_python(args, {**base, **env})


def show_settings(var_dir: Path, **env: str) -> dict[str, object]:
    result = run(["-c", SHOW_SETTINGS], var_dir, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def production_env(var_dir: Path, **overrides: str) -> dict[str, str]:
    return {
        "DEBUG": "0",
        "SECRET_KEY": PRODUCTION_SECRET,
        "ALLOWED_HOSTS": "stride.example",
        "DATABASE_URL": f"sqlite:///{var_dir / 'stride.sqlite3'}",
        "EMAIL_URL": "smtp://mail.stride.example:587?tls=1",
        "CELERY_BROKER_URL": "redis://redis.stride.example:6379/0",
        **overrides,
    }


def test_settings_without_environment_refuse_to_start(var_dir):
    result = run(["-c", SHOW_SETTINGS], var_dir)

    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is not set." in result.stderr


def test_settings_debug_only_is_the_embedded_default(var_dir):
    values = show_settings(var_dir, DEBUG="1")

    assert {k: values[k] for k in EMBEDDED_KEYS} == {
        "DEBUG": True,
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(var_dir / "stride.sqlite3"),
        "CELERY_BROKER_URL": "filesystem://",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(var_dir / "mail"),
    }
    assert (var_dir / "dev-secret-key").is_file()
    assert sorted(p.name for p in (var_dir / "broker").iterdir()) == ["control", "processed", "queue"]


def test_settings_filesystem_broker_keeps_every_folder_under_var_broker(var_dir):
    options = show_settings(var_dir, DEBUG="1")["CELERY_BROKER_TRANSPORT_OPTIONS"]

    broker = var_dir / "broker"
    assert options == {
        "data_folder_in": str(broker / "queue"),
        "data_folder_out": str(broker / "queue"),
        "processed_folder": str(broker / "processed"),
        "control_folder": str(broker / "control"),
        "store_processed": False,
    }


def test_settings_debug_only_writes_emails_under_var_mail(var_dir):
    send = (
        "import django; django.setup()\n"
        "from django.core.mail import send_mail\n"
        "send_mail('Hello', 'Body text', 'clinic@example.com', ['runner@example.com'])\n"
    )

    result = run(["-c", send], var_dir, DEBUG="1")

    assert result.returncode == 0, result.stderr
    [written] = (var_dir / "mail").iterdir()
    content = written.read_text()
    assert "Subject: Hello" in content
    assert "To: runner@example.com" in content


def test_settings_production_refuses_a_weak_secret_key(var_dir):
    result = run(["-c", SHOW_SETTINGS], var_dir, **production_env(var_dir, SECRET_KEY="short"))

    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is too weak for production" in result.stderr


def test_settings_production_refuses_an_insecure_django_key(var_dir):
    key = "django-insecure-" + secrets.token_urlsafe(50)

    result = run(["-c", SHOW_SETTINGS], var_dir, **production_env(var_dir, SECRET_KEY=key))

    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is too weak for production" in result.stderr


@pytest.mark.parametrize(
    ("variable", "message"),
    [
        ("ALLOWED_HOSTS", "ALLOWED_HOSTS must be set when DEBUG=0."),
        ("DATABASE_URL", "DATABASE_URL must be set when DEBUG=0"),
        ("CELERY_BROKER_URL", "CELERY_BROKER_URL must be set when DEBUG=0"),
    ],
)
def test_settings_production_refuses_without_a_required_variable(var_dir, variable, message):
    env = production_env(var_dir)
    del env[variable]

    result = run(["-c", SHOW_SETTINGS], var_dir, **env)

    assert result.returncode != 0
    assert f"ImproperlyConfigured: {message}" in result.stderr


def test_settings_production_passes_the_deploy_check(var_dir):
    result = run(["manage.py", "check", "--deploy"], var_dir, **production_env(var_dir))

    assert (result.returncode, result.stdout) == (0, "System check identified no issues (0 silenced).\n"), (
        result.stderr
    )


def test_settings_secret_key_file_is_read(var_dir, tmp_path):
    key_file = tmp_path / "secret_key"
    key_file.write_text(PRODUCTION_SECRET + "\n")
    env = production_env(var_dir, SECRET_KEY_FILE=str(key_file))
    del env["SECRET_KEY"]

    result = run(["manage.py", "check", "--deploy"], var_dir, **env)

    assert (result.returncode, result.stdout) == (0, "System check identified no issues (0 silenced).\n")


def test_settings_email_url_smtp_with_tls_and_encoded_credentials(var_dir):
    url = "smtp://clinic%40stride.example:p%40ss%2Fw%3Ard@mail.stride.example:587?tls=1"

    values = show_settings(var_dir, DEBUG="1", EMAIL_URL=url)

    assert {k: values[k] for k in values if k.startswith("EMAIL_") and k != "EMAIL_FILE_PATH"} == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "mail.stride.example",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "clinic@stride.example",
        "EMAIL_HOST_PASSWORD": "p@ss/w:rd",
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
    }


def test_settings_email_url_smtp_with_ssl_and_no_credentials(var_dir):
    values = show_settings(var_dir, DEBUG="1", EMAIL_URL="smtp://mail.stride.example:465?ssl=1")

    assert (
        values["EMAIL_HOST"],
        values["EMAIL_PORT"],
        values["EMAIL_HOST_USER"],
        values["EMAIL_HOST_PASSWORD"],
        values["EMAIL_USE_TLS"],
        values["EMAIL_USE_SSL"],
    ) == ("mail.stride.example", 465, "", "", False, True)


def test_settings_email_url_smtp_without_port_uses_25(var_dir):
    values = show_settings(var_dir, DEBUG="1", EMAIL_URL="smtp://127.0.0.1")

    assert (values["EMAIL_HOST"], values["EMAIL_PORT"], values["EMAIL_USE_TLS"]) == ("127.0.0.1", 25, False)


def test_settings_email_url_console(var_dir):
    values = show_settings(var_dir, DEBUG="1", EMAIL_URL="console://")

    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"


def test_settings_email_url_unknown_scheme_is_refused(var_dir):
    result = run(["-c", SHOW_SETTINGS], var_dir, DEBUG="1", EMAIL_URL="imap://mail.stride.example")

    assert result.returncode != 0
    assert "EMAIL_URL scheme 'imap' is not smtp or console." in result.stderr


@pytest.mark.parametrize(("value", "expected"), [(None, 60), ("", 60), ("5", 5)])
def test_settings_message_dispatch_interval_unset_or_empty_is_the_default(var_dir, value, expected):
    env = {"DEBUG": "1"} if value is None else {"DEBUG": "1", "MESSAGE_DISPATCH_INTERVAL": value}

    values = show_settings(var_dir, **env)

    assert values["MESSAGE_DISPATCH_INTERVAL"] == expected


@pytest.mark.parametrize(("value", "expected"), [("", "60.0"), ("1", "1.0")])
def test_celery_beat_schedule_comes_from_settings(var_dir, value, expected):
    result = run(["-c", SHOW_BEAT_SCHEDULE], var_dir, DEBUG="1", MESSAGE_DISPATCH_INTERVAL=value)

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "messaging-dispatch-due": expected,
        "assessments-programme-reminders-top-up": "<crontab: 30 2 * * * (m/h/dM/MY/d)>",
        # Lapsed online holds free their time, and freed times reach the waitlist, within the minute.
        "patients-booking-holds-release": "60.0",
        "patients-waitlist-match": "60.0",
    }


SHOW_OUTBOX = """
import json
import django
django.setup()
from django.conf import settings as s
from clinic.celery import app
print(json.dumps({
    "backoff": s.MESSAGE_RETRY_BACKOFF_SECONDS,
    "attempts": s.MESSAGE_MAX_ATTEMPTS,
    "lease": s.MESSAGE_SENDING_LEASE_SECONDS,
    "queues": sorted(q.name for q in app.amqp.queues.values()),
    "dispatch_queue": app.amqp.router.route({}, "messaging.dispatch_due")["queue"].name,
}))
"""


@pytest.mark.parametrize(
    ("lease", "backoff", "send_limit"),
    [
        ("1800", "60,300,900,1800", "120"),  # shorter than the longest wait
        ("1920", "60,300,900,1800", "120"),  # equal to the longest wait plus the send limit
        ("20", "1,2", "30"),  # shorter than the send limit alone
    ],
)
def test_settings_refuse_a_lease_not_longer_than_the_longest_retry_wait_plus_the_send_limit(
    var_dir, lease, backoff, send_limit
):
    result = run(
        ["-c", SHOW_OUTBOX],
        var_dir,
        DEBUG="1",
        MESSAGE_SENDING_LEASE_SECONDS=lease,
        MESSAGE_RETRY_BACKOFF_SECONDS=backoff,
        MESSAGE_SEND_TIME_LIMIT=send_limit,
        CELERY_TASK_TIME_LIMIT="600",
    )

    assert result.returncode != 0
    assert "MESSAGE_SENDING_LEASE_SECONDS must be longer than the longest retry wait" in result.stderr


def test_settings_refuse_a_send_limit_not_shorter_than_the_task_limit(var_dir):
    result = run(
        ["-c", SHOW_OUTBOX], var_dir, DEBUG="1", MESSAGE_SEND_TIME_LIMIT="300", CELERY_TASK_TIME_LIMIT="300"
    )

    assert result.returncode != 0
    assert "MESSAGE_SEND_TIME_LIMIT must be shorter than CELERY_TASK_TIME_LIMIT." in result.stderr


def test_settings_outbox_defaults_and_a_lease_that_fits(var_dir):
    default = run(["-c", SHOW_OUTBOX], var_dir, DEBUG="1")
    short = run(
        ["-c", SHOW_OUTBOX],
        var_dir,
        DEBUG="1",
        MESSAGE_SENDING_LEASE_SECONDS="8",
        MESSAGE_RETRY_BACKOFF_SECONDS="1,2,2",
        MESSAGE_SEND_TIME_LIMIT="5",
        CELERY_TASK_TIME_LIMIT="8",
        CELERY_TASK_DEFAULT_QUEUE="drill",
    )

    assert default.returncode == 0, default.stderr
    assert json.loads(default.stdout) == {
        "backoff": [60, 300, 900, 1800],
        "attempts": 5,
        "lease": 3600,
        "queues": ["celery", "celery-priority"],
        "dispatch_queue": "celery-priority",
    }
    assert short.returncode == 0, short.stderr
    assert json.loads(short.stdout) == {
        "backoff": [1, 2, 2],
        "attempts": 4,
        "lease": 8,
        "queues": ["drill", "drill-priority"],
        "dispatch_queue": "drill-priority",
    }


SHOW_SCALE_SETTINGS = """
import json
import django
django.setup()
from django.conf import settings as s
db = s.DATABASES["default"]
print(json.dumps({
    "CONN_MAX_AGE": db["CONN_MAX_AGE"],
    "DISABLE_SERVER_SIDE_CURSORS": db.get("DISABLE_SERVER_SIDE_CURSORS", False),
    "SESSION_ENGINE": s.SESSION_ENGINE,
    "CACHE_BACKEND": s.CACHES["default"]["BACKEND"],
}))
"""


def test_settings_behind_pgbouncer_use_neither_server_side_cursors_nor_persistent_connections(var_dir):
    def shown(**env: str) -> dict[str, object]:
        result = run(["-c", SHOW_SCALE_SETTINGS], var_dir, **production_env(var_dir, **env))
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    assert shown(DATABASE_URL="postgres://stride@db:5432/stride") == {
        "CONN_MAX_AGE": 60,
        "DISABLE_SERVER_SIDE_CURSORS": False,
        "SESSION_ENGINE": "django.contrib.sessions.backends.db",
        "CACHE_BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    }
    pooled = shown(DATABASE_URL="postgres://stride@pgbouncer:6432/stride", DB_PGBOUNCER="1")
    assert (pooled["CONN_MAX_AGE"], pooled["DISABLE_SERVER_SIDE_CURSORS"]) == (0, True)


def test_settings_with_a_shared_cache_read_sessions_from_it(var_dir):
    result = run(
        ["-c", SHOW_SCALE_SETTINGS], var_dir, **production_env(var_dir, CACHE_URL="redis://redis:6379/1")
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert (values["SESSION_ENGINE"], values["CACHE_BACKEND"]) == (
        "django.contrib.sessions.backends.cached_db",
        "django.core.cache.backends.redis.RedisCache",
    )
