"""Red flags an examination raises when it is signed: pure (no Django, no database).

- A positive fulcrum test (sharp pain or apprehension over the femoral
  shaft, domain.md §4.7): suspected bone stress.
- Pain on an impact test, hop, hop for distance, jump or light jog (a
  positive result, pain provoked or pain above 0/10): suspected bone stress
  (domain.md §3 "hurts on hopping", "worsens with impact"; S4 "if hopping on
  one leg sends a sharp pain into your hip, that could mean a stress fracture").
- An impression outside physiotherapy (REFER_CODES, domain.md §6: "always
  raise a red flag"): the red flag of that condition.

Each flag's action level is the clinic's level for it
(patients.intake.redflags.LEVELS), whatever its source; docs/clinical-rules.md.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from assessments.record.choices import REFER_CODES, ImpressionCode, SpecialTestCode, TestResult
from patients.intake.choices import RedFlagCode
from patients.intake.redflags import LEVELS

# Impact tests, by stored code (the light jog and the jump are part of the impact screen).
IMPACT_TESTS = frozenset({SpecialTestCode.HOP.value, SpecialTestCode.HOP_DISTANCE.value, "jump", "jog"})

# Each impression outside physiotherapy -> its red flag.
REFER_FLAGS: dict[str, str] = {
    ImpressionCode.HERNIA_INGUINAL: RedFlagCode.HERNIA,
    ImpressionCode.AVN: RedFlagCode.AVN,
    ImpressionCode.SCFE: RedFlagCode.SCFE,
    ImpressionCode.SEPTIC: RedFlagCode.INFECTION,
    ImpressionCode.TUMOUR: RedFlagCode.MALIGNANCY,
}
if set(REFER_FLAGS) != set(REFER_CODES):
    raise ImportError("REFER_FLAGS must name a red flag for every code of REFER_CODES")


@dataclass(frozen=True)
class SpecialFinding:
    """A special test as the rules read it."""

    test: str
    side: str
    performed: bool
    result: str = ""
    pain_provoked: bool = False
    pain_nprs: int | None = None


@dataclass(frozen=True)
class ExamFlag:
    code: str
    action_level: str
    note: str


def _painful(finding: SpecialFinding) -> bool:
    return (
        finding.result == TestResult.POSITIVE
        or finding.pain_provoked
        or (finding.pain_nprs is not None and finding.pain_nprs > 0)
    )


def _test_label(code: str) -> str:
    return SpecialTestCode(code).label if code in SpecialTestCode.values else code


def examination_flags(*, tests: Iterable[SpecialFinding], impression_codes: Iterable[str]) -> list[ExamFlag]:
    """The red flags of a signed examination: one per flag code, its note naming what raised it."""
    if isinstance(impression_codes, str):
        raise ValueError("impression_codes must be a collection of codes, not one string")
    reasons: dict[str, list[str]] = {}
    for finding in tests:
        if not finding.performed:
            continue
        side = f" ({finding.side})" if finding.side else ""
        if finding.test == SpecialTestCode.FULCRUM and finding.result == TestResult.POSITIVE:
            reasons.setdefault(RedFlagCode.BONE_STRESS, []).append(f"fulcrum test positive{side}")
        elif finding.test in IMPACT_TESTS and _painful(finding):
            pain = f", pain {finding.pain_nprs}/10" if finding.pain_nprs else ""
            reasons.setdefault(RedFlagCode.BONE_STRESS, []).append(
                f"{_test_label(finding.test).lower()} painful{side}{pain}"
            )
    for code in impression_codes:
        if code in REFER_FLAGS:
            reasons.setdefault(REFER_FLAGS[code], []).append(f"impression: {ImpressionCode(code).label}")
    return [
        ExamFlag(str(code), str(LEVELS[code]), "Examination: " + "; ".join(found))
        for code, found in reasons.items()
    ]
