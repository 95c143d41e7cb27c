"""Suspected bone stress injury: the one rule, pure (no Django, no database).

Bone stress is suspected when any clinical impression of the assessment is a
bone stress injury code (domain.md §6: BSI_FEM_NECK, BSI_FEM_SHAFT,
BSI_PELVIS; primary or not), or the patient has an open (not cleared)
bone-stress red flag from any source (domain.md §3), or an imaging report
standing as a stress reaction or stress fracture (domain.md §5; see
IMAGING_STRESS_FINDINGS for when a report stands). Suspected bone stress
means: advise stopping running, no hop test, MRI (§3, §5) and, in a
programme, pain-free running only with two rest days between runs (§8.3).
`assessments.record.selectors.has_bone_stress` reads the database for it;
docs/clinical-rules.md records the meaning.
"""

from collections.abc import Iterable

# Impression codes of a bone stress injury (domain.md §6). ImpressionCode and the
# exercise catalogue's contraindication defaults are built from this one list.
BONE_STRESS_CODES: tuple[str, ...] = ("BSI_FEM_NECK", "BSI_FEM_SHAFT", "BSI_PELVIS")

# Imaging report findings (ReportFinding values) that are a bone stress injury. Such a
# report stands until a later report of the same region and side by a modality that
# can rule bone stress out (MRI or bone scan: an X-ray misses early stress fractures,
# domain.md §5, S4) finds no bone stress: "cleared with a repeat scan" (S4).
IMAGING_STRESS_FINDINGS: tuple[str, ...] = ("stress_reaction", "stress_fracture")
IMAGING_RULE_OUT_MODALITIES: tuple[str, ...] = ("MRI", "bone_scan")

# Exercise categories that are impact work, contraindicated while bone stress is
# suspected (domain.md §8.5: "BSI → all impact and PLYO until cleared").
IMPACT_CATEGORIES: tuple[str, ...] = ("plyometric",)


def bone_stress_suspected(
    *, impression_codes: Iterable[str], open_bone_stress_flag: bool, imaging_stress_reported: bool = False
) -> bool:
    """Return whether bone stress is suspected from the impression codes, an open red flag and imaging."""
    for name, value in (
        ("open_bone_stress_flag", open_bone_stress_flag),
        ("imaging_stress_reported", imaging_stress_reported),
    ):
        if not isinstance(value, bool):
            raise ValueError(f"{name} must be True or False, got {value!r}")
    if isinstance(impression_codes, str):
        raise ValueError("impression_codes must be a collection of codes, not one string")
    return (
        open_bone_stress_flag
        or imaging_stress_reported
        or any(str(code) in BONE_STRESS_CODES for code in impression_codes)
    )


def contraindicated_with_bone_stress(*, category: str, contraindicated_for: Iterable[str]) -> bool:
    """Is an exercise of this category and contraindication list impact work to avoid with bone stress?"""
    return category in IMPACT_CATEGORIES or any(code in BONE_STRESS_CODES for code in contraindicated_for)
