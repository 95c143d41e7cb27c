import pytest

from patients.models import AppointmentType


@pytest.fixture
def online_follow_up(follow_up):
    """The 30-minute follow-up, offered online."""
    AppointmentType.objects.filter(pk=follow_up.pk).update(online_bookable=True)
    follow_up.refresh_from_db()
    return follow_up


@pytest.fixture
def eager_celery():
    """Run .delay() in-process, as CELERY_TASK_ALWAYS_EAGER would (a committed cancellation's task); restored."""
    from clinic.celery import app

    previous = (app.conf.task_always_eager, app.conf.task_eager_propagates)
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = previous
