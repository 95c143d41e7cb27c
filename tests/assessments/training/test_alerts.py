"""Training-log alerts: each fires on its case and stays quiet on the near miss."""

from datetime import date, timedelta

import pytest

from assessments.training.alerts import (
    ACWR,
    INFO,
    NO_CUTBACK,
    ONSET_EARLIER,
    PAIN_RISING,
    SHOES,
    TEN_PERCENT,
    URGENT,
    WARNING,
    ShoeInfo,
    shoe_over_limit,
    training_alerts,
)
from assessments.training.load import KM, RunEntry, weekly_load

TODAY = date(2026, 11, 19)  # a Thursday
THIS_MONDAY = date(2026, 11, 16)
LIMIT_M = 480 * KM


def run(day: date, km: float, **pain) -> RunEntry:
    metres = round(km * KM)
    return RunEntry(day=day, distance_m=metres, duration_s=metres * 6 * 60 // KM, **pain)


def week_runs(monday: date, *kms: float, **pain) -> list[RunEntry]:
    """Runs on Monday, Wednesday, Friday … of the week, in that order."""
    return [run(monday + timedelta(days=2 * i), km, **pain) for i, km in enumerate(kms)]


def alerts_for(runs, *, shoes=(), today=TODAY, weeks_back=8, unit="km"):
    weeks = weekly_load(runs=runs, first_week=THIS_MONDAY - timedelta(weeks=weeks_back), last_week=today)
    return training_alerts(
        weeks=weeks, runs=runs, shoes=list(shoes), today=today, shoe_limit_m=LIMIT_M, unit=unit
    )


def codes(alerts) -> list[str]:
    return [a.code for a in alerts]


def only(alerts, code):
    found = [a for a in alerts if a.code == code]
    assert len(found) == 1, alerts
    return found[0]


# --- 10 % rule -------------------------------------------------------------------------------


def test_ten_percent_fires_on_this_weeks_distance_so_far():
    last = THIS_MONDAY - timedelta(weeks=1)
    runs = [*week_runs(last, 10, 10), *week_runs(THIS_MONDAY, 12.5, 10)]  # 20 → 22.5 km, +12.5 %

    alert = only(alerts_for(runs), TEN_PERCENT)

    assert alert.severity == WARNING
    assert alert.key == THIS_MONDAY.isoformat()
    assert "22.5 km so far, up 12.5 % on the week before (20 km)" in alert.message


def test_ten_percent_near_miss_exactly_ten_percent():
    last = THIS_MONDAY - timedelta(weeks=1)
    runs = [*week_runs(last, 10, 10), *week_runs(THIS_MONDAY, 12, 10)]  # 20 → 22 km, +10.0 %

    assert TEN_PERCENT not in codes(alerts_for(runs))


def test_ten_percent_fires_on_last_complete_week():
    runs = [
        *week_runs(THIS_MONDAY - timedelta(weeks=2), 10, 10),
        *week_runs(THIS_MONDAY - timedelta(weeks=1), 15, 10),  # 20 → 25 km
        run(THIS_MONDAY, 5),
    ]

    alert = only(alerts_for(runs), TEN_PERCENT)

    assert alert.key == (THIS_MONDAY - timedelta(weeks=1)).isoformat()
    assert "so far" not in alert.message
    assert "25 km, up 25.0 %" in alert.message


def test_ten_percent_in_miles():
    last = THIS_MONDAY - timedelta(weeks=1)
    runs = [*week_runs(last, 16.0934), *week_runs(THIS_MONDAY, 19.3121)]  # 10 → 12 mi

    alert = only(alerts_for(runs, unit="mi"), TEN_PERCENT)

    assert "12 mi so far, up 20.0 % on the week before (10 mi)" in alert.message


# --- ACWR ------------------------------------------------------------------------------------


def chronic_base() -> list[RunEntry]:
    # 20 km in each of the 3 weeks before the 7 days up to today (days 27, 20 and 13 back).
    return [run(TODAY - timedelta(days=back), 20) for back in (27, 20, 13)]


def test_acwr_above_one_and_a_half_fires():
    alert = only(alerts_for([*chronic_base(), run(TODAY - timedelta(days=2), 31)]), ACWR)

    assert alert.severity == WARNING
    assert "1.55" in alert.message
    assert "31 km in the last 7 days against an average week of 20 km" in alert.message


def test_acwr_of_exactly_one_and_a_half_does_not():
    assert ACWR not in codes(alerts_for([*chronic_base(), run(TODAY - timedelta(days=2), 30)]))


def test_no_acwr_alert_without_28_days_of_log():
    runs = [run(TODAY - timedelta(days=back), 20) for back in (20, 13)] + [run(TODAY, 40)]

    assert ACWR not in codes(alerts_for(runs))


# --- Pain trend rising -----------------------------------------------------------------------


def weeks_with_pain(pains, *, latest: date = THIS_MONDAY) -> list[RunEntry]:
    runs = []
    for i, pain in enumerate(reversed(pains)):
        monday = latest - timedelta(weeks=i)
        runs += week_runs(monday, 5, 5, pain_during=pain)
    return runs


def test_pain_rising_two_weeks_in_a_row_fires():
    alert = only(alerts_for(weeks_with_pain([2, 3, 4])), PAIN_RISING)

    assert alert.severity == WARNING
    assert "2 → 3 → 4/10" in alert.message
    assert alert.key == THIS_MONDAY.isoformat()


def test_pain_reads_the_worst_of_during_evening_and_next_morning():
    runs = [
        *week_runs(THIS_MONDAY - timedelta(weeks=2), 5, pain_during=1, pain_next_morning=2),
        *week_runs(THIS_MONDAY - timedelta(weeks=1), 5, pain_during=1, pain_evening=3),
        *week_runs(THIS_MONDAY, 5, pain_during=0, pain_next_morning=5),
    ]

    assert "2 → 3 → 5/10" in only(alerts_for(runs), PAIN_RISING).message


@pytest.mark.parametrize("pains", [[2, 4, 4], [4, 3, 5], [2, 3]])
def test_pain_not_rising_every_week_does_not_fire(pains):
    assert PAIN_RISING not in codes(alerts_for(weeks_with_pain(pains)))


def test_pain_rise_that_ended_weeks_ago_does_not_fire():
    runs = weeks_with_pain([2, 3, 4], latest=THIS_MONDAY - timedelta(weeks=2))

    assert PAIN_RISING not in codes(alerts_for(runs))
    # Last week still counts.
    assert PAIN_RISING in codes(
        alerts_for(weeks_with_pain([2, 3, 4], latest=THIS_MONDAY - timedelta(weeks=1)))
    )


# --- Shoes -----------------------------------------------------------------------------------


def test_shoes_at_the_replacement_distance_fire():
    shoe = ShoeInfo(id=7, name="Pegasus 40", distance_m=LIMIT_M, first_run_on=date(2026, 3, 1))

    alert = only(alerts_for([], shoes=[shoe]), SHOES)

    assert shoe_over_limit(shoe, limit_m=LIMIT_M)
    assert alert.severity == INFO
    assert alert.key == "shoe-7"
    assert "“Pegasus 40” have done 480 km, past the replacement distance of 480 km" in alert.message


def test_shoes_in_miles():
    shoe = ShoeInfo(id=7, name="Ghost", distance_m=500_000, first_run_on=None)

    assert (
        "have done 310.7 mi, past the replacement distance of 298.3 mi"
        in only(alerts_for([], shoes=[shoe], unit="mi"), SHOES).message
    )


def test_shoes_short_of_the_distance_or_retired_do_not():
    fresh = ShoeInfo(id=1, name="New", distance_m=LIMIT_M - 1, first_run_on=None)
    retired = ShoeInfo(id=2, name="Old", distance_m=900 * KM, first_run_on=None, retired_on=date(2026, 10, 1))

    assert not shoe_over_limit(fresh, limit_m=LIMIT_M)
    assert SHOES not in codes(alerts_for([], shoes=[fresh, retired]))


def test_shoe_limit_must_be_a_distance():
    with pytest.raises(ValueError, match="limit_m"):
        shoe_over_limit(ShoeInfo(id=1, name="A", distance_m=1, first_run_on=None), limit_m=0)


# --- No cutback for 5 weeks ------------------------------------------------------------------


def building(*weekly_km: float, last: date = THIS_MONDAY - timedelta(weeks=1)) -> list[RunEntry]:
    runs = []
    for i, km in enumerate(reversed(weekly_km)):
        runs += week_runs(last - timedelta(weeks=i), km / 2, km / 2)
    return runs


def test_five_complete_weeks_without_a_cutback_fire():
    alert = only(alerts_for(building(20, 21, 22, 23, 24)), NO_CUTBACK)

    assert alert.severity == INFO
    assert alert.key == (THIS_MONDAY - timedelta(weeks=1)).isoformat()
    assert "20 km, 21 km, 22 km, 23 km, 24 km" in alert.message


def test_a_cutback_among_the_five_weeks_does_not():
    # 16 km ≤ 0.8 × mean(20, 21, 22) = 16.8 km.
    assert NO_CUTBACK not in codes(alerts_for(building(20, 21, 22, 16, 24)))


def test_four_weeks_of_running_do_not():
    assert NO_CUTBACK not in codes(alerts_for(building(21, 22, 23, 24)))


def test_the_week_in_progress_is_not_one_of_the_five():
    # Four complete weeks and this week's first run: not yet five weeks.
    runs = [*building(21, 22, 23, 24), run(THIS_MONDAY, 10)]

    assert NO_CUTBACK not in codes(alerts_for(runs))


# --- Onset getting earlier -------------------------------------------------------------------


def onset_runs(latest: date, onsets_km=(8, 6, 4)) -> list[RunEntry]:
    days = [latest - timedelta(days=3 * i) for i in reversed(range(len(onsets_km)))]
    return [
        run(d, 10, pain_during=4, pain_onset_m=round(km * KM)) for d, km in zip(days, onsets_km, strict=True)
    ]


def test_onset_getting_earlier_fires_urgent_first():
    runs = [*onset_runs(TODAY - timedelta(days=2)), *week_runs(THIS_MONDAY - timedelta(weeks=3), 2)]
    alerts = alerts_for(runs, shoes=[ShoeInfo(id=1, name="Worn", distance_m=LIMIT_M, first_run_on=None)])

    alert = only(alerts, ONSET_EARLIER)

    assert alerts[0] == alert
    assert alert.severity == URGENT
    assert alert.key == (TODAY - timedelta(days=2)).isoformat()
    assert (
        "earlier in each of the last 3 painful runs (8 km on 11 Nov 2026, 6 km on 14 Nov 2026, 4 km on "
        in (alert.message)
    )


def test_onset_in_minutes_is_reported_in_minutes():
    days = [TODAY - timedelta(days=d) for d in (6, 3, 0)]
    runs = [run(d, 10, pain_during=3, pain_onset_s=s) for d, s in zip(days, (2400, 1800, 900), strict=True)]

    assert (
        "(40 min on 13 Nov 2026, 30 min on 16 Nov 2026, 15 min on 19 Nov 2026)"
        in only(alerts_for(runs), ONSET_EARLIER).message
    )


def test_onset_no_earlier_does_not_fire():
    assert ONSET_EARLIER not in codes(alerts_for(onset_runs(TODAY, (8, 6, 6))))


def test_onset_trend_older_than_28_days_does_not_fire():
    assert ONSET_EARLIER in codes(alerts_for(onset_runs(TODAY - timedelta(days=28))))
    assert ONSET_EARLIER not in codes(alerts_for(onset_runs(TODAY - timedelta(days=29))))


def test_runs_after_today_are_not_read():
    runs = onset_runs(TODAY + timedelta(days=6))

    assert ONSET_EARLIER not in codes(alerts_for(runs))


def test_a_quiet_log_has_no_alerts():
    # Steady 20 km weeks with a cutback every fourth week, no pain, fresh shoes.
    runs = building(20, 20, 20, 15, 20, 20, 20, 15)
    shoe = ShoeInfo(id=1, name="Fresh", distance_m=200 * KM, first_run_on=None)

    assert alerts_for(runs, shoes=[shoe]) == []
