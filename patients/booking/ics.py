"""iCalendar (RFC 5545) files for appointment emails, published as RFC 5546 PUBLISH.

The clinic invites nobody: a REQUEST or CANCEL needs ATTENDEE lines (RFC 5546
§3.2.2, §3.2.5), so every file is METHOD:PUBLISH. A calendar app keeps one
entry per UID and replaces it when a file with a higher SEQUENCE arrives; a
cancellation is the same UID at a higher SEQUENCE with STATUS:CANCELLED.

Times are written in the location's zone (DTSTART;TZID=...) with a compact
VTIMEZONE: the daylight-saving rules in force today, read from the zone's
TZif file (its POSIX TZ footer), as one STANDARD and one DAYLIGHT with a
yearly RRULE, or one STANDARD for a zone without daylight saving.
"""

import importlib.resources
import re
import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from email.mime.text import MIMEText
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language, gettext
from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vCalAddress, vText

from patients.models import Appointment

# RFC 5546 PUBLISH; the charset names how the attachment's bytes are encoded.
ICS_CONTENT_TYPE = "text/calendar; method=PUBLISH; charset=UTF-8"
_WEEKDAYS = ("SU", "MO", "TU", "WE", "TH", "FR", "SA")  # POSIX counts from Sunday = 0


class ZoneRulesUnknown(Exception):  # noqa: N818 -- reads as a state, like MessageObsolete
    """The zone's POSIX rule is in a form VTIMEZONE's yearly RRULE cannot say."""


@dataclass(frozen=True)
class Onset:
    """A yearly change of offset: month, week (1-4, or -1 for the last), weekday and local time."""

    month: int
    week: int
    weekday: int
    at: time

    def first(self, year: int) -> date:
        if self.week > 0:
            day = date(year, self.month, 1)
            day += timedelta(days=(self.weekday - (day.isoweekday() % 7)) % 7)
            return day + timedelta(weeks=self.week - 1)
        last = date(year + self.month // 12, self.month % 12 + 1, 1) - timedelta(days=1)
        return last - timedelta(days=((last.isoweekday() % 7) - self.weekday) % 7)

    def rrule(self) -> dict[str, object]:
        return {"FREQ": "YEARLY", "BYMONTH": self.month, "BYDAY": f"{self.week}{_WEEKDAYS[self.weekday]}"}


@dataclass(frozen=True)
class ZoneRules:
    """A zone's rules in force: the standard offset, and the daylight one with its two onsets."""

    std_name: str
    std_offset: timedelta
    dst_name: str = ""
    dst_offset: timedelta | None = None
    dst_starts: Onset | None = None
    dst_ends: Onset | None = None


def _tzif(key: str) -> bytes:
    """The zone's TZif file, looked up as zoneinfo does (TZPATH, then the tzdata package)."""
    for root in zoneinfo.TZPATH:
        path = Path(root) / key
        if path.is_file():
            return path.read_bytes()
    package, _, name = f"tzdata.zoneinfo.{key}".replace("/", ".").rpartition(".")
    return importlib.resources.files(package).joinpath(name).read_bytes()


_NAME = r"(<[^>]+>|[A-Za-z]{3,})"
_OFFSET = r"([+-]?\d{1,2}(?::\d{2}){0,2})"
_RULE = r"M(\d{1,2})\.([1-5])\.([0-6])(?:/([+-]?\d{1,3}(?::\d{2}){0,2}))?"
_POSIX = re.compile(rf"^{_NAME}{_OFFSET}(?:{_NAME}{_OFFSET}?,{_RULE},{_RULE})?$")


def _hms(text: str) -> timedelta:
    sign = -1 if text.startswith("-") else 1
    parts = [int(p) for p in text.lstrip("+-").split(":")] + [0, 0]
    return sign * timedelta(hours=parts[0], minutes=parts[1], seconds=parts[2])


def _onset(month: str, week: str, weekday: str, at: str | None) -> Onset:
    when = _hms(at) if at else timedelta(hours=2)
    if not timedelta(0) <= when < timedelta(days=1):
        # E.g. "/-1" or "/25": the change falls on another day than the RRULE's.
        raise ZoneRulesUnknown(at)
    hours, rest = divmod(int(when.total_seconds()), 3600)
    return Onset(
        int(month), -1 if week == "5" else int(week), int(weekday), time(hours, rest // 60, rest % 60)
    )


def zone_rules(key: str) -> ZoneRules:
    """The rules in force for zone `key`, from the POSIX TZ string closing its TZif file."""
    footer = _tzif(key).rstrip(b"\n").rsplit(b"\n", 1)[-1].decode("ascii")
    match = _POSIX.match(footer)
    if match is None:
        raise ZoneRulesUnknown(footer)
    std_name, std, dst_name, dst, *rules = match.groups()
    # POSIX offsets count hours west of Greenwich; iCalendar's count east.
    std_offset = -_hms(std)
    if not dst_name:
        return ZoneRules(std_name.strip("<>"), std_offset)
    return ZoneRules(
        std_name.strip("<>"),
        std_offset,
        dst_name.strip("<>"),
        -_hms(dst) if dst else std_offset + timedelta(hours=1),
        _onset(*rules[:4]),
        _onset(*rules[4:]),
    )


def _offset_at(rules: ZoneRules, moment: datetime) -> timedelta:
    """The UTC offset the rules give at an aware `moment`."""
    if rules.dst_offset is None or rules.dst_starts is None or rules.dst_ends is None:
        return rules.std_offset
    year = moment.year
    utc = moment.replace(tzinfo=None) - (moment.utcoffset() or timedelta(0))
    starts = datetime.combine(rules.dst_starts.first(year), rules.dst_starts.at) - rules.std_offset
    ends = datetime.combine(rules.dst_ends.first(year), rules.dst_ends.at) - rules.dst_offset
    in_dst = starts <= utc < ends if starts < ends else (utc >= starts or utc < ends)
    return rules.dst_offset if in_dst else rules.std_offset


def rules_hold(key: str, rules: ZoneRules, *, since: datetime, days: int = 800) -> bool:
    """Whether the rules give zoneinfo's offset at noon UTC on each day from `since`.

    The POSIX footer applies after the TZif file's last listed change; a zone whose
    future changes are listed one by one (Morocco's Ramadan) fails this check.
    """
    zone = zoneinfo.ZoneInfo(key)
    start = since.astimezone(zoneinfo.ZoneInfo("UTC")).replace(hour=12, minute=0, second=0, microsecond=0)
    return all(
        _offset_at(rules, moment) == moment.astimezone(zone).utcoffset()
        for moment in (start + timedelta(days=day) for day in range(days))
    )


def _observance(
    component: TimezoneStandard | TimezoneDaylight,
    *,
    name: str,
    offset_from: timedelta,
    offset_to: timedelta,
    onset: Onset | None,
) -> TimezoneStandard | TimezoneDaylight:
    # DTSTART is the first onset (from 1970) in the local time of the offset being left.
    start = datetime.combine(onset.first(1970), onset.at) if onset else datetime(1970, 1, 1)  # noqa: DTZ001 -- local, as VTIMEZONE wants
    component.add("tzname", name)
    component.add("dtstart", start)
    component.add("tzoffsetfrom", offset_from)
    component.add("tzoffsetto", offset_to)
    if onset:
        component.add("rrule", onset.rrule())
    return component


def vtimezone(key: str, *, since: datetime | None = None) -> Timezone:
    """A compact VTIMEZONE for zone `key`: the rules in force from `since` (today), with no history."""
    rules = zone_rules(key)
    if not rules_hold(key, rules, since=since or timezone.now()):
        raise ZoneRulesUnknown(key)
    component = Timezone()
    component.add("tzid", key)
    if rules.dst_offset is None:
        component.add_component(
            _observance(
                TimezoneStandard(),
                name=rules.std_name,
                offset_from=rules.std_offset,
                offset_to=rules.std_offset,
                onset=None,
            )
        )
        return component
    component.add_component(
        _observance(
            TimezoneDaylight(),
            name=rules.dst_name,
            offset_from=rules.std_offset,
            offset_to=rules.dst_offset,
            onset=rules.dst_starts,
        )
    )
    component.add_component(
        _observance(
            TimezoneStandard(),
            name=rules.std_name,
            offset_from=rules.dst_offset,
            offset_to=rules.std_offset,
            onset=rules.dst_ends,
        )
    )
    return component


def appointment_ics(appointment: Appointment, *, cancelled: bool = False) -> bytes:
    """A calendar entry for the visit, in the location's local time and the active language.

    The UID stays the same for the life of the appointment and SEQUENCE rises
    with each change (a move or a cancellation), so calendar apps update or
    remove the entry they have.
    """
    key = appointment.location.time_zone
    zone = zoneinfo.ZoneInfo(key)
    language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
    calendar = Calendar()
    calendar.add("prodid", "-//Stride//Appointments//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"appointment-{appointment.pk}@stride")
    event.add("sequence", appointment.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", appointment.starts_at.astimezone(zone))
    event.add("dtend", appointment.ends_at.astimezone(zone))
    summary = gettext("%(visit)s at %(clinic)s") % {
        "visit": appointment.appointment_type.name,
        "clinic": settings.CLINIC_NAME,
    }
    event.add("summary", summary, parameters={"LANGUAGE": language})
    event.add(
        "location",
        vText(", ".join(p for p in [appointment.location.name, appointment.location.address] if p)),
    )
    event.add(
        "description",
        gettext("Please wear shorts and bring your running shoes."),
        parameters={"LANGUAGE": language},
    )
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    organizer = vCalAddress(f"mailto:{settings.CLINIC_EMAIL}")
    organizer.params["cn"] = vText(settings.CLINIC_NAME)
    event["organizer"] = organizer
    calendar.add_component(event)
    try:
        calendar.subcomponents.insert(0, vtimezone(key, since=min(appointment.starts_at, timezone.now())))
    except ZoneRulesUnknown:
        # A rule RRULE cannot say (rare): icalendar writes the zone's transitions instead.
        calendar.add_missing_timezones()
    return calendar.to_ical()


def ics_attachment(content: bytes, filename: str = "appointment.ics") -> MIMEText:
    """The file as an email attachment: text/calendar with its method, base64 so its CRLFs arrive as written."""
    part = MIMEText(content.decode("utf-8"), "calendar", "utf-8")
    part.replace_header("Content-Type", ICS_CONTENT_TYPE)
    part.add_header("Content-Disposition", "attachment", filename=filename)
    return part
