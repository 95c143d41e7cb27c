"""FIT files, the watches' own binary format (fitdecode): one activity per session message.

Each `session` message of an activity file is one activity (a multisport file
has several): its `start_time`, `total_elapsed_time` (pauses included, as in
the other formats), `total_distance`, `total_ascent` and average cadence
(`avg_running_cadence` with its fractional part; per foot, doubled). Its
`sport` tells a run; `sub_sport` treadmill, trail or track becomes the run's
surface. The reader checks the header and file CRCs: a damaged or cut-short
file is refused whole. Fields the profile does
not know (a device's developer fields) are read as raw bytes and ignored, so a
well-formed file from any watch is read.
"""

from __future__ import annotations

import io

import fitdecode

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

CORRUPT = _(
    "it could not be read as a FIT file: it seems damaged or incomplete. Copy it from the watch again."
)
NOT_ACTIVITY = _("it is not a recorded activity (a course, workout or settings file from the watch).")
NO_SESSION = _("it holds no finished activity (no session summary): it may have been copied mid-recording.")
_SURFACES = {"treadmill": RunSurface.TREADMILL, "trail": RunSurface.TRAIL, "track": RunSurface.TRACK}


def _number(message: fitdecode.FitDataMessage, name: str) -> float | None:
    value = message.get_value(name, fallback=None)
    return float(value) if isinstance(value, int | float) else None


def parse_fit(data: bytes) -> list[ParsedActivity]:
    """The sessions of a FIT activity file."""
    sessions = []
    file_type = None
    try:
        with fitdecode.FitReader(
            io.BytesIO(data),
            check_crc=fitdecode.CrcCheck.RAISE,
            error_handling=fitdecode.ErrorHandling.IGNORE,
        ) as reader:
            for frame in reader:
                if frame.frame_type != fitdecode.FIT_FRAME_DATA:
                    continue
                if frame.name == "file_id" and file_type is None:
                    file_type = frame.get_value("type", fallback=None)
                elif frame.name == "session":
                    sessions.append(frame)
    except (fitdecode.FitError, ValueError, TypeError, KeyError, IndexError, OverflowError) as exc:
        raise FileRefused(CORRUPT) from exc
    if file_type not in (None, "activity"):
        raise FileRefused(NOT_ACTIVITY)
    if not sessions:
        raise FileRefused(NO_SESSION)
    activities = []
    for session in sessions:
        started = session.get_value("start_time", fallback=None) or session.get_value(
            "timestamp", fallback=None
        )
        if not hasattr(started, "tzinfo"):
            raise FileRefused(CORRUPT)
        sport = session.get_value("sport", fallback=None)
        sub_sport = session.get_value("sub_sport", fallback=None)
        cadence = _number(session, "avg_running_cadence") or _number(session, "avg_cadence")
        activities.append(
            ParsedActivity(
                started_at=as_utc(started),
                distance_m=round(_number(session, "total_distance") or 0),
                duration_s=round(_number(session, "total_elapsed_time") or 0),
                elevation_gain_m=plausible_elevation(_number(session, "total_ascent")),
                avg_cadence_spm=steps_per_minute(cadence, _number(session, "avg_fractional_cadence")),
                source=RunSource.FIT,
                sport=RUNNING if sport == RUNNING else str(sport or "unknown"),
                surface=_SURFACES.get(str(sub_sport), "") if sport == RUNNING else "",
            )
        )
    return activities
