"""Garmin Training Center files (tcxreader): one activity per file.

Distance is the sum of the laps' `DistanceMeters` (the watch's own total),
or the last trackpoint's distance when the laps state none; duration the
elapsed time from the first to the last trackpoint; elevation gain
tcxreader's climb over the trackpoints' altitudes; cadence the mean of the
trackpoints' `RunCadence` (Garmin's activity extension) or `Cadence`, per
foot and doubled, stops (0) left out. `Sport="Running"` is a run; anything
else keeps its name so the upload can refuse it. tcxreader reads the bytes
from memory, after defusedxml accepted them (see `upload.safe_xml`).
"""

from __future__ import annotations

import io

from defusedxml.ElementTree import ParseError
from tcxreader.tcxreader import TCXReader

from assessments.training.choices import RunSource
from assessments.training.imports.activity import (
    RUNNING,
    FileRefused,
    ParsedActivity,
    _,
    as_utc,
    plausible_elevation,
    steps_per_minute,
)

CORRUPT = _("it could not be read as a TCX file: it seems damaged or incomplete. Export it again.")
NO_TIMES = _("it has no recorded points with times, so the start and duration are unknown.")


def parse_tcx(data: bytes) -> list[ParsedActivity]:
    """The activity of a TCX document (already checked by defusedxml)."""
    try:
        exercise = TCXReader().read(io.BytesIO(data), only_gps=False)
    except (ParseError, ValueError, TypeError, KeyError, AttributeError, ZeroDivisionError) as exc:
        raise FileRefused(CORRUPT) from exc
    points = [point for point in exercise.trackpoints if point.time is not None]
    if len(points) < 2:
        raise FileRefused(NO_TIMES)
    started_at, ended_at = as_utc(points[0].time), as_utc(points[-1].time)
    distance = exercise.distance or 0
    if not distance:
        distance = max((point.distance or 0 for point in points), default=0)
    cadences = [
        value
        for point in points
        if (value := point.tpx_ext.get("RunCadence") or point.cadence) is not None and value > 0
    ]
    elevated = any(point.elevation is not None for point in points)
    sport = (exercise.activity_type or "").strip().lower()
    return [
        ParsedActivity(
            started_at=started_at,
            distance_m=round(distance),
            duration_s=round((ended_at - started_at).total_seconds()),
            elevation_gain_m=plausible_elevation(exercise.ascent) if elevated else None,
            avg_cadence_spm=steps_per_minute(sum(cadences) / len(cadences)) if cadences else None,
            source=RunSource.TCX,
            sport=RUNNING if sport == RUNNING else sport or "unknown",
        )
    ]
