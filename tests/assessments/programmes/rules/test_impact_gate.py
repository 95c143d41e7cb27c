"""The zero-impact gate of bone stress (rules.impact): 6–8 weeks without impact and a clinician's clearance."""

from datetime import date, timedelta

import pytest

from assessments.programmes.rules import first_impact_week, impact_gate, zero_impact_end

STOPPED = date(2026, 3, 2)

GATE_CASES = [
    # (id, bone stress, weeks, days since impact stopped, cleared on (days after stop), overridden,
    #  (ready, days left, period passed, cleared))
    ("no bone stress: open", False, 6, 0, None, False, (True, 0, True, False)),
    ("day 0, nothing recorded", True, 6, 0, None, False, (False, 42, False, False)),
    ("cleared but before 6 weeks", True, 6, 41, 41, False, (False, 1, False, True)),
    ("6 weeks passed, no clearance", True, 6, 42, None, False, (False, 0, True, False)),
    ("6 weeks passed and cleared", True, 6, 42, 42, False, (True, 0, True, True)),
    ("cleared early, 6 weeks passed", True, 6, 50, 20, False, (True, 0, True, True)),
    ("8 weeks set: 7 weeks is not enough", True, 8, 49, 49, False, (False, 7, False, True)),
    ("8 weeks set and passed", True, 8, 56, 56, False, (True, 0, True, True)),
    ("clearance from before the stop does not count", True, 6, 60, -1, False, (False, 0, True, False)),
    ("override opens a closed gate", True, 6, 10, None, True, (True, 32, False, False)),
]


@pytest.mark.parametrize(
    ("bone", "weeks", "days", "cleared", "overridden", "expected"),
    [case[1:] for case in GATE_CASES],
    ids=[case[0] for case in GATE_CASES],
)
def test_impact_gate_worked_cases(bone, weeks, days, cleared, overridden, expected):
    gate = impact_gate(
        bone_stress=bone,
        stopped_on=STOPPED,
        weeks=weeks,
        cleared_on=None if cleared is None else STOPPED + timedelta(days=cleared),
        overridden=overridden,
        today=STOPPED + timedelta(days=days),
    )
    assert (gate.ready, gate.days_left, gate.period_passed, gate.cleared) == expected


def test_impact_gate_reasons_give_days_left_and_missing_clearance():
    gate = impact_gate(
        bone_stress=True,
        stopped_on=STOPPED,
        weeks=6,
        cleared_on=None,
        overridden=False,
        today=date(2026, 3, 30),
    )
    assert gate.reasons == (
        "Bone stress: no impact for 6 weeks from 2026-03-02; 14 days left (impact from 2026-04-13 at the earliest).",
        "Bone stress: no clinician's clearance of a return to impact is recorded yet.",
    )
    assert (gate.applies, gate.impact_from) == (True, date(2026, 4, 13))


def test_impact_gate_one_day_left_is_singular():
    gate = impact_gate(
        bone_stress=True,
        stopped_on=STOPPED,
        weeks=6,
        cleared_on=STOPPED,
        overridden=False,
        today=date(2026, 4, 12),
    )
    assert gate.reasons == (
        "Bone stress: no impact for 6 weeks from 2026-03-02; 1 day left (impact from 2026-04-13 at the earliest).",
    )


def test_impact_gate_open_has_no_reasons():
    gate = impact_gate(
        bone_stress=True,
        stopped_on=STOPPED,
        weeks=6,
        cleared_on=date(2026, 4, 13),
        overridden=False,
        today=date(2026, 4, 13),
    )
    assert (gate.ready, gate.reasons) == (True, ())


@pytest.mark.parametrize("weeks", [5, 9, 6.0, True])
def test_impact_gate_weeks_are_6_to_8(weeks):
    with pytest.raises(ValueError):
        impact_gate(
            bone_stress=True,
            stopped_on=STOPPED,
            weeks=weeks,
            cleared_on=None,
            overridden=False,
            today=STOPPED,
        )


@pytest.mark.parametrize(
    "changes",
    [{"bone_stress": 1}, {"overridden": None}, {"today": "2026-03-02"}, {"cleared_on": "2026-03-02"}],
)
def test_impact_gate_rejects_invalid(changes):
    kwargs = {
        "bone_stress": True,
        "stopped_on": STOPPED,
        "weeks": 6,
        "cleared_on": None,
        "overridden": False,
        "today": STOPPED,
    }
    with pytest.raises(ValueError):
        impact_gate(**{**kwargs, **changes})


@pytest.mark.parametrize(
    ("weeks", "end", "first_week"), [(6, date(2026, 4, 13), 7), (8, date(2026, 4, 27), 9)]
)
def test_zero_impact_end_and_first_impact_week(weeks, end, first_week):
    assert (zero_impact_end(STOPPED, weeks), first_impact_week(weeks)) == (end, first_week)
