import os

import pytest
from django.conf import settings

from clinic.staff.choices import Role

NO_POSTGRES = bool(os.environ.get("STRIDE_TEST_NO_POSTGRES"))
NO_REDIS = bool(os.environ.get("STRIDE_TEST_NO_REDIS"))


def pytest_configure(config: pytest.Config) -> None:
    # Fast hashing for test users; production keeps Django's default.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Every member of staff gives a second factor (STAFF_2FA_REQUIRED): a forced
    # login in a test stands for one who has, as login_verified() does.
    from tests.clinic.logins import install_verified_force_login

    install_verified_force_login()


def _xdist_group(item: pytest.Item) -> str | None:
    """Tests that share something beyond their worker's own test database.

    Under `--dist loadgroup` (make test) each group runs on one xdist worker, so
    one Chromium, one Celery worker with beat and one migrated demo database
    serve the whole group instead of one per worker.
    """
    fixtures = getattr(item, "fixturenames", ())
    if item.get_closest_marker("browser"):
        return "browser"
    if "celery_worker" in fixtures:
        return "celery-worker"
    if "migrated_template" in fixtures:
        return "demo-load"
    if "demo_module" in fixtures:
        return f"demo:{item.nodeid.split('::')[0]}"  # one worker loads the module's demo once
    if item.nodeid.startswith("tests/assessments/fhir/"):
        return "fhir-demo"  # the package-scoped demo clinic of tests/assessments/fhir/conftest.py
    return None


# First, so pytest-xdist sees the groups when it names the items.
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        group = _xdist_group(item)
        if group is not None:
            item.add_marker(pytest.mark.xdist_group(group))
    # Only on the local SQLite fallback (never under CI, which fails first).
    for item in items:
        if NO_POSTGRES and item.get_closest_marker("postgres"):
            item.add_marker(pytest.mark.skip(reason="NOT RUN: PostgreSQL unreachable (SQLite fallback)"))
        if NO_REDIS and item.get_closest_marker("redis"):
            item.add_marker(pytest.mark.skip(reason="NOT RUN: Redis unreachable"))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, with the exercise catalogue its data migration seeds.

    A test database kept by --reuse-db (make test outside CI) may have been left
    flushed by the previous run's last, transactional, test; the catalogue is put
    back once per session (and per xdist worker).
    """
    from django.db import connection

    from assessments.exercises.services import catalogue_sync

    with django_db_blocker.unblock():
        catalogue_sync()
    yield
    # Connections persist (CONN_MAX_AGE), so threads of the live server and of the
    # concurrency tests can leave sessions open on the test database, and dropping
    # it at the end of the run would fail. End them before pytest-django drops it.
    if connection.vendor == "postgresql":
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )


def _transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    return bool({"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ())))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):
    """A transactional test leaves the database as the migrations left it.

    Its teardown flushes every table: role groups and permissions come back
    through post_migrate, the data migration's catalogue does not. Under
    --dist loadgroup the largest groups (browser tests among them) run first,
    so tests that use the catalogue may follow on the same worker. Not after
    the last test: the session's own teardown has closed the test database.
    """
    result = yield
    if nextitem is not None and _transactional(item):
        from pytest_django.plugin import blocking_manager_key

        from assessments.exercises.services import catalogue_sync

        with item.config.stash[blocking_manager_key].unblock():
            catalogue_sync()
    return result


@pytest.fixture(scope="module")
def demo_module(django_db_setup, django_db_blocker):
    """The demo clinic as `manage.py demo_load` makes it, loaded once for the module (rolled back after it).

    Each test runs in a savepoint inside it (pytest-django's `db`), so what one test
    changes the next does not see. The module's tests form one xdist group, so
    one worker loads it once.
    """
    import io

    from django.core.management import call_command
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        call_command("demo_load", "--allow-production", stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def make_user(db):
    from tests.factories import UserFactory

    def make(role: Role | None, **kwargs: object):
        return UserFactory(role=role, **kwargs)

    return make


@pytest.fixture
def front_desk(make_user):
    return make_user(Role.FRONT_DESK, full_name="Fran Desk")


@pytest.fixture
def therapist(make_user):
    from tests.factories import TherapistProfileFactory

    user = make_user(Role.THERAPIST, full_name="Terry Therapist")
    TherapistProfileFactory(user=user)
    return user


@pytest.fixture
def clinic_admin(make_user):
    return make_user(Role.CLINIC_ADMIN, full_name="Ada Admin")


@pytest.fixture
def front_desk_client(client, front_desk):
    client.force_login(front_desk)
    return client


@pytest.fixture
def therapist_client(client, therapist):
    client.force_login(therapist)
    return client


@pytest.fixture
def clinic_admin_client(client, clinic_admin):
    """A client signed in as the clinic admin, past the second factor."""
    from tests.clinic.logins import login_verified

    return login_verified(client, clinic_admin)


@pytest.fixture
def no_heartbeats(db):
    """No outbox heartbeat rows to begin with.

    A Celery worker serving a module of transactional tests keeps sweeping until
    it stops, so its last "dispatch" heartbeat can outlive that module's flush.
    """
    from clinic.messaging.models import OutboxHeartbeat

    OutboxHeartbeat.objects.all().delete()


@pytest.fixture
def clean_cache():
    """An empty cache before and after the test: the per-address limits on identity checks live there."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


# --- A patient and the clinic's diary, shared by every app's tests -------------------------------


@pytest.fixture
def patient(db):
    from tests.factories import PatientFactory

    return PatientFactory(first_name="Robin", last_name="Strider")


@pytest.fixture
def location(db):
    """Riverside, open 08:00–19:00 every day."""
    from datetime import time

    from clinic.staff.choices import Weekday
    from clinic.staff.models import OpeningHours
    from tests.factories import LocationFactory

    location = LocationFactory(name="Riverside")
    for weekday in Weekday:
        OpeningHours.objects.create(location=location, weekday=weekday, opens=time(8), closes=time(19))
    return location


@pytest.fixture
def make_physio(location):
    """Makes a therapist (a TherapistProfile) who works 09:00–17:00 every day at `location`."""
    from datetime import time

    from clinic.staff.choices import Weekday
    from clinic.staff.models import WorkingHours
    from tests.factories import TherapistProfileFactory, UserFactory

    def make(name: str):
        profile = TherapistProfileFactory(
            user=UserFactory(role=Role.THERAPIST, full_name=name), display_name=name, locations=[location]
        )
        for weekday in Weekday:
            WorkingHours.objects.create(
                therapist=profile, location=location, weekday=weekday, starts=time(9), ends=time(17)
            )
        return profile

    return make


@pytest.fixture
def physio(make_physio):
    return make_physio("Sam Physio")


@pytest.fixture
def evaluation(db):
    """The 60-minute initial evaluation; booking one sends the intake."""
    from tests.factories import AppointmentTypeFactory

    return AppointmentTypeFactory(name="Initial evaluation", evaluation=True)


@pytest.fixture
def follow_up(db):
    """The 30-minute follow-up."""
    from tests.factories import AppointmentTypeFactory

    return AppointmentTypeFactory(name="Follow-up")
