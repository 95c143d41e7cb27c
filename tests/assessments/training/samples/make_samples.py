"""Watch files made by the project (never downloaded): GPX, TCX, FIT and a Strava activities.csv.

`python tests/assessments/training/samples/make_samples.py` rewrites the small
committed samples beside this file; the tests call the same functions for the
variants they need (a 10,000-point track, a ride, a damaged FIT file, a run
in the future). Every sample is one run along a straight line eastwards from
the same point at a steady pace, so its distance, time, climb and cadence are
known in advance (SAMPLES below).

The FIT writer is a minimal, hand-written encoder of the published FIT
format: a 14-byte header with its CRC, definition and data messages for
`file_id` and `session` (and optionally `record` points), and the file CRC.
"""

from __future__ import annotations

import math
import struct
import sys
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
START_LAT, START_LON = 51.5000, -0.1200
METRES_PER_DEGREE = 111_195.0  # along a meridian, on the mean Earth radius (6371 km)


@dataclass(frozen=True)
class Sample:
    """What a sample file holds (distance in metres, time in seconds, cadence per foot)."""

    started_at: datetime
    distance_m: int
    duration_s: int
    climb_m: int  # metres climbed (the elevation rises then falls once)
    cadence: int  # strides a minute, per foot, as watches record it

    @property
    def steps_per_minute(self) -> int:
        return 2 * self.cadence


SAMPLES = {
    "easy_run.gpx": Sample(datetime(2026, 10, 5, 6, 30, tzinfo=UTC), 8000, 2880, 40, 86),
    "tempo_run.tcx": Sample(datetime(2026, 10, 7, 17, 15, tzinfo=UTC), 6000, 1650, 25, 90),
    "long_run.fit": Sample(datetime(2026, 10, 11, 8, 0, tzinfo=UTC), 16000, 5760, 120, 84),
}


def _points(sample: Sample, count: int) -> list[tuple[datetime, float, float, float, float]]:
    """(time, lat, lon, elevation, distance so far) for `count` evenly spaced points of the run."""
    metres_per_lon = METRES_PER_DEGREE * math.cos(math.radians(START_LAT))
    points = []
    for index in range(count):
        share = index / (count - 1)
        distance = sample.distance_m * share
        elevation = 20 + sample.climb_m * (1 - abs(2 * share - 1))  # up to the middle, then down
        points.append(
            (
                sample.started_at + timedelta(seconds=sample.duration_s * share),
                START_LAT,
                START_LON + distance / metres_per_lon,
                elevation,
                distance,
            )
        )
    return points


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


# --- GPX ------------------------------------------------------------------------------------------


def gpx(sample: Sample, *, points: int = 240, kind: str = "running", name: str = "Morning run") -> bytes:
    rows = []
    for when, lat, lon, elevation, _distance in _points(sample, points):
        rows.append(
            f'<trkpt lat="{lat:.7f}" lon="{lon:.7f}"><ele>{elevation:.1f}</ele><time>{_iso(when)}</time>'
            f"<extensions><gpxtpx:TrackPointExtension><gpxtpx:cad>{sample.cadence}</gpxtpx:cad>"
            "</gpxtpx:TrackPointExtension></extensions></trkpt>"
        )
    type_element = f"<type>{kind}</type>" if kind else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<gpx version="1.1" creator="Stride sample maker" xmlns="http://www.topografix.com/GPX/1/1" '
        'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1">\n'
        f"<metadata><time>{_iso(sample.started_at)}</time></metadata>\n"
        f"<trk><name>{name}</name>{type_element}<trkseg>\n" + "\n".join(rows) + "\n</trkseg></trk>\n</gpx>\n"
    ).encode()


# --- TCX ------------------------------------------------------------------------------------------


def tcx(sample: Sample, *, points: int = 120, sport: str = "Running", laps: int = 2) -> bytes:
    track = _points(sample, points)
    per_lap = math.ceil(points / laps)
    lap_xml = []
    for lap in range(laps):
        chunk = track[lap * per_lap : (lap + 1) * per_lap]
        if not chunk:
            continue
        lap_distance = (chunk[-1][4] - (track[lap * per_lap - 1][4] if lap else 0.0)) if chunk else 0.0
        lap_time = (
            chunk[-1][0] - (track[lap * per_lap - 1][0] if lap else sample.started_at)
        ).total_seconds()
        trackpoints = "".join(
            f"<Trackpoint><Time>{_iso(when)}</Time><Position><LatitudeDegrees>{lat:.7f}</LatitudeDegrees>"
            f"<LongitudeDegrees>{lon:.7f}</LongitudeDegrees></Position>"
            f"<AltitudeMeters>{elevation:.1f}</AltitudeMeters><DistanceMeters>{distance:.1f}</DistanceMeters>"
            f"<Extensions><ns3:TPX><ns3:RunCadence>{sample.cadence}</ns3:RunCadence></ns3:TPX></Extensions>"
            "</Trackpoint>\n"
            for when, lat, lon, elevation, distance in chunk
        )
        lap_xml.append(
            f'<Lap StartTime="{_iso(chunk[0][0])}"><TotalTimeSeconds>{lap_time:.1f}</TotalTimeSeconds>'
            f"<DistanceMeters>{lap_distance:.1f}</DistanceMeters><Calories>200</Calories>"
            f"<Intensity>Active</Intensity><TriggerMethod>Manual</TriggerMethod>\n<Track>\n{trackpoints}</Track></Lap>\n"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<TrainingCenterDatabase xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2" '
        'xmlns:ns3="http://www.garmin.com/xmlschemas/ActivityExtension/v2">\n'
        f'<Activities><Activity Sport="{sport}"><Id>{_iso(sample.started_at)}</Id>\n'
        + "".join(lap_xml)
        + "</Activity></Activities>\n</TrainingCenterDatabase>\n"
    ).encode()


# --- FIT ------------------------------------------------------------------------------------------

FIT_EPOCH = datetime(1989, 12, 31, tzinfo=UTC)
_CRC_TABLE = (
    0x0000, 0xCC01, 0xD801, 0x1400, 0xF001, 0x3C00, 0x2800, 0xE401,
    0xA001, 0x6C00, 0x7800, 0xB401, 0x5000, 0x9C01, 0x8801, 0x4400,
)  # fmt: skip
ENUM, UINT8, UINT16, UINT32, UINT32Z = 0x00, 0x02, 0x84, 0x86, 0x8C
_FORMATS = {ENUM: "B", UINT8: "B", UINT16: "H", UINT32: "I", UINT32Z: "I"}
SPORTS = {"running": 1, "cycling": 2}
SUB_SPORTS = {"generic": 0, "treadmill": 1, "street": 2, "trail": 3, "track": 4}


def fit_crc(data: bytes, crc: int = 0) -> int:
    """The FIT format's CRC-16 (the SDK's nibble table)."""
    for byte in data:
        tmp = _CRC_TABLE[crc & 0xF]
        crc = ((crc >> 4) & 0x0FFF) ^ tmp ^ _CRC_TABLE[byte & 0xF]
        tmp = _CRC_TABLE[crc & 0xF]
        crc = ((crc >> 4) & 0x0FFF) ^ tmp ^ _CRC_TABLE[(byte >> 4) & 0xF]
    return crc


def _fit_time(moment: datetime) -> int:
    return int((moment - FIT_EPOCH).total_seconds())


def _message(local: int, global_num: int, fields: list[tuple[int, int, int]]) -> bytes:
    """A definition message then its data message: fields are (number, base type, value)."""
    definition = struct.pack("<BBBHB", 0x40 | local, 0, 0, global_num, len(fields))
    values = b""
    for number, base, value in fields:
        fmt = _FORMATS[base]
        definition += struct.pack("<BBB", number, struct.calcsize(fmt), base)
        values += struct.pack("<" + fmt, value)
    return definition + struct.pack("<B", local) + values


def fit(
    sample: Sample,
    *,
    sport: str = "running",
    sub_sport: str = "generic",
    fraction: int = 64,
    records: int = 0,
    file_type: int = 4,
) -> bytes:
    """A FIT activity file: file_id, optional record points, one session (`fraction` is cadence/128)."""
    end = sample.started_at + timedelta(seconds=sample.duration_s)
    body = _message(
        0,
        0,
        [
            (0, ENUM, file_type),
            (1, UINT16, 255),
            (2, UINT16, 1),
            (3, UINT32Z, 12345),
            (4, UINT32, _fit_time(end)),
        ],
    )
    for when, _lat, _lon, _elevation, distance in _points(sample, records) if records > 1 else []:
        body += _message(1, 20, [(253, UINT32, _fit_time(when)), (5, UINT32, round(distance * 100))])
    body += _message(
        2,
        18,
        [
            (253, UINT32, _fit_time(end)),
            (2, UINT32, _fit_time(sample.started_at)),
            (5, ENUM, SPORTS[sport]),
            (6, ENUM, SUB_SPORTS[sub_sport]),
            (7, UINT32, sample.duration_s * 1000),
            (8, UINT32, (sample.duration_s - 60) * 1000),
            (9, UINT32, sample.distance_m * 100),
            (22, UINT16, sample.climb_m),
            (18, UINT8, sample.cadence),
            (92, UINT8, fraction),
        ],
    )
    header = struct.pack("<BBHI4s", 14, 0x20, 2132, len(body), b".FIT")
    header += struct.pack("<H", fit_crc(header))
    data = header + body
    return data + struct.pack("<H", fit_crc(data))


# --- Strava's activities.csv ----------------------------------------------------------------------

STRAVA_HEADER = (
    "Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,Elapsed Time,Distance,"
    "Max Heart Rate,Relative Effort,Commute,Activity Private Note,Activity Gear,Filename,Athlete Weight,"
    "Bike Weight,Elapsed Time,Moving Time,Distance,Max Speed,Average Speed,Elevation Gain,Elevation Loss,"
    "Elevation Low,Elevation High,Max Grade,Average Grade,Average Positive Grade,Average Negative Grade,"
    "Max Cadence,Average Cadence,Max Heart Rate,Average Heart Rate"
)


def strava_row(
    activity_id: int,
    started_at: datetime,
    kind: str,
    distance_m: float,
    elapsed_s: int,
    *,
    gain: float | None = None,
    cadence: float | None = None,
    name: str = "Morning Run",
) -> str:
    date_text = started_at.astimezone(UTC).strftime("%b %-d, %Y, %-I:%M:%S %p")
    cells = [
        str(activity_id),
        f'"{date_text}"',
        f'"{name}"',
        kind,
        "",
        str(elapsed_s),
        f"{distance_m / 1000:.2f}",
        "",
        "",
        "false",
        "",
        "",
        f"activities/{activity_id}.fit.gz",
        "",
        "",
        f"{elapsed_s:.1f}",
        f"{elapsed_s - 30:.1f}",
        f"{distance_m:.1f}",
        "",
        "",
        "" if gain is None else f"{gain:.1f}",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "" if cadence is None else f"{cadence:.1f}",
        "",
        "",
    ]
    return ",".join(cells)


def strava_csv(rows: list[str]) -> bytes:
    return ("\n".join([STRAVA_HEADER, *rows]) + "\n").encode()


STRAVA_ROWS = [
    # The same run as easy_run.gpx (a minute later on Strava's clock): merged, never doubled.
    (9001, datetime(2026, 10, 5, 6, 31, tzinfo=UTC), "Run", 8010.0, 2880, 41.0, 86.0),
    (9002, datetime(2026, 10, 6, 18, 0, tzinfo=UTC), "Ride", 30000.0, 3600, 150.0, None),
    (9003, datetime(2026, 10, 9, 7, 0, tzinfo=UTC), "Trail Run", 10500.0, 4200, 310.0, 82.0),
    (9004, datetime(2026, 10, 10, 12, 0, tzinfo=UTC), "Weight Training", 0.0, 2700, None, None),
    (9005, datetime(2026, 10, 13, 6, 45, tzinfo=UTC), "Run", 5000.0, 1620, 12.0, None),
]


def sample_strava(shift: timedelta = timedelta(0)) -> bytes:
    return strava_csv(
        [
            strava_row(i, when + shift, kind, distance, elapsed, gain=gain, cadence=cadence)
            for i, when, kind, distance, elapsed, gain, cadence in STRAVA_ROWS
        ]
    )


def write_samples(folder: Path = HERE, *, recent: bool = False) -> list[Path]:
    """The four samples in `folder`; `recent` moves every date so the last run was yesterday.

    The committed samples keep their October 2026 dates (the tests know them);
    recent copies are for trying the import page in `make run`, which leaves
    out runs older than a year.
    """
    shift = timedelta(0)
    if recent:
        last = max(when for _i, when, *_rest in STRAVA_ROWS)
        shift = timedelta(days=(datetime.now(UTC).date() - last.date()).days - 1)
    samples = {
        name: replace(sample, started_at=sample.started_at + shift) for name, sample in SAMPLES.items()
    }
    files = {
        "easy_run.gpx": gpx(samples["easy_run.gpx"]),
        "tempo_run.tcx": tcx(samples["tempo_run.tcx"]),
        "long_run.fit": fit(samples["long_run.fit"], records=30),
        "activities.csv": sample_strava(shift),
    }
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in files.items():
        path = folder / name
        path.write_bytes(data)
        written.append(path)
    return written


if __name__ == "__main__":
    # make_samples.py               rewrite the committed samples beside this file
    # make_samples.py --recent DIR  copies dated up to yesterday, to try the import page
    arguments = sys.argv[1:]
    recent = "--recent" in arguments
    folders = [a for a in arguments if a != "--recent"]
    for path in write_samples(Path(folders[0]) if folders else HERE, recent=recent):
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")
