"""The therapist's programme actions: return to run, alerts, visit notes, booking, links, outcomes, discharge."""

from django import forms as forms_module
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from assessments.models import Programme
from assessments.programmes.choices import OutcomeSource, OutcomeTimepoint
from assessments.programmes.forms.outcomes import DischargeForm, OutcomeForm
from assessments.programmes.forms.plan import (
    AlertResolveForm,
    BookVisitsForm,
    ImpactClearForm,
    ImpactStopForm,
    LadderOverrideForm,
    ReadinessForm,
    VisitNoteForm,
)
from assessments.programmes.rules import RUN_LADDER
from assessments.programmes.selectors import impact_stopped_since, stage_info
from assessments.programmes.services.booking import programme_book_visits
from assessments.programmes.services.discharge import discharge_review, outcome_record, programme_discharge
from assessments.programmes.services.ladder import (
    alert_resolve,
    ladder_override,
    ladder_preview,
    latest_readiness,
    programme_impact_clear,
    programme_impact_stop,
    readiness_record,
)
from assessments.programmes.services.links import (
    LinkError,
    links_revoke,
    programme_link_email,
)
from assessments.programmes.services.plan import visit_note_add
from assessments.programmes.views.plan import STATUS_LABELS, local_today, programme_for
from assessments.record.services.errors import StaleVersionError
from clinic.locking import conflict_for
from clinic.staff.access import staff_view
from clinic.staff.choices import Role
from clinic.web import STALE_VERSION, posted_version

# The ladder page's buttons, as its conflict message names them.
LADDER_BUTTONS = {
    "override": "Record override",
    "impact_stop": "Record the zero-impact period",
    "impact_clear": "Record the clearance",
}


def _closed(request: HttpRequest, pk: int) -> HttpResponse:
    messages.info(request, "This programme is closed (discharged).")
    return redirect("assessments:programme_detail", pk=pk)


# --- Return to run -------------------------------------------------------------------------------


def _ladder_post(
    request: HttpRequest, programme: Programme, forms: dict[str, forms_module.Form]
) -> HttpResponse | None:
    """Handle one of the ladder page's forms (`form` names it); None: show the page with its errors."""
    which = request.POST.get("form", "override")
    form = forms.get(which)
    if form is None or not form.is_valid():
        return None
    data = form.cleaned_data
    # The programme's version locks the ladder too: a check-in may have moved it since the page opened.
    version = posted_version(request, missing=STALE_VERSION)
    try:
        if which == "impact_stop":
            programme_impact_stop(
                programme=programme,
                by=request.user,
                on=data["on"],
                weeks=data["weeks"],
                note=data["note"],
                expected_version=version,
            )
            messages.success(request, "Zero-impact period recorded.")
        elif which == "impact_clear":
            programme_impact_clear(
                programme=programme,
                by=request.user,
                note=data["note"],
                on=data["on"],
                expected_version=version,
            )
            messages.success(request, "Clearance of a return to impact recorded.")
        else:
            ladder_override(
                programme=programme,
                by=request.user,
                to_stage=data["to_stage"],
                reason=data["reason"],
                expected_version=version,
            )
            messages.success(request, "Ladder override recorded.")
    except StaleVersionError:
        raise  # the ladder page shows the conflict
    except ValidationError as exc:
        form.add_error(None, exc)
        return None
    return redirect("assessments:programme_ladder", pk=programme.pk)


@staff_view(Role.THERAPIST)
def programme_ladder(request: HttpRequest, pk: int) -> HttpResponse:
    """The return-to-run ladder: the impact gate, the stage, the last decision, the history, the override."""
    programme = programme_for(request, pk)
    which = request.POST.get("form", "override") if request.method == "POST" else None
    today = local_today(programme)
    since = impact_stopped_since(programme)
    forms = {
        "override": LadderOverrideForm(
            request.POST if which == "override" else None, initial={"to_stage": programme.run_stage}
        ),
        "impact_stop": ImpactStopForm(
            request.POST if which == "impact_stop" else None,
            initial={"on": since, "weeks": programme.zero_impact_weeks},
        ),
        "impact_clear": ImpactClearForm(
            request.POST if which == "impact_clear" else None, initial={"on": today}
        ),
    }
    conflict = None
    if request.method == "POST":
        if not programme.is_active:
            return _closed(request, pk)
        try:
            response = _ladder_post(request, programme, forms)
        except StaleVersionError as exc:
            saved = {
                "override": {"to_stage": programme.run_stage, "reason": ""},
                "impact_stop": {"on": since, "weeks": programme.zero_impact_weeks, "note": ""},
                "impact_clear": {"on": programme.impact_cleared_on, "note": programme.impact_clearance_note},
            }
            form = forms.get(str(which)) or forms["override"]
            conflict = conflict_for(exc, current=programme, form=form, saved=saved.get(str(which)))
            response = None
        if response is not None:
            return response
    steps = list(programme.ladder_steps.all())
    context = {
        "programme": programme,
        "patient": programme.patient,
        "form": forms["override"],
        "stop_form": forms["impact_stop"],
        "clear_form": forms["impact_clear"],
        "stage": stage_info(programme, today=today),
        "impact_since": since,
        "ladder": RUN_LADDER,
        "decision": ladder_preview(programme),
        "last_step": steps[0] if steps else None,
        "steps": steps,
        "readiness": latest_readiness(programme),
        "checks": programme.readiness_checks.all(),
        "conflict": conflict,
        "conflict_action": LADDER_BUTTONS.get(str(which), ""),
    }
    errors = any(f.errors for f in forms.values())
    status = 409 if conflict else 400 if errors else 200
    return render(request, "assessments/programmes/ladder.html", context, status=status)


@staff_view(Role.THERAPIST)
def programme_readiness(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the readiness-to-run checklist (§8.4); passing it starts the ladder at stage 1."""
    programme = programme_for(request, pk)
    form = ReadinessForm(request.POST or None)
    if request.method == "POST":
        if not programme.is_active:
            return _closed(request, pk)
        if form.is_valid():
            try:
                check, step = readiness_record(
                    programme=programme,
                    by=request.user,
                    results=form.results(),
                    notes=form.cleaned_data["notes"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                if step is not None:
                    messages.success(request, "Readiness checklist passed: running starts at stage 1.")
                elif check.passed:
                    messages.success(
                        request, "Readiness checklist passed; running has not started (see the ladder)."
                    )
                else:
                    messages.warning(request, "Readiness checklist recorded: not passed yet.")
                return redirect("assessments:programme_ladder", pk=pk)
    context = {
        "programme": programme,
        "patient": programme.patient,
        "form": form,
        "stage": stage_info(programme, today=local_today(programme)),
    }
    return render(
        request, "assessments/programmes/readiness.html", context, status=400 if form.errors else 200
    )


# --- Alerts and notes -----------------------------------------------------------------------------


@require_POST
@staff_view(Role.THERAPIST)
def programme_alert_resolve(request: HttpRequest, pk: int, alert_pk: int) -> HttpResponse:
    programme = programme_for(request, pk)
    alert = next((a for a in programme.alerts.all() if a.pk == alert_pk), None)
    if alert is None:
        raise Http404("No such alert.")
    form = AlertResolveForm(request.POST)
    if form.is_valid():
        alert_resolve(alert=alert, by=request.user, resolution=form.cleaned_data["resolution"])
        messages.success(request, "Alert resolved.")
    else:
        messages.error(request, "Say what was done before resolving the alert.")
    if request.POST.get("next") == "list":
        return redirect("assessments:programme_list")
    return redirect("assessments:programme_detail", pk=pk)


@staff_view(Role.THERAPIST)
def programme_visit_note(request: HttpRequest, pk: int) -> HttpResponse:
    """A follow-up's note: what was done, the response, plan changes (append-only)."""
    programme = programme_for(request, pk)
    initial = {"visit_date": timezone.localdate()}
    appointment = request.GET.get("appointment", "")
    if appointment.isdigit():
        initial["appointment"] = int(appointment)
    form = VisitNoteForm(request.POST or None, programme=programme, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            visit_note_add(
                programme=programme,
                by=request.user,
                visit_date=data["visit_date"],
                done=data["done"],
                response=data["response"],
                plan_changes=data["plan_changes"],
                appointment=data["appointment"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Visit note added.")
            return redirect("assessments:programme_detail", pk=pk)
    context = {"programme": programme, "patient": programme.patient, "form": form}
    return render(
        request, "assessments/programmes/visit_note.html", context, status=400 if form.errors else 200
    )


# --- Booking ------------------------------------------------------------------------------------


@staff_view(Role.THERAPIST)
def programme_book(request: HttpRequest, pk: int) -> HttpResponse:
    """Book visits_per_week × weeks in one go; conflicts are listed per slot with alternatives."""
    programme = programme_for(request, pk)
    profile = getattr(programme.therapist, "therapist_profile", None)
    initial = {"therapist": profile, "location": profile.locations.first() if profile else None}
    form = BookVisitsForm(request.POST or None, programme=programme, initial=initial)
    report = None
    if request.method == "POST":
        if not programme.is_active:
            return _closed(request, pk)
        if form.is_valid():
            data = form.cleaned_data
            try:
                report = programme_book_visits(
                    programme=programme,
                    by=request.user,
                    therapist=data["therapist"],
                    location=data["location"],
                    appointment_type=data["appointment_type"],
                    weekdays=data["weekdays"],
                    at=data["at"],
                    reassessment_type=data["reassessment_type"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                if report.booked:
                    messages.success(request, f"{len(report.booked)} visits booked.")
                if not report.conflicts:
                    return redirect("assessments:programme_detail", pk=pk)
    context = {"programme": programme, "patient": programme.patient, "form": form, "report": report}
    return render(request, "assessments/programmes/book.html", context, status=400 if form.errors else 200)


# --- The patient's link --------------------------------------------------------------------------


@require_POST
@staff_view(Role.THERAPIST)
def programme_link(request: HttpRequest, pk: int) -> HttpResponse:
    """Email the patient a new link, or revoke every link.

    Links go only to the patient's email address on record: staff never see
    or copy one, so nobody but the patient can open the patient's pages.
    """
    programme = programme_for(request, pk)
    action = request.POST.get("action", "email")
    if action == "revoke":
        count = links_revoke(programme=programme, by=request.user)
        messages.success(request, f"{count} link{'s' if count != 1 else ''} revoked.")
        return redirect("assessments:programme_detail", pk=pk)
    try:
        programme_link_email(programme=programme, by=request.user)
    except LinkError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "An email with a new link is on its way to the patient.")
    return redirect("assessments:programme_detail", pk=pk)


# --- Outcomes and discharge --------------------------------------------------------------------


def _baseline_activities(programme: object) -> list[dict]:
    baseline = next((o for o in programme.outcomes.all() if o.timepoint == OutcomeTimepoint.BASELINE), None)
    return list(baseline.psfs) if baseline else []


@staff_view(Role.THERAPIST)
def programme_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    """Record LEFS, PSFS and worst pain at the week-4 or end re-assessment (scores computed)."""
    programme = programme_for(request, pk)
    timepoint = request.GET.get("timepoint", OutcomeTimepoint.END)
    form = OutcomeForm(
        request.POST or None,
        activities=_baseline_activities(programme),
        staff=True,
        initial={"timepoint": timepoint},
    )
    if request.method == "POST" and form.is_valid():
        try:
            outcome_record(
                programme=programme,
                timepoint=form.cleaned_data["timepoint"],
                lefs_items=form.lefs_items(),
                psfs_ratings=form.psfs_ratings(),
                nprs_worst=form.cleaned_data["nprs_worst"],
                hoos_items=form.hoos_items(),
                source=OutcomeSource.CLINICIAN,
                by=request.user,
                expected_version=posted_version(request, missing=STALE_VERSION),
            )
        except StaleVersionError as exc:
            # The patient or a colleague recorded answers meanwhile: the typed ones stay in the form.
            conflict = conflict_for(exc, current=programme)
            context = {
                "programme": programme,
                "patient": programme.patient,
                "form": form,
                "conflict": conflict,
            }
            return render(request, "assessments/programmes/outcome.html", context, status=409)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Outcome measures recorded.")
            return redirect("assessments:programme_progress", pk=pk)
    context = {"programme": programme, "patient": programme.patient, "form": form}
    return render(request, "assessments/programmes/outcome.html", context, status=400 if form.errors else 200)


@staff_view(Role.THERAPIST)
def programme_discharge_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The end: re-assessment link, goals met?, outcome change vs MCID, §8.6 criteria, home plan, close."""
    programme = programme_for(request, pk)
    if not programme.is_active:
        return render(
            request,
            "assessments/programmes/discharged.html",
            {"programme": programme, "patient": programme.patient, "summary": programme.discharge_summary},
        )
    form = DischargeForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            programme_discharge(
                programme=programme,
                by=request.user,
                reason=data["reason"],
                notes=data["notes"],
                home_plan=data["home_plan"],
                maintenance=list(data["maintenance"]),
                psfs_goals_met=data["psfs_goals_met"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Programme closed. The patient's link now shows the maintenance plan.")
            return redirect("assessments:programme_detail", pk=pk)
    context = {
        "programme": programme,
        "patient": programme.patient,
        "form": form,
        "review": discharge_review(programme),
        "open_alerts": [a for a in programme.alerts.all() if a.resolved_at is None],
        "labels": STATUS_LABELS,
        "today": local_today(programme),
    }
    return render(
        request, "assessments/programmes/discharge.html", context, status=400 if form.errors else 200
    )
