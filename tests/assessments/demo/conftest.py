from datetime import date, timedelta

import pytest
from django.utils import timezone

from patients.booking.choices import AppointmentStatus
from tests.factories import AppointmentFactory, PatientFactory, UserFactory


@pytest.fixture
def demo_diary(physio, location, evaluation, follow_up):
    """Makes `patients` patients in treatment with `physio`, as patients.demo.appointments does for `make run`.

    Each had a completed evaluation `weeks_ago` weeks ago (two hours apart)
    and a completed follow-up in each of the three weeks after it.
    """

    def make(*, patients: int, weeks_ago: int) -> None:
        booked_by = UserFactory()
        now = timezone.now().replace(minute=0, second=0, microsecond=0)
        for index in range(patients):
            patient = PatientFactory(last_name=f"Demo{index}", date_of_birth=date(1980 + index, 5, 1))
            first = now - timedelta(weeks=weeks_ago, hours=index * 2)
            visits = [(evaluation, first)] + [(follow_up, first + timedelta(weeks=w)) for w in (1, 2, 3)]
            for kind, starts_at in visits:
                AppointmentFactory(
                    patient=patient,
                    therapist=physio,
                    location=location,
                    appointment_type=kind,
                    starts_at=starts_at,
                    status=AppointmentStatus.COMPLETED,
                    created_by=booked_by,
                )

    return make
