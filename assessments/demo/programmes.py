"""Demo programmes for the in-treatment demo patients (fictional; for `make run`).

Every patient with a signed initial assessment from assessments.demo.assessments gets a
programme at some point of its course, with the check-ins sent so far:
on track, on the run ladder, behind on home exercise, needing attention
(the bone stress patient logs a painful run and answers that walking hurts:
a check-in red flag; the other bone stress patient has a red flag the
therapist raised by hand; both show the zero-impact gate not ready, with the days left and
no clearance), a third bone stress patient past the six weeks without impact, cleared by the
sports physician and on the run ladder, one whose hip MRI is reported
as a stress reaction mid-programme (bone stress switches on: the therapist's
alert and the history show it), and one discharged with a measured result.
Idempotent: patients who already have a programme are left alone.
Everything is written through the services; check-ins are then dated back
to their weeks (the services stamp "now"). The append-only history
(revisions, ladder steps) keeps the load time.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from assessments.imaging.choices import (
    ImagingIndication,
    ImagingModality,
    ImagingRegion,
    ImagingRoute,
    ImagingStatus,
    ReportFinding,
    Urgency,
)
from assessments.imaging.services import imaging_order_advance, imaging_order_create
from assessments.models import Assessment, CheckIn, Exercise, Programme
from assessments.programmes.choices import CHECKIN_SAFETY_QUESTIONS
from assessments.programmes.rules import READINESS_CODES, max_runs_per_week
from assessments.programmes.services.checkins import checkin_for, checkin_submit
from assessments.programmes.services.discharge import outcome_record, programme_discharge
from assessments.programmes.services.ladder import programme_impact_clear, readiness_record
from assessments.programmes.services.plan import phase_move, programme_start
from assessments.programmes.services.status import programme_status_refresh
from assessments.record.choices import AssessmentKind, AssessmentStatus, Side
from assessments.record.selectors import has_bone_stress
from patients.flags.services import red_flag_raise
from patients.intake.choices import ActionLevel, FlagSource, RedFlagCode

SCENARIOS = ("on_track", "ladder", "behind", "discharged", "imaging")
LEFS_END = [4, 3, 3, 4, 3, 4, 4, 3, 3, 3, 3, 3, 3, 3, 4, 4, 3, 3, 3, 4]


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _week(
    programme: Programme,
    week: int,
    *,
    worst: int,
    now_pain: int,
    sessions: int,
    runs: list[tuple[int, str, int]] = (),
    run_pain: int | None = None,
    morning: int | None = None,
    comments: str = "",
    **flags: bool,
) -> CheckIn:
    """Send one week's check-in, then date it to that week's Sunday evening.

    `flags`: safety questions answered "yes" (CHECKIN_SAFETY_QUESTIONS names); the others are "no".
    """
    start = programme.week_start(week)
    checkin = checkin_for(programme=programme, week=week)
    logged = [
        {
            "date": start + timedelta(days=day),
            "distance_km": Decimal(km),
            "minutes": minutes,
            "surface": "road",
            "shoes": "Ghost 15",
        }
        for day, km, minutes in runs
    ]
    answers = {
        "pain_now": now_pain,
        "pain_worst": worst,
        "sessions_done": sessions,
        "run_pain_during": run_pain,
        "run_pain_after": run_pain,
        "pain_next_morning": morning,
        "sleep": "7 h, fine",
        "stress": "work busy",
        "comments": comments,
        **{name: flags.get(name, False) for name, _ in CHECKIN_SAFETY_QUESTIONS},
    }
    checkin_submit(checkin=checkin, answers=answers, runs=logged, version=checkin.version)
    sent = datetime.combine(start + timedelta(days=6), time(19), tzinfo=ZoneInfo(programme.time_zone))
    CheckIn.objects.filter(pk=checkin.pk).update(submitted_at=sent, created_at=sent, updated_at=sent)
    # The story's send time moved: the programme's check-in summary follows it.
    programme_status_refresh(programme=programme)
    return checkin


def _start(assessment: Assessment, *, start: date, weeks: int, **values: object) -> Programme:
    therapist = assessment.therapist
    bone_stress = has_bone_stress(assessment=assessment)
    plan = {
        "start_date": start,
        "planned_weeks": weeks,
        "visits_per_week": 2,
        "goals": assessment.subjective.goals
        if hasattr(assessment, "subjective") and assessment.subjective.goals
        else "Back to pain-free running",
        "exercise_days": "0,2,4",
        "reminder_time": time(8),
        "checkin_weekday": 6,
        "checkin_time": time(18),
        "baseline_morning_pain": 1,
        "runs_per_week": max_runs_per_week(bone_stress=bone_stress),
        "progression_rules": "Add load when the last set feels easy; hold the run ladder if pain passes 3/10.",
        **values,
    }
    return programme_start(assessment=assessment, by=therapist, values=plan)


def _runs(count: int, minutes: int = 30, km: str = "4.5") -> list[tuple[int, str, int]]:
    return [(1 + 2 * n, km, minutes) for n in range(count)]


def _on_track(assessment: Assessment, today: date) -> Programme:
    programme = _start(assessment, start=_monday(today) - timedelta(weeks=3), weeks=6)
    phase_move(
        programme=programme, by=assessment.therapist, kind="strengthen", note="Settled: daily pain 2/10."
    )
    for week, worst, sessions in ((1, 5, 3), (2, 4, 2), (3, 3, 3)):
        _week(
            programme,
            week,
            worst=worst,
            now_pain=max(0, worst - 2),
            sessions=sessions,
            runs=_runs(2, 25, "4"),
            run_pain=2,
            morning=1,
        )
    return programme


def _ladder(assessment: Assessment, today: date) -> Programme:
    programme = _start(
        assessment,
        start=_monday(today) - timedelta(weeks=4),
        weeks=8,
        race_name="Riverside 10K",
        race_date=today + timedelta(weeks=10),
    )
    therapist = assessment.therapist
    _week(programme, 1, worst=5, now_pain=2, sessions=3)
    _week(programme, 2, worst=4, now_pain=1, sessions=3)
    phase_move(programme=programme, by=therapist, kind="return_to_run", note="Readiness tests pain-free.")
    readiness_record(programme=programme, by=therapist, results={c: (True, 1) for c in READINESS_CODES})
    _week(programme, 3, worst=3, now_pain=1, sessions=3, runs=_runs(3), run_pain=2, morning=1)
    _week(programme, 4, worst=2, now_pain=0, sessions=2, runs=_runs(3), run_pain=1, morning=1)
    return programme


def _behind(assessment: Assessment, today: date) -> Programme:
    programme = _start(assessment, start=_monday(today) - timedelta(weeks=2), weeks=6)
    _week(programme, 1, worst=5, now_pain=3, sessions=2)
    _week(programme, 2, worst=5, now_pain=3, sessions=1, comments="Busy week: only one session.")
    return programme


def _attention(assessment: Assessment, today: date) -> Programme:
    """The bone stress patient: a short run with pain, so the therapist is alerted."""
    programme = _start(assessment, start=_monday(today) - timedelta(weeks=2), weeks=8)
    _week(programme, 1, worst=4, now_pain=2, sessions=3)
    _week(
        programme,
        2,
        worst=4,
        now_pain=2,
        sessions=3,
        runs=[(2, "3", 20)],
        run_pain=3,
        morning=2,
        comments="Tried a short jog, groin ached.",
        # The check-in raises a bone-stress red flag (source check-in) for the therapist to clear.
        flag_pain_walking=True,
    )
    return programme


def _settling(assessment: Assessment, today: date) -> Programme:
    """A bone stress patient keeping to pain-free cross-training (no running yet)."""
    programme = _start(assessment, start=_monday(today) - timedelta(weeks=2), weeks=8)
    _week(programme, 1, worst=3, now_pain=1, sessions=3, comments="Pool running twice, no pain.")
    _week(programme, 2, worst=2, now_pain=1, sessions=3)
    # A red flag the therapist raised by hand after a phone call (source clinician).
    red_flag_raise(
        patient=programme.patient,
        code=RedFlagCode.NIGHT_CONSTANT,
        source=FlagSource.CLINICIAN,
        action_level=ActionLevel.URGENT_MEDICAL,
        note="Phoned after week 2: night pain wakes her twice a week, unrelated to activity. "
        "GP review for bloods requested.",
        by=assessment.therapist,
    )
    return programme


def _cleared(assessment: Assessment, today: date) -> Programme:
    """A bone stress patient past the 6 weeks without impact, cleared by the sports physician, on the ladder."""
    start = _monday(today) - timedelta(weeks=7)
    programme = _start(assessment, start=start, weeks=8)
    therapist = assessment.therapist
    for week in range(1, 7):
        _week(
            programme,
            week,
            worst=max(1, 4 - week // 2),
            now_pain=1,
            sessions=3,
            comments="Pool running, pain-free.",
        )
    cleared_on = min(today, start + timedelta(weeks=6))
    programme_impact_clear(
        programme=programme,
        by=therapist,
        on=cleared_on,
        note="Sports physician review: repeat MRI shows the femoral neck stress reaction healed; walking "
        "30 minutes pain-free.",
    )
    phase_move(programme=programme, by=therapist, kind="return_to_run", note="Cleared for impact.")
    readiness_record(programme=programme, by=therapist, results={c: (True, 0) for c in READINESS_CODES})
    _week(
        programme,
        7,
        worst=1,
        now_pain=0,
        sessions=3,
        runs=[(1, "3.5", 30), (4, "3.6", 30)],
        run_pain=0,
        morning=1,
    )
    programme.refresh_from_db()
    return programme


def _imaging(assessment: Assessment, today: date) -> Programme:
    """Groin pain not settling: the MRI ordered in week 2 is reported as a stress reaction in week 3."""
    programme = _start(assessment, start=_monday(today) - timedelta(weeks=3), weeks=6)
    therapist = assessment.therapist
    _week(programme, 1, worst=4, now_pain=2, sessions=3, runs=_runs(2, 20, "3"), run_pain=3, morning=2)
    _week(
        programme,
        2,
        worst=5,
        now_pain=3,
        sessions=3,
        runs=_runs(2, 20, "3"),
        run_pain=4,
        morning=3,
        comments="Groin aches earlier in each run now.",
    )
    order = imaging_order_create(
        assessment=assessment,
        by=therapist,
        modality=ImagingModality.MRI,
        region=ImagingRegion.HIP,
        side=assessment.index_side or Side.BILATERAL,
        indication=ImagingIndication.SUSPECTED_BSI,
        indication_detail="Groin pain coming on earlier in each run, aching the next morning; rule out "
        "a femoral neck stress injury.",
        question="Femoral neck bone stress injury? Grade if present.",
        urgency=Urgency.URGENT,
        route=ImagingRoute.REFERRED_TO_SPORTS_PHYSICIAN,
    )
    order = imaging_order_advance(
        order=order, by=therapist, status=ImagingStatus.BOOKED, expected_version=order.version
    )
    imaging_order_advance(
        order=order,
        by=therapist,
        status=ImagingStatus.REPORTED,
        expected_version=order.version,
        reported_on=min(today, programme.week_start(3) + timedelta(days=2)),
        report_summary="Marrow oedema at the medial femoral neck without a fracture line: stress reaction.",
        report_finding=ReportFinding.STRESS_REACTION,
    )
    programme.refresh_from_db()
    return programme


def _discharged(assessment: Assessment, today: date) -> Programme:
    programme = _start(assessment, start=_monday(today) - timedelta(weeks=7), weeks=6)
    therapist = assessment.therapist
    readiness_record(programme=programme, by=therapist, results={c: (True, 0) for c in READINESS_CODES})
    for week, worst in ((1, 6), (2, 5), (3, 4), (4, 3), (5, 2), (6, 1)):
        _week(
            programme,
            week,
            worst=worst,
            now_pain=max(0, worst - 2),
            sessions=3,
            runs=_runs(3),
            run_pain=1,
            morning=1,
        )
    outcome_record(
        programme=programme,
        timepoint="end",
        lefs_items=LEFS_END,
        psfs_ratings=[],
        nprs_worst=1,
        source="clinician",
        by=therapist,
    )
    maintenance = list(Exercise.objects.filter(code__in=["SL_BRIDGE", "SIDE_PLANK", "SL_RDL", "CALF_RAISE"]))
    programme_discharge(
        programme=programme,
        by=therapist,
        reason="goals_met",
        maintenance=maintenance,
        notes="Running 30 min continuous, pain-free; abductor LSI above 90 %.",
        home_plan="Strength twice a week (20–30 min). Build running by no more than 10 % a week.",
    )
    ended = datetime.combine(
        programme.end_date + timedelta(days=1), time(11), tzinfo=ZoneInfo(programme.time_zone)
    )
    Programme.objects.filter(pk=programme.pk).update(discharged_at=ended)
    return programme


def load(*, now: datetime | None = None) -> int:
    """Give the in-treatment demo patients their programmes; returns how many were made."""
    now = now or timezone.now()
    today = now.astimezone(ZoneInfo(settings.CLINIC_TIME_ZONE)).date()
    initials = (
        Assessment.objects.filter(
            kind=AssessmentKind.INITIAL, status=AssessmentStatus.SIGNED, patient__programmes__isnull=True
        )
        .select_related("patient", "therapist")
        .order_by("patient__last_name", "patient_id")
    )
    made = 0
    builders = {
        "on_track": _on_track,
        "ladder": _ladder,
        "behind": _behind,
        "discharged": _discharged,
        "imaging": _imaging,
    }
    plain = bone_stress = 0
    for assessment in initials:
        if has_bone_stress(assessment=assessment):
            (_attention, _settling, _cleared)[min(bone_stress, 2)](assessment, today)
            bone_stress += 1
        else:
            scenario = SCENARIOS[plain % len(SCENARIOS)]
            # One MRI-switched programme tells the story; more would fill the review list.
            if scenario == "imaging" and plain >= len(SCENARIOS):
                scenario = "on_track"
            builders[scenario](assessment, today)
            plain += 1
        made += 1
    return made
