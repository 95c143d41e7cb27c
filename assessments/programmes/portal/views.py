"""The patient's programme pages by link (no account): this week's exercises and the weekly check-in.

The shared patient-link flow (patients.links.flow), scoped to one patient and
one programme:
1. `p/<token>/` (the emailed or issued link) keeps a usable link as pending
   and goes on to `p/check/`; expired, revoked, locked and unknown links all
   get the same page.
2. `p/check/`: last name + date of birth; failures count towards the
   programme's lock, and per client address. On a browser new to the patient,
   `p/code/` then asks for the one-time code emailed to them. Success binds
   the session to that one programme (sliding INTAKE_SESSION_MINUTES) on a
   new session id.
3. Token-less pages: `p/` (this week), `p/week/<n>/` (the check-in, saved as
   typed by static/js/autosave.js), `p/questionnaire/`, `p/leave/`. No URL
   carries a programme or patient id, so a session can only ever reach its own.
"""

import time
from datetime import date
from zoneinfo import ZoneInfo

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments.models import CheckIn, Programme, ProgrammeLink, ProgrammeOutcome
from assessments.programmes.choices import CheckInStatus, OutcomeSource, ProgrammeStatus
from assessments.programmes.forms.outcomes import OutcomeForm
from assessments.programmes.portal.forms import CheckInForm, draft_field_names, run_formset
from assessments.programmes.selectors import open_weeks, patient_phase, stage_info, week_dates
from assessments.programmes.services.checkins import (
    CheckInClosedError,
    CheckInConflictError,
    CheckInError,
    checkin_draft_save,
    checkin_for,
    checkin_submit,
    draft_input,
)
from assessments.programmes.services.discharge import outcome_record
from assessments.programmes.services.links import link_check_identity, link_usable, programme_reachable
from assessments.programmes.services.plan import ProgrammeError
from assessments.programmes.services.reminders import outcome_open
from assessments.programmes.wording import translated
from assessments.training.imports.stash import DONE_KEY as IMPORT_DONE
from assessments.training.imports.stash import STASH_KEY as IMPORT_STASH
from assessments.training.selectors import checkin_prefill
from clinic.dates import format_date
from clinic.staff.access import public_view
from clinic.web import STALE_VERSION, posted_version
from patients.intake.choices import ActionLevel
from patients.links import core as links
from patients.links.flow import LinkFlow, LinkPages, Portal

SENT = "programme_sent"  # what the rules said about the check-in just sent (for the thank-you page)

# A programme link opens the programme: every link of it, until a lock from failed checks.
FLOW = LinkFlow(
    Portal(
        name="programme",
        link_model=ProgrammeLink,
        link_related=("programme",),
        link_usable=link_usable,
        check_identity=link_check_identity,
        record_model=Programme,
        record_related=("patient", "therapist"),
        record_of=lambda link: link.programme_id,
        record_reachable=programme_reachable,
        check_url="assessments:checkin_check",
        code_url="assessments:checkin_code",
        home_url="assessments:checkin_home",
        link_patient=lambda link: link.programme.patient_id,
        # The training import's preview and last result go with the session too.
        session_data=(SENT, IMPORT_STASH, IMPORT_DONE),
        pages=LinkPages(
            title=_("Your programme"),
            wording="assessments/programmes/portal/_link_wording.html",
            stylesheet="css/programme.css",
        ),
    )
)


def _today(programme: Programme) -> date:
    return timezone.now().astimezone(ZoneInfo(programme.time_zone)).date()


# --- The link and the identity check -----------------------------------------------------------


@public_view
@require_GET
def checkin_start(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed link: remember it, then drop the token from the address."""
    return FLOW.start(request, token)


@public_view
@require_http_methods(["GET", "POST"])
def checkin_check(request: HttpRequest) -> HttpResponse:
    """Last name and date of birth, before anything else."""
    return FLOW.check(request)


@public_view
@require_http_methods(["GET", "POST"])
def checkin_code(request: HttpRequest) -> HttpResponse:
    """The one-time code emailed to the patient, on a browser that has not given one before."""
    return FLOW.code(request)


@public_view
@require_POST
def checkin_leave(request: HttpRequest) -> HttpResponse:
    FLOW.forget(request)
    return FLOW.page(request, "assessments/programmes/portal/left.html", no_referrer=True)


# --- This week ----------------------------------------------------------------------------------


@public_view
@require_GET
def checkin_home(request: HttpRequest) -> HttpResponse:
    """What to do this week: the exercises with instructions and dose, the run stage, the check-in."""
    programme = FLOW.bound(request)
    if programme is None:
        return FLOW.session_ended(request)
    today = _today(programme)
    discharged = programme.status == ProgrammeStatus.DISCHARGED
    sent = {c.week: c for c in CheckIn.objects.filter(programme=programme, status=CheckInStatus.SUBMITTED)}
    context = {
        "programme": programme,
        "first_name": programme.patient.preferred_name or programme.patient.first_name,
        "discharged": discharged,
        "phase": patient_phase(programme),
        "week": programme.week_of(today),
        "stage": None if discharged else stage_info(programme),
        "open_weeks": [] if discharged else open_weeks(programme, today),
        "sent_weeks": sorted(sent),
        "outcome_due": None if discharged else outcome_open(programme=programme, now=timezone.now()),
        "sent": request.session.pop(SENT, None),
    }
    return FLOW.page(request, "assessments/programmes/portal/home.html", context)


# --- The weekly check-in ----------------------------------------------------------------------------


def _draft_initial(checkin: CheckIn) -> tuple[dict[str, object], list[dict[str, object]], int]:
    """The form's initial values, the run rows and the row count, from the kept draft."""
    draft = checkin.draft or {}
    initial = {name: values[0] for name, values in draft.items() if not name.startswith("run-") and values}
    runs = []
    for index in range(10):
        row = {
            field: (draft.get(f"run-{index}-{field}") or [""])[0]
            for field in ("date", "distance_km", "minutes", "surface", "shoes")
        }
        if any(row.values()):
            runs.append(row)
    return initial, runs, len(runs)


def _week_context(
    programme: Programme, checkin: CheckIn, form: CheckInForm, formset: object, **extra: object
) -> dict:
    start, end = week_dates(programme, checkin.week)
    return {
        "programme": programme,
        "checkin": checkin,
        "form": form,
        "formset": formset,
        "start": start,
        "end": end,
        "version": checkin.version,
        **extra,
    }


@public_view
@require_http_methods(["GET", "POST"])
def checkin_week(request: HttpRequest, week: int) -> HttpResponse:
    """The week's check-in: pain, sessions done, runs, sleep/stress, comments; kept as typed until sent."""
    programme = FLOW.bound(request)
    if programme is None:
        return FLOW.session_ended(request)
    existing = CheckIn.objects.filter(programme=programme, week=week).prefetch_related("runs").first()
    if existing is not None and existing.is_submitted:
        return FLOW.page(
            request,
            "assessments/programmes/portal/week_sent.html",
            {"programme": programme, "checkin": existing},
        )
    if week not in open_weeks(programme, _today(programme)):
        return redirect("assessments:checkin_home")
    checkin = existing or checkin_for(programme=programme, week=week)
    span = week_dates(programme, week)
    names = draft_field_names()
    if request.method == "GET":
        initial, runs, count = _draft_initial(checkin)
        # No runs typed yet: the runs and run pains the patient logged that week, not asked again.
        prefill = None if count else checkin_prefill(programme.patient, start=span[0], end=span[1])
        if prefill is not None:
            runs, count = prefill.runs, len(prefill.runs)
            initial = {**prefill.answers, **{name: value for name, value in initial.items() if value != ""}}
        rows = int(request.GET["rows"]) if request.GET.get("rows", "").isdigit() else count
        form = CheckInForm(initial=initial, sessions_prescribed=checkin.sessions_prescribed)
        formset = run_formset(initial=runs, rows=max(rows, count), week=span)
        return FLOW.page(
            request,
            "assessments/programmes/portal/week.html",
            _week_context(programme, checkin, form, formset, prefill=prefill),
        )

    action = request.POST.get("action", "send")
    form = CheckInForm(request.POST, sessions_prescribed=checkin.sessions_prescribed)
    formset = run_formset(data=request.POST, week=span)
    raw = draft_input(data=request.POST, names=names)
    version = posted_version(request, missing=STALE_VERSION)
    try:
        if action in {"save", "add_run"}:
            checkin_draft_save(checkin=checkin, raw=raw, version=version)
            if action == "add_run":
                rows = int(request.POST.get("run-TOTAL_FORMS", "3") or 3) + 1
                return links.private(redirect(f"{request.path}?rows={min(rows, 10)}"))
            return links.private(redirect("assessments:checkin_home"))
        forms_valid = form.is_valid() and formset.is_valid()
        runs = [f.run() for f in formset.forms if f.is_valid() and not f.is_blank()] if forms_valid else []
        if forms_valid and form.check_complete(ran=bool(runs)):
            result = checkin_submit(checkin=checkin, answers=form.answers(), runs=runs, version=version)
            request.session[SENT] = _sent_summary(result)
            return links.private(redirect("assessments:checkin_home"))
        # Not valid yet: keep everything typed, show the errors next to the fields.
        checkin = checkin_draft_save(checkin=checkin, raw=raw, version=version)
        context = _week_context(programme, checkin, form, formset, errors=True)
        return FLOW.page(request, "assessments/programmes/portal/week.html", context, status=400)
    except CheckInConflictError:
        checkin.refresh_from_db()
        context = _week_context(programme, checkin, form, formset, conflict=True)
        return FLOW.page(request, "assessments/programmes/portal/week.html", context, status=409)
    except CheckInClosedError:
        return redirect("assessments:checkin_home")
    except CheckInError as exc:
        form.add_error(None, str(exc))
        return FLOW.page(
            request,
            "assessments/programmes/portal/week.html",
            _week_context(programme, checkin, form, formset),
            status=400,
        )


def _sent_summary(result: object) -> dict[str, object]:
    """What the patient is told after sending (no clinical detail beyond their own rule outcomes)."""
    decision = result.decision
    checkin = result.checkin
    return {
        "week": checkin.week,
        "action": decision.action if decision else "",
        "stage": decision.next_stage if decision else None,
        # In the patient's language (the request's), as plain strings for the session.
        "reasons": [translated(r) for r in decision.reasons] if decision else [],
        "stop": bool(decision and decision.action == "stop")
        or any(a.kind == "bone_stress_run_pain" for a in result.alerts),
        "red_flag": bool(checkin.red_flag_answers),
        # Suspected bone stress (a stop-running flag): stop now, be seen within 1–2 days.
        "bone_stress": any(f.action_level == ActionLevel.STOP_RUNNING_URGENT_MEDICAL for f in result.flags),
        "at": int(time.time()),
    }


@public_view
@require_POST
def checkin_autosave(request: HttpRequest, week: int) -> HttpResponse:
    """Keep what is typed (static/js/autosave.js posts the form here)."""
    programme = FLOW.bound(request)
    if programme is None:
        return links.private(JsonResponse({"saved": False, "reason": "session"}, status=403))
    if week not in open_weeks(programme, _today(programme)):
        return links.private(JsonResponse({"saved": False, "reason": "closed"}, status=403))
    checkin = checkin_for(programme=programme, week=week)
    try:
        checkin = checkin_draft_save(
            checkin=checkin,
            raw=draft_input(data=request.POST, names=draft_field_names()),
            version=posted_version(request, missing=STALE_VERSION),
        )
    except CheckInConflictError:
        return links.private(JsonResponse({"saved": False, "reason": "conflict"}, status=409))
    except CheckInClosedError:
        return links.private(JsonResponse({"saved": False, "reason": "session"}, status=403))
    saved_at = format_date(timezone.now(), "time", zone=ZoneInfo(programme.time_zone))
    return links.private(JsonResponse({"saved": True, "saved_at": saved_at, "version": checkin.version}))


# --- The re-assessment questionnaire ------------------------------------------------------------------


@public_view
@require_http_methods(["GET", "POST"])
def checkin_outcome(request: HttpRequest) -> HttpResponse:
    """LEFS, PSFS (the activities named at the start) and worst pain, before the re-assessment."""
    programme = FLOW.bound(request)
    if programme is None:
        return FLOW.session_ended(request)
    timepoint = outcome_open(programme=programme, now=timezone.now())
    if timepoint is None:
        return redirect("assessments:checkin_home")
    baseline = ProgrammeOutcome.objects.filter(programme=programme, timepoint="baseline").first()
    form = OutcomeForm(request.POST or None, activities=list(baseline.psfs) if baseline else [], staff=False)
    if request.method == "POST" and form.is_valid():
        try:
            outcome_record(
                programme=programme,
                timepoint=timepoint,
                lefs_items=form.lefs_items(),
                psfs_ratings=form.psfs_ratings(),
                nprs_worst=form.cleaned_data["nprs_worst"],
                hoos_items=form.hoos_items(),
                source=OutcomeSource.PATIENT,
                by=None,
            )
        except ProgrammeError as exc:
            form.add_error(None, exc)
        else:
            return links.private(redirect("assessments:checkin_home"))
    context = {"programme": programme, "form": form}
    return FLOW.page(
        request, "assessments/programmes/portal/outcome.html", context, status=400 if form.errors else 200
    )
