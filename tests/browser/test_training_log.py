"""On a phone, the runner logs a run and imports a GPX file and sees their weeks change; the therapist
sees the training alert on the programme page and the pattern sentence on the timeline."""

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from assessments.exercises.services import catalogue_sync
from assessments.models import ProgrammeAlert, Run
from assessments.programmes.charts import number
from assessments.programmes.services.links import link_issue
from assessments.training.load import to_unit
from tests.assessments.training.samples import make_samples
from tests.browser.support import give_emailed_code, sign_in
from tests.factories import PASSWORD, PatientFactory, ProgrammeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BIG_WEEKS = {1, 4, 7, 9, 10}  # of the 12 weeks before this one: 48 km and a sore next morning; others 30 km
PATTERN = "Next-morning pain ≥ 3 followed 5 of 5 weeks above 30 km, and 0 of 7 weeks of 30 km or less."
PLAIN_PATTERN = "Your hip was sore the morning after a run in all 5 of your weeks above 30 km"


def _planted_log(patient, monday):
    """Twelve weeks before this one, three runs a week, next-morning pain after each big week's last run."""
    for index in range(12):
        week = monday - timedelta(weeks=12 - index)
        km = 16 if index in BIG_WEEKS else 10
        for day in (0, 2, 4):
            Run.objects.create(
                patient=patient,
                day=week + timedelta(days=day),
                distance_m=km * 1000,
                duration_s=km * 360,
                pain_next_morning=4 if index in BIG_WEEKS and day == 4 else 1,
            )


def _row_distance(page, monday) -> str:
    cell = page.locator(f'tr[data-week="{monday.isoformat()}"] td[data-series="distance"]')
    return cell.inner_text().strip()


def test_log_import_timeline_and_the_therapists_view(
    browser, page, phone_page, live_server, physio, mailoutbox, tmp_path
):
    catalogue_sync()  # transactional tests flush the seeded catalogue between tests
    physio.user.email = "sam.physio@stride.test"
    physio.user.save()
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    patient = PatientFactory(first_name="Robin", last_name="Strider", email="robin@example.com")
    programme = ProgrammeFactory(
        patient=patient, therapist=physio.user, start_date=monday - timedelta(weeks=5), planned_weeks=8
    )
    _planted_log(patient, monday)
    token = link_issue(programme=programme, by=physio.user, emailed=False)

    # The runner, on a phone, opens the programme link and confirms who they are.
    phone_page.goto(f"{live_server.url}/clinical/p/{token}/")
    phone_page.get_by_label("Last name").fill("strider")
    phone_page.get_by_label("Day").fill("12")
    phone_page.get_by_label("Month").fill("4")
    phone_page.get_by_label("Year").fill("1988")
    phone_page.get_by_role("button", name="Continue").click()
    give_emailed_code(phone_page, mailoutbox)
    phone_page.get_by_role("heading", name="Hello Robin").wait_for()

    # Their weeks: what the log shows, in their words; nothing yet this week.
    phone_page.goto(f"{live_server.url}/clinical/p/log/timeline/")
    phone_page.get_by_role("heading", name="Your training, Robin").wait_for()
    assert phone_page.get_by_text(PLAIN_PATTERN).is_visible()
    assert _row_distance(phone_page, monday) == "0"

    # Log today's run: 35 km after a 30 km week (more than 10 % up).
    phone_page.get_by_role("link", name="Log a run").click()
    phone_page.get_by_role("heading", name="Log a run").wait_for()
    # Its 0–10 pain scales are one row of buttons on the phone, as the intake's and the check-in's.
    rows = phone_page.locator(".scale-row").evaluate_all(
        "rows => rows.map(row => new Set([...row.querySelectorAll('.scale-label')].map(l => l.getBoundingClientRect().top)).size)"
    )
    assert rows and set(rows) == {1}, rows
    assert phone_page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")
    phone_page.locator("#id_distance").fill("35")
    phone_page.locator("#id_duration").fill("3:30:00")
    phone_page.get_by_role("button", name="Save run").click()
    phone_page.get_by_text("Run saved").wait_for()
    phone_page.get_by_role("link", name="Your weeks").first.click()
    phone_page.get_by_role("heading", name="Your training, Robin").wait_for()
    assert _row_distance(phone_page, monday) == "35"

    # Import a GPX file from the watch: preview, confirm, and the week of the run grows.
    # The project's sample maker writes it, dated two weeks ago (a Tuesday) so it stays in the timeline.
    started = datetime.combine(monday - timedelta(days=13), time(6, 30), tzinfo=UTC)
    gpx = tmp_path / "easy_run.gpx"
    gpx.write_bytes(make_samples.gpx(make_samples.Sample(started, 8000, 2880, 40, 86)))
    phone_page.goto(f"{live_server.url}/clinical/p/log/import/")
    phone_page.get_by_label("Files from your watch or app").set_input_files(str(gpx))
    phone_page.get_by_role("button", name="Upload and check").click()
    phone_page.get_by_role("heading", name="Check the runs to import").wait_for()
    phone_page.get_by_role("button", name="Save to my log").click()
    phone_page.locator("#import-done").wait_for()
    imported = Run.objects.get(patient=patient, source="gpx")
    week_of_run = imported.day - timedelta(days=imported.day.weekday())
    week = Run.objects.filter(patient=patient, day__gte=week_of_run, day__lte=week_of_run + timedelta(days=6))
    total = sum(r.distance_m for r in week)
    # A big week of the planted log and the imported run (its distance read from the track's points).
    assert (imported.day, total) == (started.date(), 48_000 + imported.distance_m)
    assert 7900 <= imported.distance_m <= 8100
    phone_page.get_by_role("link", name="Your weeks").first.click()
    phone_page.get_by_role("heading", name="Your training, Robin").wait_for()
    assert _row_distance(phone_page, week_of_run) == number(to_unit(total, "km").quantize(Decimal("0.1")))

    # The therapist: the alert on the programme page, the sentence and the alert on the timeline.
    assert ProgrammeAlert.objects.filter(programme=programme, kind="training_ten_percent").exists()
    sign_in(page, live_server, "sam.physio@stride.test", PASSWORD)
    page.goto(f"{live_server.url}/clinical/programmes/{programme.pk}/")
    assert page.get_by_text("Training log: weekly distance up more than 10 %").first.is_visible()
    page.get_by_role("link", name="Training log").first.click()
    page.get_by_role("heading", name="Training log · Robin Strider").wait_for()
    assert page.get_by_text(PATTERN).is_visible()
    assert page.locator('[data-training-alert="training_ten_percent"]').is_visible()
    assert (
        page.locator('svg[data-chart="training-distance"] title').first.text_content()
        == "Weekly running distance"
    )
