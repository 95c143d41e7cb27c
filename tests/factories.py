from datetime import date

import factory
from django.utils import timezone

from clinic.messaging.models import ScheduledMessage
from clinic.staff.models import Location, TherapistProfile, User
from clinic.staff.roles import role_group
from patients.models import Patient

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"staff{n}@stride.test")
    full_name = factory.Sequence(lambda n: f"Staff Member {n}")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def role(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create and extracted:
            self.groups.add(role_group(extracted))


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Location
        django_get_or_create = ("name",)

    name = "Test Clinic"
    time_zone = "Europe/London"


class TherapistProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TherapistProfile
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    display_name = factory.LazyAttribute(lambda o: o.user.full_name)

    @factory.post_generation
    def locations(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.locations.add(*(extracted or [LocationFactory()]))


class PatientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Patient

    first_name = factory.Sequence(lambda n: f"Pat{n}")
    last_name = "Runner"
    date_of_birth = date(1988, 4, 12)
    sex = "female"
    email = factory.Sequence(lambda n: f"patient{n}@example.com")
    phone = "07700 900123"


class ScheduledMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScheduledMessage

    kind = "test"
    to_email = "runner@example.com"
    due_at = factory.LazyFunction(timezone.now)
    key = factory.Sequence(lambda n: f"test:{n}")


class AccessEventFactory(factory.django.DjangoModelFactory):
    """A recorded read of a patient's record."""

    class Meta:
        model = "audit.AccessEvent"

    user = factory.SubFactory(UserFactory)
    patient_id = factory.Sequence(lambda n: 900000 + n)
    object_label = "patients.patient"
    object_pk = factory.LazyAttribute(lambda o: str(o.patient_id))
    view_name = "patients:detail"
    ip = "127.0.0.1"


class AssessmentFactory(factory.django.DjangoModelFactory):
    """A draft assessment by a therapist (no appointment, no subjective part)."""

    class Meta:
        model = "assessments.Assessment"

    patient = factory.SubFactory(PatientFactory)
    therapist = factory.SubFactory(UserFactory)
    kind = "initial"


class SubjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "assessments.Subjective"

    assessment = factory.SubFactory(AssessmentFactory)
    pain_location = "Outside of the right hip"
    nprs_now = 3
