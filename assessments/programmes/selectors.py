"""Read queries of the programme: weekly totals, status, the dashboard, progress charts, the patient's week.

Every page reads with a fixed number of queries, whatever the number of
weeks, check-ins or runs (prefetches, then Python); the dashboard reads one
page of programmes, ordered and counted in SQL.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext

from assessments.imaging.choices import OUTSTANDING_IMAGING
from assessments.models import (
    Assessment,
    CheckIn,
    Exercise,
    ImagingOrder,
    LadderStep,
    PrescribedExercise,
    Programme,
    ProgrammeAlert,
    ProgrammeOutcome,
    ProgrammePhase,
    ProgrammeRevision,
    ProgrammeVisit,
    ReadinessCheck,
    Run,
    VisitNote,
)
from assessments.models.checkin import RUN_KM_MAX, RUN_MIN_MAX
from assessments.programmes.charts import Chart, Series
from assessments.programmes.choices import (
    CHECKIN_WEEKS_MAX,
    CheckInStatus,
    DashboardStatus,
    OutcomeTimepoint,
    PhaseKind,
    ProgrammeStatus,
)
from assessments.programmes.rules import (
    NO_CHECKIN_ATTENTION_DAYS,
    RUN_LADDER,
    ImpactGate,
    LoggedRun,
    ReadinessItem,
    StatusResult,
    WeekCheckIn,
    adherence_percent,
    distance_rise_warning,
    impact_gate,
    ladder_stage,
    programme_status,
    readiness_items,
    rest_days_between_runs,
    runs_per_week_warning,
    unlock_requirements,
)
from assessments.programmes.wording import translated
from assessments.record.bone_stress import contraindicated_with_bone_stress
from assessments.record.choices import AssessmentStatus, MuscleGroup
from assessments.record.selectors import has_bone_stress, strength_lsi
from clinic.staff.models import User
from patients.careteam.selectors import care_team_q
from patients.models import RedFlag

ONE_DP = Decimal("0.1")


# --- One week of check-in -------------------------------------------------------------


@dataclass(frozen=True)
class WeekTotals:
    runs: int
    km: Decimal
    minutes: int


def week_totals(checkin: CheckIn) -> WeekTotals:
    """Runs, kilometres and minutes logged in a check-in (uses prefetched runs)."""
    runs = list(checkin.runs.all())
    return WeekTotals(len(runs), sum((r.distance_km for r in runs), Decimal(0)), sum(r.minutes for r in runs))


def _worst(*pains: int | None) -> int | None:
    answered = [p for p in pains if p is not None]
    return max(answered) if answered else None


def as_week_checkin(
    checkin: CheckIn, programme: Programme, *, logged: Sequence[Run] | None = None
) -> WeekCheckIn:
    """A sent check-in as the programme rules read it (evening pain and each logged run included).

    `logged`: the runs of the patient's training log in the check-in's week
    (logged_runs_by_week). When there are any, the rules read them: each
    run's day, distance and minutes, and the worst pain during, that evening
    and the next morning over those runs, or the check-in's own answer when
    it is worse (a pain the patient reports once is never dropped). Without
    logged runs the rules read the check-in's totals, as before.
    """
    if logged:
        runs = tuple(
            LoggedRun(
                r.day,
                min(Decimal(r.distance_m) / 1000, RUN_KM_MAX).quantize(Decimal("0.01")),
                max(1, min(RUN_MIN_MAX, round(r.duration_s / 60))),
            )
            for r in logged
        )
        return WeekCheckIn(
            week_start=programme.week_start(checkin.week),
            run_pain_max=_worst(checkin.run_pain_during, *(r.pain_during for r in logged)) or 0,
            next_morning_pain=_worst(checkin.pain_next_morning, *(r.pain_next_morning for r in logged)),
            baseline_morning_pain=programme.baseline_morning_pain,
            weekly_km=sum((r.km for r in runs), Decimal(0)),
            sessions_done=checkin.sessions_done or 0,
            sessions_prescribed=checkin.sessions_prescribed,
            pain_worst=checkin.pain_worst,
            pain_now=checkin.pain_now,
            weekly_run_min=Decimal(sum(r.minutes for r in runs)),
            evening_pain=_worst(checkin.run_pain_after, *(r.pain_evening for r in logged)),
            runs=runs,
        )
    totals = week_totals(checkin)
    ran = totals.runs > 0
    return WeekCheckIn(
        week_start=programme.week_start(checkin.week),
        run_pain_max=(checkin.run_pain_during or 0) if ran else None,
        next_morning_pain=checkin.pain_next_morning,
        baseline_morning_pain=programme.baseline_morning_pain,
        weekly_km=totals.km,
        sessions_done=checkin.sessions_done or 0,
        sessions_prescribed=checkin.sessions_prescribed,
        pain_worst=checkin.pain_worst,
        pain_now=checkin.pain_now,
        weekly_run_min=Decimal(totals.minutes) if ran else None,
        evening_pain=checkin.run_pain_after if ran else None,
        runs=tuple(LoggedRun(r.date, r.distance_km, r.minutes) for r in checkin.runs.all()),
    )


def logged_runs_by_week(programme: Programme, weeks: Sequence[int]) -> dict[int, list[Run]]:
    """The patient's logged runs (training log) in each of the programme's `weeks`, by day; one query.

    A run counts for the programme when it names it or names no programme.
    """
    if not weeks:
        return {}
    first, last = programme.week_start(min(weeks)), programme.week_start(max(weeks)) + timedelta(days=6)
    wanted = set(weeks)
    by_week: dict[int, list[Run]] = {}
    rows = Run.objects.filter(
        Q(programme=programme) | Q(programme__isnull=True),
        patient_id=programme.patient_id,
        day__gte=first,
        day__lte=last,
    ).order_by("day", "started_at", "pk")
    for run in rows:
        week = programme.week_of(run.day)
        if week in wanted:
            by_week.setdefault(week, []).append(run)
    return by_week


# --- The zero-impact gate of bone stress (rules.impact) ------------------------------------------


def impact_stopped_since(programme: Programme) -> date:
    """Since when impact has been stopped: the later of the recorded day and the day bone stress switched on.

    Nothing recorded: the day bone stress was switched on, else the
    programme start (bone stress suspected at the start). A later switch-on
    starts the period again, so a day recorded for an earlier episode never
    shortens it.
    """
    days = [d for d in (programme.impact_stopped_on, programme.bone_stress_since) if d is not None]
    return max(days) if days else programme.start_date


def impact_gate_of(programme: Programme, *, today: date, bone_stress: bool | None = None) -> ImpactGate:
    """The programme's zero-impact gate today (`bone_stress`: has_bone_stress, when already known)."""
    if bone_stress is None:
        bone_stress = has_bone_stress(programme=programme)
    since = impact_stopped_since(programme)
    overridden = (
        programme.impact_gate_overridden_on is not None and programme.impact_gate_overridden_on >= since
    )
    return impact_gate(
        bone_stress=bone_stress,
        stopped_on=since,
        weeks=programme.zero_impact_weeks,
        cleared_on=programme.impact_cleared_on,
        overridden=overridden,
        today=today,
    )


@dataclass(frozen=True)
class WeekRow:
    """One programme week as the therapist's table shows it (None: no sent check-in)."""

    week: int
    starts: date
    checkin: CheckIn | None
    pain_worst: int | None = None
    pain_now: int | None = None
    run_pain: int | None = None
    next_morning: int | None = None
    sessions_done: int | None = None
    sessions_prescribed: int | None = None
    adherence: Decimal | None = None
    km: Decimal | None = None
    run_minutes: int | None = None
    runs: int | None = None


def week_rows(programme: Programme, sent: list[CheckIn]) -> list[WeekRow]:
    """Weeks 1 to the planned end (or the last check-in, if later), with each week's sent check-in."""
    by_week = {c.week: c for c in sent}
    last = max([programme.planned_weeks, *by_week]) if by_week else programme.planned_weeks
    rows = []
    for week in range(1, min(last, CHECKIN_WEEKS_MAX) + 1):
        checkin = by_week.get(week)
        if checkin is None:
            rows.append(WeekRow(week, programme.week_start(week), None))
            continue
        totals = week_totals(checkin)
        rows.append(
            WeekRow(
                week,
                programme.week_start(week),
                checkin,
                checkin.pain_worst,
                checkin.pain_now,
                checkin.run_pain_during if totals.runs else None,
                checkin.pain_next_morning,
                checkin.sessions_done,
                checkin.sessions_prescribed,
                adherence_percent(checkin.sessions_done or 0, checkin.sessions_prescribed),
                totals.km,
                totals.minutes,
                totals.runs,
            )
        )
    return rows


# --- Status --------------------------------------------------------------


def _local_day(programme: Programme, moment: object) -> date:
    return moment.astimezone(ZoneInfo(programme.time_zone)).date()


def status_of(
    programme: Programme,
    *,
    sent: list[CheckIn],
    open_alerts: list[ProgrammeAlert],
    today: date,
    open_flags: list[RedFlag] | None = None,
    imaging: list[ImagingOrder] | None = None,
) -> StatusResult:
    """on_track / behind / attention from programme_status; an open alert always means attention.

    The patient's open red flags and outstanding imaging orders are read
    when not given (the dashboard passes them prefetched).
    """
    if open_flags is None:
        open_flags = list(RedFlag.objects.filter(patient_id=programme.patient_id, cleared_at__isnull=True))
    if imaging is None:
        imaging = list(
            ImagingOrder.objects.filter(patient_id=programme.patient_id, status__in=OUTSTANDING_IMAGING)
        )
    last = max((_local_day(programme, c.submitted_at) for c in sent), default=None)
    if today < programme.start_date:
        last = None
    elif last is not None:
        last = min(max(last, programme.start_date), today)
    rows = week_rows(programme, sent)
    result = programme_status(
        today=today,
        last_checkin=last,
        start_date=programme.start_date,
        worst_pain_by_week=[r.pain_worst for r in rows],
        adherence_by_week=[r.adherence for r in rows],
        open_red_flags=len(open_flags),
        outstanding_imaging=len(imaging),
    )
    if not open_alerts:
        return result
    reasons = tuple(f"Open alert: {a.get_kind_display().lower()}." for a in open_alerts)
    return StatusResult("attention", reasons + result.reasons)


@dataclass(frozen=True)
class DashboardRow:
    programme: Programme
    status: StatusResult
    week: int
    last_checkin: CheckIn | None
    open_alerts: list[ProgrammeAlert]
    open_flags: list[RedFlag] = field(default_factory=list)
    imaging: list[ImagingOrder] = field(default_factory=list)

    @property
    def stage_label(self) -> str:
        p = self.programme
        if p.running_stopped:
            return "Running stopped"
        return f"Stage {p.run_stage} of {len(RUN_LADDER)}" if p.run_stage else "Not running yet"


# The dashboard's order: attention first (rank 0), then behind, then on track.
STATUS_ORDER = {status.value: rank for rank, status in enumerate(DashboardStatus)}
STATUS_BY_RANK = tuple(status.value for status in DashboardStatus)
DASHBOARD_PAGE_SIZE = 50


def with_dashboard_status(programmes: QuerySet[Programme], *, today: date) -> QuerySet[Programme]:
    """Annotate `status_rank` (STATUS_ORDER): status_of in SQL, over the stored check-in summary.

    Open alerts, the patient's open red flags and outstanding imaging count
    whatever the date (EXISTS, each on an index); before the start nothing
    else does; then 10 days without a check-in (from the last one, or the
    start), then what the check-ins say (services.status.checkin_summary).
    """
    safety = (
        Exists(ProgrammeAlert.objects.filter(programme_id=OuterRef("pk"), resolved_at__isnull=True))
        | Exists(RedFlag.objects.filter(patient_id=OuterRef("patient_id"), cleared_at__isnull=True))
        | Exists(
            ImagingOrder.objects.filter(patient_id=OuterRef("patient_id"), status__in=OUTSTANDING_IMAGING)
        )
    )
    since = Greatest(F("start_date"), Coalesce(F("last_checkin_on"), F("start_date")))
    rank = {key: Value(value) for key, value in STATUS_ORDER.items()}
    return programmes.annotate(checkin_since=since).annotate(
        status_rank=Case(
            When(safety, then=rank[DashboardStatus.ATTENTION]),
            When(start_date__gt=today, then=rank[DashboardStatus.ON_TRACK]),
            When(
                checkin_since__lte=today - timedelta(days=NO_CHECKIN_ATTENTION_DAYS),
                then=rank[DashboardStatus.ATTENTION],
            ),
            When(checkin_status=DashboardStatus.ATTENTION, then=rank[DashboardStatus.ATTENTION]),
            When(checkin_status=DashboardStatus.BEHIND, then=rank[DashboardStatus.BEHIND]),
            default=rank[DashboardStatus.ON_TRACK],
            output_field=IntegerField(),
        ),
    )


@dataclass(frozen=True)
class DashboardCursor:
    """Where a dashboard page starts: after this (status rank, start date, pk) in the page's order."""

    rank: int
    start_date: date
    pk: int

    def __str__(self) -> str:
        return f"{self.rank}.{self.start_date.isoformat()}.{self.pk}"

    @classmethod
    def parse(cls, text: str | None) -> "DashboardCursor | None":
        """The cursor of a URL's `after`, or None (the first page) when missing or malformed."""
        try:
            rank, day, pk = (text or "").split(".")
            cursor = cls(int(rank), date.fromisoformat(day), int(pk))
        except ValueError:
            return None
        return cursor if cursor.rank in STATUS_ORDER.values() and cursor.pk > 0 else None

    @classmethod
    def of(cls, programme: Programme) -> "DashboardCursor":
        return cls(programme.status_rank, programme.start_date, programme.pk)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class DashboardPage:
    rows: list[DashboardRow]
    counts: dict[str, int]  # per status, of all the dashboard's programmes (not just this page)
    after: DashboardCursor | None  # the next page's start, None on the last page


def dashboard(
    *,
    therapist: User | None,
    today: date,
    viewer: User | None = None,
    after: DashboardCursor | None = None,
    size: int = DASHBOARD_PAGE_SIZE,
) -> DashboardPage:
    """One page of active programmes (one therapist's, or all), attention first; seven queries in all.

    With `viewer`, only the programmes of patients in the viewer's care team
    (all for clinic admins).

    Ordered by status (with_dashboard_status), start date and pk, and paged
    by keyset: the next page starts after the last row shown, so a row
    whose status does not change while the pages are read is listed once.
    The counts are one aggregate; the rows' status and reasons are
    status_of over their prefetched check-ins, alerts, flags and imaging.
    """
    programmes = Programme.objects.filter(status=ProgrammeStatus.ACTIVE)
    if therapist is not None:
        programmes = programmes.filter(therapist=therapist)
    if viewer is not None:
        programmes = programmes.filter(care_team_q(viewer))
    ranked = with_dashboard_status(programmes, today=today)
    totals = ranked.aggregate(
        **{
            status.value: Count("pk", filter=Q(status_rank=STATUS_ORDER[status.value]))
            for status in DashboardStatus
        }
    )
    if after is not None:
        ranked = ranked.filter(
            Q(status_rank__gt=after.rank)
            | Q(status_rank=after.rank, start_date__gt=after.start_date)
            | Q(status_rank=after.rank, start_date=after.start_date, pk__gt=after.pk)
        )
    page = list(
        ranked.order_by("status_rank", "start_date", "pk")
        .select_related("patient", "therapist")
        .prefetch_related(
            Prefetch(
                "checkins",
                queryset=CheckIn.objects.filter(status=CheckInStatus.SUBMITTED)
                .prefetch_related("runs")
                .order_by("week"),
                to_attr="sent",
            ),
            Prefetch(
                "alerts",
                queryset=ProgrammeAlert.objects.filter(resolved_at__isnull=True).order_by("created_at"),
                to_attr="open_alerts",
            ),
            Prefetch(
                "patient__red_flags",
                queryset=RedFlag.objects.filter(cleared_at__isnull=True).order_by("detected_at", "pk"),
                to_attr="open_flags",
            ),
            Prefetch(
                "patient__imaging_orders",
                queryset=ImagingOrder.objects.filter(status__in=OUTSTANDING_IMAGING).order_by(
                    "ordered_at", "pk"
                ),
                to_attr="outstanding_imaging",
            ),
        )[: size + 1]
    )
    more = len(page) > size
    page = page[:size]
    rows = [
        DashboardRow(
            p,
            status_of(
                p,
                sent=p.sent,
                open_alerts=p.open_alerts,
                today=today,
                open_flags=p.patient.open_flags,
                imaging=p.patient.outstanding_imaging,
            ),
            p.week_of(today),
            max(p.sent, key=lambda c: c.submitted_at, default=None),
            p.open_alerts,
            p.patient.open_flags,
            p.patient.outstanding_imaging,
        )
        for p in page
    ]
    return DashboardPage(
        rows,
        {key: int(totals[key]) for key in STATUS_ORDER},
        DashboardCursor.of(page[-1]) if more else None,
    )


# --- The programme page ----------------------------------------------------------------------------


def _phases() -> Prefetch:
    exercises = PrescribedExercise.objects.select_related("exercise").order_by("order", "pk")
    return Prefetch(
        "phases", queryset=ProgrammePhase.objects.prefetch_related(Prefetch("exercises", exercises))
    )


def programme_for_page(pk: int) -> Programme:
    """A programme with everything its page shows (raises Programme.DoesNotExist)."""
    return (
        Programme.objects.select_related("patient", "therapist", "assessment", "discharged_by")
        .prefetch_related(
            _phases(),
            "assessment__impressions",
            Prefetch("checkins", queryset=CheckIn.objects.prefetch_related("runs").order_by("week")),
            Prefetch("alerts", queryset=ProgrammeAlert.objects.select_related("resolved_by", "checkin")),
            Prefetch("ladder_steps", queryset=LadderStep.objects.select_related("by")),
            Prefetch("readiness_checks", queryset=ReadinessCheck.objects.select_related("recorded_by")),
            Prefetch("visit_notes", queryset=VisitNote.objects.select_related("author", "appointment")),
            Prefetch("revisions", queryset=ProgrammeRevision.objects.select_related("by")),
            Prefetch(
                "visits",
                queryset=ProgrammeVisit.objects.select_related("appointment__appointment_type").order_by(
                    "appointment__starts_at"
                ),
            ),
            "outcomes",
        )
        .get(pk=pk)
    )


def sent_checkins(programme: Programme) -> list[CheckIn]:
    return [c for c in programme.checkins.all() if c.status == CheckInStatus.SUBMITTED]


def phase_of(programme: Programme, kind: str) -> ProgrammePhase | None:
    return next((p for p in programme.phases.all() if p.kind == kind), None)


# --- Progress -------------------------------------------------------------------


@dataclass
class Progress:
    programme: Programme
    weeks: list[WeekRow]
    charts: list[Chart] = field(default_factory=list)
    outcomes: dict[str, ProgrammeOutcome] = field(default_factory=dict)


def _lsi_chart(programme: Programme, assessments: list[Assessment]) -> Chart:
    labels, per_group = [], {}
    for index, assessment in enumerate(assessments):
        when = (assessment.signed_at or assessment.created_at).astimezone(ZoneInfo(programme.time_zone))
        labels.append(f"{when:%d %b}" + (" (start)" if index == 0 else ""))
        for lsi in strength_lsi(assessment):
            if lsi.percent is not None:
                per_group.setdefault(lsi.key, {})[index] = lsi.percent
    order = [g.value for g in MuscleGroup if g.value in per_group]
    series = tuple(
        Series(key, MuscleGroup(key).label, tuple(per_group[key].get(i) for i in range(len(assessments))))
        for key in order
    )
    largest = max((v for s in series for v in s.values if v is not None), default=Decimal(100))
    return Chart(
        "lsi",
        "Limb symmetry of key muscle groups",
        "Strength limb symmetry index (involved ÷ uninvolved side, %) at each signed assessment since the "
        f"programme started; the target is {programme.target_lsi_percent or 90} % or more.",
        tuple(labels),
        series,
        unit="%",
        y_max=max(Decimal(100), (largest / 10).to_integral_value() * 10 + 10),
    )


def progress(pk: int) -> Progress:
    """The progress page's data: week rows and the charts built from them (fixed query count)."""
    programme = (
        Programme.objects.select_related("patient", "therapist", "assessment")
        .prefetch_related(
            Prefetch(
                "checkins",
                queryset=CheckIn.objects.filter(status=CheckInStatus.SUBMITTED)
                .prefetch_related("runs")
                .order_by("week"),
                to_attr="sent",
            ),
            "outcomes",
        )
        .get(pk=pk)
    )
    assessments = list(
        Assessment.objects.filter(
            patient_id=programme.patient_id,
            status=AssessmentStatus.SIGNED,
            created_at__gte=programme.assessment.created_at,
        )
        .prefetch_related("strength_tests")
        .order_by("signed_at", "pk")
    )
    rows = week_rows(programme, programme.sent)
    labels = tuple(f"W{r.week}" for r in rows)
    outcomes = {o.timepoint: o for o in programme.outcomes.all()}
    points = list(OutcomeTimepoint)
    adherence = tuple(r.adherence for r in rows)
    charts = [
        Chart(
            "pain",
            "Pain by week",
            "Worst pain this week and pain now (0–10) from the weekly check-ins.",
            labels,
            (
                Series("worst", "Worst this week", tuple(r.pain_worst for r in rows)),
                Series("now", "Pain now", tuple(r.pain_now for r in rows)),
            ),
            unit="/10",
            y_max=10,
        ),
        Chart(
            "adherence",
            "Home-exercise adherence",
            "Exercise sessions done ÷ sessions prescribed each week, in per cent.",
            labels,
            (Series("adherence", "Adherence", adherence),),
            unit="%",
            y_max=max([Decimal(100), *[a for a in adherence if a is not None]]),
        ),
        Chart(
            "distance",
            "Weekly running distance",
            "Kilometres run each week, from the training log.",
            labels,
            (Series("km", "Distance", tuple(r.km for r in rows)),),
            unit="km",
        ),
        Chart(
            "lefs",
            "LEFS outcome score",
            "Lower Extremity Functional Scale (0–80, higher is better) at baseline, week 4 and the end; "
            "a change of 9 points is clinically important.",
            tuple(t.label for t in points),
            (
                Series(
                    "lefs", "LEFS", tuple(outcomes[t].lefs_score if t in outcomes else None for t in points)
                ),
            ),
            y_max=80,
        ),
        Chart(
            "psfs",
            "PSFS outcome score",
            "Patient-Specific Functional Scale (mean 0–10, higher is better); a change of 2 is meaningful.",
            tuple(t.label for t in points),
            (
                Series(
                    "psfs", "PSFS", tuple(outcomes[t].psfs_score if t in outcomes else None for t in points)
                ),
            ),
            y_max=10,
        ),
        _lsi_chart(programme, assessments),
    ]
    return Progress(programme, rows, charts, outcomes)


# --- The patient's week (the link pages) --------------------------------------------------------


@dataclass
class StageInfo:
    stage: int
    label: str
    description: str
    stopped: bool
    unlock: tuple[str, ...]
    # Suspected bone stress (has_bone_stress): pain-free runs only, two rest days between runs.
    bone_stress: bool
    rest_days: int
    runs_warning: str | None  # §8.3: more runs a week planned than the rest days allow
    gate: ImpactGate | None = None  # the zero-impact gate (bone stress only)
    # The readiness tests to show the patient: no impact tests while the gate is closed.
    readiness: tuple[ReadinessItem, ...] = ()
    distance_warning: str | None = None  # §8.3 10 %: the latest week's distance against the week before
    total: int = len(RUN_LADDER)

    @property
    def impact_allowed(self) -> bool:
        return self.gate is None or self.gate.ready

    @property
    def running_allowed(self) -> bool:
        """May the patient be told to run: on a stage, not stopped, and (bone stress) the gate open."""
        return self.stage >= 1 and not self.stopped and self.impact_allowed


def latest_distance_warning(programme: Programme) -> str | None:
    """The §8.3 10 % warning of the latest sent week against the week before it, if any (run log km).

    In the active language: the patient's on their pages, the clinic's on staff pages.
    """
    sent = list(
        CheckIn.objects.filter(programme=programme, status=CheckInStatus.SUBMITTED)
        .prefetch_related("runs")
        .order_by("-week")[:2]
    )
    if len(sent) < 2 or sent[0].week != sent[1].week + 1 or not sent[0].runs.all():
        return None
    warning = distance_rise_warning(week_totals(sent[0]).km, week_totals(sent[1]).km)
    return translated(warning) if warning else None


def stage_info(programme: Programme, *, today: date | None = None) -> StageInfo:
    """The run stage as the patient's and therapist's pages show it, with the impact gate applied.

    While the gate is closed (bone stress, before the zero-impact period has
    passed and clearance is recorded) the patient sees no stage to run, no
    impact tests and no running guidance: "don't run for now".
    """
    stage = programme.run_stage
    bone_stress = has_bone_stress(programme=programme)
    today = today or _local_day(programme, timezone.now())
    gate = impact_gate_of(programme, today=today, bone_stress=bone_stress) if bone_stress else None
    spec = ladder_stage(stage) if stage else None
    closed = gate is not None and not gate.ready
    return StageInfo(
        stage,
        # In the active language: the patient's on their pages and sheet, the clinic's on staff pages.
        gettext(spec.label) if spec else gettext("Not running yet"),
        gettext(spec.description) if spec else "",
        programme.running_stopped or (closed and stage >= 1),
        unlock_requirements(stage, bone_stress=bone_stress, impact_gate=gate, translate=gettext),
        bone_stress,
        rest_days_between_runs(bone_stress=bone_stress),
        runs_per_week_warning(programme.runs_per_week, bone_stress=bone_stress),
        gate,
        readiness_items(impact_allowed=not closed),
        latest_distance_warning(programme),
    )


def open_weeks(programme: Programme, today: date) -> list[int]:
    """Weeks the patient may still check in for: this week and last week (not yet sent)."""
    if programme.status != ProgrammeStatus.ACTIVE:
        return []
    current = min(programme.week_of(today), CHECKIN_WEEKS_MAX)
    if current < 1:
        return []
    sent = set(
        CheckIn.objects.filter(programme=programme, status=CheckInStatus.SUBMITTED).values_list(
            "week", flat=True
        )
    )
    return [w for w in range(max(1, current - 1), current + 1) if w not in sent]


def patient_phase(programme: Programme) -> ProgrammePhase | None:
    """The phase the patient works on: the current one, or the maintenance plan once discharged."""
    kind = (
        PhaseKind.MAINTENANCE if programme.status == ProgrammeStatus.DISCHARGED else programme.current_phase
    )
    exercises = PrescribedExercise.objects.select_related("exercise")
    if programme.status == ProgrammeStatus.ACTIVE and has_bone_stress(programme=programme):
        gate = impact_gate_of(programme, today=_local_day(programme, timezone.now()), bone_stress=True)
        if not gate.ready:
            # Impact work waits for the gate. The rule is applied in Python over the
            # (small) catalogue so it reads the same on PostgreSQL and SQLite, whose
            # JSON lookups differ for lists.
            impact = [
                pk
                for pk, category, contraindicated_for in Exercise.objects.values_list(
                    "pk", "category", "contraindicated_for"
                )
                if contraindicated_with_bone_stress(
                    category=category, contraindicated_for=contraindicated_for or ()
                )
            ]
            exercises = exercises.exclude(exercise_id__in=impact)
    return (
        ProgrammePhase.objects.filter(programme=programme, kind=kind)
        .prefetch_related(Prefetch("exercises", exercises))
        .first()
    )


def programmes_of_patient(patient_id: int) -> QuerySet[Programme]:
    return Programme.objects.filter(patient_id=patient_id).select_related("therapist").order_by("-start_date")


def week_dates(programme: Programme, week: int) -> tuple[date, date]:
    start = programme.week_start(week)
    return start, start + timedelta(days=6)
