"""GPX tracks (gpxpy): each recorded track is one activity.

Distance is the track's length over the ground (2D, as watches measure it,
gaps between segments not counted); duration the elapsed time from its first
to its last timed point; elevation gain gpxpy's smoothed climb; cadence the
mean of the points' Garmin `TrackPointExtension/cad` (per foot, doubled),
stops (cadence 0) left out. A track with a `<type>` that is not a run keeps
that sport, so the upload can refuse it; a track without a type is taken as a
run (most watches write none). The bytes reach gpxpy only after defusedxml
accepted them (see `upload.safe_xml`).
"""

from __future__ import annotations

import gpxpy
import gpxpy.gpx

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

CORRUPT = _("it could not be read as a GPX file: it seems damaged or incomplete. Export it again.")
NO_TIMES = _(
    "it has no times in it (a planned route, not a recorded run), so the start and duration are unknown."
)
NO_TRACK = _("it has no track in it.")
# Strava writes its own activity type numbers into <type>: 9 is a run.
_RUN_TYPES = {"9"}


def sport_of(kind: str | None) -> tuple[str, str]:
    """The sport and the surface a GPX `<type>` names ("" surface when it names none)."""
    text = (kind or "").strip().lower()
    if not text or "run" in text or text in _RUN_TYPES:
        if "treadmill" in text:
            return RUNNING, RunSurface.TREADMILL
        if "trail" in text:
            return RUNNING, RunSurface.TRAIL
        if "track" in text:
            return RUNNING, RunSurface.TRACK
        return RUNNING, ""
    return text, ""


def _cadence(points: list[gpxpy.gpx.GPXTrackPoint]) -> int | None:
    values: list[float] = []
    for point in points:
        for extension in point.extensions:
            for element in extension.iter():
                tag = element.tag.rsplit("}", 1)[-1]
                if tag == "cad" and element.text:
                    try:
                        value = float(element.text)
                    except ValueError:
                        continue
                    if value > 0:
                        values.append(value)
    return steps_per_minute(sum(values) / len(values)) if values else None


def parse_gpx(text: str) -> list[ParsedActivity]:
    """Every recorded track of a GPX document (already checked by defusedxml)."""
    try:
        document = gpxpy.parse(text)
    except (gpxpy.gpx.GPXException, ValueError, TypeError, AttributeError) as exc:
        raise FileRefused(CORRUPT) from exc
    activities = []
    for track in document.tracks:
        points = [point for segment in track.segments for point in segment.points]
        if not points:
            continue
        bounds = track.get_time_bounds()
        if bounds.start_time is None or bounds.end_time is None:
            raise FileRefused(NO_TIMES)
        started_at, ended_at = as_utc(bounds.start_time), as_utc(bounds.end_time)
        sport, surface = sport_of(track.type)
        elevated = any(point.elevation is not None for point in points)
        activities.append(
            ParsedActivity(
                started_at=started_at,
                distance_m=round(track.length_2d() or 0),
                duration_s=round((ended_at - started_at).total_seconds()),
                elevation_gain_m=plausible_elevation(track.get_uphill_downhill().uphill)
                if elevated
                else None,
                avg_cadence_spm=_cadence(points),
                source=RunSource.GPX,
                sport=sport,
                surface=surface,
            )
        )
    if not activities:
        raise FileRefused(NO_TIMES if document.routes or document.waypoints else NO_TRACK)
    return activities
