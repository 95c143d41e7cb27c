"""One activity read from a file, and the limits a run must pass before it can be imported.

Durations are *elapsed* time in every format (start to the last recorded
moment, pauses included): it is the one figure all four formats record the
same way (GPX and TCX only have the points' times; FIT's session and Strava's
export state it). A runner who stopped for long can correct the time on the
run afterwards. Distances are what the file measured (FIT, TCX and Strava state
a total; for GPX it is the track's length over the ground). Cadence is stored
as steps a minute: watches record it per foot (strides a minute), so it is
doubled.

The patient's sentences are English message ids with {named} values: `_`
only marks them for the catalogue (this module imports nothing from
Django), and a `Wording` (the caller's gettext and date names; English by
default) writes them out where a file's problems are collected (upload).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo

from assessments.training.choices import (
    CADENCE_MAX_SPM,
    CADENCE_MIN_SPM,
    ELEVATION_GAIN_MAX_M,
    RUN_DISTANCE_MAX_M,
    RUN_DURATION_MAX_S,
)
from assessments.training.imports.records import faster_than_world_record, record_for

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_FILE_MB = MAX_FILE_BYTES // (1024 * 1024)
# A watch's clock may run a few minutes fast; anything later than this is refused as in the future.
FUTURE_GRACE = timedelta(minutes=10)
# Before this, the device's date was never set (FIT counts from 31 Dec 1989).
EARLIEST_START = datetime(2000, 1, 1, tzinfo=UTC)
RUNNING = "running"


def _(text: str) -> str:
    """Marks a message id for the catalogue; `Wording.say` translates it."""
    return text


def _english_moment(local: datetime) -> str:
    return f"{local:%a} {local.day} {local:%b %Y}, {local:%H:%M}"


def _english_day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


@dataclass(frozen=True)
class Wording:
    """How the sentences are written: a message id translated, a plural chosen, a moment and a day named."""

    translate: Callable[[str], str] = str
    plural: Callable[[str, str, int], str] = lambda one, many, count: one if count == 1 else many
    moment: Callable[[datetime], str] = _english_moment  # a local time, with its weekday
    day: Callable[[date], str] = _english_day

    def say(self, text: str, **values: object) -> str:
        return self.translate(text).format(**values)

    def say_count(self, one: str, many: str, count: int, **values: object) -> str:
        return self.plural(one, many, count).format(count=f"{count:,}", **values)


ENGLISH = Wording()


@dataclass(frozen=True)
class ParsedActivity:
    """A run as the file recorded it (aware UTC start; metres, seconds, steps a minute)."""

    started_at: datetime
    distance_m: int
    duration_s: int
    elevation_gain_m: int | None
    avg_cadence_spm: int | None
    source: str  # a RunSource value
    sport: str  # "running", or what the file called it
    surface: str = ""  # a RunSurface the file states (treadmill, trail, track), "" when it says none


@dataclass(frozen=True)
class ImportProblem:
    """Why a file, or one activity in it, was refused (a sentence for the patient)."""

    file_name: str
    message: str


@dataclass(frozen=True)
class ImportResult:
    """What one uploaded file gave: the runs that passed, what was refused, how many non-runs were left out."""

    activities: tuple[ParsedActivity, ...] = ()
    errors: tuple[ImportProblem, ...] = ()
    skipped: int = 0
    notes: tuple[str, ...] = field(default=())


class FileRefused(Exception):  # noqa: N818 -- a refusal with the patient's sentence, not a fault
    """The whole file cannot be imported; `reason` (a message id, with `values`) completes "“name”: …"."""

    def __init__(self, reason: str, **values: object) -> None:
        super().__init__(reason.format(**values))
        self.reason = reason
        self.values = values


def as_utc(moment: datetime) -> datetime:
    """An aware UTC datetime (a time without a zone in a watch file is UTC)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def steps_per_minute(per_foot: float | None, fraction: float | None = None) -> int | None:
    """Steps a minute from a per-foot cadence; None when absent or implausible."""
    if per_foot is None or per_foot <= 0:
        return None
    spm = round(2 * (per_foot + (fraction or 0)))
    return spm if CADENCE_MIN_SPM <= spm <= CADENCE_MAX_SPM else None


def plausible_elevation(gain: float | None) -> int | None:
    """The elevation gain in whole metres; None when absent or beyond what one run climbs."""
    if gain is None or gain < 0:
        return None
    metres = round(gain)
    return metres if metres <= ELEVATION_GAIN_MAX_M else None


def describe_start(started_at: datetime, tz: tzinfo, wording: Wording = ENGLISH) -> str:
    return wording.moment(started_at.astimezone(tz))


def pace_text(distance_m: int, duration_s: int, wording: Wording = ENGLISH) -> str:
    seconds = round(duration_s * 1000 / distance_m)
    return wording.say(_("{pace} per km"), pace=f"{seconds // 60}:{seconds % 60:02d}")


def activity_problem(activity: ParsedActivity, *, now: datetime, wording: Wording = ENGLISH) -> str | None:
    """Why this activity cannot be a run in the log, or None when it can."""
    say = wording.say
    km = activity.distance_m / 1000
    if activity.started_at < EARLIEST_START:
        return say(_("it is dated before 2000: the watch's date was probably not set."))
    if activity.started_at + timedelta(seconds=max(activity.duration_s, 0)) > now + FUTURE_GRACE:
        return say(
            _("its times are in the future: check the date and time on the watch, then export it again.")
        )
    if activity.distance_m <= 0:
        return say(_("it has no distance (0 km): nothing to add."))
    if activity.duration_s <= 0:
        return say(_("it has no time: the start and end are the same."))
    if activity.distance_m > RUN_DISTANCE_MAX_M:
        return say(
            _("it is {km} km long: over {top} km is not one run."),
            km=f"{km:,.0f}",
            top=RUN_DISTANCE_MAX_M // 1000,
        )
    if activity.duration_s > RUN_DURATION_MAX_S:
        return say(_("it lasts over {hours} hours: that is not one run."), hours=RUN_DURATION_MAX_S // 3600)
    if faster_than_world_record(distance_m=activity.distance_m, duration_s=activity.duration_s):
        record = record_for(activity.distance_m)
        return say(
            _(
                "{km} km in {minutes} min {seconds} s ({pace}) would beat the world record ({record}): "
                "it is a ride or a GPS error, not a run."
            ),
            km=f"{km:,.2f}",
            minutes=activity.duration_s // 60,
            seconds=activity.duration_s % 60,
            pace=pace_text(activity.distance_m, activity.duration_s, wording),
            record=pace_text(record.distance_m, round(record.seconds), wording),
        )
    return None
