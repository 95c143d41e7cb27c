"""The runner's training log as Observations (category `activity`, local codes).

One Observation per logged run (distance as the value; time, session type,
surface, shoes, elevation, cadence and the pain answers as components), per
strength or cross-training session (minutes) and per daily body check-in.
The menstrual cycle day is never sent: it is kept only under its own consent
and stays in the clinic (the patient's JSON export holds it).
"""

from decimal import Decimal

from fhir.resources.R4B.observation import Observation
from fhir.resources.R4B.resource import Resource

from assessments.fhir.base import day, instant, observation
from assessments.fhir.codes import local, quantity
from assessments.models import BodyCheckIn, Run, TrainingSession
from patients.models import Patient

ACTIVITY = ("activity", "Activity")


def _tenths(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"))


def _score(code: str, value: int | None) -> list[dict[str, object]]:
    return [] if value is None else [{"code": local(code), "valueQuantity": quantity(value, "{score}")}]


def run_observation(run: Run) -> Observation:
    components: list[dict[str, object]] = [
        {
            "code": local("activity.run-duration"),
            "valueQuantity": quantity(_tenths(Decimal(run.duration_s) / 60), "min"),
        },
        {"code": local("activity.run-session-type"), "valueString": run.get_session_type_display()},
        {"code": local("activity.run-surface"), "valueString": run.get_surface_display()},
    ]
    if run.shoe_id is not None:
        components.append({"code": local("activity.run-shoes"), "valueString": run.shoe.name})
    if run.elevation_gain_m is not None:
        components.append(
            {
                "code": local("activity.run-elevation-gain"),
                "valueQuantity": quantity(run.elevation_gain_m, "m"),
            }
        )
    if run.avg_cadence_spm is not None:
        components.append(
            {
                "code": local("activity.run-cadence"),
                "valueQuantity": quantity(run.avg_cadence_spm, "/min", "{steps}/min"),
            }
        )
    components += _score("activity.run-pain-during", run.pain_during)
    if run.pain_onset_m is not None:
        components.append(
            {
                "code": local("activity.run-pain-onset-distance"),
                "valueQuantity": quantity(Decimal(run.pain_onset_m) / 1000, "km"),
            }
        )
    if run.pain_onset_s is not None:
        components.append(
            {
                "code": local("activity.run-pain-onset-time"),
                "valueQuantity": quantity(_tenths(Decimal(run.pain_onset_s) / 60), "min"),
            }
        )
    components += _score("activity.run-pain-evening", run.pain_evening)
    components += _score("activity.run-pain-next-morning", run.pain_next_morning)
    return observation(
        obs_id=f"logrun-{run.pk}",
        code=local("activity.run"),
        value={"valueQuantity": quantity(Decimal(run.distance_m) / 1000, "km")},
        patient_id=run.patient_id,
        when=instant(run.started_at) if run.started_at else day(run.day),
        kind=ACTIVITY,
        components=components or None,
    )


def session_observation(session: TrainingSession) -> Observation:
    return observation(
        obs_id=f"logsession-{session.pk}",
        code=local("activity.session"),
        value={"valueQuantity": quantity(session.minutes, "min")},
        patient_id=session.patient_id,
        when=day(session.day),
        kind=ACTIVITY,
        components=[{"code": local("activity.session-kind"), "valueString": session.get_kind_display()}],
    )


def body_observation(checkin: BodyCheckIn) -> Observation:
    components: list[dict[str, object]] = []
    components += _score("activity.hip-feel", checkin.hip_feel)
    if checkin.sleep_hours is not None:
        components.append(
            {"code": local("activity.sleep-hours"), "valueQuantity": quantity(checkin.sleep_hours, "h")}
        )
    components += _score("activity.sleep-quality", checkin.sleep_quality)
    components += _score("activity.stress", checkin.stress)
    components.append({"code": local("activity.illness"), "valueBoolean": bool(checkin.illness)})
    return observation(
        obs_id=f"logbody-{checkin.pk}",
        code=local("activity.body-checkin"),
        value={},
        patient_id=checkin.patient_id,
        when=day(checkin.day),
        kind=ACTIVITY,
        components=components or None,
    )


def training_resources(patient: Patient) -> list[Resource]:
    """Every logged run, session and body check-in of the patient, oldest first (three queries)."""
    runs = Run.objects.filter(patient=patient).select_related("shoe").order_by("day", "pk")
    sessions = TrainingSession.objects.filter(patient=patient).order_by("day", "pk")
    body = BodyCheckIn.objects.filter(patient=patient).order_by("day", "pk")
    return [
        *(run_observation(r) for r in runs),
        *(session_observation(s) for s in sessions),
        *(body_observation(b) for b in body),
    ]
