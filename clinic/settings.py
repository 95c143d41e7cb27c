"""Stride settings: one module, read from the environment.

With nothing set you get the embedded default (SQLite under var/, Celery's
filesystem broker under var/, emails written to var/mail/), so a newcomer can
run the app with no server. Production (DEBUG=0) refuses to start without a
real SECRET_KEY and ALLOWED_HOSTS.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from kombu import Queue

from clinic.locality import COUNTRIES, LOCALITIES
from clinic.messaging.timing import parse_quiet_hours

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    # An empty variable counts as unset, as in env_bool and env_int.
    return os.environ.get(name) or default


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_secret(name: str) -> str:
    """A secret from NAME, or from the file named by NAME_FILE (docker secrets)."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text().strip()
    return os.environ.get(name, "")


VAR_DIR = Path(env_str("STRIDE_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = env_secret("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Production (DEBUG=0) needs a real secret key: "
            "set SECRET_KEY (or SECRET_KEY_FILE) to a long random string, "
            "or set DEBUG=1 for local development."
        )
    # A per-checkout development key, so sessions survive restarts of `make run`.
    key_file = VAR_DIR / "dev-secret-key"
    if not key_file.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
    SECRET_KEY = key_file.read_text().strip()
elif not DEBUG and (len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure")):
    raise ImproperlyConfigured("SECRET_KEY is too weak for production: use at least 50 random characters.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
if not DEBUG and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DEBUG=0.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# The clinic itself: named in every page and email.
CLINIC_NAME = env_str("CLINIC_NAME", "Stride Running Injury Clinic")
# The clinic's country (clinic/locality.py): the emergency number and words in patient
# messages, primary care, date format, the default distance unit, alcohol measures.
CLINIC_COUNTRY = env_str("CLINIC_COUNTRY", "GB").upper()
if CLINIC_COUNTRY not in COUNTRIES:
    raise ImproperlyConfigured(
        f"CLINIC_COUNTRY is {CLINIC_COUNTRY!r}: it must be one of {', '.join(COUNTRIES)}."
    )
CLINIC_PHONE = env_str("CLINIC_PHONE", LOCALITIES[CLINIC_COUNTRY].clinic_phone)
CLINIC_EMAIL = env_str("CLINIC_EMAIL", "hello@stride.example")
# The letterhead of printed and PDF letters (one line; the name, phone and email are above).
CLINIC_ADDRESS = env_str("CLINIC_ADDRESS", "1 Riverside Walk, Riverside RV1 2AB")
# The logo on the emails' letterhead: a PNG (about 96×96 px, shown at 48×48), a path
# relative to the project (static/… or var/…) or absolute; sent inline with each email.
CLINIC_LOGO = env_str("CLINIC_LOGO", "static/img/clinic-logo.png")
# Local wall time of the clinic; storage and Celery stay in UTC.
CLINIC_TIME_ZONE = env_str("TIME_ZONE", "Europe/London")
# Absolute base of links in emails (no trailing slash).
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# FHIR export: the stable base of Stride's canonical URLs (its CodeSystem, Questionnaires,
# identifier systems). It names the definitions, not a server: keep it when the host moves.
FHIR_CANONICAL_BASE = env_str("FHIR_CANONICAL_BASE", "https://stride.example/fhir").rstrip("/")
# FHIR API (docs/fhir-api.md): calls a minute per API client before 429 Too Many Requests.
FHIR_API_RATE_PER_MINUTE = env_int("FHIR_API_RATE_PER_MINUTE", 120)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # Sign-in security: second factor (TOTP) and lockout after failed attempts.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # Operator classes in index expressions (the trigram indexes of patient search).
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "pgtrigger",
    "pghistory",
    "clinic.staff",
    "clinic.messaging",
    "clinic.audit",
    "patients",
    "assessments",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Below WhiteNoise: static files keep their caching and carry no request id.
    "clinic.audit.middleware.RequestIdMiddleware",
    "clinic.privacy.PrivacyHeadersMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The patient's language on patient-facing paths only; staff pages stay in LANGUAGE_CODE.
    "clinic.patient_language.PatientLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): has this session given the second factor? (django-otp's
    # middleware, with roles and devices kept in the session: clinic/staff/access_snapshot.py)
    "clinic.staff.middleware.SnapshotOTPMiddleware",
    # Change history: user, URL and request id on every tracked change (PostgreSQL only).
    "clinic.audit.middleware.AuditHistoryMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # After the password, the second factor before any other page (clinic/staff/twofactor.py).
    "clinic.staff.middleware.TwoFactorMiddleware",
    "clinic.staff.middleware.RoleRequiredMiddleware",
    "clinic.staff.middleware.ClinicTimezoneMiddleware",
    # A read refused by the care-team rule shows the "break the glass" page instead of a bare 403.
    "patients.careteam.middleware.CareTeamMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Idle and absolute session limits; after MessageMiddleware to leave a sign-out message.
    "clinic.staff.middleware.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "clinic.urls"
WSGI_APPLICATION = "clinic.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "clinic.staff.context_processors.clinic",
                "clinic.navigation.navigation",
                "clinic.staff.context_processors.session_timeout",
            ],
            # `date_as`: dates written the reader's way, in every template without a load.
            "builtins": ["clinic.dates"],
        },
    },
    {
        # Plain-text email parts (*.txt): not HTML, so nothing is escaped (O'Brien stays
        # O'Brien, not O&#x27;Brien). Chosen by name (using="text"), never by lookup order.
        "NAME": "text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {"autoescape": False, "builtins": ["clinic.dates"]},
    },
]

# --- Database -----------------------------------------------------------------
SQLITE_PATH = VAR_DIR / "stride.sqlite3"
DATABASE_URL = env_str("DATABASE_URL")
if not DATABASE_URL and not DEBUG:
    raise ImproperlyConfigured(
        "DATABASE_URL must be set when DEBUG=0 (e.g. postgres://user:pass@db:5432/stride)."
    )
# Behind PgBouncer in transaction mode (DB_PGBOUNCER=1): a connection is the server's only for
# one transaction, so no server-side cursors (they live across statements of a session) and no
# persistent connections (the pooler keeps them). Every lock and setting the app uses is
# transaction-scoped (the audit chain's advisory lock, pghistory's context), so nothing else changes.
DB_PGBOUNCER = env_bool("DB_PGBOUNCER", default=False)
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=0 if DB_PGBOUNCER else 60)}
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = DB_PGBOUNCER
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": SQLITE_PATH,
            "OPTIONS": {
                # The web process, worker and beat write side by side: WAL lets
                # readers run during a write, IMMEDIATE takes the write lock at
                # BEGIN so two writers queue instead of failing with "locked".
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts ---------------------------------------------------------------------
AUTH_USER_MODEL = "staff.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# django-axes first: it refuses a locked-out account before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# OWASP ASVS V6.2: length 12–128, no composition rules, common and look-alike passwords refused.
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("email", "full_name")},
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    # Common passwords padded to length ("password12345!", "letmeinletmein"): see validators.py.
    {"NAME": "clinic.staff.validators.PaddedCommonPasswordValidator"},
    {"NAME": "clinic.staff.validators.MaximumLengthValidator"},
]
# Password-reset links work once (the token covers the password hash) and for one hour.
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 60 * 60)
# Reset requests per client address and per email address an hour (counted in the cache);
# past either, no email is sent (clinic/staff/lockout.py).
PASSWORD_RESET_PER_IP_PER_HOUR = env_int("PASSWORD_RESET_PER_IP_PER_HOUR", 10)
PASSWORD_RESET_PER_EMAIL_PER_HOUR = env_int("PASSWORD_RESET_PER_EMAIL_PER_HOUR", 3)

# The client address of every per-address limit (sign-in, password reset, patient links)
# and of the audit trail (clinic.web.client_ip): REMOTE_ADDR, or behind a proxy the META
# key of a header that proxy overwrites (e.g. HTTP_X_REAL_IP), never one a client can set.
# AUDIT_CLIENT_IP_META is its older name.
CLIENT_IP_META = env_str("CLIENT_IP_META", env_str("AUDIT_CLIENT_IP_META", "REMOTE_ADDR"))
AUDIT_CLIENT_IP_META = CLIENT_IP_META

# Lockout (django-axes): 5 failures for one account from one address lock that pair
# for 15 minutes. Unknown addresses are counted the same way, so the response never
# tells whether an account exists. Besides, 20 failures from one address over any
# accounts lock the address (SIGNIN_ADDRESS_FAILURE_LIMIT, clinic/staff/lockout.py).
# Unlock early: `manage.py axes_reset_username EMAIL`, `manage.py axes_reset_ip ADDRESS`
# or the "Unlock sign-in" action on Users in the admin. Clinic admins get an email.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_MINUTES = env_int("AXES_COOLOFF_MINUTES", 15)
AXES_COOLOFF_TIME = timedelta(minutes=AXES_COOLOFF_MINUTES)
SIGNIN_ADDRESS_FAILURE_LIMIT = env_int("SIGNIN_ADDRESS_FAILURE_LIMIT", 20)
AXES_HANDLER = "clinic.staff.lockout.LockoutHandler"
AXES_CLIENT_IP_CALLABLE = "clinic.web.client_ip"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "clinic.staff.lockout.lockout_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "staff/locked_out.html"

# Second factor (django-otp, TOTP). Every role sees health data, so every member of
# staff gives one (STAFF_2FA_REQUIRED, on by default); with STAFF_2FA_REQUIRED=0 only
# clinic admins and anyone with Django admin access must (STAFF_2FA_ENFORCE_FOR_ADMINS).
STAFF_2FA_ENFORCE_FOR_ADMINS = env_bool("STAFF_2FA_ENFORCE_FOR_ADMINS", default=True)
STAFF_2FA_REQUIRED = env_bool("STAFF_2FA_REQUIRED", default=True)
OTP_TOTP_ISSUER = CLINIC_NAME
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Sessions (OWASP ASVS V7.3): signed out after 30 minutes without activity and
# 12 hours after signing in, whatever the activity. The page warns 2 minutes ahead.
SESSION_IDLE_TIMEOUT_SECONDS = env_int("SESSION_IDLE_TIMEOUT_SECONDS", 30 * 60)
SESSION_ABSOLUTE_TIMEOUT_SECONDS = env_int("SESSION_ABSOLUTE_TIMEOUT_SECONDS", 12 * 60 * 60)
SESSION_EXPIRY_WARNING_SECONDS = env_int("SESSION_EXPIRY_WARNING_SECONDS", 2 * 60)

# --- Internationalisation ---------------------------------------------------------
# The clinic's own English (en-gb, en-us, en-au: Django's date formats follow it).
LANGUAGE_CODE = LOCALITIES[CLINIC_COUNTRY].language_code
TIME_ZONE = "UTC"
USE_I18N = True
# The languages the patient side ships in (their pages and emails); staff pages
# stay in LANGUAGE_CODE.
PATIENT_LANGUAGES = [("en", "English"), ("es", "Español")]
# The paths patients reach (links, online booking, unsubscribe): the only ones translated
# (clinic/patient_language.py).
PATIENT_URL_PREFIXES = ("/book/", "/patients/intake/", "/clinical/p/", "/unsubscribe/")
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

# --- Static files -------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
    # Exercise images and videos: private files outside the web root, with no URL of
    # their own; only the authorised views (staff, the patient's own programme link)
    # read them. Production keeps STRIDE_VAR_DIR on a volume (docker-compose.yml).
    "exercise_media": {
        "BACKEND": "assessments.exercises.storage.PrivateFileStorage",
        "OPTIONS": {
            "location": VAR_DIR / "media",
            "file_permissions_mode": 0o640,
            "directory_permissions_mode": 0o750,
        },
    },
}

# --- Exercise media -------------------------------------------------------------------
# Upload limits of a catalogue exercise's image or video (assessments/exercises/media.py).
EXERCISE_MEDIA_MAX_IMAGE_BYTES = env_int("EXERCISE_MEDIA_MAX_IMAGE_BYTES", 5 * 1024 * 1024)
EXERCISE_MEDIA_MAX_VIDEO_BYTES = env_int("EXERCISE_MEDIA_MAX_VIDEO_BYTES", 50 * 1024 * 1024)
# Decompression bombs: an image of more pixels is refused before it is decoded.
EXERCISE_MEDIA_MAX_IMAGE_PIXELS = env_int("EXERCISE_MEDIA_MAX_IMAGE_PIXELS", 40_000_000)
# Re-encoded images are scaled down to fit this edge (pixels).
EXERCISE_MEDIA_IMAGE_MAX_EDGE = env_int("EXERCISE_MEDIA_IMAGE_MAX_EDGE", 1600)
# Django's own limits, stated: an uploaded file above 2.5 MB is spooled to a temporary
# file rather than held in memory, and a request's non-file fields are at most 2.5 MB.
# The catalogue's edit page refuses a whole request body above the largest video plus
# 1 MB of form fields before reading it (other pages take no files).
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
EXERCISE_MEDIA_MAX_REQUEST_BYTES = (
    max(EXERCISE_MEDIA_MAX_IMAGE_BYTES, EXERCISE_MEDIA_MAX_VIDEO_BYTES) + 1024 * 1024
)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- Email --------------------------------------------------------------------------
# EMAIL_URL=smtp://user:password@host:587?tls=1 (or ssl=1); unset: files in var/mail/.
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", f"{CLINIC_NAME} <{CLINIC_EMAIL}>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_URL = env_secret("EMAIL_URL")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
EMAIL_FILE_PATH = VAR_DIR / "mail"
if EMAIL_URL:
    _email = urlsplit(EMAIL_URL)
    _options = parse_qs(_email.query)
    if _email.scheme == "console":
        EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    elif _email.scheme == "smtp":
        EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        EMAIL_HOST = _email.hostname or "localhost"
        EMAIL_PORT = _email.port or 25
        EMAIL_HOST_USER = unquote(_email.username or "")
        EMAIL_HOST_PASSWORD = unquote(_email.password or "")
        EMAIL_USE_TLS = _options.get("tls", ["0"])[0] in {"1", "true"}
        EMAIL_USE_SSL = _options.get("ssl", ["0"])[0] in {"1", "true"}
    else:
        raise ImproperlyConfigured(f"EMAIL_URL scheme {_email.scheme!r} is not smtp or console.")
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"

# --- Celery -------------------------------------------------------------------------
BROKER_DIR = VAR_DIR / "broker"
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://" if DEBUG else "")
if not CELERY_BROKER_URL:
    raise ImproperlyConfigured("CELERY_BROKER_URL must be set when DEBUG=0 (e.g. redis://redis:6379/0).")
if CELERY_BROKER_URL.startswith("filesystem://"):
    for _sub in ("queue", "processed", "control"):
        (BROKER_DIR / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        # Exchange tables; kombu's default is ./control in the working directory.
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
CELERY_TIMEZONE = "UTC"
CELERY_ENABLE_UTC = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_IGNORE_RESULT = True
# Sends go on the default queue; the dispatcher and retries on a priority queue of their
# own, so neither waits behind a backlog of sends. A worker started without -Q consumes both.
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_TASK_DEFAULT_QUEUE", "celery")
MESSAGE_PRIORITY_QUEUE = f"{CELERY_TASK_DEFAULT_QUEUE}-priority"
CELERY_TASK_QUEUES = (Queue(CELERY_TASK_DEFAULT_QUEUE), Queue(MESSAGE_PRIORITY_QUEUE))
CELERY_TASK_ROUTES = {"messaging.dispatch_due": {"queue": MESSAGE_PRIORITY_QUEUE}}
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 5 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = min(60, CELERY_TASK_TIME_LIMIT - 1)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# --- Outbox delivery --------------------------------------------------------------------
# Seconds to wait before each retry after a transient SMTP failure (4xx, dropped
# connection); one more attempt than there are waits, then the row is failed.
MESSAGE_RETRY_BACKOFF_SECONDS = [
    int(s) for s in env_list("MESSAGE_RETRY_BACKOFF_SECONDS", ["60", "300", "900", "1800"])
]
MESSAGE_MAX_ATTEMPTS = len(MESSAGE_RETRY_BACKOFF_SECONDS) + 1
# One send (render + SMTP) may take at most this long; the send task is killed past it.
MESSAGE_SEND_TIME_LIMIT = env_int("MESSAGE_SEND_TIME_LIMIT", 120)
# A row whose attempt started longer ago than this is stuck (its worker died mid-send)
# and is sent again, with the same Message-ID.
MESSAGE_SENDING_LEASE_SECONDS = env_int("MESSAGE_SENDING_LEASE_SECONDS", 60 * 60)
# A queued row whose task has not started this long after the broker queue drained lost
# its task (broker restarted or flushed) and is queued again.
MESSAGE_QUEUED_GRACE_SECONDS = env_int("MESSAGE_QUEUED_GRACE_SECONDS", 120)
# The dispatcher keeps at most this many send tasks waiting in the broker.
MESSAGE_QUEUE_MAX_DEPTH = env_int("MESSAGE_QUEUE_MAX_DEPTH", 200)
# Seconds between the dispatcher's sweeps; integration tests shorten it.
MESSAGE_DISPATCH_INTERVAL = env_int("MESSAGE_DISPATCH_INTERVAL", 60)
# The domain of every outbox Message-ID (<outbox-ID@domain>): SITE_URL's host by default.
MESSAGE_ID_DOMAIN = env_str("MESSAGE_ID_DOMAIN", urlsplit(SITE_URL).hostname or "stride.invalid")
# No patient email between these local clinic times (a wrapping period).
MESSAGE_QUIET_HOURS = parse_quiet_hours(env_str("MESSAGE_QUIET_HOURS", "21:00-07:00"))
if MESSAGE_SEND_TIME_LIMIT >= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured("MESSAGE_SEND_TIME_LIMIT must be shorter than CELERY_TASK_TIME_LIMIT.")
if MESSAGE_SENDING_LEASE_SECONDS <= max(MESSAGE_RETRY_BACKOFF_SECONDS, default=0) + MESSAGE_SEND_TIME_LIMIT:
    raise ImproperlyConfigured(
        "MESSAGE_SENDING_LEASE_SECONDS must be longer than the longest retry wait "
        "(MESSAGE_RETRY_BACKOFF_SECONDS) plus MESSAGE_SEND_TIME_LIMIT, or an attempt still "
        "in progress could be taken for a dead one."
    )
CELERY_BEAT_SCHEDULE = {
    # Claim due outbox rows and hand them to workers (every minute by default).
    "messaging-dispatch-due": {
        "task": "messaging.dispatch_due",
        "schedule": float(MESSAGE_DISPATCH_INTERVAL),
    },
    # Extend each active programme's home-exercise reminders to the 14-day
    # horizon. Daily at 02:30 UTC (crontab.guru "30 2 * * *").
    "assessments-programme-reminders-top-up": {
        "task": "assessments.programme_reminders_top_up",
        "schedule": crontab(minute=30, hour=2),
    },
    # Free the online holds nobody confirmed in time, so the calendar clears (every minute).
    "patients-booking-holds-release": {
        "task": "patients.booking_holds_release",
        "schedule": 60.0,
    },
    # Offer times freed by new working hours, removed time off or lapsed holds to the
    # waitlist, and close lapsed offers (every minute; cancellations are offered at once).
    "patients-waitlist-match": {
        "task": "patients.waitlist_match",
        "schedule": 60.0,
    },
}

# --- Outbox health (/healthz, /healthz/outbox, the Outbox page, the admin alert) ----------
# Past any of these the outbox is degraded and /healthz answers 503: a message due longer
# ago than this and still not sent,
OUTBOX_HEALTH_MAX_OVERDUE_SECONDS = env_int("OUTBOX_HEALTH_MAX_OVERDUE_SECONDS", 15 * 60)
# no dispatcher sweep for this long (the worker or beat has stopped),
OUTBOX_HEALTH_DISPATCH_STALE_SECONDS = env_int(
    "OUTBOX_HEALTH_DISPATCH_STALE_SECONDS", max(5 * MESSAGE_DISPATCH_INTERVAL, 300)
)
# more attempts than this stuck in sending past MESSAGE_SENDING_LEASE_SECONDS,
OUTBOX_HEALTH_MAX_STUCK = env_int("OUTBOX_HEALTH_MAX_STUCK", 0)
# more messages than this failed in the last 24 hours.
OUTBOX_HEALTH_MAX_FAILED_24H = env_int("OUTBOX_HEALTH_MAX_FAILED_24H", 5)
# The dispatcher emails every active clinic admin when this many messages failed in the
# last 24 hours (or attempts are stuck, or the backlog is overdue), at most once per interval.
OUTBOX_ALERT_FAILED_THRESHOLD = env_int("OUTBOX_ALERT_FAILED_THRESHOLD", 5)
OUTBOX_ALERT_INTERVAL_SECONDS = env_int("OUTBOX_ALERT_INTERVAL_SECONDS", 4 * 60 * 60)

# --- Logging --------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A safety net: email addresses and dates (of birth) are masked in every line written.
    "filters": {"redact_phi": {"()": "clinic.privacy.RedactPHIFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact_phi"]}
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # axes logs every sign-in at INFO; lockouts still show as warnings.
        "axes": {"level": "WARNING"},
        # Debug lines here carry patient data whatever LOG_LEVEL says: SQL with its
        # parameters, and failed template lookups with the whole template context.
        "django.db.backends": {"level": "INFO"},
        "django.template": {"level": "INFO"},
        # gpxpy's debug line on a file it cannot parse holds the whole uploaded track.
        "gpxpy": {"level": "INFO"},
        # WeasyPrint logs each step of every PDF at INFO; refused fetches still show as errors.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# The cookie that remembers a browser verified for patient links (patients.links.devices);
# HttpOnly, SameSite=Lax, Secure with the session cookie, and __Host- in production below.
LINK_DEVICE_COOKIE_NAME = "linkdevice"

# --- Production transport security ----------------------------------------------------
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    # Container and load-balancer health probes speak plain HTTP.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    # Behind a TLS-terminating proxy that sets X-Forwarded-Proto (see README).
    if env_bool("BEHIND_TLS_PROXY", default=False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
        # Behind a proxy REMOTE_ADDR is the proxy: every client would share one address,
        # and one client's failed sign-ins would lock out the whole clinic.
        if CLIENT_IP_META == "REMOTE_ADDR":
            raise ImproperlyConfigured(
                "BEHIND_TLS_PROXY=1 needs CLIENT_IP_META: the META key of the header in which the "
                "proxy puts the client's address, overwriting any the client sent (e.g. HTTP_X_REAL_IP)."
            )
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # __Host- cookies: the browser keeps them only if Secure, with Path=/ and no Domain,
    # so no subdomain and no plain-HTTP page can set or overwrite them.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    LINK_DEVICE_COOKIE_NAME = "__Host-linkdevice"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# The session store never keeps a session past the absolute limit since the last request.
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_TIMEOUT_SECONDS
# The CSRF cookie lasts as long as the browser session (Django's default is a year), and no
# script reads it (every form and the page scripts take the token from the page), so it is
# HttpOnly too: one cookie fewer that an injected script could read.
CSRF_COOKIE_AGE = None
CSRF_COOKIE_HTTPONLY = True
# Content Security Policy (django-csp 4): no inline script or style, nothing from other origins.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    },
}

# --- Appointments and intake -----------------------------------------------------------
# Reminder emails go this many hours before each visit (comma-separated; elapsed hours,
# N × 3600 s, whatever the clocks do; domain.md §9: 48 h and 24 h).
APPOINTMENT_REMINDER_HOURS = [int(h) for h in env_list("APPOINTMENT_REMINDER_HOURS", ["48", "24"])]
# Cancelling closer to the start than this counts as a late cancellation.
LATE_CANCELLATION_HOURS = env_int("LATE_CANCELLATION_HOURS", 24)
# An intake link expires at the visit or this many days after it is sent, whichever is first.
INTAKE_LINK_DAYS = env_int("INTAKE_LINK_DAYS", 7)
# Intake nudges go this many hours before the visit (comma-separated; elapsed hours;
# domain.md §9: 72 h and 24 h before visit 1).
INTAKE_NUDGE_HOURS = [int(h) for h in env_list("INTAKE_NUDGE_HOURS", ["72", "24"])]
# After the identity check the patient's browser may edit the intake for this long
# without activity (each saved step or autosave starts it again).
INTAKE_SESSION_MINUTES = env_int("INTAKE_SESSION_MINUTES", 120)
# Failed last-name/date-of-birth checks that lock a link (the front desk must resend).
INTAKE_MAX_FAILED_CHECKS = env_int("INTAKE_MAX_FAILED_CHECKS", 5)
# Identity-check attempts allowed per client address per hour (any link).
INTAKE_CHECKS_PER_IP_PER_HOUR = env_int("INTAKE_CHECKS_PER_IP_PER_HOUR", 20)
# A browser that gave a patient link's one-time code skips the code on that patient's
# links for this many days (a signed cookie names it; patients.links.devices).
LINK_DEVICE_DAYS = env_int("LINK_DEVICE_DAYS", 90)
# A therapist reading a record outside their care team ("break the glass") has it for this long.
CARE_TEAM_GRANT_HOURS = env_int("CARE_TEAM_GRANT_HOURS", 4)
# --- Online booking (the public /book/ pages; patients.booking.online) ---
# The earliest bookable start is this many hours from now; with ONLINE_BOOKING_SAME_DAY off,
# no start today (the clinic's day) either. Slots are offered this many weeks ahead.
ONLINE_BOOKING_MIN_NOTICE_HOURS = env_int("ONLINE_BOOKING_MIN_NOTICE_HOURS", 4)
ONLINE_BOOKING_SAME_DAY = env_bool("ONLINE_BOOKING_SAME_DAY", default=True)
ONLINE_BOOKING_WEEKS_AHEAD = env_int("ONLINE_BOOKING_WEEKS_AHEAD", 8)
# A slot chosen online is held this long for the patient's confirmation, then freed.
ONLINE_BOOKING_HOLD_MINUTES = env_int("ONLINE_BOOKING_HOLD_MINUTES", 10)
# Online times keep this gap before and after the therapist's other visits (time to write up, to reset the room).
ONLINE_BOOKING_BUFFER_MINUTES = env_int("ONLINE_BOOKING_BUFFER_MINUTES", 0)
# Emailed codes allowed: per client address an hour, per email address an hour and a day,
# and for the whole site a day (past any of them the page asks to call or try later).
ONLINE_BOOKING_CODES_PER_IP_PER_HOUR = env_int("ONLINE_BOOKING_CODES_PER_IP_PER_HOUR", 10)
ONLINE_BOOKING_CODES_PER_EMAIL_PER_HOUR = env_int("ONLINE_BOOKING_CODES_PER_EMAIL_PER_HOUR", 3)
ONLINE_BOOKING_CODES_PER_EMAIL_PER_DAY = env_int("ONLINE_BOOKING_CODES_PER_EMAIL_PER_DAY", 6)
ONLINE_BOOKING_CODES_PER_DAY = env_int("ONLINE_BOOKING_CODES_PER_DAY", 500)
# --- Waitlist and the manage link (patients.booking.waitlist, patients.booking.manage) ---
# A waitlist offer stays open this long (never past the slot's minimum-notice cutoff).
WAITLIST_OFFER_MINUTES = env_int("WAITLIST_OFFER_MINUTES", 60)
# One freed time is offered to at most this many waiting patients at once, in order of
# joining; when their offers lapse unclaimed the next ones get it.
WAITLIST_OFFERS_PER_SLOT = env_int("WAITLIST_OFFERS_PER_SLOT", 5)
# Requests to the manage and offer pages (emailed links) allowed per client address an hour.
MANAGE_LINK_REQUESTS_PER_IP_PER_HOUR = env_int("MANAGE_LINK_REQUESTS_PER_IP_PER_HOUR", 60)
# The 40-item HOOS at baseline, in addition to LEFS and PSFS (domain.md §7.1: asked by default;
# every item may be skipped).
INTAKE_HOOS_ENABLED = env_bool("INTAKE_HOOS_ENABLED", default=True)
# --- The runner's training log (assessments.training) ---
# Shoes are due for replacement after this many km (480 km ≈ 300 mi; allowed 480–800, ≈ 500 mi).
SHOE_REPLACEMENT_KM = env_int("SHOE_REPLACEMENT_KM", 480)
# The unit a patient's log starts in ("km" or "mi") until they choose theirs; miles in the US.
TRAINING_DISTANCE_UNIT = env_str("TRAINING_DISTANCE_UNIT", LOCALITIES[CLINIC_COUNTRY].distance_unit)
if TRAINING_DISTANCE_UNIT not in ("km", "mi"):
    raise ImproperlyConfigured(f"TRAINING_DISTANCE_UNIT is {TRAINING_DISTANCE_UNIT!r}: it must be km or mi.")

# --- Cache --------------------------------------------------------------------------------
# Rate limits (e.g. patient-link checks per IP) count in the cache, so several
# web processes need a shared one: CACHE_URL=redis://redis:6379/1 in production.
CACHE_URL = env_str("CACHE_URL")
if CACHE_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}
    # Sessions read from the shared cache (written through to the database, which stays the
    # record): no session query per request, and every web replica sees the same session.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Start-up checks of the numeric security settings --------------------------------------
# A value the database would refuse, or one that switches a protection off, stops the
# start with the setting's name rather than failing later on a request.


def _require_between(name: str, low: int, high: int | None = None, why: str = "") -> None:
    value = globals()[name]
    if value < low or (high is not None and value > high):
        bounds = f"at least {low}" if high is None else f"between {low} and {high}"
        raise ImproperlyConfigured(f"{name} is {value}: it must be {bounds}{f' ({why})' if why else ''}.")


# Failed identity checks are counted on the link's row, which the database caps at 50
# (patients_intakeinvitation_failed_checks_bounded, assessments_programme_failed_checks_bounded).
_require_between("INTAKE_MAX_FAILED_CHECKS", 1, 50, "the database counts at most 50 failed checks per link")
_require_between("INTAKE_CHECKS_PER_IP_PER_HOUR", 1)
_require_between("FHIR_API_RATE_PER_MINUTE", 1)
_require_between("INTAKE_LINK_DAYS", 1)
_require_between("INTAKE_SESSION_MINUTES", 1)
_require_between("LINK_DEVICE_DAYS", 1, 400, "browsers keep a cookie at most 400 days")
_require_between(
    "CARE_TEAM_GRANT_HOURS", 1, 24, "a grant outside the care team is for one working day at most"
)
_require_between("AXES_FAILURE_LIMIT", 1)
_require_between("AXES_COOLOFF_MINUTES", 1)
_require_between(
    "SIGNIN_ADDRESS_FAILURE_LIMIT",
    AXES_FAILURE_LIMIT,
    why="an address limit below the per-account limit would lock the address first",
)
_require_between("PASSWORD_RESET_TIMEOUT", 60)
_require_between("PASSWORD_RESET_PER_IP_PER_HOUR", 1)
_require_between("PASSWORD_RESET_PER_EMAIL_PER_HOUR", 1)
_require_between("SESSION_IDLE_TIMEOUT_SECONDS", 60)
_require_between(
    "SESSION_ABSOLUTE_TIMEOUT_SECONDS", SESSION_IDLE_TIMEOUT_SECONDS, why="not below the idle limit"
)
_require_between(
    "SESSION_EXPIRY_WARNING_SECONDS", 0, SESSION_IDLE_TIMEOUT_SECONDS - 1, why="before the idle limit"
)
_require_between("ONLINE_BOOKING_MIN_NOTICE_HOURS", 0, 24 * 14)
_require_between("ONLINE_BOOKING_WEEKS_AHEAD", 1, 52)
_require_between("ONLINE_BOOKING_HOLD_MINUTES", 1, 60, "a held slot is closed to everyone else meanwhile")
_require_between("ONLINE_BOOKING_BUFFER_MINUTES", 0, 60)
_require_between("ONLINE_BOOKING_CODES_PER_IP_PER_HOUR", 1)
_require_between("ONLINE_BOOKING_CODES_PER_EMAIL_PER_HOUR", 1)
_require_between("ONLINE_BOOKING_CODES_PER_EMAIL_PER_DAY", ONLINE_BOOKING_CODES_PER_EMAIL_PER_HOUR)
_require_between("ONLINE_BOOKING_CODES_PER_DAY", 1)
_require_between("WAITLIST_OFFER_MINUTES", 1, 24 * 60)
_require_between("WAITLIST_OFFERS_PER_SLOT", 1)
_require_between("MANAGE_LINK_REQUESTS_PER_IP_PER_HOUR", 1)
_require_between("SHOE_REPLACEMENT_KM", 480, 800, "shoes are replaced between 300 and 500 miles")
if not DEBUG:
    _require_between("SECURE_HSTS_SECONDS", 0)

# `make bench` only (bench/README.md): the floor pages /bench/baseline and /bench/one-query,
# and each response's SQL query count in X-Bench-Queries. Off unless BENCH_PAGES=1.
BENCH_PAGES = env_bool("BENCH_PAGES", False)
if BENCH_PAGES:
    MIDDLEWARE.insert(0, "clinic.bench.QueryCountMiddleware")
