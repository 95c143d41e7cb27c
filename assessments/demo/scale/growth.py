"""The demo clinic grown into a clinic group (`manage.py seed_scale`), for load measurements.

Scale patient i (0, 1, 2, …) is fixed by its index: its name and contact
(people.person), its therapist (i mod the number of scale therapists), and
its place in that therapist's diary. Each therapist's diary is a grid of
one-hour slots, Monday to Friday 08:00–18:00, in blocks of four weeks: block
0 runs from last week to two weeks ahead, each later block four weeks
further back (90 blocks, about seven years). Each patient owns one slot of
one block (`_cell`) and comes back at that slot each week of it, two to
four times, so no two visits of a therapist, and no two of a patient, can
overlap, and a larger N only fills cells still empty.

Clinical records are copies of the demo's own signed assessments and
programmes (every findings row, phase, prescription, check-in and run),
moved to the copy's patient, therapist and dates; copies are made in SQL,
through the tables' triggers. Work goes in batches of patients, one
transaction each: an interrupted run resumes at the next batch, and a
run with the same N adds nothing.
"""

import json
import random
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from assessments.demo.scale import bulk
from assessments.demo.scale.people import (
    DAY_STARTS,
    DOMAIN,
    SLOTS_PER_DAY,
    SLOTS_PER_WEEK,
    Staff,
    ensure_staff,
    person,
)
from assessments.models import (
    Assessment,
    AssessmentFactor,
    CheckIn,
    DoubleLegSquat,
    ImagingOrder,
    Impression,
    LadderStep,
    MuscleLength,
    Observation,
    Palpation,
    PrescribedExercise,
    Programme,
    ProgrammeAlert,
    ProgrammeOutcome,
    ProgrammePhase,
    ProgrammeRevision,
    RangeOfMotion,
    ReadinessCheck,
    RunLog,
    SingleLegSquat,
    SingleLegStance,
    SpecialTest,
    StrengthTest,
    Subjective,
)
from assessments.programmes.choices import ProgrammeStatus
from assessments.record.choices import AssessmentKind, AssessmentStatus
from clinic.audit.models import AccessActor, AccessEvent
from clinic.messaging.choices import MessageStatus
from clinic.messaging.models import ScheduledMessage
from patients.booking.choices import AppointmentStatus, CancelledBy, VisitKind
from patients.demo.appointments import load_types
from patients.messages import PatientMessageKind
from patients.models import Appointment, Patient

BATCH = 2000
WEEKS_PER_BLOCK = 4
# The diary's depth: 90 blocks of four weeks (about seven years). A therapist's
# patients go round the blocks first, so even a small group spreads over the years.
BLOCKS = 90
# The findings and notes of an assessment, copied with it (addenda are not: each is one clinician's words).
ASSESSMENT_PARTS = (
    Subjective,
    Impression,
    AssessmentFactor,
    Observation,
    DoubleLegSquat,
    SingleLegStance,
    SingleLegSquat,
    SpecialTest,
    Palpation,
    StrengthTest,
    RangeOfMotion,
    MuscleLength,
)
# A programme's parts; its links and visit notes are not copied (tokens, and notes tied to one visit).
PROGRAMME_PARTS = (ReadinessCheck, LadderStep, ProgrammeOutcome, ProgrammeRevision)
VIEWS = (
    ("patients:detail", "patients.patient"),
    ("patients:detail", "patients.patient"),
    ("assessments:detail", "assessments.assessment"),
    ("assessments:edit", "assessments.assessment"),
    ("assessments:progress", "patients.patient"),
    ("patients:appointment", "patients.appointment"),
)


class ScaleNotReadyError(Exception):
    """The database cannot take scale data (not PostgreSQL, or no demo clinic loaded)."""


@dataclass
class Made:
    patients: int = 0
    appointments: int = 0
    assessments: int = 0
    programmes: int = 0
    messages: int = 0
    access_events: int = 0
    seconds: float = 0.0
    extra: dict[str, int] = field(default_factory=dict)

    def add(self, other: "Made") -> None:
        for name in ("patients", "appointments", "assessments", "programmes", "messages", "access_events"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass(frozen=True)
class Templates:
    initial: list[Assessment]
    reassessment: list[Assessment]
    active: list[Programme]
    discharged: list[Programme]
    # When the demo was loaded: active programmes keep their place relative to it.
    loaded_on: date


def _templates() -> Templates:
    demo = Assessment.objects.exclude(patient__email__endswith=f"@{DOMAIN}").filter(
        status=AssessmentStatus.SIGNED, appointment__isnull=False
    )
    initial = list(demo.filter(kind=AssessmentKind.INITIAL).select_related("appointment").order_by("pk"))
    if not initial:
        raise ScaleNotReadyError("No signed demo assessments to copy: run manage.py demo_load first.")
    reassessment = (
        list(demo.filter(kind=AssessmentKind.REASSESSMENT).select_related("appointment").order_by("pk"))
        or initial
    )
    programmes = Programme.objects.exclude(patient__email__endswith=f"@{DOMAIN}").order_by("pk")
    active = list(programmes.filter(status=ProgrammeStatus.ACTIVE, bone_stress=False))
    discharged = list(programmes.filter(status=ProgrammeStatus.DISCHARGED))
    first = programmes.first()
    loaded_on = timezone.localdate(first.created_at) if first else timezone.localdate()
    return Templates(initial, reassessment, active, discharged, loaded_on)


def _anchor(staff: Staff) -> date:
    """The Monday of the grid's block 0, week 0: fixed by the first scale run."""
    first = (
        Appointment.objects.filter(patient__email__endswith=f".0@{DOMAIN}", therapist=staff.therapists[0])
        .order_by("starts_at")
        .first()
    )
    zone = ZoneInfo(settings.CLINIC_TIME_ZONE)
    if first is not None:
        # Patient 0 has block 0, slot 0: its first visit is Monday 08:00 of week 0.
        day = first.starts_at.astimezone(zone).date()
        return day - timedelta(days=day.weekday())
    today = timezone.now().astimezone(zone).date()
    # Week 0 is last week: block 0 runs from last week to two weeks ahead.
    return today - timedelta(days=today.weekday(), weeks=1)


def grow(*, patients: int, out: Callable[[str], None] = print) -> Made:
    """Add scale patients until there are `patients` of them; returns what was made."""
    if connection.vendor != "postgresql":
        raise ScaleNotReadyError(
            "seed_scale needs PostgreSQL (COPY, the exclusion constraints and the triggers)."
        )
    started = time.monotonic()
    if not Patient.all_objects.exclude(email__endswith=f"@{DOMAIN}").exists():
        raise ScaleNotReadyError("Load the demo clinic first: manage.py demo_load")
    with transaction.atomic():
        staff = ensure_staff()
        types = load_types()
    templates = _templates()
    anchor = _anchor(staff)
    have = Patient.all_objects.filter(email__endswith=f"@{DOMAIN}").count()
    total = Made()
    now = timezone.now()
    for start in range(have, patients, BATCH):
        stop = min(patients, start + BATCH)
        with transaction.atomic():
            _history_context(start, stop)
            made = _batch(
                range(start, stop), staff=staff, types=types, templates=templates, anchor=anchor, now=now
            )
        total.add(made)
        out(
            f"  patients {stop:>7}/{patients}: +{made.appointments} appointments, +{made.assessments} assessments, "
            f"+{made.programmes} programmes, +{made.messages} messages, +{made.access_events} access events "
            f"({time.monotonic() - started:.0f} s)"
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    total.seconds = time.monotonic() - started
    return total


def _cell(local: int) -> tuple[int, int]:
    """(block, slot of the week) of a therapist's `local`-th patient: unique for every `local`.

    Patients 0, 1, 2, … take slot 0 of blocks 0, 1, 2, …; after BLOCKS of them
    slot 1, and so on; past a full diary (BLOCKS × a week's slots) the next
    round lies BLOCKS further back.
    """
    lap, rest = divmod(local, BLOCKS * SLOTS_PER_WEEK)
    slot, block = divmod(rest, BLOCKS)
    return block + BLOCKS * lap, slot


def _history_context(start: int, stop: int) -> None:
    """Name the batch in the change history, and say that no trigger is to be skipped.

    The history triggers read both settings and, when one is unset, catch the
    error in a sub-transaction for every row: set, they cost a fraction.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT set_config('pghistory.context_id', %s, true), "
            "set_config('pghistory.context_metadata', %s, true), set_config('pgtrigger.ignore', '{}', true)",
            [
                str(uuid.uuid4()),
                json.dumps({"command": "seed_scale", "patients": f"{start}-{stop - 1}"}),
            ],
        )


@dataclass
class Visit:
    id: int
    patient_id: int
    therapist_index: int
    starts_at: datetime
    ends_at: datetime
    status: str
    kind: str


def _batch(
    indexes: range, *, staff: Staff, types: dict, templates: Templates, anchor: date, now: datetime
) -> Made:
    zone = ZoneInfo(settings.CLINIC_TIME_ZONE)
    people = [person(i) for i in indexes]
    patient_ids = bulk.allocate_ids(Patient, len(people))
    made = Made()
    count = len(staff.therapists)
    patient_rows, visits = [], []
    evaluation = types["Initial evaluation"]
    follow_ups = (types["Follow-up"], types["Follow-up (extended)"])
    reassessment_type = types["Re-assessment"]
    for index, pid, who in zip(indexes, patient_ids, people, strict=True):
        rng = random.Random(f"visits-{index}")  # noqa: S311 -- deterministic fake data
        therapist_index, local = index % count, index // count
        block, slot = _cell(local)
        weekday, hour = divmod(slot, SLOTS_PER_DAY)
        n_visits = rng.choice((2, 3, 3, 4))
        reassess_at = n_visits - 1 if n_visits >= 3 and rng.random() < 0.4 else -1
        for number in range(n_visits):
            week = anchor - timedelta(weeks=WEEKS_PER_BLOCK * block) + timedelta(weeks=number)
            starts = datetime.combine(week + timedelta(days=weekday), clock(DAY_STARTS + hour), tzinfo=zone)
            kind_type = (
                evaluation
                if number == 0
                else reassessment_type
                if number == reassess_at
                else rng.choice(follow_ups)
            )
            ends = starts + timedelta(minutes=kind_type.duration_minutes)
            if starts < now:
                roll = rng.random()
                status = (
                    AppointmentStatus.COMPLETED
                    if number == 0 or roll < 0.85
                    else AppointmentStatus.NO_SHOW
                    if roll < 0.9
                    else AppointmentStatus.CANCELLED
                )
            else:
                status = AppointmentStatus.CANCELLED if rng.random() < 0.05 else AppointmentStatus.BOOKED
            visits.append(
                (
                    Visit(0, pid, therapist_index, starts, ends, status, kind_type.kind),
                    kind_type,
                    rng.random() < 0.5,
                )
            )
        first_visit = visits[-n_visits][0].starts_at
        patient_rows.append(
            {
                "id": pid,
                "first_name": who.first_name,
                "last_name": who.last_name,
                "date_of_birth": who.date_of_birth,
                "sex": who.sex,
                "email": who.email,
                "phone": who.phone,
                "address_line1": f"{index % 200 + 1} High Street",
                "town": who.town,
                "postcode": who.postcode,
                "referral_source": rng.choice(("self", "self", "gp", "coach", "friend", "online")),
                "created_at": min(now, first_visit - timedelta(days=10)),
                "updated_at": min(now, first_visit - timedelta(days=10)),
            }
        )
    made.patients = bulk.copy_rows(Patient, patient_rows, now=now)
    visit_ids = bulk.allocate_ids(Appointment, len(visits))
    appointment_rows = []
    for (visit, kind_type, by_patient), vid in zip(visits, visit_ids, strict=True):
        visit.id = vid
        therapist = staff.therapists[visit.therapist_index]
        booked = min(now, visit.starts_at - timedelta(days=14))
        cancelled = visit.status == AppointmentStatus.CANCELLED
        appointment_rows.append(
            {
                "id": vid,
                "patient_id": visit.patient_id,
                "therapist_id": therapist.pk,
                "location_id": staff.locations[visit.therapist_index % len(staff.locations)].pk,
                "appointment_type_id": kind_type.pk,
                "starts_at": visit.starts_at,
                "ends_at": visit.ends_at,
                "status": visit.status,
                "cancelled_by": (CancelledBy.PATIENT if by_patient else CancelledBy.CLINIC)
                if cancelled
                else "",
                "cancel_reason": ("Unwell" if by_patient else "Therapist unavailable") if cancelled else "",
                "created_by_id": staff.desk.pk,
                "created_at": booked,
                "updated_at": min(now, visit.ends_at) if visit.starts_at < now else booked,
            }
        )
    made.appointments = bulk.copy_rows(Appointment, appointment_rows, now=now)
    by_patient: dict[int, list[Visit]] = {}
    for visit, _, _ in visits:
        by_patient.setdefault(visit.patient_id, []).append(visit)
    made.assessments, initials = _assessments(by_patient, staff=staff, templates=templates, now=now)
    made.programmes = _programmes(initials, staff=staff, templates=templates, now=now, zone=zone)
    made.messages = _messages(people, patient_ids, by_patient, now=now)
    made.access_events = _access_events(patient_ids, by_patient, staff=staff, now=now)
    return made


def _assessments(
    by_patient: dict[int, list[Visit]], *, staff: Staff, templates: Templates, now: datetime
) -> tuple[int, dict[int, tuple[int, Assessment, Visit]]]:
    """An initial assessment at every attended first visit, a re-assessment at most re-assessment visits.

    Returns the count and, per patient, the signed initial assessment's new id,
    its template and its visit (programmes start from it).
    """
    rows, signs, initials = [], [], {}
    for patient_id, visits in by_patient.items():
        rng = random.Random(f"assessments-{patient_id}")  # noqa: S311 -- deterministic fake data
        for visit in visits:
            if visit.status != AppointmentStatus.COMPLETED:
                continue
            if visit.kind == VisitKind.INITIAL_EVALUATION:
                template, kind = rng.choice(templates.initial), AssessmentKind.INITIAL
            elif visit.kind == VisitKind.REASSESSMENT:
                template, kind = rng.choice(templates.reassessment), AssessmentKind.REASSESSMENT
            else:
                continue
            recent = visit.starts_at > now - timedelta(weeks=8)
            # A few recent ones still open as drafts (the therapist's to-do).
            signed = not (recent and rng.random() < 0.1)
            rows.append((template, visit, kind, recent, signed))
    ids = bulk.allocate_ids(Assessment, len(rows))
    therapist_users = [t.user_id for t in staff.therapists]
    map_rows = []
    for new_id, (template, visit, kind, recent, signed) in zip(ids, rows, strict=True):
        shift = visit.starts_at - template.appointment.starts_at
        map_rows.append(
            (
                template.pk,
                new_id,
                None,
                visit.patient_id,
                therapist_users[visit.therapist_index],
                shift,
                (visit.starts_at.date() - template.appointment.starts_at.date()).days,
                visit.id,
                kind,
                recent,
                signed,
            )
        )
        if signed:
            signs.append(new_id)
        if kind == AssessmentKind.INITIAL and signed:
            initials[visit.patient_id] = (new_id, template, visit)
    extra = (("appointment_id", "bigint"), ("kind", "text"), ("recent", "boolean"), ("signed", "boolean"))
    bulk.create_map("_map_assessment", (*bulk.MAP_COLUMNS, *extra), map_rows)
    # Written as drafts (the findings of a signed assessment are locked), then signed.
    bulk.clone(
        Assessment,
        source_map="_map_assessment",
        overrides={
            "appointment_id": "m.appointment_id",
            "kind": "m.kind",
            "status": f"'{AssessmentStatus.DRAFT}'",
            "signed_by_id": "NULL",
            "signed_at": "NULL",
        },
    )
    for part in ASSESSMENT_PARTS:
        bulk.clone(part, source_map="_map_assessment", fk="assessment_id")
    # Imaging only for recent visits: older orders would all still be waiting.
    bulk.clone(ImagingOrder, source_map="_map_assessment", fk="assessment_id", where="p.recent")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE assessments_assessment a SET status = %s, signed_by_id = a.therapist_id, "
            "signed_at = t.signed_at + m.shift FROM _map_assessment m JOIN assessments_assessment t "
            "ON t.id = m.old_id WHERE a.id = m.new_id AND m.signed",
            [AssessmentStatus.SIGNED],
        )
    return len(rows), initials


def _programmes(
    initials: dict[int, tuple[int, Assessment, Visit]],
    *,
    staff: Staff,
    templates: Templates,
    now: datetime,
    zone: ZoneInfo,
) -> int:
    """Programmes for 42 % of the patients with a signed initial assessment (about 0.4 per patient).

    Long-finished courses copy a discharged demo programme, started the Monday
    after the assessment; courses that would still run copy an active one,
    kept where it stands relative to today (when it starts after the
    assessment).
    """
    today = now.astimezone(zone).date()
    rows = []
    for patient_id, (assessment_id, _, visit) in initials.items():
        rng = random.Random(f"programme-{patient_id}")  # noqa: S311 -- deterministic fake data
        if rng.random() >= 0.42:
            continue
        assessed = visit.starts_at.astimezone(zone).date()
        start = assessed + timedelta(days=7 - assessed.weekday())
        template = rng.choice(templates.discharged) if templates.discharged else None
        if template is not None and template.discharged_at is not None:
            length = (timezone.localdate(template.discharged_at) - template.start_date).days
            if start + timedelta(days=length + 1) < today:
                rows.append((template, patient_id, assessment_id, visit, (start - template.start_date).days))
                continue
        if templates.active:
            template = rng.choice(templates.active)
            shift_days = (today - templates.loaded_on).days
            if template.start_date + timedelta(days=shift_days) > assessed:
                rows.append((template, patient_id, assessment_id, visit, shift_days))
    ids = bulk.allocate_ids(Programme, len(rows))
    therapist_users = [t.user_id for t in staff.therapists]
    map_rows = [
        (
            template.pk,
            new_id,
            None,
            patient_id,
            therapist_users[visit.therapist_index],
            timedelta(days=shift_days),
            shift_days,
            assessment_id,
        )
        for new_id, (template, patient_id, assessment_id, visit, shift_days) in zip(ids, rows, strict=True)
    ]
    bulk.create_map("_map_programme", (*bulk.MAP_COLUMNS, ("assessment_id", "bigint")), map_rows)
    bulk.clone(Programme, source_map="_map_programme", overrides={"assessment_id": "m.assessment_id"})
    phases = bulk.clone(ProgrammePhase, source_map="_map_programme", fk="programme_id")
    bulk.clone(PrescribedExercise, source_map=phases, fk="phase_id")
    checkins = bulk.clone(CheckIn, source_map="_map_programme", fk="programme_id")
    bulk.clone(RunLog, source_map=checkins, fk="checkin_id")
    bulk.clone(
        ProgrammeAlert,
        source_map="_map_programme",
        fk="programme_id",
        overrides={
            "checkin_id": f"(SELECT c.new_id FROM {checkins} c WHERE c.old_id = t.checkin_id "  # noqa: S608 -- a map table name, no input  # nosec B608
            "AND c.parent_new_id = m.parent_new_id)"
        },
    )
    for part in PROGRAMME_PARTS:
        bulk.clone(part, source_map="_map_programme", fk="programme_id")
    return len(rows)


def _messages(
    people: list, patient_ids: list[int], by_patient: dict[int, list[Visit]], *, now: datetime
) -> int:
    """The outbox as the booking service leaves it: a confirmation and two reminders per visit.

    Past ones were sent (a few failed, a cancelled visit's reminders
    cancelled); future ones wait; about 1 % are due and still pending, so the
    dispatcher has work.
    """
    emails = dict(zip(patient_ids, (p.email for p in people), strict=True))
    rows = []
    hours = settings.APPOINTMENT_REMINDER_HOURS
    for patient_id, visits in by_patient.items():
        rng = random.Random(f"messages-{patient_id}")  # noqa: S311 -- deterministic fake data
        for visit in visits:
            booked = min(now, visit.starts_at - timedelta(days=14))
            planned = [
                (
                    PatientMessageKind.APPOINTMENT_CONFIRMATION,
                    f"appointment:{visit.id}:{PatientMessageKind.APPOINTMENT_CONFIRMATION}:0",
                    booked,
                )
            ] + [
                (
                    PatientMessageKind.APPOINTMENT_REMINDER,
                    f"appointment:{visit.id}:reminder:{h}h:0",
                    visit.starts_at - timedelta(hours=h),
                )
                for h in hours
            ]
            if visit.status == AppointmentStatus.CANCELLED:
                cancelled_at = min(now, visit.starts_at - timedelta(days=2))
                planned.append(
                    (
                        PatientMessageKind.APPOINTMENT_CANCELLED,
                        f"appointment:{visit.id}:{PatientMessageKind.APPOINTMENT_CANCELLED}:1",
                        cancelled_at,
                    )
                )
            for kind, key, due in planned:
                row = {
                    "kind": kind,
                    "to_email": emails[patient_id],
                    "about_label": "patients.appointment",
                    "about_pk": str(visit.id),
                    "patient_id": patient_id,
                    "due_at": due,
                    "expires_at": None
                    if kind == PatientMessageKind.APPOINTMENT_CANCELLED
                    else visit.starts_at,
                    "key": key,
                    "created_at": booked,
                    "updated_at": min(now, due),
                }
                roll = rng.random()
                if roll < 0.01:
                    row.update(
                        status=MessageStatus.PENDING,
                        due_at=now - timedelta(minutes=rng.randint(0, 30)),
                        expires_at=None,
                    )
                elif due > now:
                    row["status"] = MessageStatus.PENDING
                elif (
                    visit.status == AppointmentStatus.CANCELLED
                    and kind == PatientMessageKind.APPOINTMENT_REMINDER
                    and due > visit.starts_at - timedelta(days=2)
                ):
                    row["status"] = MessageStatus.CANCELLED
                elif roll < 0.015:
                    row.update(
                        status=MessageStatus.FAILED,
                        failed_at=due + timedelta(minutes=5),
                        attempts=5,
                        last_error="550 5.1.1 mailbox unavailable",
                    )
                else:
                    row.update(
                        status=MessageStatus.SENT,
                        sent_at=due + timedelta(seconds=20),
                        attempts=1,
                        subject=str(kind.label),
                    )
                rows.append(row)
    return bulk.copy_rows(ScheduledMessage, rows, now=now)


def _access_events(
    patient_ids: list[int], by_patient: dict[int, list[Visit]], *, staff: Staff, now: datetime
) -> int:
    """About ten reads per patient, by their therapist or the front desk, around their visits.

    The chain trigger links and hashes each row as it arrives (clinic.audit.chain).
    """
    rows = []
    for patient_id in patient_ids:
        rng = random.Random(f"access-{patient_id}")  # noqa: S311 -- deterministic fake data
        visits = [v for v in by_patient[patient_id] if v.starts_at < now] or by_patient[patient_id][:1]
        therapist_user = staff.therapists[visits[0].therapist_index].user_id
        for _ in range(rng.randint(8, 12)):
            visit = rng.choice(visits)
            view, label = rng.choice(VIEWS)
            at = min(now, visit.starts_at + timedelta(minutes=rng.randint(-60 * 24, 60)))
            pk = str(visit.id) if label == "patients.appointment" else str(patient_id)
            if label == "assessments.assessment":
                label, pk = "patients.patient", str(patient_id)
            rows.append(
                {
                    "occurred_at": at,
                    "user_id": therapist_user if rng.random() < 0.7 else staff.desk.pk,
                    "patient_id": patient_id,
                    "actor": AccessActor.STAFF,
                    "object_label": label,
                    "object_pk": pk,
                    "view_name": view,
                    "ip": f"10.20.{rng.randint(0, 4)}.{rng.randint(2, 250)}",
                    "request_id": uuid.UUID(int=rng.getrandbits(128), version=4),
                }
            )
    ids = bulk.allocate_ids(AccessEvent, len(rows))
    for row, new_id in zip(rows, ids, strict=True):
        row["id"] = new_id
    return bulk.copy_rows(AccessEvent, rows, now=now)
