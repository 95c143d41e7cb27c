"""One-click opt-out: signed links scoped to one patient and one category, the page, RFC 8058 headers."""

from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core import signing
from django.test import Client
from django.urls import reverse

from assessments.messages import AssessmentMessageKind
from clinic.audit.models import AccessActor, AccessEvent
from clinic.messaging.choices import MessageStatus
from clinic.messaging.models import ScheduledMessage
from clinic.messaging.optout import CATEGORIES, SALT, optout_token, optout_url, optout_verify
from clinic.messaging.registry import KINDS
from patients.booking.services import appointment_book
from patients.intake.choices import ReminderCategory
from patients.messages import PatientMessageKind
from patients.models import ReminderPreference
from tests.assessments.programmes.support import START, at, start_programme
from tests.clinic.messaging.support import deliver_due
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db

HOME = ReminderCategory.HOME_EXERCISE
CHECKIN = ReminderCategory.WEEKLY_CHECKIN
ONE_CLICK = {"List-Unsubscribe": "One-Click"}


@pytest.fixture
def anonymous():
    """A patient's browser or mail client: not signed in, CSRF checked as in production."""
    return Client(enforce_csrf_checks=True)


def _url(patient_id: int, category: str) -> str:
    return reverse("messaging:unsubscribe", kwargs={"token": optout_token(patient_id, category)})


def _choices() -> list[tuple[int, str, bool, str]]:
    return list(
        ReminderPreference.objects.order_by("patient_id", "category").values_list(
            "patient_id", "category", "opted_in", "source"
        )
    )


def test_token_names_one_patient_and_one_category():
    token = optout_token(41, HOME)

    optout = optout_verify(token)

    assert (optout.patient_id, optout.category.name, optout.category.label) == (
        41,
        "home_exercise",
        "Home exercise reminders",
    )


@pytest.mark.parametrize(
    "token",
    [
        "not-a-token",
        # Signed with the site's key but not for this purpose (no salt, another salt).
        signing.Signer().sign_object({"p": 1, "c": "home_exercise"}),
        signing.Signer(salt="patients.links").sign_object({"p": 1, "c": "home_exercise"}),
        # Signed for opt-outs, but not a token optout_token makes.
        signing.Signer(salt=SALT).sign("1.home_exercise"),
        signing.Signer(salt=SALT).sign_object(["p", 1]),
        signing.Signer(salt=SALT).sign_object({"p": "1", "c": "home_exercise"}),
        # Well signed, but a category nobody offers.
        signing.Signer(salt=SALT).sign_object({"p": 1, "c": "appointment_confirmation"}),
    ],
    ids=["garbage", "unsalted", "other-salt", "not-an-object", "a-list", "id-as-text", "unknown-category"],
)
def test_token_not_made_for_an_opt_out_is_refused(token):
    assert optout_verify(token) is None


def test_tampered_token_is_refused_and_changes_nothing(anonymous):
    patient = PatientFactory()
    token = optout_token(patient.pk, HOME)
    payload, _, signature = token.rpartition(":")
    # The same signature over another patient's id.
    other = PatientFactory()
    forged = optout_token(other.pk, HOME).rpartition(":")[0]
    assert forged != payload

    for bad in (f"{forged}:{signature}", token[:-2] + ("AA" if token[-2:] != "AA" else "BB")):
        response = anonymous.post(reverse("messaging:unsubscribe", kwargs={"token": bad}), ONE_CLICK)

        assert response.status_code == 404
        assert "We don't recognise this link" in response.content.decode()
    assert _choices() == []


def test_get_asks_and_changes_nothing(anonymous):
    patient = PatientFactory()

    response = anonymous.get(_url(patient.pk, HOME))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Stop home exercise reminders?" in page
    assert 'method="post"' in page
    assert _choices() == []


def test_post_from_the_page_without_signing_in_unsubscribes(anonymous):
    patient = PatientFactory()
    url = _url(patient.pk, HOME)
    anonymous.get(url)  # sets the CSRF cookie, as opening the page does

    response = anonymous.post(url, {"csrfmiddlewaretoken": anonymous.cookies["csrftoken"].value})

    assert response.status_code == 200
    assert "You will get no more home exercise reminders" in response.content.decode()
    assert "turn them back on" in response.content.decode()
    [(patient_id, category, opted_in, source)] = _choices()
    assert (patient_id, category, opted_in, source) == (
        patient.pk,
        "home_exercise",
        False,
        "unsubscribe-link",
    )


def test_post_from_the_page_without_its_csrf_token_is_refused(anonymous):
    patient = PatientFactory()

    response = anonymous.post(_url(patient.pk, HOME), {})

    assert response.status_code == 403
    assert _choices() == []


def test_rfc8058_one_click_post_needs_no_csrf_token(anonymous):
    patient = PatientFactory()

    response = anonymous.post(
        _url(patient.pk, HOME),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert _choices() == [(patient.pk, "home_exercise", False, "unsubscribe-link")]


def test_token_for_one_patient_and_category_changes_nothing_else(anonymous):
    alice, bob = PatientFactory(), PatientFactory()
    ReminderPreference.objects.create(
        patient=alice, category=CHECKIN, opted_in=True, source="intake", recorded_at=at(START)
    )
    ReminderPreference.objects.create(
        patient=bob, category=HOME, opted_in=True, source="intake", recorded_at=at(START)
    )

    anonymous.post(_url(alice.pk, HOME), ONE_CLICK)

    assert _choices() == [
        (alice.pk, "home_exercise", False, "unsubscribe-link"),
        (alice.pk, "weekly_checkin", True, "intake"),
        (bob.pk, "home_exercise", True, "intake"),
    ]


def test_opting_out_again_keeps_the_first_time(anonymous):
    patient = PatientFactory()
    url = _url(patient.pk, HOME)
    with time_machine.travel(at(START), tick=False):
        anonymous.post(url, ONE_CLICK)
    with time_machine.travel(at(START + timedelta(days=3)), tick=False):
        response = anonymous.post(url, ONE_CLICK)

    assert response.status_code == 200
    assert ReminderPreference.objects.get().recorded_at == at(START)


def test_unsubscribe_link_works_for_a_patient_who_opted_in_at_intake(anonymous):
    patient = PatientFactory()
    ReminderPreference.objects.create(
        patient=patient, category=HOME, opted_in=True, source="intake", recorded_at=at(START)
    )

    anonymous.post(_url(patient.pk, HOME), ONE_CLICK)

    assert _choices() == [(patient.pk, "home_exercise", False, "unsubscribe-link")]


def test_every_non_essential_kind_has_a_registered_category_and_no_essential_kind_has_one():
    categories = {name: kind.category for name, kind in KINDS.items() if not kind.essential}

    assert categories == {
        "appointment_reminder": "appointment",
        "home_exercise": "home_exercise",
        "weekly_checkin": "weekly_checkin",
        "outcome_due": "outcome_due",
    }
    assert all(category in CATEGORIES for category in categories.values())
    assert [name for name, kind in KINDS.items() if kind.essential and kind.category] == []
    assert sorted(CATEGORIES) == sorted(ReminderCategory.values)


def _first_exercise_reminder(therapist, mailoutbox):
    """The programme's first home-exercise reminder (Monday 2 March, 08:00), as sent."""
    programme = start_programme(therapist)
    with time_machine.travel(at(START, 8) + timedelta(minutes=1), tick=False):
        deliver_due()
    [email] = [m for m in mailoutbox if "exercise" in m.subject.lower()]
    return programme, email


def test_rendered_non_essential_email_has_both_headers_and_the_footer_link(therapist, mailoutbox):
    programme, email = _first_exercise_reminder(therapist, mailoutbox)
    expected = optout_url(programme.patient_id, HOME)

    assert email.extra_headers["List-Unsubscribe"] == f"<{expected}>"
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert f"Stop home exercise reminders by email: {expected}" in email.body
    assert f'<a href="{expected}">Stop home exercise reminders by email</a>' in email.alternatives[0][0]
    # The headers survive into the message as a mail client receives it.
    raw = email.message()
    assert raw["List-Unsubscribe"] == f"<{expected}>"
    assert raw["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_url_in_the_header_unsubscribes_by_one_click_and_later_reminders_are_dropped(
    therapist, mailoutbox, anonymous
):
    programme, email = _first_exercise_reminder(therapist, mailoutbox)
    path = urlsplit(email.extra_headers["List-Unsubscribe"].strip("<>")).path
    mailoutbox.clear()

    response = anonymous.post(path, ONE_CLICK)

    assert response.status_code == 200
    assert _choices() == [(programme.patient_id, "home_exercise", False, "unsubscribe-link")]
    # Wednesday's exercise reminder comes due and is dropped; Sunday's check-in request still goes.
    with time_machine.travel(at(START + timedelta(days=2), 8) + timedelta(minutes=1), tick=False):
        deliver_due()
    with time_machine.travel(at(START + timedelta(days=6), 18) + timedelta(minutes=1), tick=False):
        deliver_due()
    rows = ScheduledMessage.objects.filter(due_at__lte=at(START + timedelta(days=6), 18)).order_by("due_at")
    assert [(row.kind, row.status) for row in rows] == [
        (AssessmentMessageKind.HOME_EXERCISE, MessageStatus.SENT),
        (AssessmentMessageKind.HOME_EXERCISE, MessageStatus.CANCELLED),
        (AssessmentMessageKind.HOME_EXERCISE, MessageStatus.EXPIRED),
        (AssessmentMessageKind.WEEKLY_CHECKIN, MessageStatus.SENT),
    ]
    [checkin] = mailoutbox
    assert checkin.extra_headers["List-Unsubscribe"] == f"<{optout_url(programme.patient_id, CHECKIN)}>"


def _book(physio, location, kind, front_desk, patient):
    return appointment_book(
        patient=patient,
        therapist=physio,
        location=location,
        appointment_type=kind,
        starts_at=datetime(2026, 11, 24, 10, tzinfo=UTC),
        booked_by=front_desk,
    )


def test_essential_email_carries_no_opt_out(
    physio, location, evaluation, front_desk, mailoutbox, time_machine
):
    time_machine.move_to(datetime(2026, 11, 23, 7, tzinfo=UTC), tick=False)
    _book(physio, location, evaluation, front_desk, PatientFactory())

    deliver_due()

    sent = {m.subject: m for m in mailoutbox}
    assert sent
    for email in sent.values():
        assert "List-Unsubscribe" not in email.extra_headers
        assert "List-Unsubscribe-Post" not in email.extra_headers
        assert "unsubscribe" not in email.body
        assert "unsubscribe" not in email.alternatives[0][0]


def test_appointment_reminder_carries_its_opt_out(
    physio, location, evaluation, front_desk, mailoutbox, time_machine
):
    time_machine.move_to(datetime(2026, 11, 23, 7, tzinfo=UTC), tick=False)
    patient = PatientFactory()
    _book(physio, location, evaluation, front_desk, patient)
    reminder = ScheduledMessage.objects.get(kind=PatientMessageKind.APPOINTMENT_REMINDER)

    deliver_due(reminder.due_at)

    [email] = [m for m in mailoutbox if m.extra_headers.get("List-Unsubscribe")]
    expected = optout_url(patient.pk, ReminderCategory.APPOINTMENT)
    assert email.extra_headers["List-Unsubscribe"] == f"<{expected}>"
    assert f"Stop appointment reminders by email: {expected}" in email.body


def test_appointment_reminder_is_not_sent_after_opting_out(
    physio, location, evaluation, front_desk, mailoutbox, time_machine, anonymous
):
    time_machine.move_to(datetime(2026, 11, 23, 7, tzinfo=UTC), tick=False)
    patient = PatientFactory()
    _book(physio, location, evaluation, front_desk, patient)
    deliver_due()  # the confirmation
    mailoutbox.clear()
    reminder = ScheduledMessage.objects.get(kind=PatientMessageKind.APPOINTMENT_REMINDER)
    # Opted out at the intake, not by link: the reminder stays queued until it is due.
    ReminderPreference.objects.create(
        patient=patient, category="appointment", opted_in=False, source="intake", recorded_at=at(START)
    )

    deliver_due(reminder.due_at)

    reminder.refresh_from_db()
    assert reminder.status == MessageStatus.CANCELLED
    assert mailoutbox == []


def test_unsubscribing_is_in_the_patients_access_report_as_their_own_action(anonymous):
    patient = PatientFactory()
    url = _url(patient.pk, HOME)

    anonymous.get(url)
    assert list(AccessEvent.objects.values_list("patient_id", flat=True)) == []
    anonymous.post(url, ONE_CLICK)

    [event] = AccessEvent.objects.all()
    assert (event.patient_id, event.actor, event.user_id, event.view_name) == (
        patient.pk,
        AccessActor.PATIENT,
        None,
        "messaging:unsubscribe",
    )
