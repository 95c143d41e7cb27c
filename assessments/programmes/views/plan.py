"""The therapist's programme pages: dashboard, start, the programme, its plan and phases, progress.

Thin views: validate the form, call the service, message, redirect. Every
page showing one patient's programme records the read in the audit trail.
"""

from datetime import date, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from assessments.models import Assessment, Programme, ProgrammePhase
from assessments.programmes.choices import PHASE_EXIT_GATES, LadderAction, PhaseKind, ProgrammeStatus
from assessments.programmes.forms.plan import (
    BONE_STRESS_SUFFIX,
    PhaseForm,
    PhaseMoveForm,
    ProgrammeForm,
    prescription_formset,
)
from assessments.programmes.rules import RUN_LADDER, max_runs_per_week
from assessments.programmes.selectors import (
    DashboardCursor,
    dashboard,
    programme_for_page,
    progress,
    sent_checkins,
    stage_info,
    status_of,
    week_rows,
)
from assessments.programmes.services.ladder import ladder_preview
from assessments.programmes.services.plan import (
    ExerciseLine,
    contraindication_warnings,
    impression_codes,
    phase_move,
    phase_save,
    programme_start,
    programme_update,
)
from assessments.record.choices import AssessmentStatus, impression_labels
from assessments.record.selectors import has_bone_stress
from assessments.record.services.errors import StaleVersionError
from clinic.audit.services import access_record
from clinic.locking import conflict_for
from clinic.messaging.choices import MessageStatus
from clinic.messaging.models import ScheduledMessage
from clinic.messaging.services import About
from clinic.staff.access import staff_view
from clinic.staff.choices import Role
from clinic.web import STALE_VERSION, posted_version

STATUS_LABELS = {"on_track": "On track", "behind": "Behind", "attention": "Needs attention"}


def programme_for(request: HttpRequest, pk: int) -> Programme:
    """The programme with its page's data, or 404; the read is recorded in the audit trail."""
    try:
        programme = programme_for_page(pk)
    except Programme.DoesNotExist:
        raise Http404("No such programme.") from None
    access_record(request=request, patient_id=programme.patient_id, obj=programme)
    return programme


def local_today(programme: Programme) -> date:
    """Today in the programme's (clinic's) zone: programme weeks are local days."""
    return timezone.now().astimezone(ZoneInfo(programme.time_zone)).date()


# --- Dashboard ------------------------------------------------------------------------------------


@staff_view(Role.THERAPIST)
def programme_list(request: HttpRequest) -> HttpResponse:
    """The therapist's dashboard: a page of active programmes with status (attention first) and open alerts.

    `after` (the last row of the page before) turns the page; counts are of
    every programme listed, across pages.
    """
    show_all = request.GET.get("all") == "1" or not hasattr(request.user, "therapist_profile")
    after = DashboardCursor.parse(request.GET.get("after"))
    page = dashboard(
        therapist=None if show_all else request.user,
        today=timezone.localdate(),
        viewer=request.user,
        after=after,
    )
    query = {"all": "1"} if request.GET.get("all") == "1" else {}
    context = {
        "rows": page.rows,
        # The open alerts of the programmes on this page (those with one come first: attention).
        "alerts": [(row, alert) for row in page.rows for alert in row.open_alerts],
        "show_all": show_all,
        "counts": page.counts,
        "labels": STATUS_LABELS,
        "paged": after is not None,
        "first_url": request.path + ("?" + urlencode(query) if query else ""),
        "next_url": request.path + "?" + urlencode({**query, "after": str(page.after)})
        if page.after
        else None,
    }
    return render(request, "assessments/programmes/list.html", context)


# --- Start -------------------------------------------------------------------------------------------


def _next_monday() -> date:
    today = timezone.localdate()
    return today + timedelta(days=(7 - today.weekday()) % 7 or 7)


@staff_view(Role.THERAPIST)
def programme_new(request: HttpRequest, assessment_pk: int) -> HttpResponse:
    """Start a programme from a signed assessment (the plan; phases come pre-filled to edit next)."""
    assessment = get_object_or_404(Assessment.objects.select_related("patient"), pk=assessment_pk)
    access_record(request=request, patient_id=assessment.patient_id, obj=assessment)
    active = Programme.objects.filter(patient_id=assessment.patient_id, status=ProgrammeStatus.ACTIVE).first()
    if active is not None:
        messages.info(request, "This patient already has an active programme.")
        return redirect("assessments:programme_detail", pk=active.pk)
    subjective = getattr(assessment, "subjective", None)
    initial = {
        "start_date": _next_monday(),
        "goals": getattr(subjective, "goals", "") or "",
        "exercise_days": [0, 2, 4],
        # §8.3: rest days between runs (two with suspected bone stress).
        "runs_per_week": max_runs_per_week(bone_stress=has_bone_stress(assessment=assessment)),
    }
    form = ProgrammeForm(request.POST or None, initial=initial, creating=True)
    if request.method == "POST" and form.is_valid():
        try:
            programme = programme_start(assessment=assessment, by=request.user, values=form.values())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Programme started. Check the phases' exercises and doses below.")
            return redirect("assessments:programme_detail", pk=programme.pk)
    context = {
        "assessment": assessment,
        "patient": assessment.patient,
        "form": form,
        "signed": assessment.status == AssessmentStatus.SIGNED,
        "impressions": list(assessment.impressions.all()),
    }
    return render(request, "assessments/programmes/new.html", context, status=400 if form.errors else 200)


# --- The programme -----------------------------------------------------------------------------------


def _phase_rows(programme: Programme) -> list[dict[str, object]]:
    codes = impression_codes(programme.assessment)
    rows = []
    for phase in programme.phases.all():
        items = [
            (item, impression_labels(contraindication_warnings(item.exercise, codes)))
            for item in phase.exercises.all()
        ]
        rows.append(
            {
                "phase": phase,
                "items": items,
                "gate": PHASE_EXIT_GATES.get(phase.kind, ""),
                "current": phase.kind == programme.current_phase,
            }
        )
    order = {kind: i for i, kind in enumerate(PhaseKind.values)}
    return sorted(rows, key=lambda r: order[r["phase"].kind])


@staff_view(Role.THERAPIST)
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, programme_for(request, pk))


def _render_detail(
    request: HttpRequest,
    programme: Programme,
    *,
    move_form: PhaseMoveForm | None = None,
    conflict: object | None = None,
) -> HttpResponse:
    """The programme page; after a refused phase move (409) with the typed move kept."""
    today = local_today(programme)
    sent = sent_checkins(programme)
    open_alerts = [a for a in programme.alerts.all() if a.resolved_at is None]
    pending = ScheduledMessage.objects.filter(
        about_label=About.of(programme).label, about_pk=str(programme.pk), status=MessageStatus.PENDING
    ).order_by("due_at")
    context = {
        "programme": programme,
        "patient": programme.patient,
        "status": status_of(programme, sent=sent, open_alerts=open_alerts, today=today),
        "labels": STATUS_LABELS,
        "week_now": programme.week_of(today),
        "weeks": week_rows(programme, sent),
        "phases": _phase_rows(programme),
        "move_form": move_form or (PhaseMoveForm(programme=programme) if programme.is_active else None),
        "conflict": conflict,
        "stage": stage_info(programme),
        "ladder": ladder_preview(programme) if programme.is_active else None,
        "ladder_size": len(RUN_LADDER),
        "open_alerts": open_alerts,
        "resolved_alerts": [a for a in programme.alerts.all() if a.resolved_at is not None],
        "steps": list(programme.ladder_steps.all())[:10],
        "override": LadderAction.OVERRIDE,
        "pending": pending[:30],
        "pending_count": pending.count(),
        "links": programme.links.filter(revoked_at__isnull=True, expires_at__gt=timezone.now()).count(),
        "outcomes": {o.timepoint: o for o in programme.outcomes.all()},
    }
    status = 409 if conflict else 200
    return render(request, "assessments/programmes/detail.html", context, status=status)


@staff_view(Role.THERAPIST)
def programme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change the plan; reminders move with it and the change is listed in the history."""
    programme = programme_for(request, pk)
    if not programme.is_active:
        messages.info(request, "This programme is closed.")
        return redirect("assessments:programme_detail", pk=pk)
    form = ProgrammeForm(request.POST or None, instance=programme)
    status = 200
    conflict = None
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                programme_update(
                    programme=programme,
                    by=request.user,
                    expected_version=posted_version(request, missing=STALE_VERSION),
                    values=form.values(),
                )
            except StaleVersionError as exc:
                # The typed plan stays in the form; the page now names the current version.
                current = Programme.objects.get(pk=pk)
                saved = {"exercise_days": current.exercise_weekdays}
                conflict = conflict_for(exc, current=current, form=form, saved=saved)
                programme.refresh_from_db()
                status = 409
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "Programme updated; reminders moved to match.")
                return redirect("assessments:programme_detail", pk=pk)
    context = {
        "programme": programme,
        "patient": programme.patient,
        "form": form,
        "version": programme.version,
        "conflict": conflict,
    }
    return render(request, "assessments/programmes/edit.html", context, status=status)


@staff_view(Role.THERAPIST)
def phase_edit(request: HttpRequest, pk: int, phase_pk: int) -> HttpResponse:
    """A phase's weeks, aims, exercises and doses, with contraindication warnings (never a block)."""
    programme = programme_for(request, pk)
    phase = next((p for p in programme.phases.all() if p.pk == phase_pk), None)
    if phase is None:
        raise Http404("No such phase.")
    data = request.POST if request.method == "POST" else None
    form = PhaseForm(data, instance=phase, planned_weeks=programme.planned_weeks)
    bone_stress = has_bone_stress(programme=programme)
    formset = prescription_formset(phase, data, bone_stress=bone_stress)
    codes = impression_codes(programme.assessment)
    status = 200
    conflict = None
    if request.method == "POST" and programme.is_active:
        status = 400
        if form.is_valid() and formset.is_valid():
            lines = [
                ExerciseLine(f.cleaned_data["exercise"], f.dose(), f.cleaned_data["contraindication_reason"])
                for f in formset.forms
                if f.cleaned_data.get("exercise") and not f.cleaned_data.get("DELETE")
            ]
            try:
                phase_save(
                    phase=phase,
                    by=request.user,
                    expected_version=posted_version(request, missing=STALE_VERSION),
                    values=form.values(),
                    lines=lines,
                )
            except StaleVersionError as exc:
                # The programme's version locks the whole plan, this phase and its doses included.
                current = ProgrammePhase.objects.get(pk=phase.pk)
                conflict = conflict_for(exc, current=current, form=form)
                programme = programme_for_page(pk)
                status = 409
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                warned = [(line.exercise, contraindication_warnings(line.exercise, codes)) for line in lines]
                for exercise, clashes in warned:
                    if clashes:
                        messages.warning(
                            request,
                            f"{exercise.name} is usually avoided with "
                            f"{', '.join(impression_labels(clashes))}: check it suits this patient.",
                        )
                messages.success(request, f"{phase.get_kind_display()} saved.")
                return redirect("assessments:programme_detail", pk=pk)
    rows = []
    for f in formset.forms:
        exercise = f.initial.get("exercise") if not f.is_bound else (f.cleaned_data or {}).get("exercise")
        rows.append((f, impression_labels(contraindication_warnings(exercise, codes)) if exercise else []))
    context = {
        "programme": programme,
        "patient": programme.patient,
        "phase": phase,
        "form": form,
        "formset": formset,
        "rows": rows,
        "version": programme.version,
        "conflict": conflict,
        "impressions": impression_labels(sorted(codes)),
        "bone_stress": bone_stress,
        "bone_stress_suffix": BONE_STRESS_SUFFIX,
    }
    return render(request, "assessments/programmes/phase.html", context, status=status)


@require_POST
@staff_view(Role.THERAPIST)
def programme_phase_move(request: HttpRequest, pk: int) -> HttpResponse:
    programme = programme_for(request, pk)
    form = PhaseMoveForm(request.POST, programme=programme)
    if form.is_valid():
        try:
            phase_move(
                programme=programme,
                by=request.user,
                kind=form.cleaned_data["kind"],
                note=form.cleaned_data["note"],
                expected_version=posted_version(request, missing=STALE_VERSION),
            )
        except StaleVersionError as exc:
            current = programme_for_page(pk)  # this request's access is already recorded
            form = PhaseMoveForm(request.POST, programme=current)
            saved = {"kind": current.current_phase, "note": ""}
            conflict = conflict_for(exc, current=current, form=form, saved=saved)
            return _render_detail(request, current, move_form=form, conflict=conflict)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"Moved to {PhaseKind(form.cleaned_data['kind']).label.lower()}.")
    else:
        messages.error(request, "Choose a phase.")
    return redirect("assessments:programme_detail", pk=pk)


# --- Progress ------------------------------------------------------------------------------------------


@staff_view(Role.THERAPIST)
def programme_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """Charts over weeks (server-side SVG) with their numbers in a table; one query set per page."""
    try:
        data = progress(pk)
    except Programme.DoesNotExist:
        raise Http404("No such programme.") from None
    programme = data.programme
    access_record(request=request, patient_id=programme.patient_id, obj=programme)
    context = {"programme": programme, "patient": programme.patient, "progress": data, "charts": data.charts}
    return render(request, "assessments/programmes/progress.html", context)
