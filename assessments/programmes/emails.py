"""The programme's message kinds, registered with the outbox at start-up.

Emails carry a link, never clinical detail (domain.md §9). Patient emails
make their link token when they are rendered (only its hash is stored); the
patient's reminder opt-outs are read at send time by message_render (each
reminder kind names its category), and reminders are not sent to an address
a mail server has refused for good; therapist emails
link to the programme page (sign-in needed) and say only that something
needs review.
"""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import pgettext_lazy

from assessments.messages import AssessmentMessageKind as Kind
from assessments.models import Programme, ProgrammeAlert, ProgrammeOutcome
from assessments.programmes.choices import OutcomeTimepoint, ProgrammeStatus
from assessments.programmes.services.links import LinkError, link_issue, link_url
from assessments.programmes.services.reminders import booked_reassessment, reassessment_dates
from clinic.messaging.models import ScheduledMessage
from clinic.messaging.registry import MessageKind, MessageObsolete, register_kind
from patients.identity.undeliverable import patient_email_undeliverable
from patients.intake.choices import ReminderCategory


def _programme(message: ScheduledMessage) -> Programme:
    programme = (
        Programme.objects.select_related("patient", "therapist").filter(pk=message.about_pk).first()
        if message.about_label == Programme._meta.label_lower
        else None
    )
    if programme is None:
        raise MessageObsolete
    return programme


def _active(message: ScheduledMessage) -> Programme:
    programme = _programme(message)
    if programme.status != ProgrammeStatus.ACTIVE:
        raise MessageObsolete
    return programme


def _refused(programme: Programme, message: ScheduledMessage) -> bool:
    """The patient's address has been refused for good: reminders wait for a new one."""
    return patient_email_undeliverable(patient_id=programme.patient_id, to_email=message.to_email)


def _patient_context(programme: Programme) -> dict[str, object]:
    try:
        token = link_issue(programme=programme, by=None, emailed=True)
    except LinkError:
        raise MessageObsolete from None
    patient = programme.patient
    return {
        "first_name": patient.preferred_name or patient.first_name,
        "link": link_url(token),
        "time_zone": programme.time_zone,
    }


def _reminder(message: ScheduledMessage) -> dict[str, object]:
    programme = _active(message)
    if _refused(programme, message):
        raise MessageObsolete
    return _patient_context(programme)


# A timepoint as the emails' sentences name it ("your week 4 re-assessment").
TIMEPOINT_WORDS = {
    OutcomeTimepoint.BASELINE: pgettext_lazy("re-assessment timepoint", "baseline"),
    OutcomeTimepoint.WEEK_4: pgettext_lazy("re-assessment timepoint", "week 4"),
    OutcomeTimepoint.END: pgettext_lazy("re-assessment timepoint", "end of programme"),
}


def _slot(message: ScheduledMessage) -> str:
    return message.key.rsplit(":", 1)[-1]


def _outcome_due(message: ScheduledMessage) -> dict[str, object]:
    programme = _active(message)
    timepoint = _slot(message)
    if (
        _refused(programme, message)
        or ProgrammeOutcome.objects.filter(programme=programme, timepoint=timepoint).exists()
    ):
        raise MessageObsolete
    return {**_patient_context(programme), "timepoint": str(TIMEPOINT_WORDS[OutcomeTimepoint(timepoint)])}


def _staff_link(programme: Programme) -> str:
    return settings.SITE_URL + reverse("assessments:programme_detail", kwargs={"pk": programme.pk})


def _reassessment_due(message: ScheduledMessage) -> dict[str, object]:
    programme = _active(message)
    day = dict(reassessment_dates(programme)).get(_slot(message))
    # "Stops when booked" (domain.md §9).
    if day is None or booked_reassessment(programme, day) is not None:
        raise MessageObsolete
    return {
        "link": _staff_link(programme),
        "planned_on": day,
        "timepoint": str(TIMEPOINT_WORDS[OutcomeTimepoint(_slot(message))]),
        "time_zone": programme.time_zone,
    }


def _alert(message: ScheduledMessage) -> dict[str, object]:
    programme = _programme(message)
    alert = ProgrammeAlert.objects.filter(pk=_slot(message), programme=programme).first()
    if alert is None or alert.resolved_at is not None:
        raise MessageObsolete
    # Bone-stress switches come from the record, not a check-in; the email still names nothing clinical.
    return {
        "link": _staff_link(programme),
        "time_zone": programme.time_zone,
        "about_checkin": alert.checkin_id is not None,
    }


def _link(message: ScheduledMessage) -> dict[str, object]:
    return _patient_context(_programme(message))


def _maintenance(message: ScheduledMessage) -> dict[str, object]:
    programme = _programme(message)
    if programme.status != ProgrammeStatus.DISCHARGED:
        raise MessageObsolete
    return _patient_context(programme)


for kind in (
    MessageKind.of(
        Kind.HOME_EXERCISE,
        _reminder,
        essential=False,
        category=ReminderCategory.HOME_EXERCISE,
    ),
    MessageKind.of(
        Kind.WEEKLY_CHECKIN,
        _reminder,
        essential=False,
        category=ReminderCategory.WEEKLY_CHECKIN,
    ),
    MessageKind.of(Kind.OUTCOME_DUE, _outcome_due, essential=False, category=ReminderCategory.OUTCOME_DUE),
    # To the therapist: quiet hours are for patients.
    MessageKind.of(Kind.REASSESSMENT_DUE, _reassessment_due, patient_facing=False),
    MessageKind.of(Kind.PROGRAMME_ALERT, _alert, patient_facing=False),
    MessageKind.of(Kind.PROGRAMME_LINK, _link),
    MessageKind.of(Kind.PROGRAMME_MAINTENANCE, _maintenance),
):
    register_kind(kind)
