"""The phase editor's exercise picker with suspected bone stress: impact work marked before it is chosen."""

import re

import pytest
from django.urls import reverse

from assessments.imaging.services import imaging_order_advance, imaging_order_create
from assessments.models import Exercise, ImagingOrder
from assessments.programmes.services.plan import ExerciseLine, ProgrammeError, phase_save
from tests.assessments.programmes.support import start_programme
from tests.factories import PatientFactory, SignedAssessmentFactory

pytestmark = pytest.mark.django_db

SUFFIX = "— not while bone stress is suspected"


def _option(html, exercise):
    match = re.search(rf'<option value="{exercise.pk}"[^>]*>([^<]*)</option>', html)
    return match.group(1) if match else None


def _data(programme, exercise, **row):
    phase = programme.phases.get(kind="heavy_functional")
    return {
        "version": str(programme.version),
        "start_week": str(phase.start_week),
        "end_week": str(phase.end_week),
        "notes": "Walk–run when cleared.",
        "ex-TOTAL_FORMS": "1",
        "ex-INITIAL_FORMS": "0",
        "ex-MIN_NUM_FORMS": "0",
        "ex-MAX_NUM_FORMS": "20",
        "ex-0-exercise": str(exercise.pk),
        "ex-0-load_note": "20 foot contacts",
        "ex-0-frequency_per_week": "2",
        **{f"ex-0-{name}": value for name, value in row.items()},
    }


def _phase(programme):
    phase = programme.phases.get(kind="heavy_functional")
    return phase, reverse("assessments:programme_phase", args=[programme.pk, phase.pk])


def test_picker_marks_impact_exercises_before_one_is_chosen(therapist_client, therapist):
    programme = start_programme(therapist, code="BSI_FEM_NECK", runs_per_week=2)
    _, url = _phase(programme)

    html = therapist_client.get(url).content.decode()

    plyo, hills, bridge = (Exercise.objects.get(code=c) for c in ("PLYO", "HILL_SPRINT", "BRIDGE"))
    assert _option(html, plyo) == f"{plyo.name} {SUFFIX}"
    assert _option(html, hills) == f"{hills.name} {SUFFIX}"
    assert _option(html, bridge) == bridge.name
    assert 'id="bone-stress-picker-note"' in html
    assert "BSI_" not in html


def test_picker_marks_nothing_without_bone_stress(therapist_client, therapist):
    programme = start_programme(therapist)
    _, url = _phase(programme)

    html = therapist_client.get(url).content.decode()

    plyo = Exercise.objects.get(code="PLYO")
    assert (_option(html, plyo), SUFFIX in html, 'id="bone-stress-picker-note"' in html) == (
        plyo.name,
        False,
        False,
    )


def test_adding_an_impact_exercise_needs_a_reason_and_keeps_what_was_typed(therapist_client, therapist):
    programme = start_programme(therapist, code="BSI_FEM_NECK", runs_per_week=2)
    phase, url = _phase(programme)
    before = list(phase.exercises.values_list("exercise__code", flat=True))
    plyo = Exercise.objects.get(code="PLYO")

    response = therapist_client.post(url, _data(programme, plyo))
    html = response.content.decode()
    form = response.context["formset"].forms[0]

    assert response.status_code == 400
    assert form.errors["contraindication_reason"] == [
        "Bone stress is suspected: give the reason for prescribing this impact exercise, or choose another."
    ]
    assert "20 foot contacts" in html and "Walk–run when cleared." in html
    assert f'<option value="{plyo.pk}" selected>' in html
    assert list(phase.exercises.values_list("exercise__code", flat=True)) == before


def test_the_reason_is_stored_and_shown_on_the_programme_page(therapist_client, therapist):
    programme = start_programme(therapist, code="BSI_FEM_NECK", runs_per_week=2)
    phase, url = _phase(programme)
    plyo = Exercise.objects.get(code="PLYO")
    reason = "Cleared by the sports physician after a normal repeat MRI."

    response = therapist_client.post(url, _data(programme, plyo, contraindication_reason=reason))
    detail = therapist_client.get(
        reverse("assessments:programme_detail", args=[programme.pk])
    ).content.decode()

    assert response.status_code == 302
    assert list(phase.exercises.values_list("exercise__code", "contraindication_reason")) == [
        ("PLYO", reason)
    ]
    assert f"Prescribed despite suspected bone stress: {reason}" in detail
    assert "BSI_" not in detail


def test_phase_save_refuses_an_impact_exercise_without_a_reason(therapist):
    programme = start_programme(therapist, code="BSI_PELVIS", runs_per_week=2)
    phase = programme.phases.get(kind="heavy_functional")
    plyo = Exercise.objects.get(code="PLYO")

    with pytest.raises(ProgrammeError) as caught:
        phase_save(
            phase=phase,
            by=therapist,
            expected_version=programme.version,
            values={},
            lines=[ExerciseLine(plyo, {"load_note": "20 foot contacts"}, "  ")],
        )

    assert caught.value.messages == [
        "Bone stress is suspected: give the reason for prescribing Hops, bounding and jump squats (plyometrics)."
    ]


def test_a_programme_in_bone_stress_mode_from_imaging_starts_without_impact_work(therapist):
    patient = PatientFactory()
    assessment = SignedAssessmentFactory(patient=patient, therapist=therapist)
    order = imaging_order_create(
        assessment=assessment,
        by=therapist,
        modality="MRI",
        region="hip",
        side="right",
        indication="suspected_bsi",
        indication_detail="Groin pain on impact.",
    )
    imaging_order_advance(
        order=order,
        by=therapist,
        status="reported",
        expected_version=1,
        reported_on=order.ordered_at.date(),
        report_summary="Femoral neck oedema.",
        report_finding="stress_reaction",
    )

    programme = start_programme(therapist, patient=patient, runs_per_week=2)

    codes = set(
        programme.phases.values_list("exercises__exercise__code", flat=True).exclude(exercises__isnull=True)
    )
    assert (programme.bone_stress, ImagingOrder.objects.filter(patient=patient).count()) == (True, 1)
    assert {"PLYO", "HILL_SPRINT"} & codes == set()
