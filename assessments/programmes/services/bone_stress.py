"""A programme's bone-stress state, re-evaluated whenever an impression, a red flag or an imaging report changes.

The services that change those inputs (signing an assessment, raising or
clearing a red flag, reporting an imaging order) call
`patient_bone_stress_refresh`; it refreshes the patient's active programme.
When the state switches the therapist is told (an alert and its email), the
change is listed in the programme's history, and the programme's rules
follow at once: they read has_bone_stress(programme=...).
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from assessments.messages import AssessmentMessageKind
from assessments.models import Exercise, Programme, ProgrammeAlert
from assessments.programmes.choices import AlertKind, ProgrammeStatus, RevisionAction
from assessments.programmes.services.revisions import revision_add
from assessments.record.bone_stress import contraindicated_with_bone_stress
from assessments.record.selectors import bone_stress_now
from clinic.messaging.services import About, schedule_message
from clinic.staff.models import User
from patients.intake.choices import RedFlagCode
from patients.models import RedFlag


def bone_stress_contraindicated(exercise: Exercise) -> bool:
    """Is the exercise impact work to avoid while bone stress is suspected (plyometrics, hops, sprints)?"""
    return contraindicated_with_bone_stress(
        category=exercise.category, contraindicated_for=exercise.contraindicated_for or ()
    )


def _local_day(programme: Programme, now: datetime) -> date:
    return now.astimezone(ZoneInfo(programme.time_zone)).date()


def _alert(*, programme: Programme, kind: str, detail: str, now: datetime) -> ProgrammeAlert:
    """One alert per switch (the switch itself is the idempotency: a refresh that changes nothing raises none)."""
    alert = ProgrammeAlert.objects.create(
        programme=programme, kind=kind, detail=detail[:2000], created_at=now
    )
    if programme.therapist.email:
        schedule_message(
            kind=AssessmentMessageKind.PROGRAMME_ALERT,
            to=programme.therapist.email,
            due_at=now,
            key=f"programme:{programme.pk}:alert:{alert.pk}",
            about=About.of(programme),
            patient_id=programme.patient_id,
            time_zone=programme.time_zone,
        )
    return alert


@transaction.atomic
def programme_bone_stress_refresh(
    *, programme: Programme, now: datetime | None = None, by: User | None = None, reason: str = ""
) -> bool:
    """Store whether bone stress is suspected now; returns whether the state switched.

    `reason` says what changed (e.g. "MRI of the hip reported: stress
    reaction"), `by` who changed it (None: the patient or the rules).
    Nothing happens when the state is unchanged (so calling it twice raises
    one alert) or the programme is discharged. On a switch: `bone_stress`
    (and, switching on, `bone_stress_since` = today in the programme's zone),
    a "bone stress" revision, and an alert for the therapist with its email
    queued. Switching on stops running on the ladder (no impact); switching
    off never resumes it: the therapist does, through the ladder's gate.
    """
    now = now or timezone.now()
    locked = (
        Programme.objects.select_for_update(of=("self",)).select_related("therapist").get(pk=programme.pk)
    )
    if locked.status != ProgrammeStatus.ACTIVE:
        return False
    suspected = bone_stress_now(locked)
    if suspected == locked.bone_stress:
        return False
    because = f" ({reason.strip()})" if reason.strip() else ""
    fields = ["bone_stress", "updated_at"]
    locked.bone_stress = suspected
    if suspected:
        locked.bone_stress_since = _local_day(locked, now)
        fields.append("bone_stress_since")
        stopped = locked.run_stage >= 1 and not locked.running_stopped
        if stopped:
            locked.running_stopped = True
            fields.append("running_stopped")
        summary = f"Bone stress now suspected{because}: no impact, running stopped until cleared."
        detail = (
            f"Bone stress is now suspected{because}. No impact and no running until you clear it; "
            "check the plan for impact exercises and contact the patient."
        )
        kind = AlertKind.BONE_STRESS_SUSPECTED
    else:
        summary = f"Bone stress no longer suspected{because}: running resumes only when you clear it."
        detail = (
            f"Bone stress is no longer suspected{because}. Nothing has resumed: decide on impact and "
            "running through the ladder."
        )
        kind = AlertKind.BONE_STRESS_CLEARED
    locked.save(update_fields=fields)
    revision_add(
        programme=locked,
        action=RevisionAction.BONE_STRESS,
        by=by,
        summary=summary,
        changes=[
            {
                "label": "Bone stress suspected",
                "old": "no" if suspected else "yes",
                "new": "yes" if suspected else "no",
            }
        ],
    )
    _alert(programme=locked, kind=kind, detail=detail, now=now)
    programme.bone_stress = locked.bone_stress
    programme.bone_stress_since = locked.bone_stress_since
    programme.running_stopped = locked.running_stopped
    return True


def patient_bone_stress_refresh(
    *, patient_id: int, now: datetime | None = None, by: User | None = None, reason: str = ""
) -> list[Programme]:
    """Refresh the patient's active programme (there is at most one); returns those that switched.

    Call it inside the transaction that changed an impression, a red flag
    or an imaging report.
    """
    switched = []
    for programme in Programme.objects.filter(patient_id=patient_id, status=ProgrammeStatus.ACTIVE):
        if programme_bone_stress_refresh(programme=programme, now=now, by=by, reason=reason):
            switched.append(programme)
    return switched


def red_flag_saved(sender: type, instance: RedFlag, **kwargs: object) -> None:
    """Django's post_save of patients.RedFlag (connected in AssessmentsConfig.ready()).

    Every raise and clear saves the flag (patients cannot call up into
    assessments), so a bone-stress flag raised or cleared from any source
    refreshes the patient's active programme in the same transaction.
    """
    # Fixture loading (raw) writes rows as they are; only real raises and clears refresh.
    if kwargs.get("raw") or instance.flag_code != RedFlagCode.BONE_STRESS:
        return
    cleared = instance.cleared_at is not None
    patient_bone_stress_refresh(
        patient_id=instance.patient_id,
        now=instance.cleared_at if cleared else instance.detected_at,
        by=instance.cleared_by if cleared else None,
        reason="bone-stress red flag cleared" if cleared else "bone-stress red flag raised",
    )
