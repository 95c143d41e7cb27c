"""The patient's weekly check-in: drafts kept as typed (autosave), sending, and what the rules do then.

A check-in belongs to one programme week. While it is a draft every
keystroke's worth of input is kept raw in `draft` (nothing lost, even when
not valid yet); "Send" stores the validated answers and runs, and the
programme rules act on it in the same transaction (ladder step, alerts).
A version number stops two tabs or devices from overwriting each other.
A "yes" to a safety question raises a red flag (patients.flags) with the
clinic's action level for it, besides the therapist's alert.
"""

from dataclasses import dataclass, field
from typing import cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import QueryDict
from django.utils import timezone, translation

from assessments.models import CheckIn, Programme, ProgrammeAlert, RunLog
from assessments.programmes.choices import (
    CHECKIN_FLAG_CODES,
    CHECKIN_SAFETY_QUESTIONS,
    CheckInStatus,
    ProgrammeStatus,
)
from assessments.programmes.rules import LadderDecision
from assessments.programmes.services.ladder import ladder_after_checkin
from assessments.programmes.services.status import programme_status_refresh
from assessments.record.services.findings import save_checked
from clinic.messaging.services import About
from patients.flags.services import red_flag_raise
from patients.intake.choices import FlagSource
from patients.intake.redflags import LEVELS
from patients.models import RedFlag

DRAFT_MAX_VALUES = 20
TEXT_MAX = 2000
ANSWER_FIELDS = (
    "pain_now",
    "pain_worst",
    "run_pain_during",
    "run_pain_after",
    "pain_next_morning",
    "sessions_done",
    "sleep",
    "stress",
    "comments",
    "flag_night_pain",
    "flag_unwell",
    "flag_nerve",
    "flag_pain_earlier",
    "flag_pain_walking",
    "flag_pain_in_bed",
    "flag_pain_hopping",
)
RUN_FIELDS = ("date", "distance_km", "minutes", "surface", "shoes")


class CheckInError(ValueError):
    pass


class CheckInConflictError(CheckInError):
    """The check-in changed in another tab or on another device since this page was loaded."""


class CheckInClosedError(CheckInError):
    """Already sent, or the programme is closed."""


@dataclass
class SubmitResult:
    checkin: CheckIn
    decision: LadderDecision | None
    alerts: list[ProgrammeAlert] = field(default_factory=list)
    flags: list[RedFlag] = field(default_factory=list)


def checkin_for(*, programme: Programme, week: int) -> CheckIn:
    """The week's check-in, created as an empty draft on first use (the plan's sessions noted)."""
    checkin, _ = CheckIn.objects.get_or_create(
        programme=programme, week=week, defaults={"sessions_prescribed": len(programme.exercise_weekdays)}
    )
    return checkin


def draft_input(*, data: QueryDict, names: list[str]) -> dict[str, list[str]]:
    """The raw input of the check-in form, trimmed to its own fields and sane sizes."""
    raw: dict[str, list[str]] = {}
    for name in names:
        # NUL can't be stored in PostgreSQL text or JSON; nothing else is changed.
        values = [str(v).replace("\x00", "")[:TEXT_MAX] for v in data.getlist(name)[:DRAFT_MAX_VALUES]]
        if values:
            raw[name] = values
    return raw


def _locked(checkin: CheckIn, version: int | None) -> CheckIn:
    Programme.objects.select_for_update(of=("self",)).filter(pk=checkin.programme_id).first()
    checkin = (
        CheckIn.objects.select_for_update(of=("self",))
        .select_related("programme__patient", "programme__therapist")
        .get(pk=checkin.pk)
    )
    if checkin.status != CheckInStatus.DRAFT or checkin.programme.status != ProgrammeStatus.ACTIVE:
        raise CheckInClosedError("This check-in can no longer be changed.")
    if version is not None and version != checkin.version:
        raise CheckInConflictError("This check-in was changed in another window or on another device.")
    return checkin


@transaction.atomic
def checkin_draft_save(*, checkin: CheckIn, raw: dict[str, list[str]], version: int) -> CheckIn:
    """Keep what is typed, valid or not (autosave, "save for later", "Send" with errors).

    Does not change the version: a draft never overwrites sent answers, and
    two open tabs keep autosaving (the last one typed in wins the draft).
    """
    checkin = _locked(checkin, version)
    if checkin.draft != raw:
        checkin.draft = raw
        checkin.save(update_fields=["draft", "updated_at"])
    return checkin


@transaction.atomic
def checkin_submit(
    *, checkin: CheckIn, answers: dict[str, object], runs: list[dict[str, object]], version: int
) -> SubmitResult:
    """Send the week's check-in (answers validated by the form) and let the programme rules act.

    Side effects: the answers and the training log stored, the draft
    cleared, status sent; then (same transaction) the ladder step and any
    alerts (with the therapist's email) from programme_ladder, a red
    flag (source check-in) for each flag the "yes" answers point to, and
    the programme's check-in summary (programme_status_refresh).
    """
    checkin = _locked(checkin, version)
    unknown = set(answers) - set(ANSWER_FIELDS)
    if unknown:
        raise ValueError(f"check-in does not take {sorted(unknown)}")
    for name in ANSWER_FIELDS:
        default = cast(models.Field, CheckIn._meta.get_field(name)).get_default()
        setattr(checkin, name, answers.get(name, default))
    checkin.full_clean(exclude=["programme"], validate_constraints=False)
    checkin.runs.all().delete()
    for values in runs:
        run = RunLog(checkin=checkin, **{name: values.get(name) for name in RUN_FIELDS})
        run.surface = run.surface or ""
        run.shoes = (run.shoes or "").strip()
        try:
            run.full_clean(exclude=["checkin"], validate_constraints=False)
        except ValidationError as exc:
            raise CheckInError(f"A run could not be saved: {exc.messages[0]}") from exc
        save_checked(run)
    checkin.status = CheckInStatus.SUBMITTED
    checkin.submitted_at = timezone.now()
    checkin.draft = {}
    checkin.version += 1
    save_checked(checkin)
    programme = checkin.programme
    programme_status_refresh(programme=programme)
    flags = checkin_flags_raise(checkin=checkin)
    decision, alerts = ladder_after_checkin(programme=programme, checkin=checkin)
    return SubmitResult(checkin, decision, alerts, flags)


def checkin_flags_raise(*, checkin: CheckIn) -> list[RedFlag]:
    """A red flag for each flag the check-in's "yes" answers point to (CHECKIN_FLAG_CODES).

    One flag per flag code, noting every question that raised it; the
    action level is the clinic's for that flag (patients.intake.redflags.LEVELS).
    Raising again for the same check-in returns the flags already raised.
    """
    # Stored for staff: the questions in the clinic's language, whatever the patient reads.
    with translation.override(settings.LANGUAGE_CODE):
        labels = {name: str(label) for name, label in CHECKIN_SAFETY_QUESTIONS}
    by_code: dict[str, list[str]] = {}
    for name in checkin.red_flag_answers:
        by_code.setdefault(str(CHECKIN_FLAG_CODES[name]), []).append(labels[name])
    return [
        red_flag_raise(
            patient=checkin.programme.patient,
            code=code,
            source=FlagSource.CHECKIN,
            action_level=str(LEVELS[code]),
            note=f"Week {checkin.week} check-in, answered yes: " + "; ".join(questions),
            about=About.of(checkin),
            now=checkin.submitted_at,
        )
        for code, questions in by_code.items()
    ]
