"""The patient's training log by the programme link: runs, sessions, the daily body check-in, shoes, settings.

Every page reads the programme the link's session is bound to
(assessments.programmes.portal FLOW: the identity check, the sliding session,
an audited read of the patient's record as their own, never cached). Rows
are always looked up within that patient's log, so another patient's link
gets a 404. Thin views: parse → service → redirect; a refused save renders
the form again with everything typed kept and the errors next to the fields.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments.models import Programme, Run, Shoe, TrainingSession
from assessments.programmes.choices import ProgrammeStatus
from assessments.programmes.portal.views import FLOW, _today
from assessments.programmes.selectors import stage_info
from assessments.training import services
from assessments.training.durations import format_pace
from assessments.training.portal.forms import (
    BodyForm,
    CycleConsentForm,
    RunForm,
    SessionForm,
    ShoeForm,
    UnitForm,
)
from assessments.training.selectors import preferences_of, recent_log, shoe_limit_m, shoe_rows, week_totals
from clinic.staff.access import public_view
from clinic.web import STALE_VERSION, posted_version
from patients.links import core as links

LOGGED = "training_logged"  # what was just saved, for the next page's message (no health data)

TEMPLATES = "assessments/training/portal"


def _page(request: HttpRequest, name: str, context: dict, *, status: int = 200) -> HttpResponse:
    return FLOW.page(request, f"{TEMPLATES}/{name}.html", context, status=status)


def _done(request: HttpRequest, message: str, to: str = "assessments:training_log") -> HttpResponse:
    request.session[LOGGED] = str(message)  # a lazy translation, as text for the session
    return links.private(redirect(to))


def _apply_errors(form: Form, exc: ValidationError) -> None:
    """A service's refusal, next to its field when it names one the form has."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _bound(request: HttpRequest) -> Programme | None:
    return FLOW.bound(request)


def _not_running(programme: Programme, today: date) -> bool:
    """The programme says not to run for now (stopped, or the bone-stress gate is closed)."""
    if programme.status != ProgrammeStatus.ACTIVE:
        return False
    stage = stage_info(programme, today=today)
    return stage.stopped or not stage.impact_allowed


def _active_shoes(programme: Programme, *, keep: int | None = None) -> QuerySet[Shoe]:
    """The patient's shoes to choose from: those not retired (and a run's own pair, even retired)."""
    shoes = Shoe.objects.filter(patient=programme.patient)
    if keep is None:
        return shoes.filter(retired_on__isnull=True)
    return shoes.filter(Q(retired_on__isnull=True) | Q(pk=keep))


def _usual_shoe_id(shoes: QuerySet[Shoe], programme: Programme) -> int | None:
    """The pair of the latest run in shoes still worn, else the only pair being worn."""
    last = (
        Run.objects.filter(patient=programme.patient, shoe__isnull=False, shoe__retired_on__isnull=True)
        .order_by("-day", "-pk")
        .values_list("shoe_id", flat=True)
        .first()
    )
    if last is not None:
        return last
    worn = list(shoes.values_list("pk", flat=True)[:2])
    return worn[0] if len(worn) == 1 else None


# --- The log's home -----------------------------------------------------------------------------


@public_view
@require_GET
def training_log(request: HttpRequest) -> HttpResponse:
    """The last two weeks of runs and sessions, today's body check-in, this week's totals, shoe prompts."""
    programme = _bound(request)
    if programme is None:
        return FLOW.session_ended(request)
    patient = programme.patient
    services.shoes_seed_from_intake(patient=patient)
    today = _today(programme)
    preferences = preferences_of(patient)
    recent = recent_log(patient, today=today)
    todays = next((b for b in recent["body"] if b.day == today), None)
    body_form = BodyForm(
        initial=_body_initial(todays) if todays else {},
        today=today,
        cycle_tracking=preferences.cycle_tracking_on,
    )
    monday = today.fromordinal(today.toordinal() - today.weekday())
    shoes = shoe_rows(patient)
    context = {
        "programme": programme,
        "unit": preferences.distance_unit,
        "today": today,
        "recent": recent,
        "todays_body": todays,
        "body_form": body_form,
        "week": week_totals(patient, start=monday, end=today),
        "week_start": monday,
        "due_shoes": [row for row in shoes if row.due],
        "shoe_limit_m": shoe_limit_m(),
        "has_shoes": bool(shoes),
        "logged": request.session.pop(LOGGED, None),
        "not_running": _not_running(programme, today),
    }
    return _page(request, "log", context)


def _body_initial(entry: object) -> dict[str, object]:
    return {
        name: getattr(entry, name)
        for name in (
            "day",
            "hip_feel",
            "sleep_hours",
            "sleep_quality",
            "stress",
            "illness",
            "illness_note",
            "cycle_day",
        )
    }


# --- Runs ----------------------------------------------------------------------------------------


@public_view
@require_http_methods(["GET", "POST"])
def training_run(request: HttpRequest) -> HttpResponse:
    """Log a run (date today by default, the usual pair of shoes chosen)."""
    programme = _bound(request)
    if programme is None:
        return FLOW.session_ended(request)
    patient = programme.patient
    unit = preferences_of(patient).distance_unit
    today = _today(programme)
    shoes = _active_shoes(programme)
    if request.method == "GET":
        form = RunForm(
            initial={"shoe": _usual_shoe_id(shoes, programme)}, unit=unit, shoes=shoes, today=today
        )
        context = {
            "programme": programme,
            "form": form,
            "unit": unit,
            "not_running": _not_running(programme, today),
        }
        return _page(request, "run", context)
    form = RunForm(request.POST, unit=unit, shoes=shoes, today=today)
    if form.is_valid():
        try:
            run = services.run_log(patient=patient, programme=programme, **form.values())
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            pace = format_pace(distance_m=run.distance_m, duration_s=run.duration_s, unit=unit)
            return _done(request, gettext("Run saved: %(pace)s.") % {"pace": pace})
    return _page(
        request, "run", {"programme": programme, "form": form, "unit": unit, "errors": True}, status=400
    )


def _own_run(programme: Programme, pk: int) -> Run:
    return get_object_or_404(Run.objects.select_related("shoe"), pk=pk, patient=programme.patient)


@public_view
@require_http_methods(["GET", "POST"])
def training_run_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a logged run: most often to add that evening's and the next morning's pain."""
    programme = _bound(request)
    if programme is None:
        return FLOW.session_ended(request)
    run = _own_run(programme, pk)
    unit = preferences_of(programme.patient).distance_unit
    today = _today(programme)
    shoes = _active_shoes(programme, keep=run.shoe_id)
    context: dict[str, object] = {"programme": programme, "run": run, "unit": unit, "version": run.version}
    if request.method == "GET":
        form = RunForm(initial=RunForm.initial_from(run, unit), unit=unit, shoes=shoes, today=today)
        return _page(request, "run", {**context, "form": form})
    form = RunForm(request.POST, unit=unit, shoes=shoes, today=today)
    if form.is_valid():
        try:
            services.run_update(
                run=run, version=posted_version(request, missing=STALE_VERSION), **form.values()
            )
        except services.RunConflictError:
            run.refresh_from_db()
            context.update(conflict=True, version=run.version)
            return _page(request, "run", {**context, "form": form}, status=409)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            return _done(request, _("Run updated."))
    return _page(request, "run", {**context, "form": form, "errors": True}, status=400)


@public_view
@require_POST
def training_run_delete(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _bound(request)
    if programme is None:
        return FLOW.session_ended(request)
    services.run_delete(run=_own_run(programme, pk))
    return _done(request, _("Run deleted."))


# --- Strength and cross-training ------------------------------------------------------------------


@public_view
@require_http_methods(["GET", "POST"])
def training_session(request: HttpRequest) -> HttpResponse:
    programme = _bound(request)
    if programme is None:
        return FLOW.session_ended(request)
    today = _today(programme)
    form = SessionForm(request.POST or None, today=today)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.session_log(patient=programme.patient, **form.cleaned_data)
            except ValidationError as exc:
                _apply_errors(form, exc)
            else:
                return _done(request, _("Session saved."))
        return _page(request, "session", {"programme": programme, "form": form, "errors": True}, status=400)
    return _page(request, "session", {"programme": programme, "form": form})


@public_view
@require_POST
def training_session_delete(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _bound(request)
    if programme is None:
        return FLOW.session_ended(request)
    session = get_object_or_404(TrainingSession, pk=pk, patient=programme.patient)
    services.session_delete(session=session)
    return _done(request, _("Session deleted."))


# --- The daily body check-in ------------------------------------------------------------------------


@public_view
@require_http_methods(["GET", "POST"])
def training_body(request: HttpRequest) -> HttpResponse:
    """The one-line check-in (posted from the log's home; its own page shows any errors)."""
    programme = _bound(request)
    if programme is None:
        return FLOW.session_ended(request)
    patient = programme.patient
    today = _today(programme)
    cycle = preferences_of(patient).cycle_tracking_on
    if request.method == "GET":
        day = _day_param(request, today)
        entry = patient.body_checkins.filter(day=day).first()
        form = BodyForm(
            initial=_body_initial(entry) if entry else {"day": day}, today=today, cycle_tracking=cycle
        )
        return _page(request, "body", {"programme": programme, "form": form})
    form = BodyForm(request.POST, today=today, cycle_tracking=cycle)
    if form.is_valid():
        try:
            services.body_checkin_save(patient=patient, **form.values())
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            return _done(request, _("Body check-in saved."))
    return _page(request, "body", {"programme": programme, "form": form, "errors": True}, status=400)


def _day_param(request: HttpRequest, today: date) -> date:
    try:
        day = date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        return today
    return day if day <= today else today


# --- Shoes ------------------------------------------------------------------------------------------------


@public_view
@require_http_methods(["GET", "POST"])
def training_shoes(request: HttpRequest) -> HttpResponse:
    """The patient's shoes with their running totals, the replacement prompt, and a new pair."""
    programme = _bound(request)
    if programme is None:
        return FLOW.session_ended(request)
    patient = programme.patient
    services.shoes_seed_from_intake(patient=patient)
    unit = preferences_of(patient).distance_unit
    today = _today(programme)
    form = ShoeForm(request.POST or None, unit=unit, today=today)
    if request.method == "POST" and form.is_valid():
        try:
            services.shoe_add(patient=patient, **form.values())
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            return _done(request, _("Shoes added."), "assessments:training_shoes")
    context = {
        "programme": programme,
        "form": form,
        "unit": unit,
        "today": today,
        "shoes": shoe_rows(patient),
        "shoe_limit_m": shoe_limit_m(),
        "logged": request.session.pop(LOGGED, None),
        "errors": form.is_bound,
    }
    return _page(request, "shoes", context, status=400 if form.is_bound else 200)


@public_view
@require_POST
def training_shoe_retire(request: HttpRequest, pk: int) -> HttpResponse:
    """Retire a pair today, or bring a retired pair back (`action=unretire`)."""
    programme = _bound(request)
    if programme is None:
        return FLOW.session_ended(request)
    shoe = get_object_or_404(Shoe, pk=pk, patient=programme.patient)
    back = request.POST.get("action") == "unretire"
    try:
        services.shoe_retire(shoe=shoe, on=None if back else _today(programme))
    except ValidationError as exc:
        request.session[LOGGED] = " ".join(exc.messages)
        return links.private(redirect("assessments:training_shoes"))
    return _done(
        request, _("Shoes back in use.") if back else _("Shoes retired."), "assessments:training_shoes"
    )


# --- Settings: the unit and cycle tracking ---------------------------------------------------------------


@public_view
@require_http_methods(["GET", "POST"])
def training_settings(request: HttpRequest) -> HttpResponse:
    """Kilometres or miles; consent to cycle tracking (its own explicit step), or its withdrawal."""
    programme = _bound(request)
    if programme is None:
        return FLOW.session_ended(request)
    patient = programme.patient
    preferences = preferences_of(patient)
    unit_form = UnitForm(initial={"distance_unit": preferences.distance_unit})
    consent_form = CycleConsentForm()
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "unit":
            unit_form = UnitForm(request.POST)
            if unit_form.is_valid():
                services.preferences_set_unit(patient=patient, unit=unit_form.cleaned_data["distance_unit"])
                return _done(
                    request,
                    _("Saved: distances in your log now use this unit."),
                    "assessments:training_settings",
                )
        elif action == "cycle_consent":
            consent_form = CycleConsentForm(request.POST)
            if consent_form.is_valid():
                services.cycle_tracking_consent(patient=patient)
                return _done(request, _("Cycle tracking is on."), "assessments:training_settings")
        elif action == "cycle_withdraw":
            deleted = services.cycle_tracking_withdraw(patient=patient)
            message = _("Cycle tracking is off.")
            if deleted:
                message = ngettext(
                    "Cycle tracking is off, and the %(count)d cycle day you recorded is deleted.",
                    "Cycle tracking is off, and the %(count)d cycle days you recorded are deleted.",
                    deleted,
                ) % {"count": deleted}
            return _done(request, message, "assessments:training_settings")
        else:
            raise Http404
        status = 400
    context = {
        "programme": programme,
        "preferences": preferences,
        "unit_form": unit_form,
        "consent_form": consent_form,
        "logged": request.session.pop(LOGGED, None),
    }
    return _page(request, "settings", context, status=status)
