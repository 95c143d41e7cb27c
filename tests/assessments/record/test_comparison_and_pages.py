"""Re-assessment comparison, the hub's clinical section, the to-do list, links from visits, access."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Assessment
from assessments.record.presenters import comparison
from assessments.record.selectors import (
    assessment_for_page,
    latest_signed_assessment,
    previous_signed,
    primary_impression,
)
from assessments.record.services.assessment import assessment_sign, assessment_start
from clinic.staff.choices import Role
from tests.assessments.record.helpers import save
from tests.factories import AppointmentFactory, UserFactory
from tests.patients.careteam.support import treat

pytestmark = pytest.mark.django_db
D = Decimal


def _abductors(involved: int, uninvolved: int) -> dict:
    return {
        ("hip_abductors", "right"): {"position": "supine", "trial_1_n": D(involved)},
        ("hip_abductors", "left"): {"position": "supine", "trial_1_n": D(uninvolved)},
    }


def _assessed(patient, therapist, *, kind, involved, uninvolved, rest):
    assessment = assessment_start(patient=patient, therapist=therapist, kind=kind)
    save(
        assessment,
        therapist,
        header={"index_side": "right", "pain_rest_nprs": rest},
        subjective={"nprs_now": rest},
        findings={
            "strength": _abductors(involved, uninvolved),
            "special": {("fadir", "right"): {"result": "positive" if kind == "initial" else "negative"}},
        },
        impressions=[{"code": "GTPS_GLUT_TEND", "side": "right"}],
    )
    assessment.refresh_from_db()
    return assessment


def _sign(assessment, therapist):
    return assessment_sign(assessment=assessment, by=therapist)


def test_reassessment_shows_previous_values_with_the_change(therapist_client, patient, therapist):
    first = _assessed(patient, therapist, kind="initial", involved=117, uninvolved=150, rest=4)  # LSI 78.0 %
    _sign(first, therapist)
    second = _assessed(
        patient, therapist, kind="reassessment", involved=138, uninvolved=150, rest=1
    )  # LSI 92.0 %

    previous = previous_signed(assessment_for_page(second.pk))
    changes = {(c.section, c.label): c for c in comparison(previous, assessment_for_page(second.pk))}

    lsi = changes[("Strength LSI", "Hip abductors (glute medius)")]
    assert (lsi.before, lsi.after, lsi.delta, lsi.trend) == ("78.0 %", "92.0 %", "+14.0 %", "better")
    rest = changes[("Pain", "At rest (NPRS)")]
    assert (rest.before, rest.after, rest.trend) == ("4", "1", "better")
    fadir = changes[("Special tests", "FADIR, right")]
    assert (fadir.before, fadir.after, fadir.trend) == ("Positive", "Negative", "better")
    page = therapist_client.get(reverse("assessments:edit", kwargs={"pk": second.pk})).content.decode()
    assert "78.0 % → 92.0 % (+14.0 %)" in page


def test_programme_hand_off_reads(patient, therapist):
    first = _assessed(patient, therapist, kind="initial", involved=117, uninvolved=150, rest=4)
    _sign(first, therapist)

    latest = latest_signed_assessment(patient)
    assert (latest.pk, latest.index_side, primary_impression(latest).code) == (
        first.pk,
        "right",
        "GTPS_GLUT_TEND",
    )


def test_hub_lists_assessments_for_clinicians_only(client, patient, therapist):
    _sign(_assessed(patient, therapist, kind="initial", involved=117, uninvolved=150, rest=4), therapist)
    url = reverse("patients:detail", kwargs={"pk": patient.pk})

    client.force_login(therapist)
    clinical = client.get(url).content.decode()
    client.force_login(UserFactory(role=Role.FRONT_DESK))
    desk = client.get(url).content.decode()

    assert "Initial assessment," in clinical and "New assessment" in clinical
    assert "Gluteal tendinopathy" in clinical
    assert "Initial assessment," not in desk and "Gluteal tendinopathy" not in desk


def test_todo_shows_drafts_older_than_24_hours(therapist_client, patient, therapist):
    stale = assessment_start(patient=patient, therapist=therapist)
    fresh = assessment_start(patient=patient, therapist=therapist)
    someone_elses = assessment_start(patient=patient, therapist=UserFactory(role=Role.THERAPIST))
    Assessment.objects.filter(pk__in=[stale.pk, someone_elses.pk]).update(
        updated_at=timezone.now() - timedelta(hours=25)
    )

    response = therapist_client.get(reverse("assessments:todo"))

    assert [a.pk for a in response.context["stale"]] == [stale.pk]
    assert [a.pk for a in response.context["drafts"]] == [fresh.pk]
    assert "Drafts older than 24 h" in response.content.decode()


@pytest.fixture
def visit(patient, physio, location, evaluation):
    """The patient's evaluation with `physio`, an hour from now."""
    return AppointmentFactory(
        patient=patient,
        therapist=physio,
        location=location,
        appointment_type=evaluation,
        starts_at=timezone.now().replace(second=0, microsecond=0) + timedelta(hours=1),
    )


def test_visit_links_to_start_then_to_its_assessment(client, visit, physio):
    client.force_login(physio.user)
    url = reverse("assessments:for_appointment", kwargs={"pk": visit.pk})

    first = client.get(url)
    started = client.post(first["Location"], {"kind": "initial", "appointment": visit.pk})
    again = client.get(url)

    assessment = Assessment.objects.get(appointment=visit)
    assert (
        first["Location"]
        == f"{reverse('assessments:start', kwargs={'patient_pk': visit.patient_id})}?appointment={visit.pk}"
    )
    assert started["Location"] == reverse("assessments:edit", kwargs={"pk": assessment.pk})
    assert again["Location"] == reverse("assessments:edit", kwargs={"pk": assessment.pk})
    assert assessment.kind == "initial"
    detail = client.get(reverse("patients:appointment", kwargs={"pk": visit.pk})).content.decode()
    assert "Start/continue assessment" in detail


def test_colleague_following_a_visit_link_reads_the_record(client, visit, physio, therapist):
    assessment = assessment_start(patient=visit.patient, therapist=physio.user, appointment=visit)
    treat(therapist, visit.patient)  # covering the colleague's list
    client.force_login(therapist)

    response = client.get(reverse("assessments:for_appointment", kwargs={"pk": visit.pk}))

    assert response["Location"] == reverse("assessments:detail", kwargs={"pk": assessment.pk})


def test_front_desk_is_refused_every_assessment_page(front_desk_client, patient, therapist, visit):
    draft = assessment_start(patient=patient, therapist=therapist)
    _sign(_assessed(patient, therapist, kind="initial", involved=100, uninvolved=120, rest=2), therapist)
    from assessments.imaging.services import imaging_order_create

    order = imaging_order_create(
        assessment=draft,
        by=therapist,
        modality="XR",
        region="hip",
        side="right",
        indication="osteoarthritis",
        indication_detail="Stiffness",
    )
    urls = [
        reverse("assessments:todo"),
        reverse("assessments:start", kwargs={"patient_pk": patient.pk}),
        reverse("assessments:for_appointment", kwargs={"pk": visit.pk}),
        reverse("assessments:imaging_list"),
        reverse("assessments:imaging_detail", kwargs={"pk": order.pk}),
        *(
            reverse(name, kwargs={"pk": draft.pk})
            for name in (
                "assessments:detail",
                "assessments:edit",
                "assessments:autosave",
                "assessments:summary",
                "assessments:imaging_new",
            )
        ),
    ]

    statuses = {
        url: (front_desk_client.get(url).status_code, front_desk_client.post(url, {}).status_code)
        for url in urls
    }

    assert statuses == dict.fromkeys(urls, (403, 403))
