"""Saving a confirmed import: every chosen run added, every merge filled in, in one transaction."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import tzinfo
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Q

from assessments.models import Programme, Run
from assessments.record.services.findings import save_checked
from assessments.training.attention import training_attention_refresh
from assessments.training.choices import RunSurface, SessionType
from assessments.training.imports.plan import MERGE_WINDOW, ImportPlan, SavedRun, Upload, plan_import
from assessments.training.services import run_log
from patients.models import Patient


@dataclass(frozen=True)
class ImportOutcome:
    added: tuple[Run, ...]
    merged: int  # saved runs the upload matched
    filled: int  # of them, those that got a reading they had none of


def saved_runs(patient: Patient, uploads: Sequence[Upload], *, tz: tzinfo) -> list[SavedRun]:
    """The patient's runs an upload could match: started within the window of one, or untimed on its day."""
    if not uploads:
        return []
    starts = [u.activity.started_at for u in uploads]
    days = {start.astimezone(tz).date() for start in starts}
    rows = Run.objects.filter(
        Q(started_at__gte=min(starts) - MERGE_WINDOW, started_at__lte=max(starts) + MERGE_WINDOW)
        | Q(started_at__isnull=True, day__in=days),
        patient=patient,
    ).only("id", "day", "started_at", "distance_m", "duration_s", "elevation_gain_m", "avg_cadence_spm")
    return [
        SavedRun(
            id=run.pk,
            day=run.day,
            started_at=run.started_at,
            distance_m=run.distance_m,
            duration_s=run.duration_s,
            elevation_gain_m=run.elevation_gain_m,
            avg_cadence_spm=run.avg_cadence_spm,
        )
        for run in rows
    ]


def import_plan(*, patient: Patient, programme: Programme, uploads: Sequence[Upload]) -> ImportPlan:
    """What confirming `uploads` would do now (the preview), against the runs saved at this moment."""
    tz = ZoneInfo(programme.time_zone)
    return plan_import(uploads=uploads, saved=saved_runs(patient, uploads, tz=tz), tz=tz)


@transaction.atomic
def runs_import(
    *, patient: Patient, programme: Programme, uploads: Sequence[Upload], keys: Collection[str]
) -> ImportOutcome:
    """Save a confirmed import: the chosen new runs (`keys`) added, the merges filled in.

    The plan is made again under a lock of the patient's row, against the runs
    saved now, so a second confirmation (a double tap, another tab) or a run
    logged since merges instead of doubling. New runs are easy runs on road
    (or the surface the file states) with no shoes and no pain answers yet, on
    the day they started in the programme's time zone; a run from before the
    programme started is the patient's history, not the programme's (no
    programme). A merge only fills the
    saved run's empty readings and raises its version. Any refusal rolls back
    everything: nothing is half-imported.
    """
    Patient.objects.select_for_update().only("pk").get(pk=patient.pk)
    plan = import_plan(patient=patient, programme=programme, uploads=uploads)
    added = []
    for new in plan.new:
        if new.key not in keys:
            continue
        activity = new.activity
        added.append(
            run_log(
                patient=patient,
                programme=programme if new.day >= programme.start_date else None,
                day=new.day,
                distance_m=activity.distance_m,
                duration_s=activity.duration_s,
                session_type=SessionType.EASY,
                surface=activity.surface or RunSurface.ROAD,
                source=activity.source,
                started_at=activity.started_at,
                elevation_gain_m=activity.elevation_gain_m,
                avg_cadence_spm=activity.avg_cadence_spm,
                refresh=False,
            )
        )
    filled = 0
    for merge in plan.merges:
        if not merge.fills:
            continue
        run = Run.objects.select_for_update().get(pk=merge.run.id)
        changed = False
        for name, value in merge.fills:
            if getattr(run, name) is None:
                setattr(run, name, value)
                changed = True
        if changed:
            run.version += 1
            run.full_clean(validate_constraints=False)
            save_checked(run)
            filled += 1
    if added:
        # Once for the whole import: the training log's alerts and bone-stress flag.
        training_attention_refresh(patient=patient)
    return ImportOutcome(added=tuple(added), merged=len(plan.merges), filled=filled)
