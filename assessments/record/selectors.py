"""Read queries and derived reads of the clinical record.

Pages load an assessment with `assessment_for_page` (a fixed number of
queries, whatever the number of findings). Limb symmetry and the single-leg
stance norm are computed on read from the stored rows with measures.py.

For the programme: `latest_signed_assessment(patient)`, then
`assessment.index_side`, `primary_impression(assessment)` and
`strength_lsi(assessment)` / `latest_lsis(patient)`.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import models
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Cast, JSONObject
from django.utils import timezone

from assessments.imaging.choices import (
    OUTSTANDING_IMAGING,
    REPORTED_IMAGING,
    RULE_OUT_MODALITIES,
    STRESS_FINDINGS,
    ReportFinding,
)
from assessments.models import (
    Addendum,
    Assessment,
    ImagingOrder,
    Impression,
    Programme,
    SpecialTest,
    StrengthTest,
)
from assessments.record import measures
from assessments.record.bone_stress import bone_stress_suspected
from assessments.record.choices import (
    HOP_JUMP_CODES,
    AssessmentStatus,
    Eyes,
    MuscleGroup,
    Side,
    SpecialTestCode,
)
from assessments.record.services.findings import FINDING_KINDS, existing_rows
from clinic.staff.choices import Role
from clinic.staff.models import User
from patients.intake.choices import RedFlagCode
from patients.models import Patient, RedFlag

STALE_DRAFT_AFTER = timedelta(hours=24)

_LIST_RELATIONS = (
    "single_leg_stances",
    "single_leg_squats",
    "strength_tests",
    "ranges_of_motion",
    "muscle_lengths",
    "special_tests",
    "palpations",
    "factors",
)


def _with_record(queryset: QuerySet[Assessment]) -> QuerySet[Assessment]:
    """Everything an assessment page shows, in one query per related table."""
    return (
        with_bone_stress_flag(queryset)
        .select_related(
            "patient",
            "therapist",
            "signed_by",
            "appointment__appointment_type",
            "subjective",
            "observation",
            "double_leg_squat",
        )
        .prefetch_related(
            *_LIST_RELATIONS,
            Prefetch("impressions", queryset=Impression.objects.order_by("-is_primary", "pk")),
            Prefetch(
                "imaging_orders", queryset=ImagingOrder.objects.select_related("ordered_by", "reviewed_by")
            ),
            Prefetch("addenda", queryset=Addendum.objects.select_related("author")),
        )
    )


def assessment_for_page(pk: int) -> Assessment:
    """The assessment with its whole record loaded (raises Assessment.DoesNotExist)."""
    return _with_record(Assessment.objects.all()).get(pk=pk)


# What presenters.comparison reads of the earlier assessment besides its own row and observation:
# these finding rows, and its primary impression.
_COMPARED = (
    "single_leg_stances",
    "single_leg_squats",
    "strength_tests",
    "ranges_of_motion",
    "muscle_lengths",
    "special_tests",
    "impressions",
)


def _compared_fields(model: type[models.Model]) -> list[models.Field]:
    # No dates or times: the comparison shows none, and JSON would hand them back as text.
    return [f for f in model._meta.concrete_fields if not isinstance(f, models.DateField | models.JSONField)]


def _to_json(field: models.Field) -> object:
    # A decimal as text keeps its digits (a JSON number would come back as a float).
    return (
        Cast(field.attname, models.CharField())
        if isinstance(field, models.DecimalField)
        else F(field.attname)
    )


def _from_json(field: models.Field, value: object) -> object:
    if value is None or not isinstance(field, models.DecimalField):
        # to_python turns SQLite's 0/1 back into booleans.
        return field.to_python(value)
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-(field.decimal_places or 0)))


def _load_compared(assessment: Assessment) -> None:
    """Fill the prefetch cache of the compared relations of `assessment` from one query.

    One UNION ALL of each table's rows as a JSON object (PostgreSQL and
    SQLite alike), made back into (partly deferred) model instances, so
    existing_rows and the presenters read them as prefetched rows.
    """
    parts = []
    for name in _COMPARED:
        model = Assessment._meta.get_field(name).related_model
        rows = model._default_manager.filter(assessment_id=assessment.pk)
        if name == "impressions":
            rows = rows.filter(is_primary=True)
        data = JSONObject(**{f.attname: _to_json(f) for f in _compared_fields(model)})
        parts.append(rows.order_by().values(kind=Value(name), row=data))
    loaded: dict[str, list[models.Model]] = {name: [] for name in _COMPARED}
    for item in parts[0].union(*parts[1:], all=True):
        model = Assessment._meta.get_field(item["kind"]).related_model
        fields = _compared_fields(model)
        values = [_from_json(f, item["row"][f.attname]) for f in fields]
        loaded[item["kind"]].append(model.from_db(assessment._state.db, [f.attname for f in fields], values))
    cache = assessment.__dict__.setdefault("_prefetched_objects_cache", {})
    for name, instances in loaded.items():
        instances.sort(key=lambda row: row.pk)
        for row in instances:
            Assessment._meta.get_field(name).field.set_cached_value(row, assessment)
        queryset = getattr(assessment, name).get_queryset()
        queryset._result_cache = instances
        queryset._prefetch_done = True
        cache[name] = queryset


def previous_signed(assessment: Assessment) -> Assessment | None:
    """The patient's latest signed assessment before this one, with what the comparison reads.

    Two queries: the assessment with its observation, and its compared rows
    (_load_compared; of its impressions only the primary one); the rest of
    its record is not loaded.
    """
    previous = (
        Assessment.objects.filter(
            patient_id=assessment.patient_id,
            status=AssessmentStatus.SIGNED,
            created_at__lt=assessment.created_at,
        )
        .exclude(pk=assessment.pk)
        .select_related("observation")
        .order_by("-signed_at", "-pk")
        .first()
    )
    if previous is not None:
        _load_compared(previous)
    return previous


def latest_signed_assessment(patient: Patient) -> Assessment | None:
    """The patient's most recently signed assessment (what a programme starts from)."""
    signed = Assessment.objects.filter(patient=patient, status=AssessmentStatus.SIGNED)
    return _with_record(signed).order_by("-signed_at", "-pk").first()


def primary_impression(assessment: Assessment) -> Impression | None:
    return next((i for i in assessment.impressions.all() if i.is_primary), None)


# --- Suspected bone stress (assessments.record.bone_stress) ---------------------------------------


def open_bone_stress_flags(patient_id: object) -> QuerySet[RedFlag]:
    """The patient's open (not cleared) bone-stress red flags, from any source."""
    return RedFlag.objects.filter(
        patient_id=patient_id, flag_code=RedFlagCode.BONE_STRESS, cleared_at__isnull=True
    )


def standing_stress_reports(patient_id: object) -> QuerySet[ImagingOrder]:
    """The patient's imaging reports of a stress reaction or fracture that still stand.

    A report stands until a later-dated report (reported or reviewed) of the
    same region, on the same side or both sides, by MRI or bone scan finds
    no bone stress (normal or another finding). An X-ray never rules it out,
    nor does a report whose finding was not coded.
    """
    ruled_out = ImagingOrder.objects.filter(
        Q(side=OuterRef("side")) | Q(side=Side.BILATERAL),
        patient_id=OuterRef("patient_id"),
        region=OuterRef("region"),
        status__in=REPORTED_IMAGING,
        modality__in=RULE_OUT_MODALITIES,
        report_finding__in=(ReportFinding.NORMAL, ReportFinding.OTHER),
        reported_on__gt=OuterRef("reported_on"),
    )
    return ImagingOrder.objects.filter(
        ~Exists(ruled_out),
        patient_id=patient_id,
        status__in=REPORTED_IMAGING,
        report_finding__in=STRESS_FINDINGS,
    )


def with_bone_stress_flag(queryset: QuerySet) -> QuerySet:
    """Assessments or programmes annotated with `open_bone_stress_flag` and `imaging_bone_stress`.

    With both, has_bone_stress(assessment=...) needs no query of its own.
    """
    return queryset.annotate(
        open_bone_stress_flag=Exists(open_bone_stress_flags(OuterRef("patient_id"))),
        imaging_bone_stress=Exists(standing_stress_reports(OuterRef("patient_id"))),
    )


def _open_flag(obj: Assessment | Programme) -> bool:
    flag = getattr(obj, "open_bone_stress_flag", None)
    return open_bone_stress_flags(obj.patient_id).exists() if flag is None else flag


def _imaging(obj: Assessment | Programme) -> bool:
    reported = getattr(obj, "imaging_bone_stress", None)
    return standing_stress_reports(obj.patient_id).exists() if reported is None else reported


def bone_stress_now(programme: Programme) -> bool:
    """The rule over the patient's record now, whatever the programme last stored.

    The impressions are those of the patient's latest signed assessment (the
    working diagnosis; at the start, the one the programme started from),
    with an open bone-stress red flag and a standing stress report.
    """
    latest = (
        Assessment.objects.filter(patient_id=programme.patient_id, status=AssessmentStatus.SIGNED)
        .order_by("-signed_at", "-pk")
        .values("pk")[:1]
    )
    codes = Impression.objects.filter(assessment_id=Subquery(latest)).values_list("code", flat=True)
    return bone_stress_suspected(
        impression_codes=list(codes),
        open_bone_stress_flag=_open_flag(programme),
        imaging_stress_reported=_imaging(programme),
    )


def has_bone_stress(*, assessment: Assessment | None = None, programme: Programme | None = None) -> bool:
    """Is bone stress suspected? Give exactly one of `assessment` or `programme`.

    For an assessment: any of its impressions, primary or not, is a bone
    stress code, or its patient has an open bone-stress red flag or a
    standing imaging report of a stress reaction or fracture (the rule of
    assessments.record.bone_stress). The page loaders' prefetched
    impressions and `open_bone_stress_flag` / `imaging_bone_stress`
    annotations are used when present.

    For a programme (its bone-stress mode: no impact, pain-free runs only,
    two rest days between runs): the state stored by
    programme_bone_stress_refresh (`programme.bone_stress`), or the rule
    over the record now (bone_stress_now), so a change the refresh has not
    seen yet can switch bone stress on, never off.
    """
    if (assessment is None) == (programme is None):
        raise TypeError("has_bone_stress takes exactly one of assessment or programme")
    if assessment is not None:
        return bone_stress_suspected(
            impression_codes=[i.code for i in assessment.impressions.all()],
            open_bone_stress_flag=_open_flag(assessment),
            imaging_stress_reported=_imaging(assessment),
        )
    return programme.bone_stress or bone_stress_now(programme)


# --- Limb symmetry (§4.5, §4.7) -------------------------------------------------------


@dataclass(frozen=True)
class Lsi:
    """Involved vs uninvolved side for one muscle group (or the hop for distance)."""

    key: str
    label: str
    involved: object | None
    uninvolved: object | None
    percent: Decimal | None  # rounded to 1 dp, for display
    note: str = ""
    exact: Decimal | None = None  # unrounded: the pass mark is applied to this

    @property
    def flagged(self) -> bool:
        return self.exact is not None and measures.lsi_flagged(self.exact)


def _sides(assessment: Assessment) -> tuple[str, str] | None:
    if assessment.index_side in (Side.LEFT, Side.RIGHT):
        other = Side.RIGHT if assessment.index_side == Side.LEFT else Side.LEFT
        return assessment.index_side, other
    return None


def _no_lsi_note(assessment: Assessment) -> str:
    if assessment.index_side == Side.BILATERAL:
        return "Both sides painful: no symmetry index."
    return "Set the painful side to compare."


def _strength_lsi(
    group: str, label: str, involved: StrengthTest | None, uninvolved: StrengthTest | None
) -> Lsi:
    measured = [
        r for r in (involved, uninvolved) if r is not None and r.performed and r.peak_force_n is not None
    ]
    if len(measured) < 2:
        return Lsi(group, label, involved, uninvolved, None, "Needs a dynamometer force on both sides.")
    if involved.position != uninvolved.position:
        return Lsi(group, label, involved, uninvolved, None, "Tested in different positions: not comparable.")
    if involved.lever_arm_m is not None and uninvolved.lever_arm_m is not None:
        sides = (
            involved.peak_force_n * involved.lever_arm_m,
            uninvolved.peak_force_n * uninvolved.lever_arm_m,
        )
    else:
        sides = (involved.peak_force_n, uninvolved.peak_force_n)
    return _lsi(group, label, involved, uninvolved, *sides)


def _lsi(key: str, label: str, involved: object, uninvolved: object, inv: Decimal, uninv: Decimal) -> Lsi:
    """The LSI of two values: rounded for display, unrounded for the pass mark."""
    try:
        exact = measures.limb_symmetry_index_exact(inv, uninv)
        percent = measures.limb_symmetry_index(inv, uninv)
    except ValueError as exc:
        return Lsi(key, label, involved, uninvolved, None, str(exc))
    return Lsi(key, label, involved, uninvolved, percent, exact=exact)


def strength_lsi(assessment: Assessment) -> list[Lsi]:
    """LSI per muscle group recorded on either side, involved = the index side (< 90 % flagged)."""
    rows = existing_rows(assessment, FINDING_KINDS["strength"])
    sides = _sides(assessment)
    result = []
    for group in MuscleGroup:
        if (group.value, Side.LEFT) not in rows and (group.value, Side.RIGHT) not in rows:
            continue
        if sides is None:
            left, right = rows.get((group.value, Side.LEFT)), rows.get((group.value, Side.RIGHT))
            result.append(Lsi(group.value, group.label, left, right, None, _no_lsi_note(assessment)))
            continue
        involved, uninvolved = rows.get((group.value, sides[0])), rows.get((group.value, sides[1]))
        result.append(_strength_lsi(group.value, group.label, involved, uninvolved))
    return result


def hop_lsi(assessment: Assessment) -> Lsi | None:
    """LSI of the hop for distance (best cm), when hopped on either side."""
    rows = existing_rows(assessment, FINDING_KINDS["special"])
    code = SpecialTestCode.HOP_DISTANCE
    left, right = rows.get((code, Side.LEFT)), rows.get((code, Side.RIGHT))
    if left is None and right is None:
        return None
    sides = _sides(assessment)
    if sides is None:
        return Lsi(code, code.label, left, right, None, _no_lsi_note(assessment))
    involved, uninvolved = rows.get((code, sides[0])), rows.get((code, sides[1]))
    if (
        involved is None
        or uninvolved is None
        or involved.distance_cm is None
        or uninvolved.distance_cm is None
    ):
        return Lsi(code, code.label, involved, uninvolved, None, "Needs a distance on both sides.")
    # distance_cm is the best trial (measures.hop_best_distance).
    return _lsi(code, code.label, involved, uninvolved, involved.distance_cm, uninvolved.distance_cm)


def latest_lsis(patient: Patient) -> dict[str, Decimal]:
    """Strength LSI per muscle group (and "hop_distance") from the latest signed assessment."""
    assessment = latest_signed_assessment(patient)
    if assessment is None:
        return {}
    lsis = [*strength_lsi(assessment), hop_lsi(assessment)]
    return {lsi.key: lsi.percent for lsi in lsis if lsi is not None and lsi.percent is not None}


# --- Single-leg stance against the age norm (§4.2) -------------------------------------


@dataclass(frozen=True)
class SlsNorm:
    age: int
    norm_s: Decimal | None
    below: dict[str, bool]  # side → best time under the norm (eyes-open rows only)
    # Sides whose hold reached a time cap shorter than the norm: "capped, not comparable".
    not_comparable: tuple[str, ...] = ()


def sls_norm(assessment: Assessment) -> SlsNorm:
    """Each side's best eyes-open stance time against the Springer norm for the patient's age."""
    day = timezone.localtime(assessment.created_at).date() if assessment.created_at else timezone.localdate()
    age = assessment.patient.age_on(day)
    try:
        norm = measures.sls_norm_seconds(age)
    except ValueError:
        return SlsNorm(age, None, {})
    status = {
        side: measures.sls_norm_status(row.best_time_s, age, row.max_s)
        for (side,), row in existing_rows(assessment, FINDING_KINDS["single_leg_stance"]).items()
        if row.performed and row.best_time_s is not None and row.eyes == Eyes.OPEN
    }
    below = {side: value == measures.SLS_BELOW for side, value in status.items()}
    capped = tuple(side for side, value in status.items() if value == measures.SLS_NOT_COMPARABLE)
    return SlsNorm(age, norm, below, capped)


# --- Lists: the therapist's to-do, the imaging list, the patient hub ---------------------


def stale_drafts(*, therapist: User, now: datetime | None = None) -> QuerySet[Assessment]:
    """The therapist's drafts not changed for 24 hours, oldest first."""
    cutoff = (now or timezone.now()) - STALE_DRAFT_AFTER
    return (
        Assessment.objects.filter(therapist=therapist, status=AssessmentStatus.DRAFT, updated_at__lt=cutoff)
        .select_related("patient")
        .order_by("updated_at", "pk")
    )


def open_drafts(*, therapist: User) -> QuerySet[Assessment]:
    return (
        Assessment.objects.filter(therapist=therapist, status=AssessmentStatus.DRAFT)
        .select_related("patient")
        .order_by("-updated_at", "-pk")
    )


def outstanding_orders(*, ordered_by: User | None = None) -> QuerySet[ImagingOrder]:
    """Orders waiting for a scan, a report or a review, oldest first (one therapist's, or all)."""
    orders = ImagingOrder.objects.filter(status__in=OUTSTANDING_IMAGING).select_related(
        "patient", "ordered_by"
    )
    if ordered_by is not None:
        orders = orders.filter(ordered_by=ordered_by)
    return orders.order_by("ordered_at", "pk")


def sees_all_drafts(user: object) -> bool:
    """Clinic admins (and superusers) read every draft; everyone else only their own."""
    return bool(getattr(user, "is_superuser", False) or Role.CLINIC_ADMIN in getattr(user, "roles", ()))


def draft_visible_to(assessment: Assessment, user: object) -> bool:
    """A signed assessment is the record; a draft is its author's work in progress.

    Only the author and clinic admins read a draft, so a half-written
    impression is never taken for the record by a colleague.
    """
    return (
        assessment.is_signed or assessment.therapist_id == getattr(user, "pk", None) or sees_all_drafts(user)
    )


def patient_assessments(patient: Patient, *, viewer: object) -> list[Assessment]:
    """The hub's list: the patient's assessments `viewer` may read (drafts: their own), newest first, in one query."""
    primary = Prefetch(
        "impressions", queryset=Impression.objects.filter(is_primary=True), to_attr="primary_impressions"
    )
    visible = Assessment.objects.filter(patient=patient)
    if not sees_all_drafts(viewer):
        visible = visible.filter(
            Q(status=AssessmentStatus.SIGNED) | Q(therapist_id=getattr(viewer, "pk", None))
        )
    return list(
        visible.select_related("therapist", "signed_by")
        .prefetch_related(primary)
        .order_by("-created_at", "-pk")
    )


def hop_test_done_with_bone_stress(assessment: Assessment) -> bool:
    """A hop or jump was recorded while bone stress is suspected (domain.md §4.7: do not hop)."""
    hopped = any(
        row.performed and row.test in HOP_JUMP_CODES
        for row in assessment.special_tests.all()
        if isinstance(row, SpecialTest)
    )
    return hopped and has_bone_stress(assessment=assessment)


def outstanding_orders_for_patient(patient: Patient) -> QuerySet[ImagingOrder]:
    return (
        ImagingOrder.objects.filter(patient=patient, status__in=OUTSTANDING_IMAGING)
        .select_related("ordered_by")
        .order_by("ordered_at", "pk")
    )
