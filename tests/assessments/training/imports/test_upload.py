"""Each format read from the project's samples, told apart by content, and every bad file refused with its sentence."""

import gzip
import io
import zipfile
from datetime import UTC, datetime, timedelta

import pytest

from assessments.training.imports.activity import MAX_FILE_BYTES
from assessments.training.imports.upload import (
    CORRUPT_XML,
    EMPTY,
    TOO_BIG,
    UNSAFE_XML,
    WRONG_TYPE,
    ZIP,
    display_name,
    parse_upload,
)
from tests.assessments.training.imports.support import NOW, sample
from tests.assessments.training.samples import make_samples as make
from tests.assessments.training.samples.make_samples import SAMPLES, Sample


def _only(result):
    assert result.errors == ()
    assert len(result.activities) == 1
    return result.activities[0]


def _message(result) -> str:
    assert result.activities == ()
    assert len(result.errors) == 1
    return result.errors[0].message


def test_gpx_sample_gives_its_start_distance_time_climb_and_cadence():
    activity = _only(parse_upload("easy_run.gpx", sample("easy_run.gpx"), now=NOW))

    expected = SAMPLES["easy_run.gpx"]
    assert activity.started_at == datetime(2026, 10, 5, 6, 30, tzinfo=UTC)
    assert abs(activity.distance_m - expected.distance_m) <= expected.distance_m * 0.005
    assert activity.duration_s == 2880
    assert 36 <= activity.elevation_gain_m <= 40  # gpxpy smooths the climb a little
    assert activity.avg_cadence_spm == 172  # 86 strides a minute, per foot
    assert (activity.source, activity.sport, activity.surface) == ("gpx", "running", "")


def test_tcx_sample_gives_the_laps_distance_and_the_run_cadence():
    activity = _only(parse_upload("tempo_run.tcx", sample("tempo_run.tcx"), now=NOW))

    assert activity.started_at == datetime(2026, 10, 7, 17, 15, tzinfo=UTC)
    assert activity.distance_m == 6000
    assert activity.duration_s == 1650
    assert activity.elevation_gain_m == 25
    assert activity.avg_cadence_spm == 180
    assert activity.source == "tcx"


def test_fit_sample_gives_the_session_totals_with_the_fractional_cadence():
    activity = _only(parse_upload("long_run.fit", sample("long_run.fit"), now=NOW))

    assert activity.started_at == datetime(2026, 10, 11, 8, 0, tzinfo=UTC)
    assert (activity.distance_m, activity.duration_s) == (16000, 5760)  # elapsed, not timer time
    assert activity.elevation_gain_m == 120
    assert activity.avg_cadence_spm == 169  # (84 + 64/128) x 2
    assert activity.source == "fit"


def test_strava_export_reads_the_runs_in_metres_and_counts_the_rest():
    result = parse_upload("activities.csv", sample("activities.csv"), now=NOW)

    assert result.errors == ()
    assert [
        (a.started_at, a.distance_m, a.duration_s, a.elevation_gain_m, a.avg_cadence_spm, a.surface)
        for a in result.activities
    ] == [
        (datetime(2026, 10, 5, 6, 31, tzinfo=UTC), 8010, 2880, 41, 172, ""),
        (datetime(2026, 10, 9, 7, 0, tzinfo=UTC), 10500, 4200, 310, 164, "trail"),
        (datetime(2026, 10, 13, 6, 45, tzinfo=UTC), 5000, 1620, 12, None, ""),
    ]
    assert {a.source for a in result.activities} == {"strava_csv"}
    assert result.skipped == 2  # the ride and the weight training
    assert result.notes == ("activities.csv: 2 activities that are not runs left out.",)


def test_the_type_is_told_by_content_not_by_the_name():
    assert _only(parse_upload("export.csv", sample("long_run.fit"), now=NOW)).source == "fit"
    assert _only(parse_upload("run.fit", sample("easy_run.gpx"), now=NOW)).source == "gpx"
    assert _only(parse_upload("noname", sample("tempo_run.tcx"), now=NOW)).source == "tcx"


def test_a_gzipped_activity_file_as_in_a_strava_export_is_unpacked_in_memory():
    activity = _only(parse_upload("1234.fit.gz", gzip.compress(sample("long_run.fit")), now=NOW))

    assert activity.distance_m == 16000


def test_fit_sub_sport_treadmill_becomes_the_surface():
    data = make.fit(SAMPLES["long_run.fit"], sub_sport="treadmill")

    assert _only(parse_upload("t.fit", data, now=NOW)).surface == "treadmill"


def test_a_10000_point_track_is_read_whole():
    data = make.gpx(SAMPLES["easy_run.gpx"], points=10_000)

    activity = _only(parse_upload("big.gpx", data, now=NOW))

    assert abs(activity.distance_m - 8000) <= 40
    assert activity.duration_s == 2880


# --- Bad files -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, WRONG_TYPE),
        (b"Just some notes about my run\n5 km easy\n", WRONG_TYPE),
        (b"<html><body>not a run</body></html>", WRONG_TYPE),
        (b"   \n", EMPTY),
        (b"", EMPTY),
        (b"<gpx><trk><trkseg><trkpt lat='1' lon='2'>", CORRUPT_XML),
    ],
    ids=["png", "text", "html", "blank", "empty", "truncated-xml"],
)
def test_a_file_that_is_no_activity_is_refused_with_its_sentence(data, expected):
    assert _message(parse_upload("upload.bin", data, now=NOW)) == expected


def test_a_zip_archive_is_refused_with_what_to_do():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("activities.csv", sample("activities.csv"))

    assert _message(parse_upload("export.zip", buffer.getvalue(), now=NOW)) == ZIP


def test_a_file_over_20_mb_is_refused_before_it_is_read():
    too_big = TOO_BIG.format(mb=20)
    assert _message(parse_upload("huge.gpx", b" " * (MAX_FILE_BYTES + 1), now=NOW)) == too_big
    # The upload handler keeps nothing of it: the size alone refuses it.
    assert _message(parse_upload("huge.gpx", b"", now=NOW, size=MAX_FILE_BYTES + 1)) == too_big


def test_a_gzip_that_unpacks_past_20_mb_is_refused():
    bomb = gzip.compress(b"<" + b" " * (MAX_FILE_BYTES + 10))

    assert _message(parse_upload("bomb.gpx.gz", bomb, now=NOW)) == "unpacked, it is larger than 20 MB."


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<gpx version="1.1"><trk><name>&lol2;</name></trk></gpx>"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE gpx [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<gpx version="1.1"><trk><name>&secret;</name></trk></gpx>"""
DTD_ONLY = b"""<?xml version="1.0"?>
<!DOCTYPE TrainingCenterDatabase SYSTEM "http://example.invalid/tcx.dtd">
<TrainingCenterDatabase/>"""


@pytest.mark.parametrize(
    "data", [BILLION_LAUGHS, EXTERNAL_ENTITY, DTD_ONLY], ids=["entities", "external", "dtd"]
)
def test_xml_with_a_dtd_or_entities_is_refused_before_any_reader_sees_it(data):
    assert _message(parse_upload("evil.gpx", data, now=NOW)) == UNSAFE_XML


def test_a_fit_file_with_a_wrong_crc_is_refused_as_damaged():
    data = bytearray(sample("long_run.fit"))
    data[40] ^= 0xFF

    assert _message(parse_upload("damaged.fit", bytes(data), now=NOW)).startswith(
        "it could not be read as a FIT file"
    )


def test_a_fit_file_cut_short_is_refused_as_damaged():
    data = sample("long_run.fit")[:-30]

    assert _message(parse_upload("short.fit", data, now=NOW)).startswith("it could not be read as a FIT file")


def test_a_fit_course_file_is_not_an_activity():
    data = make.fit(SAMPLES["long_run.fit"], file_type=6)

    assert _message(parse_upload("course.fit", data, now=NOW)).startswith("it is not a recorded activity")


def test_a_gpx_route_without_times_is_refused():
    data = (
        b'<?xml version="1.0"?><gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1">'
        b'<trk><trkseg><trkpt lat="51.5" lon="-0.12"/><trkpt lat="51.5" lon="-0.11"/></trkseg></trk></gpx>'
    )

    assert _message(parse_upload("route.gpx", data, now=NOW)).startswith("it has no times in it")


LONG = Sample(datetime(2026, 10, 10, 6, 0, tzinfo=UTC), 400_000, 100 * 3600 // 3, 100, 80)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (
            make.fit(Sample(LONG.started_at, 400_000, 40 * 3600, 100, 80)),
            "it is 400 km long: over 300 km is not one run.",
        ),
        (make.fit(Sample(LONG.started_at, 0, 1800, 0, 80)), "it has no distance (0 km): nothing to add."),
        (
            make.tcx(Sample(NOW + timedelta(days=2), 5000, 1500, 10, 85)),
            "its times are in the future: check the date and time on the watch, then export it again.",
        ),
        (
            make.gpx(Sample(datetime(1989, 12, 31, 0, 0, tzinfo=UTC), 5000, 1500, 10, 85)),
            "it is dated before 2000: the watch's date was probably not set.",
        ),
    ],
    ids=["400-km", "zero-distance", "future", "clock-not-set"],
)
def test_an_activity_that_cannot_be_a_run_is_refused_with_its_reason(data, reason):
    message = _message(parse_upload("watch.file", data, now=NOW))

    assert message.startswith("the run of ")
    assert message.endswith(reason)


def test_a_run_faster_than_the_world_record_is_refused():
    # 10 km in 24 minutes: 2:24 per km, faster than Cheptegei's 26:11.
    data = make.fit(Sample(LONG.started_at, 10_000, 24 * 60, 20, 90))

    message = _message(parse_upload("ride.fit", data, now=NOW))

    assert message == (
        "the run of Sat 10 Oct 2026, 06:00: 10.00 km in 24 min 0 s (2:24 per km) would beat the world record "
        "(2:37 per km): it is a ride or a GPS error, not a run."
    )


def test_the_world_record_itself_is_not_refused():
    # A marathon in 2:01:00, just slower than the record.
    activity = _only(
        parse_upload("fast.fit", make.fit(Sample(LONG.started_at, 42_195, 7260, 20, 92)), now=NOW)
    )

    assert activity.distance_m == 42_195


@pytest.mark.parametrize(
    ("data", "sport"),
    [
        (make.fit(SAMPLES["long_run.fit"], sport="cycling"), "cycling"),
        (make.tcx(SAMPLES["tempo_run.tcx"], sport="Biking"), "biking"),
        (make.gpx(SAMPLES["easy_run.gpx"], kind="cycling"), "cycling"),
    ],
    ids=["fit", "tcx", "gpx"],
)
def test_an_activity_of_another_sport_is_refused(data, sport):
    message = _message(parse_upload("ride", data, now=NOW))

    assert message.endswith(f"is recorded as {sport}, not a run: only runs are imported.")


def test_an_old_strava_export_without_metres_is_refused_rather_than_guessed():
    header = "Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance\n"
    data = (header + '1,"Oct 5, 2026, 6:31:00 AM",Run,Run,2880,8.01\n').encode()

    assert _message(parse_upload("activities.csv", data, now=NOW)).startswith(
        "this activities.csv has no distance in metres"
    )


def test_a_strava_row_that_cannot_be_read_is_refused_alone():
    rows = [
        make.strava_row(1, datetime(2026, 10, 5, 6, 31, tzinfo=UTC), "Run", 8010.0, 2880),
        make.strava_row(2, datetime(2026, 10, 6, 6, 31, tzinfo=UTC), "Run", 5000.0, 1500).replace(
            '"Oct 6, 2026, 6:31:00 AM"', '"yesterday"'
        ),
    ]

    result = parse_upload("activities.csv", make.strava_csv(rows), now=NOW)

    assert [a.distance_m for a in result.activities] == [8010]
    assert [e.message for e in result.errors] == [
        "row 3: this row could not be read (a date or number in an unknown form)."
    ]


def test_runs_before_since_are_left_out_and_counted():
    result = parse_upload(
        "activities.csv", sample("activities.csv"), now=NOW, since=datetime(2026, 10, 9, tzinfo=UTC).date()
    )

    assert [a.started_at.day for a in result.activities] == [9, 13]
    assert result.notes[-1] == "activities.csv: 1 run from before 9 Oct 2026 left out."


def test_a_file_name_is_shown_without_folders_or_control_characters():
    assert display_name("C:\\Users\\me\\run.gpx") == "run.gpx"
    assert display_name("../../etc/pass\x00wd") == "passwd"
    assert display_name("x" * 200).endswith("…")
    assert len(display_name("x" * 200)) == 80


def test_the_committed_samples_are_what_the_generator_writes(tmp_path):
    written = make.write_samples(tmp_path)

    assert {path.name: path.read_bytes() == sample(path.name) for path in written} == {
        "easy_run.gpx": True,
        "tempo_run.tcx": True,
        "long_run.fit": True,
        "activities.csv": True,
    }


def test_recent_copies_of_the_samples_import_today(tmp_path):
    now = datetime.now(UTC)

    results = [
        parse_upload(p.name, p.read_bytes(), now=now, since=(now - timedelta(days=365)).date())
        for p in make.write_samples(tmp_path, recent=True)
    ]

    assert [len(r.activities) for r in results] == [1, 1, 1, 3]
    assert all(r.errors == () for r in results)
    assert max(a.started_at for r in results for a in r.activities).date() == (now - timedelta(days=1)).date()


def test_a_strava_export_saved_again_with_semicolons_is_read():
    header = make.STRAVA_HEADER.replace(",", ";")
    row = make.strava_row(1, datetime(2026, 10, 5, 6, 31, tzinfo=UTC), "Run", 8010.0, 2880).replace(",", ";")
    data = (
        header + "\n" + row.replace('"Oct 5; 2026; 6:31:00 AM"', '"Oct 5, 2026, 6:31:00 AM"') + "\n"
    ).encode()

    assert [a.distance_m for a in parse_upload("activities.csv", data, now=NOW).activities] == [8010]


def test_each_track_of_a_gpx_file_is_one_activity():
    first = make.gpx(SAMPLES["easy_run.gpx"], points=50)
    later = Sample(SAMPLES["easy_run.gpx"].started_at + timedelta(hours=10), 5000, 1800, 10, 88)
    second_track = make.gpx(later, points=50).split(b"<trk>", 1)[1].split(b"</gpx>", 1)[0]
    data = first.replace(b"</gpx>", b"<trk>" + second_track + b"</gpx>")

    result = parse_upload("two.gpx", data, now=NOW)

    assert [(a.started_at.hour, a.duration_s) for a in result.activities] == [(6, 2880), (16, 1800)]
