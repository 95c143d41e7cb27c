"""iCalendar (RFC 5545) files for appointment emails."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from icalendar import Calendar, Event, vCalAddress, vText

from patients.models import Appointment


def appointment_ics(appointment: Appointment, *, cancelled: bool = False) -> bytes:
    """A calendar entry for the visit, in the location's local time.

    The UID stays the same for the life of the appointment and SEQUENCE rises
    with each change, so calendar apps update or remove the entry they have.
    """
    zone = ZoneInfo(appointment.location.time_zone)
    calendar = Calendar()
    calendar.add("prodid", "-//Stride//Appointments//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "REQUEST")
    event = Event()
    event.add("uid", f"appointment-{appointment.pk}@stride")
    event.add("sequence", appointment.sequence)
    event.add("dtstamp", datetime.now(tz=ZoneInfo("UTC")))
    event.add("dtstart", appointment.starts_at.astimezone(zone))
    event.add("dtend", appointment.ends_at.astimezone(zone))
    event.add("summary", f"{appointment.appointment_type.name} at {settings.CLINIC_NAME}")
    event.add(
        "location",
        vText(", ".join(p for p in [appointment.location.name, appointment.location.address] if p)),
    )
    event.add("description", "Please wear shorts and bring your running shoes.")
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    organizer = vCalAddress(f"mailto:{settings.CLINIC_EMAIL}")
    organizer.params["cn"] = vText(settings.CLINIC_NAME)
    event["organizer"] = organizer
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
