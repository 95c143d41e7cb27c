"""The red-flag lifecycle: one way to raise a flag and one way to clear it, for every source.

The intake, the weekly check-in, the examination (on signing) and a clinician
by hand all raise through red_flag_raise; every flag is cleared through
red_flag_clear with a note of the action taken. Action levels are the
clinic's (patients.intake.redflags.LEVELS; docs/clinical-rules.md).
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from clinic.messaging.services import About
from clinic.staff.models import User
from patients.intake.choices import ActionLevel, FlagSource, RedFlagCode
from patients.models import IntakeResponse, Patient, RedFlag

NOTE_MAX = 2000


@transaction.atomic
def red_flag_raise(
    *,
    patient: Patient,
    code: str,
    source: str,
    action_level: str,
    note: str = "",
    by: User | None = None,
    about: About | None = None,
    intake_response: IntakeResponse | None = None,
    now: datetime | None = None,
) -> RedFlag:
    """Raise a red flag for the patient; returns it.

    `about` names what raised it (a check-in, an assessment): raising again
    for the same record and code returns the flag already raised (open or
    cleared), so re-signing or a resent check-in never duplicates it. An
    examination or a clinician's flag needs `by`; a clinician's needs a note.
    Side effects: one RedFlag row.
    """
    if code not in RedFlagCode.values:
        raise ValidationError({"code": "Choose a red flag."})
    if action_level not in ActionLevel.values:
        raise ValidationError({"action_level": "Choose an action level."})
    if source not in FlagSource.values:
        raise ValueError(f"unknown red-flag source {source!r}")
    if source in (FlagSource.EXAMINATION, FlagSource.CLINICIAN) and by is None:
        raise ValueError("a flag from an examination or a clinician records who raised it")
    note = note.strip()[:NOTE_MAX]
    if source == FlagSource.CLINICIAN and not note:
        raise ValidationError({"note": "Say what you found."})
    if about is not None:
        existing = RedFlag.objects.filter(about_label=about.label, about_pk=about.pk, flag_code=code).first()
        if existing is not None:
            return existing
    flag = RedFlag(
        patient=patient,
        flag_code=code,
        source=source,
        action_level=action_level,
        note=note,
        raised_by=by,
        about_label=about.label if about else "",
        about_pk=about.pk if about else "",
        intake_response=intake_response,
        detected_at=now or timezone.now(),
    )
    flag.full_clean(exclude=["patient", "intake_response", "raised_by"], validate_constraints=False)
    flag.save()
    return flag


@transaction.atomic
def red_flag_clear(*, flag: RedFlag, by: User, action_taken: str, referred_to: str = "") -> RedFlag:
    """A clinician signs a red flag off, whatever raised it, with a note of the action taken.

    Side effects: the flag's cleared_by/at, action taken and referral; when it
    was its intake's last open flag, the intake no longer needs review.
    """
    flag = RedFlag.objects.select_for_update().get(pk=flag.pk)
    if flag.cleared_at is not None:
        raise ValidationError("This red flag has already been cleared.")
    action_taken = action_taken.strip()
    if not action_taken:
        raise ValidationError({"action_taken": "Note the action taken before clearing the flag."})
    flag.action_taken = action_taken
    flag.referred_to = referred_to.strip()
    flag.cleared_by = by
    flag.cleared_at = timezone.now()
    flag.full_clean(validate_constraints=False)
    flag.save()
    if (
        flag.intake_response_id
        and not RedFlag.objects.filter(
            intake_response_id=flag.intake_response_id, cleared_at__isnull=True
        ).exists()
    ):
        IntakeResponse.objects.filter(pk=flag.intake_response_id).update(
            needs_review=False, updated_at=flag.cleared_at
        )
    return flag
