"""The preview's rows as the patient reads them: their unit, local times, pace, what a merge adds.

Written in the active language (the patient's, on their pages): days and months named in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from django.utils import dateformat
from django.utils.translation import gettext, gettext_lazy, ngettext

from assessments.training.imports.activity import Wording
from assessments.training.imports.plan import ImportPlan, SavedRun
from assessments.training.load import to_unit
from clinic.dates import date_format_for

UNIT_LABEL = {"km": "km", "mi": "mi"}
FILL_LABEL = {
    "elevation_gain_m": gettext_lazy("climb {value} m"),
    "avg_cadence_spm": gettext_lazy("cadence {value} steps/min"),
}


def moment_text(local: datetime) -> str:
    """A local time with its weekday, the reader's way ("Mon 5 Oct 2026, 07:30", "lun 5 oct 2026, 07:30")."""
    day = dateformat.format(local, date_format_for("weekday_short_year"))
    return f"{day}, {dateformat.time_format(local, date_format_for('time'))}"


def day_text(day: date) -> str:
    return dateformat.format(day, date_format_for("day"))


def patient_wording() -> Wording:
    """The upload's sentences (refusals, notes) in the active language."""
    return Wording(translate=gettext, plural=ngettext, moment=moment_text, day=day_text)


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
    return moment_text(moment.astimezone(tz))


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

    @property
    def adds_text(self) -> str:
        """What the merge adds, as a list in words ("climb 40 m and cadence 172 steps/min")."""
        if len(self.adds) < 2:
            return "".join(self.adds)
        return gettext("{first} and {last}").format(first=", ".join(self.adds[:-1]), last=self.adds[-1])


def _saved_text(run: SavedRun, unit: str, tz: tzinfo) -> str:
    when = (
        when_text(run.started_at, tz)
        if run.started_at
        else dateformat.format(run.day, date_format_for("weekday_short_year"))
    )
    return gettext("{when}: {distance} in {time}").format(
        when=when, distance=distance_text(run.distance_m, unit), time=duration_text(run.duration_s)
    )


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
            # Road is what a run is unless the file says otherwise: only another surface is named.
            surface=""
            if (new.activity.surface or "road") == "road"
            else str(surfaces.get(new.activity.surface, "")),
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
            adds=tuple(str(FILL_LABEL[name]).format(value=value) for name, value in merge.fills),
        )
        for merge in plan.merges
    ]
    return runs, merges
