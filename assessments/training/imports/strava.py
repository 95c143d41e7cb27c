"""The `activities.csv` of a Strava bulk export ("Download your data"): one row per activity.

Strava repeats some headers: the first "Elapsed Time" and "Distance" are in
the athlete's display units (km or miles), the later ones in seconds and
metres. The metres are the only unambiguous distance, so a file without the
second "Distance" (an old export) is refused rather than guessed. "Activity
Date" is the start in UTC ("Nov 4, 2023, 3:12:45 PM"). Only runs ("Run",
"Trail Run", "Virtual Run") are read; the other rows are counted and left
out. "Elevation Gain" is in metres; "Average Cadence" is per foot (doubled).
A row that cannot be read is refused on its own, named by its row; a file
saved again by a spreadsheet with semicolons between the columns is read too.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from assessments.training.choices import RunSource, RunSurface
from assessments.training.imports.activity import (
    RUNNING,
    FileRefused,
    ParsedActivity,
    _,
    as_utc,
    plausible_elevation,
    steps_per_minute,
)

REQUIRED = ("Activity Date", "Activity Type", "Elapsed Time", "Distance")
RUN_TYPES = {"run": "", "trail run": RunSurface.TRAIL, "virtual run": RunSurface.TREADMILL}
DATE_FORMATS = ("%b %d, %Y, %I:%M:%S %p", "%d %b %Y, %H:%M:%S", "%Y-%m-%d %H:%M:%S")
MAX_ROWS = 20_000  # a decade of daily training, with room to spare
OLD_EXPORT = _(
    "this activities.csv has no distance in metres (older Strava exports give it only in km or miles): "
    "request a new export from Strava, or upload the runs' own files."
)
MISSING = _("this CSV is not a Strava activities.csv: it has no {columns} column.")
DAMAGED = _("it could not be read as a CSV file: it seems damaged.")
EMPTY = _("it is empty.")
TOO_MANY = _("it has more than {rows} activities: export a shorter period.")
ROW_UNREADABLE = _("this row could not be read (a date or number in an unknown form).")


def looks_like_strava(first_line: str) -> bool:
    return "Activity Date" in first_line and "Activity Type" in first_line


@dataclass(frozen=True)
class RowProblem:
    line: int
    reason: str  # a message id (upload.parse_upload writes it out)


@dataclass(frozen=True)
class StravaRows:
    activities: list[ParsedActivity]
    problems: list[RowProblem]
    skipped: int


def _columns(header: list[str]) -> dict[str, list[int]]:
    columns: dict[str, list[int]] = {}
    for index, name in enumerate(header):
        columns.setdefault(name.strip(), []).append(index)
    return columns


def _number(text: str) -> float | None:
    text = text.strip().replace(",", "")
    return float(text) if text else None


def _started(text: str) -> datetime:
    for pattern in DATE_FORMATS:
        try:
            return as_utc(datetime.strptime(text.strip(), pattern))  # noqa: DTZ007 -- the export's times are UTC
        except ValueError:
            continue
    raise ValueError("unknown date format")


def _rows(text: str) -> Iterator[list[str]]:
    # A spreadsheet saved in a European locale separates the columns with semicolons.
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    except csv.Error as exc:
        raise FileRefused(DAMAGED) from exc


def parse_strava(text: str) -> StravaRows:
    """The runs of a Strava activities.csv (text already decoded)."""
    rows = _rows(text)
    header = next(rows, None)
    if header is None:
        raise FileRefused(EMPTY)
    columns = _columns(header)
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        # The file's own column names, quoted: the same in every language.
        raise FileRefused(MISSING, columns=" / ".join(f"“{name}”" for name in missing))
    if len(columns["Distance"]) < 2:
        raise FileRefused(OLD_EXPORT)
    date_at = columns["Activity Date"][0]
    type_at = columns["Activity Type"][0]
    elapsed_at = columns["Elapsed Time"][-1]
    distance_at = columns["Distance"][-1]
    gain_at = columns.get("Elevation Gain", [None])[-1]
    cadence_at = columns.get("Average Cadence", [None])[-1]
    activities, problems, skipped = [], [], 0
    for line, row in enumerate(rows, start=2):
        if line > MAX_ROWS + 1:
            raise FileRefused(TOO_MANY, rows=f"{MAX_ROWS:,}")
        if not any(cell.strip() for cell in row):
            continue
        try:
            kind = row[type_at].strip().lower()
            if kind not in RUN_TYPES:
                skipped += 1
                continue
            activities.append(
                ParsedActivity(
                    started_at=_started(row[date_at]),
                    distance_m=round(_number(row[distance_at]) or 0),
                    duration_s=round(_number(row[elapsed_at]) or 0),
                    elevation_gain_m=plausible_elevation(
                        _number(row[gain_at]) if gain_at is not None and gain_at < len(row) else None
                    ),
                    avg_cadence_spm=steps_per_minute(
                        _number(row[cadence_at]) if cadence_at is not None and cadence_at < len(row) else None
                    ),
                    source=RunSource.STRAVA_CSV,
                    sport=RUNNING,
                    surface=RUN_TYPES[kind],
                )
            )
        except (IndexError, ValueError, OverflowError):
            problems.append(RowProblem(line, ROW_UNREADABLE))
    return StravaRows(activities, problems, skipped)
