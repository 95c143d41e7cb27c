"""Calendar files: RFC 5546 PUBLISH, a compact VTIMEZONE that matches zoneinfo, folded CRLF lines, SEQUENCE."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr
from icalendar import Calendar

from patients.booking.choices import CancelledBy
from patients.booking.ics import appointment_ics, vtimezone
from patients.booking.services import appointment_book, appointment_cancel, appointment_reschedule
from tests.factories import AppointmentFactory, AppointmentTypeFactory, LocationFactory, PatientFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 1, 11, 9, tzinfo=UTC)


def _parse(content: bytes) -> tuple[Calendar, Calendar]:
    calendar = Calendar.from_ical(content)
    return calendar, next(iter(calendar.walk("VEVENT")))


def _appointment(time_zone: str = "Europe/London", **kwargs):
    location = LocationFactory(
        name=f"Clinic in {time_zone}", time_zone=time_zone, address=kwargs.pop("address", "")
    )
    appointment = AppointmentFactory(
        therapist__locations=[location], starts_at=datetime(2027, 7, 14, 9, tzinfo=UTC), **kwargs
    )
    appointment.refresh_from_db()
    return appointment


@pytest.mark.parametrize(
    ("key", "daylight_month", "standard_month"),
    [("Europe/London", 3, 10), ("America/New_York", 3, 11), ("Australia/Sydney", 10, 4)],
)
def test_vtimezone_has_one_standard_and_one_daylight_rule_matching_zoneinfo(
    key, daylight_month, standard_month
):
    zone = ZoneInfo(key)
    component = Calendar.from_ical(vtimezone(key, since=NOW).to_ical())

    assert str(component["tzid"]) == key
    observances = {sub.name: sub for sub in component.subcomponents}
    assert sorted(observances) == ["DAYLIGHT", "STANDARD"]
    assert len(component.subcomponents) == 2
    months = {}
    for name, sub in observances.items():
        offset_from, offset_to = sub["tzoffsetfrom"].td, sub["tzoffsetto"].td
        start = sub["dtstart"].dt
        rule = rrulestr(sub["rrule"].to_ical().decode(), dtstart=start)
        onsets = rule.between(datetime(2027, 1, 1), datetime(2031, 1, 1))  # noqa: DTZ001 -- local wall times, as VTIMEZONE writes them
        assert len(onsets) == 4
        months[name] = {onset.month for onset in onsets}
        for onset in onsets:
            # The onset is local time in the offset being left: zoneinfo changes offset exactly there.
            at_utc = (onset - offset_from).replace(tzinfo=UTC)
            assert (at_utc - timedelta(minutes=1)).astimezone(zone).utcoffset() == offset_from
            assert (at_utc + timedelta(minutes=1)).astimezone(zone).utcoffset() == offset_to
    assert months == {"DAYLIGHT": {daylight_month}, "STANDARD": {standard_month}}
    assert (
        observances["DAYLIGHT"]["tzoffsetto"].td
        == datetime(2027, daylight_month % 12 + 1, 15, tzinfo=zone).utcoffset()
    )


def test_a_zone_without_daylight_saving_has_one_standard_observance_and_no_rule():
    component = Calendar.from_ical(vtimezone("Asia/Tokyo", since=NOW).to_ical())

    (standard,) = component.subcomponents
    assert standard.name == "STANDARD"
    assert (standard["tzoffsetfrom"].td, standard["tzoffsetto"].td) == (
        timedelta(hours=9),
        timedelta(hours=9),
    )
    assert "RRULE" not in standard


def test_the_file_is_published_with_the_zone_and_local_times(time_machine):
    time_machine.move_to(NOW, tick=False)
    appointment = _appointment("Australia/Sydney")

    content = appointment_ics(appointment)
    calendar, event = _parse(content)

    assert str(calendar["method"]) == "PUBLISH"
    assert "ATTENDEE" not in event
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["Australia/Sydney"]
    assert b"DTSTART;TZID=Australia/Sydney:20270714T190000\r\n" in content
    assert event["dtstart"].dt == datetime(2027, 7, 14, 19, tzinfo=ZoneInfo("Australia/Sydney"))
    assert (str(event["status"]), int(event["sequence"])) == ("CONFIRMED", 0)
    assert str(event["uid"]) == f"appointment-{appointment.pk}@stride"


def test_lines_end_in_crlf_and_fold_at_75_octets_without_splitting_a_character(time_machine):
    time_machine.move_to(NOW, tick=False)
    long_name = "Valoración inicial de cadera y pelvis para corredoras de montaña"
    appointment = _appointment(
        appointment_type=AppointmentTypeFactory(name=long_name),
        address="Calle de la Ribera del Manzanares, 123, Escalera B, Planta 4ª, 28005 Madrid, España",
    )

    content = appointment_ics(appointment)

    assert content.endswith(b"\r\n")
    assert b"\n" not in content.replace(b"\r\n", b"")
    lines = content.split(b"\r\n")
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)  # something was folded
    for line in lines:
        line.decode("utf-8")  # each folded piece is whole UTF-8: no character cut in two
    _, event = _parse(content)
    assert str(event["summary"]).startswith(long_name)
    assert "Planta 4ª" in str(event["location"])


def test_a_reschedule_bumps_the_sequence_and_a_cancellation_is_published_cancelled(
    physio, location, follow_up, front_desk, time_machine
):
    time_machine.move_to(NOW, tick=False)
    appointment = appointment_book(
        patient=PatientFactory(),
        therapist=physio,
        location=location,
        appointment_type=follow_up,
        starts_at=datetime(2027, 7, 14, 9, tzinfo=UTC),
        booked_by=front_desk,
    )
    _, first = _parse(appointment_ics(appointment))

    appointment_reschedule(
        appointment=appointment, starts_at=datetime(2027, 7, 15, 10, tzinfo=UTC), by=front_desk
    )
    appointment.refresh_from_db()
    _, moved = _parse(appointment_ics(appointment))
    appointment_cancel(
        appointment=appointment, by=front_desk, cancelled_by=CancelledBy.PATIENT, reason="Away"
    )
    appointment.refresh_from_db()
    calendar, cancelled = _parse(appointment_ics(appointment, cancelled=True))

    assert str(first["uid"]) == str(moved["uid"]) == str(cancelled["uid"])
    assert [int(e["sequence"]) for e in (first, moved, cancelled)] == [0, 1, 2]
    assert moved["dtstart"].dt == datetime(2027, 7, 15, 11, tzinfo=ZoneInfo("Europe/London"))
    assert (str(calendar["method"]), str(cancelled["status"])) == ("PUBLISH", "CANCELLED")


def test_a_zone_whose_changes_are_listed_one_by_one_still_gets_a_vtimezone(time_machine):
    # Morocco's clocks change around Ramadan: no yearly rule says that, so icalendar lists the changes.
    time_machine.move_to(NOW, tick=False)
    appointment = _appointment("Africa/Casablanca")

    calendar, event = _parse(appointment_ics(appointment))

    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["Africa/Casablanca"]
    assert event["dtstart"].dt == appointment.starts_at
