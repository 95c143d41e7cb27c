"""Suspected bone stress injury: the one rule, pure (no Django, no database).

Bone stress is suspected when any clinical impression of the assessment is a
bone stress injury code (domain.md §6: BSI_FEM_NECK, BSI_FEM_SHAFT,
BSI_PELVIS; primary or not), or the patient has an open (not cleared)
bone-stress red flag from any source (domain.md §3). Suspected bone stress
means: advise stopping running, no hop test, MRI (§3, §5) and, in a
programme, pain-free running only with two rest days between runs (§8.3).
`assessments.record.selectors.has_bone_stress` reads the database for it;
docs/clinical-rules.md records the meaning.
"""

from collections.abc import Iterable

# Impression codes of a bone stress injury (domain.md §6). ImpressionCode and the
# exercise catalogue's contraindication defaults are built from this one list.
BONE_STRESS_CODES: tuple[str, ...] = ("BSI_FEM_NECK", "BSI_FEM_SHAFT", "BSI_PELVIS")


def bone_stress_suspected(*, impression_codes: Iterable[str], open_bone_stress_flag: bool) -> bool:
    """Return whether bone stress is suspected from the impression codes and an open red flag."""
    if not isinstance(open_bone_stress_flag, bool):
        raise ValueError(f"open_bone_stress_flag must be True or False, got {open_bone_stress_flag!r}")
    if isinstance(impression_codes, str):
        raise ValueError("impression_codes must be a collection of codes, not one string")
    return open_bone_stress_flag or any(str(code) in BONE_STRESS_CODES for code in impression_codes)
