"""The dashboard reads one page of programmes, ordered and counted in SQL, whatever the clinic's size."""

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from assessments.imaging.services import imaging_order_create
from assessments.models import Programme
from assessments.programmes.selectors import (
    DASHBOARD_PAGE_SIZE,
    STATUS_BY_RANK,
    DashboardCursor,
    dashboard,
    status_of,
    with_dashboard_status,
)
from assessments.programmes.services.ladder import alert_raise
from assessments.programmes.services.status import programme_status_drift
from patients.flags.services import red_flag_raise
from tests.assessments.programmes.support import START, at, send_week, start_programme
from tests.factories import PatientFactory

pytestmark = [pytest.mark.django_db]

TODAY = START + timedelta(days=16)  # week 3


def _start(therapist, name: str, **overrides):
    return start_programme(therapist, patient=PatientFactory(last_name=name), **overrides)


def _flag(programme, therapist):
    red_flag_raise(
        patient=programme.patient,
        code="hernia",
        source="clinician",
        action_level="routine_gp",
        note="x",
        by=therapist,
    )


def _walk(therapist, *, size: int, between=None) -> list:
    """Every page from the first, `between(page_number)` run after each page is read."""
    rows, after, number = [], None, 0
    while True:
        page = dashboard(therapist=therapist, today=TODAY, after=after, size=size)
        rows += page.rows
        number += 1
        if between is not None:
            between(number)
        if page.after is None:
            return rows
        after = page.after


def _clinic(therapist):
    """Programmes in every state: safety signals, overdue, pain rising, adherence, on track, not started."""
    flagged = _start(therapist, "Flagged")
    send_week(flagged, 1)
    _flag(flagged, therapist)
    imaged = _start(therapist, "Imaged")
    send_week(imaged, 1)
    imaging_order_create(
        assessment=imaged.assessment,
        by=therapist,
        modality="XR",
        region="hip",
        side="right",
        indication="fai_morphology",
        indication_detail="Pinch in deep flexion.",
    )
    alerted = _start(therapist, "Alerted")
    alert_raise(programme=alerted, checkin=None, kind="red_flag", detail="Night pain")
    _start(therapist, "Silent")  # no check-in 16 days after the start
    rising = _start(therapist, "Rising", start_date=START - timedelta(days=7))
    for week, pain in ((1, 2), (2, 4), (3, 6)):
        send_week(rising, week, pain_worst=pain)
    lapsed = _start(therapist, "Lapsed")
    send_week(lapsed, 1, when=at(START + timedelta(days=5)))  # 11 days before TODAY
    behind = _start(therapist, "Behind")
    send_week(behind, 1)
    send_week(behind, 2, sessions_done=1)
    for n in range(3):
        steady = _start(therapist, f"Steady{n}")
        send_week(steady, 1)
        send_week(steady, 2)
    late = _start(therapist, "Later", start_date=START + timedelta(days=21))
    _flag(late, therapist)  # a red flag counts before the start
    _start(therapist, "Waiting", start_date=START + timedelta(days=21))


def test_sql_status_equals_status_of_for_every_programme_on_every_day(therapist):
    _clinic(therapist)
    programmes = Programme.objects.filter(therapist=therapist)
    for today in (START - timedelta(days=1), START + timedelta(days=9), START + timedelta(days=40), TODAY):
        ranked = {p.pk: STATUS_BY_RANK[p.status_rank] for p in with_dashboard_status(programmes, today=today)}
        expected = {
            p.pk: status_of(
                p,
                sent=list(p.checkins.filter(status="submitted")),
                open_alerts=list(p.alerts.filter(resolved_at__isnull=True)),
                today=today,
            ).status
            for p in programmes
        }
        assert ranked == expected, today
    assert set(ranked.values()) == {"attention", "behind", "on_track"}
    assert programme_status_drift() == []


def test_attention_comes_first_across_pages_and_counts_cover_every_page(therapist):
    _clinic(therapist)
    first = dashboard(therapist=therapist, today=TODAY, size=4)
    rows = _walk(therapist, size=4)
    statuses = [r.status.status for r in rows]
    assert statuses == sorted(statuses, key=["attention", "behind", "on_track"].index)
    assert first.counts == {s: statuses.count(s) for s in ("attention", "behind", "on_track")}
    assert first.counts == {"attention": 7, "behind": 1, "on_track": 4}
    assert [r.status.status for r in first.rows] == ["attention"] * 4


def test_pages_have_no_gaps_or_repeats_while_check_ins_arrive(therapist):
    _clinic(therapist)
    everyone = set(Programme.objects.filter(therapist=therapist).values_list("pk", flat=True))
    arriving = list(Programme.objects.filter(patient__last_name__startswith="Steady")) + list(
        Programme.objects.filter(patient__last_name__in=["Flagged", "Imaged"])
    )

    def check_in(page_number: int) -> None:
        # Each arrival keeps its programme's status: a good week, or attention held by a red flag.
        programme = arriving[page_number - 1] if page_number <= len(arriving) else None
        if programme is not None:
            send_week(programme, 3 if programme.patient.last_name.startswith("Steady") else 2)

    rows = _walk(therapist, size=2, between=check_in)
    pks = [r.programme.pk for r in rows]
    assert len(pks) == len(set(pks))
    assert set(pks) == everyone


def test_a_malformed_cursor_is_the_first_page():
    assert [DashboardCursor.parse(t) for t in (None, "", "x", "1.2026-03-02", "9.2026-03-02.4")] == [None] * 5
    assert str(DashboardCursor.parse("1.2026-03-02.4")) == "1.2026-03-02.4"


@pytest.mark.parametrize("count", [3, DASHBOARD_PAGE_SIZE + 10])
def test_dashboard_page_query_count_is_flat_and_rows_bounded(
    therapist, client, count, django_assert_num_queries
):
    for n in range(count):
        programme = _start(therapist, f"Runner{n:03}")
        if n % 2:
            send_week(programme, 1)
    with time_machine.travel(at(START + timedelta(days=9)), tick=False):
        client.force_login(therapist)
        # Session, user (roles and device from the session), profile; counts per status, programmes, check-ins, runs,
        # alerts, open red flags, outstanding imaging (the session is not rewritten within its minute).
        with django_assert_num_queries(10):
            response = client.get(reverse("assessments:programme_list"))
    html = response.content.decode()
    assert html.count("data-programme=") == min(count, DASHBOARD_PAGE_SIZE)
    assert f"On track: {count}" in html
    assert ('rel="next"' in html) == (count > DASHBOARD_PAGE_SIZE)
    if count > DASHBOARD_PAGE_SIZE:
        with time_machine.travel(at(START + timedelta(days=9)), tick=False):
            rest = client.get(response.context["next_url"])
        in_order = Programme.objects.filter(therapist=therapist).order_by("start_date", "pk")
        assert [r.programme.pk for r in rest.context["rows"]] == [p.pk for p in in_order][
            DASHBOARD_PAGE_SIZE:
        ]
        assert rest.context["next_url"] is None and "First page" in rest.content.decode()


def test_status_check_command_finds_and_repairs_drift(therapist):
    programme = _start(therapist, "Drift")
    send_week(programme, 1)
    call_command("programme_status_check")
    Programme.objects.filter(pk=programme.pk).update(last_checkin_on=None, checkin_status="behind")
    with pytest.raises(CommandError, match="1 programme"):
        call_command("programme_status_check")
    call_command("programme_status_check", "--repair")
    assert programme_status_drift() == []
    programme.refresh_from_db()
    assert (programme.last_checkin_week, programme.checkin_status) == (1, "on_track")
