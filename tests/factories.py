"""factory_boy factories: valid, saved rows with plain defaults (override what a test is about).

Rows the domain only makes through a service (a signed assessment, a
programme, a check-in) are made by that service, so they carry what it
adds (phases, revisions, reminders).
"""

from datetime import date, datetime, timedelta

import factory
from django.db.models import Max, Q
from django.utils import timezone

from assessments.programmes.services.checkins import checkin_for
from assessments.programmes.services.plan import programme_start
from assessments.record.services.assessment import assessment_sign, assessment_start
from clinic.messaging.models import ScheduledMessage
from clinic.staff.choices import Role
from clinic.staff.models import Location, TherapistProfile, User
from clinic.staff.roles import role_group
from patients.booking.choices import OCCUPYING_STATUSES, VisitKind
from patients.models import Appointment, AppointmentType, IntakeInvitation, Patient
from tests.assessments.record.helpers import complete

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
    status = "pending"
    # The times the database requires of rows in these states.
    sending_since = factory.LazyAttribute(lambda o: timezone.now() if o.status == "sending" else None)
    failed_at = factory.LazyAttribute(lambda o: timezone.now() if o.status == "failed" else None)


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


class AppointmentTypeFactory(factory.django.DjangoModelFactory):
    """A 30-minute follow-up visit type; `evaluation=True` makes a 60-minute initial evaluation that sends the intake."""

    class Meta:
        model = AppointmentType

    class Params:
        evaluation = factory.Trait(
            kind=VisitKind.INITIAL_EVALUATION, duration_minutes=60, requires_intake=True
        )

    name = factory.LazyAttributeSequence(lambda o, n: f"{VisitKind(o.kind).label} {n}")
    kind = VisitKind.FOLLOW_UP
    duration_minutes = 30


def _free_hour(appointment: object) -> datetime:
    """The first whole hour from 09:00 UTC tomorrow when neither the therapist nor the patient is booked.

    So appointments made one after another never trip PostgreSQL's
    no-overlap constraints (one per therapist, one per patient).
    """
    start = (timezone.now() + timedelta(days=1)).replace(hour=9, minute=0, second=0, microsecond=0)
    busy = Appointment.objects.filter(
        Q(therapist_id=appointment.therapist.pk) | Q(patient_id=appointment.patient.pk),
        status__in=OCCUPYING_STATUSES,
        ends_at__gt=start,
    ).aggregate(last=Max("ends_at"))["last"]
    if busy is None:
        return start
    hour = busy.replace(minute=0, second=0, microsecond=0)
    return hour if hour == busy else hour + timedelta(hours=1)


class AppointmentFactory(factory.django.DjangoModelFactory):
    """A booked visit, saved as a row (no booking service: no events, emails or intake invitation).

    At the therapist's first location, in the first free whole hour from
    09:00 UTC tomorrow (see _free_hour); it ends when its type's duration is up.
    """

    class Meta:
        model = Appointment

    patient = factory.SubFactory(PatientFactory)
    therapist = factory.SubFactory(TherapistProfileFactory, user__role=Role.THERAPIST)
    location = factory.LazyAttribute(lambda o: o.therapist.locations.first() if o.therapist.pk else None)
    appointment_type = factory.SubFactory(AppointmentTypeFactory)
    starts_at = factory.LazyAttribute(_free_hour)
    ends_at = factory.LazyAttribute(
        lambda o: o.starts_at + timedelta(minutes=o.appointment_type.duration_minutes)
    )
    created_by = factory.SubFactory(UserFactory, role=Role.FRONT_DESK)


class IntakeInvitationFactory(factory.django.DjangoModelFactory):
    """An invitation to the online intake for the patient's initial evaluation, before any link is made.

    No token yet (intake_issue_token makes one) and no email queued
    (intake_invite is the service that does both). `appointment=None`
    makes an invitation that is not tied to a visit.
    """

    class Meta:
        model = IntakeInvitation

    patient = factory.SubFactory(PatientFactory)
    appointment = factory.SubFactory(
        AppointmentFactory, patient=factory.SelfAttribute("..patient"), appointment_type__evaluation=True
    )
    created_by = factory.LazyAttribute(lambda o: o.appointment.created_by if o.appointment else None)


class AssessmentFactory(factory.django.DjangoModelFactory):
    """A draft assessment by a therapist (no appointment, no subjective part)."""

    class Meta:
        model = "assessments.Assessment"

    patient = factory.SubFactory(PatientFactory)
    therapist = factory.SubFactory(UserFactory, role=Role.THERAPIST)
    kind = "initial"


class SignedAssessmentFactory(AssessmentFactory):
    """A signed assessment, recorded and signed through the record services.

    It holds the minimum for signing (tests.assessments.record.helpers.complete):
    right index side, history, the hip abductors' strength and `impression`
    as the primary impression (right side, working). Unless `kind` is given,
    the service chooses it (initial, or a re-assessment after a signed one).
    """

    kind = None
    impression = "GTPS_GLUT_TEND"

    @classmethod
    def _create(
        cls, model_class: type, *, patient: Patient, therapist: User, kind: str | None, impression: str
    ):
        assessment = assessment_start(patient=patient, therapist=therapist, kind=kind)
        complete(assessment, therapist, impression=impression)
        assessment.refresh_from_db()
        return assessment_sign(assessment=assessment, by=therapist)


class ProgrammeFactory(factory.django.DjangoModelFactory):
    """An active six-week programme from today, started by programme_start from a signed assessment.

    The service adds what a real programme has: its phases with the
    catalogue's starting exercises, a revision and the queued reminders. The therapist who signed
    the assessment starts it. `patient` and `therapist` are those of the
    assessment the factory signs (both new by default; unused when an
    `assessment` is given). Any plan field (start_date, planned_weeks,
    goals, exercise_days, ...) can be given; the others keep the model's defaults.
    """

    class Meta:
        model = "assessments.Programme"

    class Params:
        patient = None
        therapist = None

    assessment = factory.SubFactory(
        SignedAssessmentFactory,
        patient=factory.LazyAttribute(lambda o: o.factory_parent.patient or PatientFactory()),
        therapist=factory.LazyAttribute(
            lambda o: o.factory_parent.therapist or UserFactory(role=Role.THERAPIST)
        ),
    )
    start_date = factory.LazyFunction(timezone.localdate)
    planned_weeks = 6

    @classmethod
    def _create(cls, model_class: type, *, assessment: object, **plan: object):
        return programme_start(assessment=assessment, by=assessment.therapist, values=plan)


class CheckInFactory(factory.django.DjangoModelFactory):
    """A week's check-in as the patient's link first opens it: an empty draft (checkin_for).

    The week's prescribed sessions come from the plan; sent answers come
    only from checkin_submit (tests.assessments.programmes.support.send_week).
    """

    class Meta:
        model = "assessments.CheckIn"

    programme = factory.SubFactory(ProgrammeFactory)
    week = 1

    @classmethod
    def _create(cls, model_class: type, *, programme: object, week: int):
        return checkin_for(programme=programme, week=week)


class SubjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "assessments.Subjective"

    assessment = factory.SubFactory(AssessmentFactory)
    pain_location = "Outside of the right hip"
    nprs_now = 3
