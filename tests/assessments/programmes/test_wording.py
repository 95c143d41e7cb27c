"""The ladder's and impact gate's sentences: the rules' English unchanged, the patient's pages in their language."""

import ast
import copy
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation

from assessments.programmes.rules import LoggedRun, Sentence, WeekCheckIn, impact_gate, ladder_decision
from assessments.programmes.wording import translated

MONDAY = date(2026, 3, 2)
RULES = Path(__file__).resolve().parents[3] / "assessments" / "programmes" / "rules"


def week(n: int, *, run=2, evening=1, morning=1, runs=(30, 30, 30)) -> WeekCheckIn:
    start = MONDAY + timedelta(weeks=n)
    logged = tuple(LoggedRun(start + timedelta(days=2 * i), Decimal(5), m) for i, m in enumerate(runs))
    return WeekCheckIn(
        start,
        run,
        morning,
        1,
        Decimal(15),
        3,
        3,
        3,
        1,
        None,
        evening_pain=evening,
        runs=logged if run else (),
    )


def gate(*, days_left: int = 0, cleared: bool = True):
    stopped = MONDAY - timedelta(weeks=6) + timedelta(days=days_left)
    return impact_gate(
        bone_stress=True,
        stopped_on=stopped,
        weeks=6,
        cleared_on=stopped if cleared else None,
        overridden=False,
        today=MONDAY,
    )


def decide(stage: int, checkins=(), *, bone=False, impact=None, readiness=True):
    return ladder_decision(
        current_stage=stage,
        checkins_since_step=checkins,
        runs_per_week=3,
        bone_stress=bone,
        readiness_passed=readiness,
        impact_gate=impact or (gate() if bone else None),
    )


# Between them, every reason the ladder and the impact gate can give.
DECISIONS = [
    decide(0, readiness=False),
    decide(0),
    decide(0, bone=True, impact=gate(days_left=1, cleared=False)),
    decide(2, bone=True, impact=gate(days_left=5)),
    decide(2, [week(0, run=1, evening=3, morning=2)], bone=True),
    decide(2, [week(0, run=0, evening=0, morning=0), week(1, run=0, evening=0, morning=0)], bone=True),
    decide(2, [week(0, run=6)]),
    decide(2, [week(0, evening=6, morning=3)]),
    decide(1, [week(0, run=6)]),
    decide(2, [week(0, run=4, evening=4)]),
    decide(2, [week(0, evening=None, morning=None)]),
    decide(2, []),
    decide(2, [week(0, run=None)]),
    decide(2, [week(0), week(1, run=None)]),
    decide(2, [week(0, runs=(10,))]),
    decide(2, [week(0)]),
    decide(8, [week(0)]),
]


def templates(sentence: Sentence):
    yield sentence.template
    for value in sentence.values.values():
        if isinstance(value, Sentence):
            yield from templates(value)


def test_every_reason_is_a_sentence_that_a_patient_s_page_translates_and_english_stays_as_written():
    reasons = [reason for decision in DECISIONS for reason in decision.reasons]
    assert all(isinstance(reason, Sentence) for reason in reasons)
    with translation.override("es"):
        spanish = [translated(reason) for reason in reasons]
    assert not [s for s in spanish if "{" in s or "the week" in s or "stage" in s]
    with translation.override("en-gb"):
        assert [translated(reason) for reason in reasons] == reasons
    # Made of parts, the English reads as the rules always wrote it.
    assert (
        "The check-ins since the last decision (the weeks of 2026-03-02 and 2026-03-09) show pain-free runs, "
        "no more pain that evening or the next morning than usual, and the weekly running time stays within "
        "10 %: move to stage 3, 5 × (walk 2 min / jog 4 min)."
    ) in reasons
    assert (
        "Pain the evening after running reached 6/10 in the week of 2026-03-02: the runs did not settle soon "
        "after (evening pain must stay at 3/10 or less). Reduce load and contact the clinic."
    ) in reasons
    assert (
        "Bone stress: no impact for 6 weeks from 2026-01-20; 1 day left (impact from 2026-03-03 at the earliest)."
    ) in reasons


def _calls(name: str):
    """The module's calls of `name` whose first argument is a string marked with _()."""
    for node in ast.walk(ast.parse((RULES / "ladder.py").read_text() + (RULES / "impact.py").read_text())):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == name and node.args:
            yield node.args[0]


def test_the_decisions_above_give_every_sentence_of_the_modules_and_each_has_its_spanish():
    made = {t for decision in DECISIONS for reason in decision.reasons for t in templates(reason)}
    marked = {arg.value for arg in _calls("_") if isinstance(arg, ast.Constant)}
    sentences = {
        arg.args[0].value
        for arg in _calls("Sentence")
        if isinstance(arg, ast.Call) and getattr(arg.func, "id", "") == "_"
    }
    assert len(sentences) > 25 and sentences <= made <= marked
    with translation.override("es"):
        untranslated = [msgid for msgid in marked if translation.gettext(msgid) == msgid]
    assert untranslated == []


def test_a_spanish_reason_has_spanish_words_dates_and_the_same_numbers():
    reason = decide(2, [week(0, run=4, evening=4)]).reasons[0]
    with translation.override("es"):
        assert translated(reason) == (
            "El dolor al correr llegó a 4/10 en la semana del 2 mar 2026. Es aceptable, pero debe quedarse en "
            "3/10 o menos antes de subir de etapa: repita esta etapa."
        )


@pytest.mark.parametrize("duplicate", [copy.copy, copy.deepcopy])
def test_a_copied_sentence_keeps_its_message_and_values(duplicate):
    reason = decide(1, [week(0, run=6)]).reasons[0]
    twin = duplicate(reason)
    assert twin == reason and isinstance(twin, Sentence)
    assert (twin.template, dict(twin.values)) == (reason.template, dict(reason.values))


def test_a_plain_string_is_shown_as_it_is():
    with translation.override("es"):
        assert translated("Stage 2") == "Stage 2"
