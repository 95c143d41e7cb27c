"""What an upload adds to the log: duplicates merged within it and with the runs already saved.

Two activities are the same run when they start within two minutes of each
other (MERGE_WINDOW, either way). For every uploaded activity, in order of its
start:

1. A saved run with a start time within the window (the nearest one) takes
   it: the saved run wins. Its distance, time, session type, surface, shoes,
   note and every pain answer stay as they are (the patient typed or corrected
   them); the watch only fills in the readings the run has none of (elevation
   gain, cadence). Nothing new is added.
2. Otherwise another activity of the same upload that started within the
   window of the first activity of its group joins that group: one new run,
   taken from the most complete format (FIT, then TCX, GPX, a Strava
   export's row; at a tie the earlier upload), its empty readings and surface
   filled in from the others.
3. Otherwise it is a new run.

Runs typed in without a start time cannot be matched by time: a new run on
the same day as one of them is shown with that run, for the patient to
untick when it is the same run. Pure: plain values in, plain values out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta, tzinfo

from assessments.training.choices import RunSource
from assessments.training.imports.activity import ParsedActivity

MERGE_WINDOW = timedelta(minutes=2)
# Most complete first: a FIT session is the watch's own summary; a Strava row has the fewest readings.
SOURCE_RANK: dict[str, int] = {RunSource.FIT: 0, RunSource.TCX: 1, RunSource.GPX: 2, RunSource.STRAVA_CSV: 3}
FILLED = ("elevation_gain_m", "avg_cadence_spm")


@dataclass(frozen=True)
class Upload:
    """One activity of the upload; `key` names it in the preview and the confirmation."""

    key: str
    file_name: str
    activity: ParsedActivity


@dataclass(frozen=True)
class SavedRun:
    id: int
    day: date
    started_at: datetime | None
    distance_m: int
    duration_s: int
    elevation_gain_m: int | None
    avg_cadence_spm: int | None


@dataclass(frozen=True)
class NewRun:
    key: str
    file_name: str
    activity: ParsedActivity  # the chosen activity with the others' readings filled in
    day: date
    also_in: tuple[str, ...]  # the other files that held the same run
    typed_same_day: tuple[SavedRun, ...]  # typed-in runs without a start on the same day


@dataclass(frozen=True)
class Merge:
    run: SavedRun
    file_names: tuple[str, ...]
    fills: tuple[tuple[str, int], ...]  # (field, value) the watch adds where the run had none


@dataclass(frozen=True)
class ImportPlan:
    new: tuple[NewRun, ...]
    merges: tuple[Merge, ...]

    @property
    def is_empty(self) -> bool:
        return not self.new and not self.merges


def _unique(names: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(names))


def _within(a: datetime, b: datetime) -> bool:
    return abs(a - b) <= MERGE_WINDOW


def _key_order(key: str) -> tuple[int, ...]:
    return tuple(int(part) if part.isdigit() else 0 for part in key.split("-"))


def _combine(members: Sequence[Upload]) -> tuple[Upload, ParsedActivity]:
    """The best-ranked member, its empty readings and surface filled in from the others."""
    ordered = sorted(members, key=lambda u: (SOURCE_RANK.get(u.activity.source, 9), _key_order(u.key)))
    primary = ordered[0]
    activity = primary.activity
    for other in ordered[1:]:
        changes: dict[str, object] = {}
        for name in FILLED:
            if getattr(activity, name) is None and getattr(other.activity, name) is not None:
                changes[name] = getattr(other.activity, name)
        if not activity.surface and other.activity.surface:
            changes["surface"] = other.activity.surface
        if changes:
            activity = replace(activity, **changes)  # type: ignore[arg-type]
    return primary, activity


def plan_import(*, uploads: Sequence[Upload], saved: Sequence[SavedRun], tz: tzinfo = UTC) -> ImportPlan:
    """New runs and merges for `uploads`, given the patient's `saved` runs (days in `tz`)."""
    timed = [run for run in saved if run.started_at is not None]
    untimed_by_day: dict[date, list[SavedRun]] = {}
    for run in saved:
        if run.started_at is None:
            untimed_by_day.setdefault(run.day, []).append(run)
    to_saved: dict[int, list[Upload]] = {}
    groups: list[tuple[datetime, list[Upload]]] = []
    for upload in sorted(uploads, key=lambda u: (u.activity.started_at, _key_order(u.key))):
        start = upload.activity.started_at
        near = [run for run in timed if _within(run.started_at, start)]  # type: ignore[arg-type]
        if near:
            match = min(near, key=lambda run: (abs(run.started_at - start), run.id))  # type: ignore[operator]
            to_saved.setdefault(match.id, []).append(upload)
            continue
        for anchor, members in groups:
            if _within(anchor, start):
                members.append(upload)
                break
        else:
            groups.append((start, [upload]))

    new = []
    for _anchor, members in groups:
        primary, activity = _combine(members)
        day = activity.started_at.astimezone(tz).date()
        new.append(
            NewRun(
                key=primary.key,
                file_name=primary.file_name,
                activity=activity,
                day=day,
                also_in=_unique(
                    m.file_name for m in members if m is not primary and m.file_name != primary.file_name
                ),
                typed_same_day=tuple(untimed_by_day.get(day, ())),
            )
        )
    by_id = {run.id: run for run in timed}
    merges = []
    for run_id, members in to_saved.items():
        run = by_id[run_id]
        _primary, activity = _combine(members)
        fills = tuple(
            (name, getattr(activity, name))
            for name in FILLED
            if getattr(run, name) is None and getattr(activity, name) is not None
        )
        merges.append(Merge(run=run, file_names=_unique(m.file_name for m in members), fills=fills))
    merges.sort(key=lambda m: (m.run.started_at, m.run.id))
    new.sort(key=lambda n: n.activity.started_at)
    return ImportPlan(new=tuple(new), merges=tuple(merges))
