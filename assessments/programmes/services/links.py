"""The patient's link to their programme pages (the weekly check-in), on the intake's security model.

Scope: one patient, one programme. A token opens only the identity check
(patients.links.core); it is made when an email is rendered or staff copy a link
and only its hash is stored. Each token works LINK_DAYS (MAINTENANCE_LINK_DAYS
once discharged). INTAKE_MAX_FAILED_CHECKS failed identity checks lock every
link of the programme until staff issue a new one; staff can also revoke all.
"""

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from assessments.messages import AssessmentMessageKind
from assessments.models import Programme, ProgrammeLink
from assessments.programmes.choices import ProgrammeStatus, RevisionAction
from assessments.programmes.services.revisions import revision_add
from clinic.messaging.models import ScheduledMessage
from clinic.messaging.services import About, schedule_message
from clinic.staff.models import User
from patients.links import core as links
from patients.links.core import CheckResult

LINK_DAYS = 14
MAINTENANCE_LINK_DAYS = 180


class LinkError(ValueError):
    pass


def link_url(token: str) -> str:
    return settings.SITE_URL + reverse("assessments:checkin_start", kwargs={"token": token})


def programme_reachable(programme: Programme) -> bool:
    """Can the patient use links of this programme at all (not locked)?"""
    return programme.link_locked_at is None


def link_usable(link: ProgrammeLink) -> bool:
    return (
        link.revoked_at is None and link.expires_at > timezone.now() and programme_reachable(link.programme)
    )


def link_find(token: str) -> ProgrammeLink | None:
    """The link a token belongs to, whatever its state (callers check link_usable)."""
    return links.token_find(ProgrammeLink.objects.select_related("programme__patient"), token)


@transaction.atomic
def link_issue(*, programme: Programme, by: User | None, emailed: bool) -> str:
    """Make a new link token for the programme and return it (shown or emailed once).

    Staff issuing a link (by set) also lift a lock from failed identity checks;
    an email rendered by the outbox (by None) never does, and a locked
    programme gets no new link that way (LinkError).
    """
    programme = Programme.objects.select_for_update(of=("self",)).get(pk=programme.pk)
    now = timezone.now()
    if by is None and not programme_reachable(programme):
        raise LinkError("The programme's links are locked after failed identity checks.")
    if by is not None and (programme.link_failed_checks or programme.link_locked_at):
        programme.link_failed_checks = 0
        programme.link_locked_at = None
        programme.save(update_fields=["link_failed_checks", "link_locked_at", "updated_at"])
    days = LINK_DAYS if programme.status == ProgrammeStatus.ACTIVE else MAINTENANCE_LINK_DAYS
    token, digest = links.token_make()
    ProgrammeLink.objects.create(
        programme=programme,
        token_hash=digest,
        issued_at=now,
        expires_at=now + timedelta(days=days),
        emailed=emailed,
        created_by=by,
    )
    if by is not None:
        revision_add(
            programme=programme,
            action=RevisionAction.LINK_ISSUED,
            by=by,
            summary="A new patient link was issued (earlier links keep working until they expire).",
        )
    return token


@transaction.atomic
def links_unlock(*, programme: Programme, by: User) -> bool:
    """Lift a lock from failed identity checks (staff, e.g. before emailing a new link)."""
    count = Programme.objects.filter(pk=programme.pk, link_locked_at__isnull=False).update(
        link_failed_checks=0, link_locked_at=None, updated_at=timezone.now()
    )
    if count:
        revision_add(
            programme=programme,
            action=RevisionAction.LINK_ISSUED,
            by=by,
            summary="Patient links unlocked after failed identity checks.",
        )
    return bool(count)


@transaction.atomic
def programme_link_email(*, programme: Programme, by: User) -> ScheduledMessage:
    """Email the patient a new link to their programme pages now (staff's "email a link").

    Side effects: a lock from failed identity checks is lifted (with its
    revision, as links_unlock); a programme_link email is queued, due now, to
    the patient's address. Its token is made when the outbox renders the
    email. The email's key carries the second it was asked for, so a double
    click queues one email. Raises LinkError when the patient has no email
    address (nothing changes).
    """
    email = programme.patient.email
    if not email:
        raise LinkError("The patient has no email address.")
    links_unlock(programme=programme, by=by)
    now = timezone.now()
    return schedule_message(
        kind=AssessmentMessageKind.PROGRAMME_LINK,
        to=email,
        due_at=now,
        key=f"programme:{programme.pk}:link:{now:%Y%m%d%H%M%S}",
        about=About.of(programme),
        patient_id=programme.patient_id,
        time_zone=programme.time_zone,
    )


@transaction.atomic
def links_revoke(*, programme: Programme, by: User) -> int:
    """Stop every link of the programme now (e.g. a link was sent to the wrong address)."""
    count = ProgrammeLink.objects.filter(programme=programme, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    revision_add(
        programme=programme,
        action=RevisionAction.LINK_ISSUED,
        by=by,
        summary=f"All patient links revoked ({count}).",
    )
    return count


@transaction.atomic
def link_check_identity(*, link: ProgrammeLink, last_name: str, date_of_birth: date) -> CheckResult:
    """Check last name + date of birth against the programme's patient.

    Success resets the failure count; each failure counts, and the
    INTAKE_MAX_FAILED_CHECKS-th locks every link of the programme. The result
    never says which answer was wrong.
    """
    programme = (
        Programme.objects.select_for_update(of=("self",)).select_related("patient").get(pk=link.programme_id)
    )
    link = ProgrammeLink.objects.select_related("programme").get(pk=link.pk)
    link.programme = programme
    if not link_usable(link):
        return CheckResult.UNAVAILABLE
    result = links.identity_check(
        obj=programme,
        count_field="link_failed_checks",
        locked_field="link_locked_at",
        last_name_on_record=programme.patient.last_name,
        date_of_birth_on_record=programme.patient.date_of_birth,
        last_name=last_name,
        date_of_birth=date_of_birth,
    )
    if result == CheckResult.OK:
        link.last_opened_at = timezone.now()
        link.save(update_fields=["last_opened_at"])
    return result
