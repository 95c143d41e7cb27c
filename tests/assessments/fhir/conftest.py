import pytest
from django.db import transaction

from assessments.demo import assessments as demo_assessments
from assessments.demo import programmes as demo_programmes
from clinic.staff import demo as demo_staff
from patients.demo import appointments as demo_appointments
from patients.demo import careteam as demo_careteam
from patients.demo import email_status as demo_email_status
from patients.demo import intake as demo_intake
from patients.demo import patients as demo_patients


@pytest.fixture(scope="package")
def demo_clinic(django_db_setup, django_db_blocker):
    """The whole demo clinic as `manage.py demo_load` makes it, loaded once for this package's tests.

    It lives in a transaction rolled back after the package's last test; each
    test runs in a savepoint inside it (pytest-django's `db`). The package's
    tests form one xdist group (tests/conftest.py), so one worker loads it once;
    tests after the first that asks for it see the demo too, and hold with it.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        staff = demo_staff.load()
        patients = demo_patients.load()
        demo_appointments.load(patients, booked_by=staff["desk@stride.example"])
        demo_intake.load()
        demo_assessments.load()
        demo_programmes.load()
        demo_email_status.load(patients)
        demo_careteam.load()
        yield patients
        transaction.set_rollback(True)
