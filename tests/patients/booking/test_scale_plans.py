"""Today, My day and the calendar at scale: bounded ranges on starts_at, one location, flat query counts."""

from datetime import UTC, datetime, time, timedelta

import pytest
import time_machine
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clinic.staff.choices import Role, Weekday
from clinic.staff.models import Location, OpeningHours, WorkingHours
from patients.booking.choices import LONGEST_VISIT
from patients.booking.selectors import appointments_between
from patients.models import Appointment, AppointmentType
from tests.factories import (
    AppointmentFactory,
    LocationFactory,
    PatientFactory,
    TherapistProfileFactory,
    UserFactory,
)
from tests.plans import analyze, page_queries, scans_table, seq_scans

pytestmark = pytest.mark.django_db

TABLE = "patients_appointment"
# A Wednesday in the middle of the generated year of visits.
MIDDAY = datetime(2026, 6, 17, 11, 0, tzinfo=UTC)


def _open_every_day(location: Location) -> None:
    OpeningHours.objects.bulk_create(
        OpeningHours(location=location, weekday=weekday, opens=time(8), closes=time(19))
        for weekday in Weekday
    )


def _therapists(location: Location, count: int) -> list:
    made = []
    for n in range(count):
        profile = TherapistProfileFactory(
            user=UserFactory(role=Role.THERAPIST),
            display_name=f"Physio {location.name} {n}",
            locations=[location],
        )
        WorkingHours.objects.bulk_create(
            WorkingHours(therapist=profile, location=location, weekday=weekday, starts=time(9), ends=time(17))
            for weekday in Weekday
        )
        made.append(profile)
    return made


def _visits(therapists: list, *, days: range, per_day: int, kind: AppointmentType, desk) -> None:
    """Half-hour visits on the hour from 09:00 UTC; patients rotate so none is booked twice at once."""
    patients = PatientFactory.create_batch(len(therapists) * per_day + 1)
    start = MIDDAY.replace(hour=9) - timedelta(days=len(days) // 2)
    sites = {t.pk: t.locations.get() for t in therapists}
    rows = []
    for day in days:
        for slot in range(per_day):
            starts = start + timedelta(days=day, hours=slot)
            for index, therapist in enumerate(therapists):
                rows.append(
                    Appointment(
                        patient=patients[(index * per_day + slot + day) % len(patients)],
                        therapist=therapist,
                        location=sites[therapist.pk],
                        appointment_type=kind,
                        starts_at=starts,
                        ends_at=starts + timedelta(minutes=30),
                        created_by=desk,
                    )
                )
    Appointment.objects.bulk_create(rows)


@pytest.fixture
def clinic_year(db):
    """Five locations, two therapists each, a year of visits: about 4,000 rows."""
    desk = UserFactory(role=Role.FRONT_DESK)
    kind = AppointmentType.objects.create(name="Follow-up (scale)", kind="follow_up", duration_minutes=30)
    locations = [LocationFactory(name=f"Site {n}") for n in range(5)]
    therapists = []
    for location in locations:
        _open_every_day(location)
        therapists += _therapists(location, 2)
    _visits(therapists, days=range(365), per_day=1, kind=kind, desk=desk)
    analyze(TABLE)
    return locations


def _captured(client, name: str, params: dict | None = None) -> CaptureQueriesContext:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(name), params or {})
    assert response.status_code == 200
    return queries


@pytest.mark.postgres
def test_today_and_calendar_read_appointments_through_indexes(front_desk_client, clinic_year):
    site = clinic_year[2]
    with time_machine.travel(MIDDAY, tick=False):
        today = _captured(front_desk_client, "patients:today", {"location": site.pk})
        day = _captured(front_desk_client, "patients:calendar", {"location": site.pk, "date": "2026-06-17"})
        week = _captured(
            front_desk_client,
            "patients:calendar",
            {"location": site.pk, "date": "2026-06-17", "view": "week"},
        )

    assert seq_scans(today, TABLE) == []
    assert seq_scans(day, TABLE) == []
    assert seq_scans(week, TABLE) == []


@pytest.mark.postgres
def test_my_day_reads_appointments_through_the_therapist_index(client, clinic_year):
    therapist = clinic_year[0].therapists.first()
    client.force_login(therapist.user)
    with time_machine.travel(MIDDAY, tick=False):
        queries = _captured(client, "patients:my_day")

    assert seq_scans(queries, TABLE) == []


@pytest.mark.postgres
def test_a_visit_range_is_bounded_below_by_the_longest_visit(clinic_year):
    start = MIDDAY.replace(hour=0)
    query = appointments_between(start=start, end=start + timedelta(days=1)).filter(location=clinic_year[0])

    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    lower = f"starts_at >= '{(start - LONGEST_VISIT):%Y-%m-%d %H:%M:%S}+00'"
    upper = f"starts_at < '{(start + timedelta(days=1)):%Y-%m-%d %H:%M:%S}+00'"
    conditions = [line for line in plan.splitlines() if "Index Cond" in line and lower in line]
    # A closed range on starts_at, read from the index (whichever of the start indexes).
    assert len(conditions) == 1
    assert upper in conditions[0]
    assert not scans_table(plan, "patients_appointment")


def test_a_visit_over_midnight_is_in_the_next_days_list(front_desk, make_physio, location):
    physio = make_physio("Night Physio")
    longest = AppointmentType.objects.create(
        name="Long", kind="follow_up", duration_minutes=LONGEST_VISIT // timedelta(minutes=1)
    )
    # 22:00–01:00 London time (GMT in November).
    late = AppointmentFactory(
        therapist=physio,
        location=location,
        appointment_type=longest,
        starts_at=datetime(2026, 11, 23, 22, tzinfo=UTC),
        created_by=front_desk,
    )
    start = datetime(2026, 11, 24, tzinfo=UTC)

    assert list(appointments_between(start=start, end=start + timedelta(days=1))) == [late]
    assert list(appointments_between(start=late.ends_at, end=start + timedelta(days=1))) == []


@pytest.mark.postgres
def test_database_refuses_a_visit_longer_than_the_longest(front_desk, physio, location, follow_up):
    visit = AppointmentFactory(
        therapist=physio, location=location, appointment_type=follow_up, created_by=front_desk
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        Appointment.objects.filter(pk=visit.pk).update(
            ends_at=visit.starts_at + LONGEST_VISIT + timedelta(minutes=1)
        )


def test_today_lists_the_desks_location_and_remembers_the_choice(front_desk_client, front_desk, follow_up):
    north, south = LocationFactory(name="North"), LocationFactory(name="South")
    north_physio, south_physio = _therapists(north, 1)[0], _therapists(south, 1)[0]
    with time_machine.travel(MIDDAY, tick=False):
        at_north = AppointmentFactory(
            therapist=north_physio,
            location=north,
            appointment_type=follow_up,
            starts_at=MIDDAY,
            created_by=front_desk,
        )
        at_south = AppointmentFactory(
            therapist=south_physio,
            location=south,
            appointment_type=follow_up,
            starts_at=MIDDAY,
            created_by=front_desk,
        )

        first = front_desk_client.get(reverse("patients:today"))
        chosen = front_desk_client.get(reverse("patients:today"), {"location": south.pk})
        later = front_desk_client.get(reverse("patients:today"))

    assert [a.pk for a in first.context["appointments"]] == [at_north.pk]  # the first location by name
    assert [a.pk for a in chosen.context["appointments"]] == [at_south.pk]
    assert [a.pk for a in later.context["appointments"]] == [at_south.pk]
    assert 'name="location"' in later.content.decode()
    assert "at South" in later.content.decode()


def test_today_ignores_an_unknown_or_closed_location(front_desk_client, follow_up):
    north = LocationFactory(name="North")
    closed = Location.objects.create(name="Closed", is_active=False)

    for value in ("999999", str(closed.pk), "south"):
        response = front_desk_client.get(reverse("patients:today"), {"location": value})

        assert response.context["location"] == north


def _day_pages(location: Location) -> list[tuple[str, dict]]:
    return [
        ("patients:today", {"location": location.pk}),
        ("patients:calendar", {"location": location.pk, "date": "2026-06-17"}),
        ("patients:calendar", {"location": location.pk, "date": "2026-06-17", "view": "week"}),
    ]


def test_day_pages_query_counts_do_not_grow_with_therapists_or_visits(front_desk_client, front_desk):
    site = LocationFactory(name="Riverside")
    _open_every_day(site)
    kind = AppointmentType.objects.create(name="Follow-up (counted)", kind="follow_up", duration_minutes=30)

    def counts() -> list[int]:
        with time_machine.travel(MIDDAY, tick=False):
            front_desk_client.get(reverse("patients:today"))
            return [
                len(page_queries(_captured(front_desk_client, name, params)))
                for name, params in _day_pages(site)
            ]

    _visits(_therapists(site, 1), days=range(3), per_day=1, kind=kind, desk=front_desk)
    one_therapist = counts()
    more = _therapists(site, 5)
    _visits(more, days=range(3), per_day=5, kind=kind, desk=front_desk)

    # The working and opening hours are read once per page, whatever the number of therapists.
    assert counts() == one_therapist
    # The signed-in user's checks, the location(s), the visits with their intake invitations and red flags,
    # and for the calendar its therapists and their hours (the week's grid also their time off, to shade it).
    assert all(n <= most for n, most in zip(one_therapist, [9, 14, 13], strict=True))


def test_day_list_is_in_time_order_with_today_timezone(front_desk_client, front_desk, follow_up):
    site = LocationFactory(name="Riverside")
    physio = _therapists(site, 1)[0]
    with time_machine.travel(MIDDAY, tick=False):
        visits = [
            AppointmentFactory(
                therapist=physio,
                location=site,
                appointment_type=follow_up,
                starts_at=timezone.now().replace(hour=hour, minute=0),
                created_by=front_desk,
            )
            for hour in (15, 9, 12)
        ]
        response = front_desk_client.get(reverse("patients:today"))

    assert [a.pk for a in response.context["appointments"]] == [visits[1].pk, visits[2].pk, visits[0].pk]
