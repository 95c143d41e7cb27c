"""Duplicates merged within an upload and with saved runs: the two-minute window, which one wins, what fills in."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from assessments.training.imports.activity import ParsedActivity
from assessments.training.imports.plan import SavedRun, Upload, plan_import

T0 = datetime(2026, 10, 5, 6, 30, tzinfo=UTC)
LONDON = ZoneInfo("Europe/London")


def activity(start: datetime, source: str = "gpx", *, km: float = 8, gain=None, cadence=None, surface=""):
    return ParsedActivity(
        started_at=start,
        distance_m=round(km * 1000),
        duration_s=2880,
        elevation_gain_m=gain,
        avg_cadence_spm=cadence,
        source=source,
        sport="running",
        surface=surface,
    )


def upload(key: str, act: ParsedActivity, file_name: str | None = None) -> Upload:
    return Upload(key=key, file_name=file_name or f"file-{key}", activity=act)


def saved(
    run_id: int, start: datetime | None, *, day: date | None = None, gain=None, cadence=None
) -> SavedRun:
    return SavedRun(
        id=run_id,
        day=day or start.date(),  # type: ignore[union-attr]
        started_at=start,
        distance_m=8200,
        duration_s=3000,
        elevation_gain_m=gain,
        avg_cadence_spm=cadence,
    )


def test_the_same_run_in_two_files_of_one_upload_is_one_new_run_from_the_better_format():
    gpx = upload("0-0", activity(T0, "gpx", cadence=172), "run.gpx")
    fit = upload("1-0", activity(T0 + timedelta(seconds=90), "fit", km=8.02, gain=40), "run.fit")

    plan = plan_import(uploads=[gpx, fit], saved=[])

    assert plan.merges == ()
    assert len(plan.new) == 1
    new = plan.new[0]
    # The FIT session wins; the GPX fills in the cadence it lacked.
    assert (new.key, new.file_name, new.also_in) == ("1-0", "run.fit", ("run.gpx",))
    assert (new.activity.distance_m, new.activity.elevation_gain_m, new.activity.avg_cadence_spm) == (
        8020,
        40,
        172,
    )


def test_two_minutes_apart_is_the_same_run_and_a_second_more_is_another():
    same = plan_import(
        uploads=[upload("0-0", activity(T0)), upload("0-1", activity(T0 + timedelta(minutes=2)))], saved=[]
    )
    apart = plan_import(
        uploads=[upload("0-0", activity(T0)), upload("0-1", activity(T0 + timedelta(minutes=2, seconds=1)))],
        saved=[],
    )

    assert len(same.new) == 1
    assert len(apart.new) == 2


def test_an_activity_near_a_saved_run_merges_into_it_and_the_saved_run_keeps_its_values():
    run = saved(7, T0 - timedelta(seconds=100), cadence=168)

    plan = plan_import(uploads=[upload("0-0", activity(T0, gain=35, cadence=172), "a.gpx")], saved=[run])

    assert plan.new == ()
    assert len(plan.merges) == 1
    merge = plan.merges[0]
    assert merge.run == run
    assert merge.file_names == ("a.gpx",)
    # Only the climb the run had none of; its own cadence (and distance, time) stay.
    assert merge.fills == (("elevation_gain_m", 35),)


def test_several_files_of_one_saved_run_merge_into_it_once():
    run = saved(7, T0)
    uploads = [
        upload("0-0", activity(T0 + timedelta(seconds=30), "strava_csv", gain=41), "activities.csv"),
        upload("1-0", activity(T0 - timedelta(seconds=20), "gpx", gain=38, cadence=172), "a.gpx"),
    ]

    plan = plan_import(uploads=uploads, saved=[run])

    assert plan.new == ()
    assert [(m.run.id, m.file_names, m.fills) for m in plan.merges] == [
        (7, ("a.gpx", "activities.csv"), (("elevation_gain_m", 38), ("avg_cadence_spm", 172)))
    ]


def test_the_nearest_saved_run_takes_the_activity():
    early, late = saved(1, T0 - timedelta(seconds=110)), saved(2, T0 + timedelta(seconds=30))

    plan = plan_import(uploads=[upload("0-0", activity(T0, gain=10))], saved=[early, late])

    assert [m.run.id for m in plan.merges] == [2]


def test_a_saved_run_with_nothing_to_fill_is_still_matched_never_doubled():
    run = saved(7, T0, gain=40, cadence=170)

    plan = plan_import(uploads=[upload("0-0", activity(T0, gain=35, cadence=172))], saved=[run])

    assert plan.new == ()
    assert plan.merges[0].fills == ()


def test_a_typed_in_run_without_a_start_on_the_same_day_is_shown_with_the_new_run():
    typed = saved(9, None, day=date(2026, 10, 5))
    other_day = saved(10, None, day=date(2026, 10, 6))

    plan = plan_import(uploads=[upload("0-0", activity(T0))], saved=[typed, other_day], tz=LONDON)

    assert len(plan.new) == 1
    assert plan.new[0].typed_same_day == (typed,)
    assert plan.merges == ()


def test_the_day_is_the_local_day_of_the_start():
    late_evening_utc = datetime(2026, 10, 5, 23, 30, tzinfo=UTC)  # 00:30 on the 6th in London (BST)

    plan = plan_import(uploads=[upload("0-0", activity(late_evening_utc))], saved=[], tz=LONDON)

    assert plan.new[0].day == date(2026, 10, 6)


def test_a_surface_from_one_file_fills_the_chosen_one():
    csv_row = upload("0-0", activity(T0, "strava_csv", surface="trail"))
    fit = upload("1-0", activity(T0, "fit"))

    plan = plan_import(uploads=[csv_row, fit], saved=[])

    assert (plan.new[0].activity.source, plan.new[0].activity.surface) == ("fit", "trail")


def test_new_runs_come_in_order_of_their_start():
    uploads = [upload("0-0", activity(T0 + timedelta(days=2))), upload("0-1", activity(T0))]

    plan = plan_import(uploads=uploads, saved=[])

    assert [n.key for n in plan.new] == ["0-1", "0-0"]
