"""Red flags from check-ins and examinations; discharge and the dashboard read flags of every source."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments.imaging.services import imaging_order_create
from assessments.models import CheckIn
from assessments.programmes.selectors import dashboard
from assessments.programmes.services.discharge import programme_discharge
from assessments.programmes.services.ladder import alert_resolve
from assessments.record.services.assessment import addendum_add, assessment_sign, assessment_start
from clinic.messaging.services import About
from patients.flags.services import red_flag_clear, red_flag_raise
from patients.models import RedFlag
from tests.assessments.programmes.support import send_week, start_programme
from tests.assessments.record.helpers import complete, save
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db


def _flags(patient):
    return list(
        RedFlag.objects.filter(patient=patient)
        .order_by("flag_code")
        .values_list("source", "flag_code", "action_level", "about_label", "note")
    )


# --- Weekly check-in --------------------------------------------------------------------------------


def test_checkin_bone_stress_answer_raises_a_stop_running_flag(therapist):
    programme = start_programme(therapist)
    result = send_week(programme, 1, flag_pain_walking=True, flag_pain_in_bed=True)
    checkin = CheckIn.objects.get(programme=programme, week=1)
    assert (checkin.flag_pain_walking, checkin.flag_pain_in_bed, checkin.flag_pain_earlier) == (
        True,
        True,
        False,
    )
    assert _flags(programme.patient) == [
        (
            "checkin",
            "bone_stress",
            "stop_running_urgent_medical",
            "assessments.checkin",
            "Week 1 check-in, answered yes: Does your hip or groin hurt when you walk?; "
            "Does your hip or groin ache or throb at night, when you are lying in bed?",
        )
    ]
    assert [f.pk for f in result.flags] == list(RedFlag.objects.values_list("pk", flat=True))
    assert RedFlag.objects.get().about_pk == str(checkin.pk)
    # The therapist is alerted to the answers, and to bone stress now being suspected.
    assert sorted(programme.alerts.values_list("kind", flat=True)) == ["bone_stress_suspected", "red_flag"]


def test_checkin_warning_answers_raise_flags_with_their_action_levels(therapist):
    programme = start_programme(therapist)
    send_week(programme, 1, flag_night_pain=True, flag_unwell=True, flag_nerve=True)
    assert [(s, c, level) for s, c, level, _, _ in _flags(programme.patient)] == [
        ("checkin", "cauda_equina", "emergency_same_day"),
        ("checkin", "infection", "emergency_same_day"),
        ("checkin", "night_constant", "urgent_medical"),
    ]


def test_checkin_without_a_yes_raises_no_flag(therapist):
    programme = start_programme(therapist)
    send_week(programme, 1)
    assert RedFlag.objects.count() == 0


# --- Examination ------------------------------------------------------------------------------------


def _signed(patient, therapist, *, special=None, impression="GTPS_GLUT_TEND"):
    assessment = assessment_start(patient=patient, therapist=therapist)
    complete(assessment, therapist, impression=impression)
    if special:
        save(assessment, therapist, findings={"special": special})
    assessment.refresh_from_db()
    return assessment_sign(assessment=assessment, by=therapist)


def test_signing_a_positive_fulcrum_test_raises_an_examination_flag(patient, therapist):
    assessment = _signed(patient, therapist, special={("fulcrum", "right"): {"result": "positive"}})
    flag = RedFlag.objects.get()
    assert (flag.source, flag.flag_code, flag.action_level, flag.raised_by, flag.about_pk, flag.note) == (
        "examination",
        "bone_stress",
        "stop_running_urgent_medical",
        therapist,
        str(assessment.pk),
        "Examination: fulcrum test positive (right)",
    )


def test_signing_a_painful_hop_test_raises_an_examination_flag(patient, therapist):
    _signed(patient, therapist, special={("hop", "right"): {"result": "positive", "pain_nprs": 6}})
    assert [(s, c, level, n) for s, c, level, _, n in _flags(patient)] == [
        (
            "examination",
            "bone_stress",
            "stop_running_urgent_medical",
            "Examination: hop test (impact tolerance) painful (right), pain 6/10",
        )
    ]


def test_signing_negative_tests_raises_no_flag(patient, therapist):
    _signed(
        patient,
        therapist,
        special={("fulcrum", "right"): {"result": "negative"}, ("hop", "right"): {"result": "negative"}},
    )
    assert RedFlag.objects.count() == 0


@pytest.mark.parametrize(
    ("impression", "code", "level"),
    [
        ("HERNIA_INGUINAL", "hernia", "routine_gp"),
        ("AVN", "avn", "urgent_medical"),
        ("SCFE", "scfe", "urgent_orthopaedic"),
        ("SEPTIC", "infection", "emergency_same_day"),
        ("TUMOUR", "malignancy", "urgent_medical"),
    ],
)
def test_signing_a_referral_impression_raises_its_flag(patient, therapist, impression, code, level):
    _signed(patient, therapist, impression=impression)
    assert [(s, c, lv) for s, c, lv, _, _ in _flags(patient)] == [("examination", code, level)]


def test_examination_flags_are_raised_once_whatever_follows_the_signature(patient, therapist):
    assessment = _signed(patient, therapist, special={("fulcrum", "right"): {"result": "positive"}})
    addendum_add(assessment=assessment, by=therapist, text="Phoned the GP.")
    from assessments.record.services.flags import assessment_flags_raise

    again = assessment_flags_raise(assessment=assessment, by=therapist)
    assert [f.pk for f in again] == list(RedFlag.objects.values_list("pk", flat=True))
    assert RedFlag.objects.count() == 1


# --- Discharge ---------------------------------------------------------------------------------------


def _raise(programme, source, therapist):
    """One open flag from `source`; the alerts it brings are resolved, so only the flag holds discharge."""
    if source == "checkin":
        send_week(programme, 1, flag_pain_earlier=True)
    elif source == "examination":
        _signed(programme.patient, therapist, special={("fulcrum", "right"): {"result": "positive"}})
    else:
        red_flag_raise(
            patient=programme.patient,
            code="night_constant",
            source=source,
            action_level="urgent_medical",
            note="Raised by hand",
            by=therapist,
        )
    for alert in programme.alerts.filter(resolved_at__isnull=True):
        alert_resolve(alert=alert, by=therapist, resolution="Called; seen tomorrow.")


@pytest.mark.parametrize("source", ["patient", "checkin", "examination", "clinician"])
def test_discharge_is_refused_while_a_flag_of_any_source_is_open(therapist, source):
    programme = start_programme(therapist)
    _raise(programme, source, therapist)
    with pytest.raises(ValidationError) as excinfo:
        programme_discharge(
            programme=programme, by=therapist, reason="plateau", notes="", home_plan="", maintenance=[]
        )
    assert excinfo.value.messages == [
        "Clear the patient's 1 open red flag (from any source) on the patient page before discharging."
    ]
    programme.refresh_from_db()
    assert programme.status == "active"
    red_flag_clear(flag=RedFlag.objects.get(), by=therapist, action_taken="Reviewed: safe to discharge.")
    for alert in programme.alerts.filter(resolved_at__isnull=True):  # bone stress no longer suspected
        alert_resolve(alert=alert, by=therapist, resolution="Noted.")
    programme_discharge(
        programme=programme, by=therapist, reason="plateau", notes="", home_plan="", maintenance=[]
    )
    programme.refresh_from_db()
    assert programme.status == "discharged"


def test_discharge_page_shows_the_refusal(therapist_client, therapist):
    programme = start_programme(therapist)
    _raise(programme, "clinician", therapist)
    response = therapist_client.post(
        reverse("assessments:programme_discharge", args=[programme.pk]), {"reason": "plateau"}
    )
    assert response.status_code == 400
    assert (
        "Clear the patient&#x27;s 1 open red flag (from any source) on the patient page before discharging."
        in response.content.decode()
    )


# --- Dashboard -----------------------------------------------------------------------------------------


def test_dashboard_open_red_flag_needs_attention(therapist):
    programme = start_programme(therapist)
    send_week(programme, 1)
    for code in ("hernia", "night_constant"):
        red_flag_raise(
            patient=programme.patient,
            code=code,
            source="clinician",
            action_level="routine_gp",
            note="x",
            by=therapist,
        )
    [row] = dashboard(therapist=therapist, today=date(2026, 3, 9)).rows
    assert (row.status.status, row.status.reasons) == ("attention", ("2 open red flags to review.",))
    assert [f.flag_code for f in row.open_flags] == ["hernia", "night_constant"]


def test_dashboard_outstanding_imaging_needs_attention(therapist):
    programme = start_programme(therapist)
    send_week(programme, 1)
    imaging_order_create(
        assessment=programme.assessment,
        by=therapist,
        modality="MRI",
        region="hip",
        side="right",
        indication="suspected_bsi",
        indication_detail="Groin pain with impact.",
    )
    [row] = dashboard(therapist=therapist, today=date(2026, 3, 9)).rows
    assert (row.status.status, row.status.reasons) == ("attention", ("1 imaging order outstanding.",))


def test_dashboard_cleared_flag_is_on_track_again(therapist):
    programme = start_programme(therapist)
    send_week(programme, 1)
    flag = red_flag_raise(
        patient=programme.patient,
        code="hernia",
        source="clinician",
        action_level="routine_gp",
        note="x",
        by=therapist,
    )
    red_flag_clear(flag=flag, by=therapist, action_taken="GP letter: no hernia.")
    [row] = dashboard(therapist=therapist, today=date(2026, 3, 9)).rows
    assert (row.status.status, row.open_flags) == ("on_track", [])


@pytest.mark.parametrize("count", [1, 3])
def test_dashboard_with_flags_and_imaging_reads_a_fixed_number_of_queries(
    therapist, count, django_assert_num_queries
):
    for n in range(count):
        programme = start_programme(therapist, patient=PatientFactory(last_name=f"Runner{n}"))
        send_week(programme, 1)
        red_flag_raise(
            patient=programme.patient,
            code="night_constant",
            source="checkin",
            action_level="urgent_medical",
            about=About(label="assessments.checkin", pk=f"x{n}"),
        )
        imaging_order_create(
            assessment=programme.assessment,
            by=therapist,
            modality="XR",
            region="hip",
            side="right",
            indication="fai_morphology",
            indication_detail="Pinch in deep flexion.",
        )
    # Counts per status; programmes, check-ins, runs, alerts, open red flags, outstanding imaging.
    with django_assert_num_queries(7):
        rows = dashboard(therapist=therapist, today=date(2026, 3, 9)).rows
    assert [r.status.status for r in rows] == ["attention"] * count
    assert [r.status.reasons for r in rows] == [
        ("1 open red flag to review.", "1 imaging order outstanding.")
    ] * count
