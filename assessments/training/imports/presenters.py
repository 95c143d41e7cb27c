"""The preview's rows as the patient reads them: their unit, local times, pace, what a merge adds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from assessments.training.imports.plan import ImportPlan, SavedRun
from assessments.training.load import to_unit

UNIT_LABEL = {"km": "km", "mi": "mi"}
FILL_LABEL = {"elevation_gain_m": "climb {value} m", "avg_cadence_spm": "cadence {value} steps/min"}


def distance_text(distance_m: int, unit: str) -> str:
    return f"{to_unit(distance_m, unit)} {UNIT_LABEL.get(unit, unit)}"


def duration_text(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def pace_text(distance_m: int, duration_s: int, unit: str) -> str:
    per = to_unit(distance_m, unit)
    if per <= 0:
        return ""
    seconds = round(duration_s / float(per))
    return f"{seconds // 60}:{seconds % 60:02d} /{UNIT_LABEL.get(unit, unit)}"


def when_text(moment: datetime | None, tz: tzinfo) -> str:
    if moment is None:
        return ""
    local = moment.astimezone(tz)
    return f"{local:%a} {local.day} {local:%b %Y}, {local:%H:%M}"


@dataclass(frozen=True)
class RunRow:
    key: str
    when: str
    distance: str
    time: str
    pace: str
    climb: str
    cadence: str
    surface: str
    file_name: str
    also_in: tuple[str, ...]
    typed_same_day: tuple[str, ...]  # the typed-in runs of that day, described


@dataclass(frozen=True)
class MergeRow:
    run: str  # the saved run, described
    file_names: tuple[str, ...]
    adds: tuple[str, ...]


def _saved_text(run: SavedRun, unit: str, tz: tzinfo) -> str:
    when = when_text(run.started_at, tz) if run.started_at else f"{run.day:%a} {run.day.day} {run.day:%b %Y}"
    return f"{when}: {distance_text(run.distance_m, unit)} in {duration_text(run.duration_s)}"


def preview_rows(
    plan: ImportPlan, *, unit: str, tz: tzinfo, surfaces: dict[str, str]
) -> tuple[list[RunRow], list[MergeRow]]:
    runs = [
        RunRow(
            key=new.key,
            when=when_text(new.activity.started_at, tz),
            distance=distance_text(new.activity.distance_m, unit),
            time=duration_text(new.activity.duration_s),
            pace=pace_text(new.activity.distance_m, new.activity.duration_s, unit),
            climb="" if new.activity.elevation_gain_m is None else f"{new.activity.elevation_gain_m} m",
            cadence="" if new.activity.avg_cadence_spm is None else f"{new.activity.avg_cadence_spm}",
            surface=surfaces.get(new.activity.surface or "road", ""),
            file_name=new.file_name,
            also_in=new.also_in,
            typed_same_day=tuple(_saved_text(run, unit, tz) for run in new.typed_same_day),
        )
        for new in plan.new
    ]
    merges = [
        MergeRow(
            run=_saved_text(merge.run, unit, tz),
            file_names=merge.file_names,
            adds=tuple(FILL_LABEL[name].format(value=value) for name, value in merge.fills),
        )
        for merge in plan.merges
    ]
    return runs, merges
