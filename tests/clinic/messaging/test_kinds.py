"""Message kinds: one KindChoices per app, each kind with its three email templates and no template unowned."""

from pathlib import Path

from django.conf import settings

from assessments.messages import AssessmentMessageKind
from clinic.messaging.registry import KINDS
from clinic.staff.views import StaffPasswordResetView
from patients.messages import PatientMessageKind

EMAILS = Path(settings.BASE_DIR) / "templates" / "emails"
PARTS = ("-subject.txt", "-body.txt", "-body.html")
# Kinds the outbox itself registers (clinic.messaging.emails), not an app above it.
OUTBOX_KINDS = {"test"}
# Email templates sent outside the outbox: Django's password reset (clinic.staff.views) and
# the outbox's own failure alert to clinic admins (clinic.messaging.health), which must not
# wait behind the backlog it reports.
NOT_OUTBOX = {"password-reset", "outbox-alert"}


def _template_names() -> set[str]:
    """Every name with at least one of the three parts (partials such as _footer start with "_")."""
    return {
        path.name.removesuffix(part)
        for path in EMAILS.iterdir()
        for part in PARTS
        if path.name.endswith(part) and not path.name.startswith("_")
    }


def test_every_registered_kind_has_its_three_templates():
    missing = [
        f"{kind.template}{part}"
        for kind in KINDS.values()
        for part in PARTS
        if not (EMAILS / f"{kind.template}{part}").is_file()
    ]

    assert missing == []


def test_every_email_template_belongs_to_a_registered_kind_or_the_password_reset():
    registered = {kind.template for kind in KINDS.values()}

    assert sorted(_template_names() - registered - NOT_OUTBOX) == []
    assert sorted(_template_names() & NOT_OUTBOX) == sorted(NOT_OUTBOX)
    incomplete = [
        f"{name}{part}" for name in NOT_OUTBOX for part in PARTS if not (EMAILS / f"{name}{part}").is_file()
    ]
    assert incomplete == []


def test_password_reset_templates_are_the_staff_password_reset_email():
    view = StaffPasswordResetView
    assert (view.subject_template_name, view.email_template_name, view.html_email_template_name) == tuple(
        f"emails/password-reset{part}" for part in PARTS
    )


def test_kinds_are_registered_from_each_apps_choices():
    for choices in (PatientMessageKind, AssessmentMessageKind):
        for member in choices:
            kind = KINDS[member.value]
            assert (kind.name, kind.label, kind.template) == (member.value, member.label, member.template)

    assert sorted(KINDS) == sorted({*PatientMessageKind.values, *AssessmentMessageKind.values, *OUTBOX_KINDS})


def test_kind_values_stay_as_stored_and_names_give_the_templates():
    # Outbox rows and their idempotency keys carry these values: they never change.
    assert {member.value: member.template for member in (*PatientMessageKind, *AssessmentMessageKind)} == {
        "appointment_confirmation": "appointment-confirmation",
        "appointment_rescheduled": "appointment-rescheduled",
        "appointment_cancelled": "appointment-cancelled",
        "appointment_reminder": "appointment-reminder",
        "intake_invitation": "intake-invitation",
        "intake_not_completed": "intake-nudge",
        "link_code": "link-code",
        "booking_code": "booking-code",
        "booking_declined": "booking-declined",
        "waitlist_offer": "waitlist-offer",
        "home_exercise": "home-exercise",
        "weekly_checkin": "weekly-checkin",
        "outcome_due": "outcome-due",
        "reassessment_due": "reassessment-due",
        "programme_alert": "programme-alert",
        "programme_link": "programme-link",
        "programme_maintenance": "programme-maintenance",
        "discharge_report": "discharge-report",
    }


def test_essential_flags_hold_opt_outs_for_reminders_only():
    optional = sorted(name for name, kind in KINDS.items() if not kind.essential)

    assert optional == ["appointment_reminder", "home_exercise", "outcome_due", "weekly_checkin"]
