"""The patient's side of the intake: identity check, saving steps and drafts, submission.

The link's token only opens the identity check (last name + date of birth);
INTAKE_MAX_FAILED_CHECKS failures lock the invitation until the front desk
resends it. Each step saved with "Next" is validated by its form and stored
in typed columns; anything typed but not yet valid is kept as a raw draft.
A version number stops two tabs or devices from overwriting each other.
"""

from datetime import date

from django.db import transaction
from django.forms import MultiWidget
from django.http import QueryDict
from django.utils import timezone
from django.utils.datastructures import MultiValueDict

from clinic.messaging.services import About, messages_cancel
from patients.flags.services import red_flag_raise
from patients.intake.choices import FlagSource
from patients.intake.forms.fields import TEXT_MAX, StepForm
from patients.intake.redflags import Flag, evaluate
from patients.intake.selectors import intake_flag_answers
from patients.intake.services.invitations import IntakeError
from patients.intake.steps import STEPS
from patients.intake.training_load import is_load_spike, weekly_distance_change_pct
from patients.links import core as links
from patients.links.core import CheckResult
from patients.messages import PatientMessageKind
from patients.models import IntakeInvitation, IntakeLinkToken, IntakeResponse, ReminderPreference

DRAFT_MAX_VALUES = 20


class IntakeConflictError(IntakeError):
    """The answers changed in another tab or on another device since this page was loaded."""


class IntakeClosedError(IntakeError):
    """The invitation was submitted, revoked, locked or has expired."""


class IntakeIncompleteError(IntakeError):
    def __init__(self, missing: list[str]) -> None:
        super().__init__("Some steps are not finished yet.")
        self.missing = missing


def intake_is_open(invitation: IntakeInvitation) -> bool:
    """Can this invitation still be used (checked, edited, submitted)?"""
    return not (
        invitation.submitted_at
        or invitation.revoked_at
        or invitation.locked_at
        or (invitation.expires_at is not None and invitation.expires_at <= timezone.now())
    )


def intake_token_usable(token: IntakeLinkToken) -> bool:
    """Does this link still open its invitation (not stopped, not expired, the invitation open)?"""
    return token.revoked_at is None and token.expires_at > timezone.now() and intake_is_open(token.invitation)


@transaction.atomic
def intake_check_identity(
    *,
    invitation: IntakeInvitation,
    last_name: str,
    date_of_birth: date,
    token: IntakeLinkToken | None = None,
) -> CheckResult:
    """Check last name + date of birth against the invitation's patient.

    Success resets the failure count and records the first opening
    (opened_at). A failure is counted; the INTAKE_MAX_FAILED_CHECKS-th locks
    the invitation. The result never says which answer was wrong.
    """
    invitation = (
        IntakeInvitation.objects.select_for_update(of=("self",))
        .select_related("patient")
        .get(pk=invitation.pk)
    )
    if not intake_is_open(invitation):
        return CheckResult.UNAVAILABLE
    # The link itself may have been stopped since the page was shown.
    if (
        token is not None
        and not IntakeLinkToken.objects.filter(
            pk=token.pk, revoked_at__isnull=True, expires_at__gt=timezone.now()
        ).exists()
    ):
        return CheckResult.UNAVAILABLE
    result = links.identity_check(
        obj=invitation,
        count_field="failed_checks",
        locked_field="locked_at",
        last_name_on_record=invitation.patient.last_name,
        date_of_birth_on_record=invitation.patient.date_of_birth,
        last_name=last_name,
        date_of_birth=date_of_birth,
    )
    if result == CheckResult.OK and invitation.opened_at is None:
        invitation.opened_at = timezone.now()
        invitation.save(update_fields=["opened_at"])
    return result


def intake_response_for(*, invitation: IntakeInvitation) -> IntakeResponse:
    """The invitation's answers, created empty on first use."""
    response, _ = IntakeResponse.objects.select_related("patient", "invitation").get_or_create(
        invitation=invitation, defaults={"patient_id": invitation.patient_id}
    )
    return response


def _locked(response: IntakeResponse, version: int | None) -> IntakeResponse:
    response = (
        IntakeResponse.objects.select_for_update(of=("self",))
        .select_related("invitation", "patient")
        .get(pk=response.pk)
    )
    if response.submitted_at or not intake_is_open(response.invitation):
        raise IntakeClosedError("This intake can no longer be changed.")
    if version is not None and version != response.version:
        raise IntakeConflictError("Your answers were changed in another window or on another device.")
    return response


def _mark_started(invitation: IntakeInvitation) -> None:
    if invitation.started_at is None:
        invitation.started_at = timezone.now()
        invitation.save(update_fields=["started_at"])


def draft_input(*, form: StepForm, data: QueryDict) -> dict[str, list[str]]:
    """The raw input of a step form, trimmed to its own fields and sane sizes."""
    raw: dict[str, list[str]] = {}
    for name, field in form.fields.items():
        if isinstance(field.widget, MultiWidget):
            # Two boxes (a pace's minutes and seconds): kept as [minutes, seconds].
            given = field.widget.value_from_datadict(data, MultiValueDict(), form.add_prefix(name))
            typed = [str(v) for v in given] if any(str(v).strip() for v in given) else []
        else:
            typed = data.getlist(name)
        # NUL can't be stored in PostgreSQL text or JSON; nothing else is changed.
        values = [str(v).replace("\x00", "")[:TEXT_MAX] for v in typed[:DRAFT_MAX_VALUES]]
        if values:
            raw[name] = values
    return raw


@transaction.atomic
def intake_draft_save(
    *, response: IntakeResponse, step: str, raw: dict[str, list[str]], version: int | None
) -> IntakeResponse:
    """Keep what is typed on a step, valid or not (autosave, or "Next" with errors).

    Does not change the version: drafts never overwrite saved answers.
    """
    if step not in STEPS:
        raise IntakeError(f"Unknown step {step!r}.")
    response = _locked(response, version)
    response.draft = {**response.draft, step: raw}
    response.save(update_fields=["draft", "updated_at"])
    _mark_started(response.invitation)
    return response


@transaction.atomic
def intake_step_save(
    *, response: IntakeResponse, step: str, answers: dict[str, object], version: int | None
) -> IntakeResponse:
    """Store a validated step (the form's answers()) and drop its draft.

    Derived values are computed here: the weekly-distance change and load
    spike (running), the signature time (consent). Raises IntakeConflictError when
    `version` is stale and IntakeClosedError when the invitation can't be used.
    """
    if step not in STEPS:
        raise IntakeError(f"Unknown step {step!r}.")
    response = _locked(response, version)
    for name, value in answers.items():
        setattr(response, name, value)
    if step == "running":
        response.weekly_km_change_pct = weekly_distance_change_pct(
            now_km=response.weekly_km_now, earlier_km=response.weekly_km_earlier
        )
        response.load_spike = is_load_spike(
            now_km=response.weekly_km_now, earlier_km=response.weekly_km_earlier
        )
    if step == "consent":
        response.signed_at = timezone.now()
    response.draft = {k: v for k, v in response.draft.items() if k != step}
    if step not in response.steps_done:
        response.steps_done = [*response.steps_done, step]
    response.version += 1
    # Range and choice validators run here; the named check constraints are the
    # database's backstop (validating them would cost a query each).
    response.full_clean(validate_unique=False, validate_constraints=False)
    response.save()
    _mark_started(response.invitation)
    return response


@transaction.atomic
def intake_submit(*, response: IntakeResponse, version: int | None) -> list[Flag]:
    """Submit the intake: red flags are recorded, nudges stop, reminder choices are kept.

    Side effects: a RedFlag per flag raised (and needs_review), the
    invitation marked submitted (its link stops working), pending
    intake nudges cancelled, ReminderPreference rows from the
    consent step. Raises IntakeIncompleteError listing unfinished steps.
    """
    response = _locked(response, version)
    missing = [slug for slug in STEPS if slug not in response.steps_done]
    if missing:
        raise IntakeIncompleteError(missing)
    now = timezone.now()
    flags = evaluate(intake_flag_answers(response, today=timezone.localdate()))
    for flag in flags:
        red_flag_raise(
            patient=response.patient,
            code=flag.code,
            source=FlagSource.PATIENT,
            action_level=flag.action_level,
            intake_response=response,
            now=now,
        )
    response.submitted_at = now
    response.needs_review = bool(flags)
    response.draft = {}
    response.version += 1
    response.full_clean(validate_unique=False, validate_constraints=False)
    response.save()
    invitation = response.invitation
    invitation.submitted_at = now
    invitation.save(update_fields=["submitted_at"])
    messages_cancel(about=About.of(invitation), kinds=[PatientMessageKind.INTAKE_NUDGE])
    for category, opted_in in response.reminder_opt_ins.items():
        ReminderPreference.objects.update_or_create(
            patient_id=response.patient_id,
            category=category,
            defaults={"opted_in": bool(opted_in), "source": "intake", "recorded_at": now},
        )
    return flags
