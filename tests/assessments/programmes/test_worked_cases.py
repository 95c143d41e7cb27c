"""Worked cases of the examination and weekly check-in rules: named patients → flags, decisions and messages.

This data is authoritative. The tables in docs/clinical-rules.md ("Worked cases: examination and weekly
check-ins") are generated from it: `python -m tests.assessments.programmes.test_worked_cases` prints them,
and a test fails when the docs differ. Every row runs through the pure rules only: the examination's red
flags (assessments.record.exam_flags), the zero-impact gate (rules.impact), the ladder decision
(rules.ladder) and the 10 % distance warning (rules.load).
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from assessments.programmes.rules import (
    LoggedRun,
    WeekCheckIn,
    distance_rise_warning,
    impact_gate,
    ladder_decision,
)
from assessments.record.exam_flags import SpecialFinding, examination_flags
from patients.intake.choices import ActionLevel, RedFlagCode

DOCS = Path(__file__).resolve().parents[3] / "docs" / "clinical-rules.md"
START, END = "<!-- worked-cases-programme:start -->", "<!-- worked-cases-programme:end -->"

C, L = RedFlagCode, ActionLevel

# --- Examination findings → red flags ----------------------------------------


@dataclass(frozen=True)
class ExamCase:
    name: str
    tests: list[SpecialFinding]
    impressions: list[str] = field(default_factory=list)
    flags: list[tuple[str, str]] = field(default_factory=list)
    note_words: list[str] = field(default_factory=list)  # must appear in the flags' notes


def finding(
    test: str, side: str = "right", result: str = "", pain: int | None = None, provoked: bool = False
):
    """A performed special test."""
    return SpecialFinding(test, side, True, result, pain_provoked=provoked, pain_nprs=pain)


EXAM_CASES = [
    ExamCase(
        "Maya, femoral-neck reaction, fulcrum positive",
        [finding("fulcrum", "left", "positive"), finding("fadir", "left", "negative")],
        flags=[(C.BONE_STRESS, L.STOP_RUNNING_URGENT_MEDICAL)],
        note_words=["fulcrum test positive (left)"],
    ),
    ExamCase(
        "Noah, sharp groin pain on the hop",
        [finding("hop", "right", "positive", pain=6)],
        flags=[(C.BONE_STRESS, L.STOP_RUNNING_URGENT_MEDICAL)],
        note_words=["hop test (impact tolerance) painful (right), pain 6/10"],
    ),
    ExamCase(
        "Orla, pain provoked on the light jog",
        [finding("jog", "left", provoked=True), finding("step_up", "left", pain=0)],
        flags=[(C.BONE_STRESS, L.STOP_RUNNING_URGENT_MEDICAL)],
        note_words=["light jog painful (left)"],
    ),
    ExamCase(
        "Piotr, fulcrum and jump both painful: one flag",
        [finding("fulcrum", "right", "positive"), finding("jump", "right", pain=3)],
        flags=[(C.BONE_STRESS, L.STOP_RUNNING_URGENT_MEDICAL)],
        note_words=["fulcrum test positive (right); jump painful (right), pain 3/10"],
    ),
    ExamCase(
        "Rhea, 48, on steroids, avascular necrosis suspected",
        [finding("fadir", "right", "positive")],
        ["AVN"],
        [(C.AVN, L.URGENT_MEDICAL)],
        ["impression: Avascular necrosis (refer)"],
    ),
    ExamCase(
        "Theo, 13, slipped capital femoral epiphysis suspected",
        [finding("log_roll", "left", "positive")],
        ["SCFE"],
        [(C.SCFE, L.URGENT_ORTHOPAEDIC)],
        ["impression: Slipped capital femoral epiphysis (refer)"],
    ),
    ExamCase(
        "Uri, hot swollen hip, septic arthritis suspected",
        [],
        ["SEPTIC"],
        [(C.INFECTION, L.EMERGENCY_SAME_DAY)],
        ["impression: Septic arthritis (refer)"],
    ),
    ExamCase(
        "Vera, groin lump on coughing, hernia suspected",
        [finding("resisted_slr", "right", "negative")],
        ["HERNIA_INGUINAL"],
        [(C.HERNIA, L.ROUTINE_GP)],
        ["impression: Inguinal hernia (refer)"],
    ),
    ExamCase(
        "Wren, painful hop and a tumour suspected",
        [finding("hop_distance", "left", pain=4)],
        ["TUMOUR"],
        [(C.BONE_STRESS, L.STOP_RUNNING_URGENT_MEDICAL), (C.MALIGNANCY, L.URGENT_MEDICAL)],
        ["hop for distance painful (left), pain 4/10", "impression: Tumour (refer)"],
    ),
    # Near misses: nothing here is a red flag.
    ExamCase(
        "Xavi, gluteal tendinopathy, pain-free impact screen",
        [
            finding("ober", "right", "positive"),
            finding("hop", "right", "negative", pain=0),
            finding("jog", "right", pain=0),
        ],
        ["GTPS_GLUT_TEND"],
    ),
    ExamCase(
        "Yara, hop 0/10, not her familiar pain",
        [finding("hop", "left", "negative", pain=0, provoked=False), finding("fulcrum", "left", "negative")],
        ["FAI_CAM"],
    ),
    ExamCase(
        "Zeb, hop not done, step-up sore 3/10",
        [SpecialFinding("hop", "right", False), finding("step_up", "right", pain=3)],
    ),
]


@pytest.mark.parametrize("case", EXAM_CASES, ids=[case.name for case in EXAM_CASES])
def test_worked_exam_case_gets_its_flags_levels_and_notes(case):
    flags = examination_flags(tests=case.tests, impression_codes=case.impressions)
    notes = " ".join(flag.note for flag in flags)

    assert [(f.code, f.action_level) for f in flags] == case.flags
    assert [word for word in case.note_words if word not in notes] == []


# --- Weekly check-ins → impact gate and ladder decisions ---------------------

MONDAY = date(2026, 3, 2)  # week 0 of every case
WEEKS_OF_ZERO_IMPACT = 6


@dataclass(frozen=True)
class Week:
    """One weekly check-in: worst pain during runs (None: no run), that evening, next morning, usual morning."""

    run: int | None
    evening: int | None = 1
    morning: int | None = 1
    usual: int = 1
    runs: tuple[int, ...] = (30, 30, 30)  # minutes of each logged run
    km: Decimal = Decimal(15)


@dataclass(frozen=True)
class Bone:
    """Bone stress suspected from week `from_week`; impact stopped and clearance on days counted from MONDAY."""

    from_week: int
    stopped_day: int
    cleared_day: int | None = None


@dataclass(frozen=True)
class WeekCase:
    name: str
    stage: int  # ladder stage before week 0 (0: not started)
    weeks: list[Week]
    decisions: list[tuple[str, int]]  # (action, stage after) week by week
    words: list[str]  # must appear in the last week's reasons and warnings
    absent: list[str] = field(default_factory=list)  # must not appear in them (near misses)
    alert: bool = False  # the last decision asks for a clinic contact
    bone: Bone | None = None
    runs_per_week: int = 3
    readiness_passed: bool = True


def checkin(n: int, week: Week) -> WeekCheckIn:
    start = MONDAY + timedelta(weeks=n)
    ran = week.run is not None
    logged = tuple(
        LoggedRun(start + timedelta(days=i), week.km / len(week.runs), m) for i, m in enumerate(week.runs)
    )
    return WeekCheckIn(
        week_start=start,
        run_pain_max=week.run,
        next_morning_pain=week.morning,
        baseline_morning_pain=week.usual,
        weekly_km=week.km if ran else Decimal(0),
        sessions_done=3,
        sessions_prescribed=3,
        pain_worst=week.run,
        pain_now=1,
        evening_pain=week.evening if ran else None,
        runs=logged if ran else (),
    )


def run_weeks(case: WeekCase) -> list[tuple[str, int, tuple[str, ...], bool]]:
    """Decide week by week on that week's check-in, as the service does; stops at a stop."""
    stage, history, previous = case.stage, [], None
    for n, week in enumerate(case.weeks):
        current = checkin(n, week)
        bone = case.bone is not None and n >= case.bone.from_week
        gate = None
        if bone and case.bone is not None:
            gate = impact_gate(
                bone_stress=True,
                stopped_on=MONDAY + timedelta(days=case.bone.stopped_day),
                weeks=WEEKS_OF_ZERO_IMPACT,
                cleared_on=None
                if case.bone.cleared_day is None
                else MONDAY + timedelta(days=case.bone.cleared_day),
                overridden=False,
                today=current.week_start + timedelta(days=6),
            )
        decision = ladder_decision(
            current_stage=stage,
            checkins_since_step=[current],
            runs_per_week=case.runs_per_week,
            bone_stress=bone,
            readiness_passed=case.readiness_passed,
            impact_gate=gate,
        )
        distance = (
            distance_rise_warning(current.weekly_km, previous.weekly_km) if previous is not None else None
        )
        if decision.next_stage is not None:
            stage = decision.next_stage
        messages = (*decision.reasons, *decision.warnings, *([distance] if distance else []))
        history.append((decision.action, stage, messages, decision.alert_therapist))
        previous = current
        if decision.action == "stop":
            break
    return history


CLEAN = Week(run=1)

WEEK_CASES = [
    WeekCase(
        "Abi, one bad week then two clean weeks",
        2,
        [Week(run=4), CLEAN, CLEAN],
        [("hold", 2), ("advance", 3), ("advance", 4)],
        ["move to stage 4, 2 × (jog 14 min / walk 2 min)"],
    ),
    WeekCase(
        "Bea, 3/10 on the run, 7/10 that evening",
        2,
        [Week(run=3, evening=7)],
        [("hold", 2)],
        ["evening after running reached 7/10", "Reduce load and contact the clinic"],
        alert=True,
    ),
    WeekCase(
        "Cole, 6/10 on the run at stage 3",
        3,
        [Week(run=6), CLEAN],
        [("step_down", 2), ("advance", 3)],
        ["move to stage 3"],
    ),
    WeekCase(
        "Dina, 6/10 on the run at stage 1",
        1,
        [Week(run=6)],
        [("stop", 1)],
        ["reached 6/10", "no easier stage than stage 1", "stop running until your therapist reviews"],
        alert=True,
    ),
    WeekCase(
        "Eli, next morning worse than usual",
        2,
        [Week(run=2, evening=2, morning=4, usual=1)],
        [("hold", 2)],
        ["Next-morning pain (4/10) was above your usual morning level (1/10)", "reduce load"],
    ),
    WeekCase(
        "Fay, two short planned runs and an extra long one",
        3,
        [Week(run=1, runs=(20, 20, 30))],
        [("hold", 3)],
        ["from 40 to 64 minutes", "more than 10 %", "The 1 extra run does not count towards moving up"],
        runs_per_week=2,
    ),
    WeekCase(
        "Gus, a fourth run in a three-run week",
        3,
        [Week(run=1, runs=(30, 30, 30, 30))],
        [("advance", 4)],
        ["4 runs were logged", "The 1 extra run does not count towards moving up"],
    ),
    WeekCase(
        "Hana, distance up from 15 to 18 km",
        2,
        [CLEAN, Week(run=1, km=Decimal(18))],
        [("advance", 3), ("advance", 4)],
        ["from 15 to 18 km (+20.0 %)", "keep next week's distance the same or lower"],
    ),
    WeekCase(
        "Ines, distance up exactly 10 %",
        2,
        [Week(run=1, km=Decimal(20)), Week(run=1, km=Decimal(22))],
        [("advance", 3), ("advance", 4)],
        ["move to stage 4"],
        absent=["km"],
    ),
    WeekCase(
        "Jade, femoral-neck reaction, week 3 of zero impact",
        0,
        [Week(run=None)],
        [("not_ready", 0)],
        ["no impact for 6 weeks from 2026-02-09", "15 days left", "no clinician's clearance"],
        bone=Bone(from_week=0, stopped_day=-21),
    ),
    WeekCase(
        "Kit, pelvic stress reaction, 6 weeks without clearance",
        0,
        [Week(run=None)],
        [("not_ready", 0)],
        ["no clinician's clearance of a return to impact is recorded yet"],
        absent=["days left"],
        bone=Bone(from_week=0, stopped_day=-36),
    ),
    WeekCase(
        "Lia, cleared after 6 weeks of zero impact",
        0,
        [Week(run=None), Week(run=0, evening=1, morning=1)],
        [("start", 1), ("advance", 2)],
        ["pain-free runs", "move to stage 2"],
        bone=Bone(from_week=0, stopped_day=-50, cleared_day=-2),
    ),
    WeekCase(
        "Lia's twin Mo, cleared at 5 weeks: not yet",
        0,
        [Week(run=None)],
        [("not_ready", 0)],
        ["1 day left"],
        bone=Bone(from_week=0, stopped_day=-35, cleared_day=-1),
    ),
    WeekCase(
        "Nell, bone stress suspected mid-programme, painful run",
        3,
        [CLEAN, Week(run=2)],
        [("advance", 4), ("stop", 4)],
        ["no clinician's clearance", "no running until the gate opens"],
        alert=True,
        bone=Bone(from_week=1, stopped_day=7),
    ),
    WeekCase(
        "Omar, cleared bone stress, 1/10 on a run",
        2,
        [Week(run=1)],
        [("stop", 2)],
        ["Pain during running was 1/10", "running must be pain-free: stop running and contact the clinic"],
        alert=True,
        bone=Bone(from_week=0, stopped_day=-60, cleared_day=-10),
    ),
    WeekCase(
        "Pru, readiness checklist not passed",
        0,
        [Week(run=None)],
        [("not_ready", 0)],
        ["readiness-to-run checklist is passed"],
        readiness_passed=False,
    ),
]


@pytest.mark.parametrize("case", WEEK_CASES, ids=[case.name for case in WEEK_CASES])
def test_worked_week_case_gets_its_decisions_and_messages(case):
    history = run_weeks(case)
    *_, (_, _, messages, alert) = history
    text = " ".join(messages)

    assert [(action, stage) for action, stage, _, _ in history] == case.decisions
    assert [word for word in case.words if word not in text] == []
    assert [word for word in case.absent if word in text] == []
    assert alert == case.alert


def test_worked_week_cases_never_let_a_bone_stress_patient_run_with_the_gate_closed():
    for case in WEEK_CASES:
        if case.bone is None or case.bone.cleared_day is not None:
            continue
        bone_weeks = run_weeks(case)[case.bone.from_week :]
        assert {action for action, *_ in bone_weeks} <= {"not_ready", "stop"}, case.name


def test_there_are_at_least_15_worked_cases_with_unique_names():
    names = [case.name for case in EXAM_CASES] + [case.name for case in WEEK_CASES]
    assert len(WEEK_CASES) >= 15
    assert len(set(names)) == len(names)


# --- The docs tables ----------------------------------------------------------


def _finding(finding: SpecialFinding) -> str:
    if not finding.performed:
        return f"{finding.test} {finding.side} not done"
    parts = [finding.test, finding.side]
    if finding.result:
        parts.append(finding.result)
    if finding.pain_provoked:
        parts.append("pain provoked")
    if finding.pain_nprs is not None:
        parts.append(f"pain {finding.pain_nprs}/10")
    return " ".join(parts)


def _week(week: Week) -> str:
    if week.run is None:
        return "no run"
    runs = "+".join(map(str, week.runs))
    return f"run {week.run}, evening {week.evening}, morning {week.morning} (usual {week.usual}); {runs} min, {week.km} km"


def _bone(case: WeekCase) -> str:
    if case.bone is None:
        return "no"
    cleared = "not cleared" if case.bone.cleared_day is None else f"cleared day {case.bone.cleared_day}"
    return f"from week {case.bone.from_week}; impact stopped day {case.bone.stopped_day}; {cleared}"


def _quoted(words: list[str]) -> str:
    return "; ".join(f"“{word}”" for word in words) or "—"


def _absent(words: list[str]) -> str:
    return "".join(f"; never “{word}”" for word in words)


def markdown() -> str:
    """The docs tables: examination findings, then weekly check-ins."""
    lines = [
        "Examination findings → `examination_flags` (tests given as `test side result pain`):",
        "",
        "| # | Case | Special tests | Impressions | Flags · action level | The note says |",
        "|---|---|---|---|---|---|",
    ]
    for number, case in enumerate(EXAM_CASES, start=1):
        tests = "; ".join(map(_finding, case.tests)) or "none"
        flags = "; ".join(f"`{code}` · `{level}`" for code, level in case.flags) or "none"
        lines.append(
            f"| {number} | {case.name} | {tests} | {', '.join(case.impressions) or 'none'} | {flags} | "
            f"{_quoted(case.note_words)} |"
        )
    lines += [
        "",
        f"Weekly check-ins → `impact_gate` ({WEEKS_OF_ZERO_IMPACT} weeks) and `ladder_decision`, one decision a "
        "week on that week's check-in (week 0 starts 2026-03-02; days count from it; 3 runs a week unless "
        "stated); pains are 0–10:",
        "",
        "| # | Case | Stage before | Check-ins, week by week | Bone stress | Decisions (stage after) | "
        "Last message says | Alert |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for number, case in enumerate(WEEK_CASES, start=1):
        weeks = "<br>".join(f"{n}: {_week(week)}" for n, week in enumerate(case.weeks))
        if case.runs_per_week != 3:
            weeks += f"<br>plan: {case.runs_per_week} runs a week"
        if not case.readiness_passed:
            weeks += "<br>readiness checklist not passed"
        decisions = " → ".join(f"{action} ({stage})" for action, stage in case.decisions)
        lines.append(
            f"| {number} | {case.name} | {case.stage} | {weeks} | {_bone(case)} | {decisions} | "
            f"{_quoted(case.words)}{_absent(case.absent)} | {'yes' if case.alert else 'no'} |"
        )
    return "\n".join(lines)


def test_docs_tables_are_generated_from_these_cases():
    text = DOCS.read_text(encoding="utf-8")
    generated = text[text.index(START) + len(START) : text.index(END)].strip()

    assert generated == markdown(), "Regenerate: python -m tests.assessments.programmes.test_worked_cases"


if __name__ == "__main__":
    print(markdown())
