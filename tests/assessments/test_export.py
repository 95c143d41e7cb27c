"""A demo patient's export holds their clinical record: assessments, imaging, programme, check-ins, emails."""

import json

import pytest
from django.core.serializers.json import DjangoJSONEncoder

from assessments.demo import assessments as demo_assessments
from assessments.demo import programmes as demo_programmes
from assessments.models import Assessment, CheckIn, ImagingOrder, Programme
from assessments.programmes.services.links import link_issue
from clinic.messaging.models import ScheduledMessage
from clinic.staff import demo as demo_staff
from patients.demo import appointments as demo_appointments
from patients.demo import intake as demo_intake
from patients.demo import patients as demo_patients
from patients.identity.export import patient_export
from patients.links.core import token_hash

pytestmark = pytest.mark.django_db

_encode = DjangoJSONEncoder().default


@pytest.fixture
def demo_patient():
    """The demo clinic as `manage.py demo_load` makes it; a patient with imaging, a programme and check-ins."""
    staff = demo_staff.load()
    patients = demo_patients.load()
    demo_appointments.load(patients, booked_by=staff["desk@stride.example"])
    demo_intake.load()
    demo_assessments.load()
    demo_programmes.load()
    programme = (
        Programme.objects.filter(patient__imaging_orders__isnull=False, checkins__isnull=False)
        .select_related("patient")
        .order_by("patient__last_name", "patient_id")
        .first()
    )
    return programme.patient


def _exported(patient) -> dict[str, object]:
    # As the download carries it.
    return json.loads(json.dumps(patient_export(patient=patient), cls=DjangoJSONEncoder))["sections"]


def test_demo_patient_export_holds_the_clinical_record(demo_patient):
    programme = demo_patient.programmes.get()
    token = link_issue(programme=programme, by=programme.therapist, emailed=False)

    sections = _exported(demo_patient)

    assessments = list(Assessment.objects.filter(patient=demo_patient).order_by("created_at", "pk"))
    assert [(a["id"], a["kind"], a["status"]) for a in sections["assessments"]] == [
        (a.pk, a.kind, a.status) for a in assessments
    ]
    first = sections["assessments"][0]
    assert (first["kind"], first["status"]) == ("initial", "signed")
    assert [i["code"] for i in first["impressions"]] == list(
        assessments[0].impressions.order_by("pk").values_list("code", flat=True)
    )
    findings = ("single_leg_stances", "single_leg_squats", "special_tests", "palpations", "strength_tests")
    counts = {name: len(first[name]) for name in findings}
    assert counts == {name: getattr(assessments[0], name).count() for name in findings}
    assert sum(counts.values()) > 0
    assert first["subjective"]["assessment_id"] == assessments[0].pk

    orders = ImagingOrder.objects.filter(patient=demo_patient).order_by("ordered_at", "pk")
    assert [
        (o["id"], o["modality"], o["status"], o["assessment_id"]) for o in sections["imaging_orders"]
    ] == [(o.pk, o.modality, o.status, o.assessment_id) for o in orders]
    assert len(sections["imaging_orders"]) >= 1

    [exported_programme] = sections["programmes"]
    assert (
        exported_programme["id"],
        exported_programme["start_date"],
        exported_programme["planned_weeks"],
    ) == (
        programme.pk,
        programme.start_date.isoformat(),
        programme.planned_weeks,
    )
    assert [p["kind"] for p in exported_programme["phases"]] == list(
        programme.phases.values_list("kind", flat=True)
    )
    assert [e["exercise_code"] for p in exported_programme["phases"] for e in p["exercises"]] == [
        e.exercise.code for p in programme.phases.all() for e in p.exercises.select_related("exercise")
    ]
    assert [link["id"] for link in exported_programme["links"]] == list(
        programme.links.values_list("pk", flat=True)
    )

    checkins = CheckIn.objects.filter(programme=programme).order_by("week")
    assert [
        (c["id"], c["week"], c["status"], c["pain_worst"], len(c["runs"])) for c in sections["checkins"]
    ] == [(c.pk, c.week, c.status, c.pain_worst, c.runs.count()) for c in checkins]
    assert len(sections["checkins"]) >= 2

    messages = ScheduledMessage.objects.filter(patient_id=demo_patient.pk).order_by("due_at", "pk")
    assert [(m["id"], m["kind"], m["due_at"]) for m in sections["messages"]] == [
        (m.pk, m.kind, _encode(m.due_at)) for m in messages
    ]
    kinds = {m["kind"] for m in sections["messages"]}
    assert {"appointment_confirmation", "home_exercise", "weekly_checkin"} <= kinds

    # The link just issued is listed by its dates; its token and hash are not.
    text = json.dumps(sections)
    assert token not in text and token_hash(token) not in text and "token_hash" not in text
