import os

import pytest
from django.conf import settings

from clinic.staff.choices import Role

NO_POSTGRES = bool(os.environ.get("STRIDE_TEST_NO_POSTGRES"))
NO_REDIS = bool(os.environ.get("STRIDE_TEST_NO_REDIS"))


def pytest_configure(config: pytest.Config) -> None:
    # Fast hashing for test users; production keeps Django's default.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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

    Transactional tests flush every table when they finish and run last, so a
    test database kept by --reuse-db (make test outside CI) starts the next run
    without the catalogue; it is put back once per session (and per xdist worker).
    """
    from assessments.exercises.services import catalogue_sync

    with django_db_blocker.unblock():
        catalogue_sync()


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
def admin_client_(client, clinic_admin):
    from tests.clinic.logins import login_verified

    return login_verified(client, clinic_admin)
