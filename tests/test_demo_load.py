"""The `make run` path: migrate and load the demo clinic on the embedded default.

Each command runs in its own process with DEBUG=1, no DATABASE_URL and a
temporary STRIDE_VAR_DIR, as a newcomer's first `make run` would.
"""

import io
import json
import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)

COUNT_ROWS = """
import json
from clinic.staff.models import Location, OpeningHours, TherapistProfile, User
from patients.models import Patient
print(json.dumps({
    "patients": Patient.objects.count(),
    "staff": User.objects.count(),
    "therapists": TherapistProfile.objects.count(),
    "locations": Location.objects.count(),
    "opening_hours": OpeningHours.objects.count(),
    "spanish_speakers": Patient.objects.filter(language="es").count(),
}))
"""
# 30 demo patients and 3 runners who booked online; 4 staff and the online-booking system user.
# One demo patient chose Spanish: her emails show the patient's language.
DEMO_COUNTS = {
    "patients": 33,
    "staff": 5,
    "therapists": 2,
    "locations": 1,
    "opening_hours": 6,
    "spanish_speakers": 2,
}


def manage(var_dir: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(Path.home()),
        "STRIDE_VAR_DIR": str(var_dir),
        "DEBUG": "1",
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def count_rows(var_dir: Path) -> dict[str, int]:
    result = manage(var_dir, "shell", "--no-imports", "-c", COUNT_ROWS)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # As `make run` prepares it: from the migrations' snapshot, then any newer migration
    # (tests/test_embedded_db.py holds that equal to migrating from scratch). Once per module.
    var_dir = tmp_path_factory.mktemp("template") / "var"
    result = manage(var_dir, "embedded_db", "prepare")
    assert result.returncode == 0, result.stderr
    return var_dir / "stride.sqlite3"


@pytest.fixture
def migrated_var_dir(tmp_path: Path, migrated_template: Path) -> Path:
    """A var/ directory holding a freshly migrated, empty SQLite database."""
    var_dir = tmp_path / "var"
    var_dir.mkdir()
    shutil.copyfile(migrated_template, var_dir / "stride.sqlite3")
    return var_dir


def production_env(var_dir: Path) -> dict[str, str]:
    # Production settings, pointed at the same SQLite file.
    return {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "stride.example",
        "DATABASE_URL": f"sqlite:///{var_dir / 'stride.sqlite3'}",
        # Required in production; no task is sent here.
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/15",
    }


def test_demo_load_twice_adds_nothing_the_second_time(migrated_var_dir):
    first = manage(migrated_var_dir, "demo_load")
    after_first = count_rows(migrated_var_dir)

    second = manage(migrated_var_dir, "demo_load")
    after_second = count_rows(migrated_var_dir)

    assert (first.returncode, second.returncode) == (0, 0), first.stderr + second.stderr
    assert "Demo clinic ready: 30 patients." in second.stdout
    assert after_first == DEMO_COUNTS
    assert after_second == DEMO_COUNTS
    assert (migrated_var_dir / "stride.sqlite3").is_file()


def test_demo_load_refuses_in_production(migrated_var_dir):
    result = manage(migrated_var_dir, "demo_load", **production_env(migrated_var_dir))

    assert result.returncode == 1
    assert (
        "CommandError: Refusing to load demo data with DEBUG=0 (use --allow-production on a demo server)."
        in result.stderr
    )
    assert count_rows(migrated_var_dir) == dict.fromkeys(DEMO_COUNTS, 0)


def test_demo_load_allow_production_loads_the_demo(migrated_var_dir):
    result = manage(migrated_var_dir, "demo_load", "--allow-production", **production_env(migrated_var_dir))

    assert result.returncode == 0, result.stderr
    assert count_rows(migrated_var_dir) == DEMO_COUNTS


@pytest.mark.postgres
@pytest.mark.django_db
def test_demo_load_on_postgresql_respects_every_constraint_and_is_idempotent(settings):
    """The demo diary must pass PostgreSQL's no-overlap constraints too."""
    from django.core.management import call_command

    from patients.models import Appointment, Patient

    settings.DEBUG = True
    call_command("demo_load", stdout=io.StringIO())
    counts = (Patient.objects.count(), Appointment.objects.count())
    call_command("demo_load", stdout=io.StringIO())

    assert counts[0] == 33
    assert counts[1] > 60
    assert (Patient.objects.count(), Appointment.objects.count()) == counts
