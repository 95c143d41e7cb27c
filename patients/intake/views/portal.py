"""The patient's intake link and form (no account).

The path of a patient:
1. `intake/<token>/` (the emailed link). An open invitation's id is put in the
   session as *pending* and the browser is sent on to `intake/check/`, so the
   token leaves the address bar before any page is shown. Expired, revoked,
   locked, submitted and unknown links all get the same page (no oracle).
2. `intake/check/`: last name + date of birth, nothing about the patient shown.
   Success starts a short *intake session* bound to that one invitation
   (INTAKE_SESSION_MINUTES without activity) and redirects to the token-less
   form; failures count towards the lock, and per client address.
3. `intake/form/<step>/`: the steps, saved on "Next" (and as drafts while
   typing, by static/js/autosave.js), then review, submit and thank-you.

Referrer policy: responses of the token URL carry `Referrer-Policy:
no-referrer`, so the token can never travel in a Referer header. Pages with
forms keep the site's `same-origin` policy (no Referer ever leaves the site):
under `no-referrer` browsers send `Origin: null` with a form POST, which
Django's CSRF protection rightly refuses. Every response is `no-store`.
"""

import time
from dataclasses import asdict

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clinic.staff.access import public_view
from patients.intake.display import step_rows
from patients.intake.forms.history import IdentityCheckForm
from patients.intake.redflags import patient_advice
from patients.intake.selectors import intake_provisional_flags
from patients.intake.services.invitations import intake_invitation_find
from patients.intake.services.responses import (
    CheckResult,
    IntakeClosedError,
    IntakeConflictError,
    IntakeIncompleteError,
    draft_input,
    intake_check_identity,
    intake_draft_save,
    intake_is_open,
    intake_response_for,
    intake_step_save,
    intake_submit,
)
from patients.intake.steps import (
    REVIEW,
    STEP_COUNT,
    STEPS,
    first_unfinished,
    next_step,
    previous_step,
    step_number,
)
from patients.links import core as links
from patients.models import IntakeInvitation, IntakeResponse

PENDING = "intake_pending"  # {"id": invitation id, "until": unix time}: link opened, check not passed
BOUND = "intake"  # {"id": invitation id, "until": unix time}: identity checked
DONE = "intake_done"  # {"advice": {...}}: the thank-you page after submission
PENDING_SECONDS = 30 * 60
CHECK_ERROR = "Those details don't match our records. Check them and try again, or call us."
CONFLICT = (
    "Your answers were changed in another window or on another device since you opened this page. "
    "We've kept what you typed here: check it and press Next to save it."
)


# The shared patient-link security pieces (patients.links.core): headers, per-address limit, session binding.
_private = links.private
IP_LIMIT = links.IpLimit("intake-check")


def _page(
    request: HttpRequest,
    template: str,
    context: dict | None = None,
    *,
    status: int = 200,
    no_referrer: bool = False,
) -> HttpResponse:
    return _private(render(request, template, context or {}, status=status), no_referrer=no_referrer)


def _unavailable(request: HttpRequest) -> HttpResponse:
    """The one page for every link that can't be used: it reveals nothing."""
    return _page(request, "patients/intake/unavailable.html", no_referrer=True)


def _session_ended(request: HttpRequest) -> HttpResponse:
    return _page(request, "patients/intake/session_ended.html", status=403, no_referrer=True)


def _session_invitation(request: HttpRequest, key: str, ttl: int | None = None) -> IntakeInvitation | None:
    pk = links.session_bound(request, key)
    if pk is None:
        return None
    invitation = IntakeInvitation.objects.select_related("patient", "appointment").filter(pk=pk).first()
    if invitation is None or not intake_is_open(invitation):
        return None
    if ttl is not None:  # sliding: each request in the intake session extends it
        links.session_bind(request, key, invitation.pk, seconds=ttl)
    return invitation


def _bound(request: HttpRequest) -> IntakeInvitation | None:
    return _session_invitation(request, BOUND, ttl=settings.INTAKE_SESSION_MINUTES * 60)


def _version(request: HttpRequest) -> int:
    """The version the page was loaded with; missing or garbled counts as stale (-1)."""
    value = request.POST.get("version", "")
    return int(value) if value.isdigit() and len(value) < 10 else -1


@public_view
@require_GET
def intake_start(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed link: remember the invitation, then drop the token from the address."""
    invitation = intake_invitation_find(token)
    if invitation is None or not intake_is_open(invitation):
        return _unavailable(request)
    for key in (BOUND, DONE):
        request.session.pop(key, None)
    request.session[PENDING] = {"id": invitation.pk, "until": int(time.time()) + PENDING_SECONDS}
    return _private(redirect("patients:intake_check"), no_referrer=True)


@public_view
@require_http_methods(["GET", "POST"])
def intake_check(request: HttpRequest) -> HttpResponse:
    """Last name and date of birth, before anything else."""
    invitation = _session_invitation(request, PENDING)
    if invitation is None:
        return _unavailable(request)
    if IP_LIMIT.exceeded(request):
        return _page(request, "patients/intake/too_many.html", status=429, no_referrer=True)
    form = IdentityCheckForm(request.POST or None)
    status = 200
    if request.method == "POST":
        IP_LIMIT.count(request)
        status = 400
        if form.is_valid():
            result = intake_check_identity(
                invitation=invitation,
                last_name=form.cleaned_data["last_name"],
                date_of_birth=form.cleaned_data["date_of_birth"],
            )
            if result == CheckResult.OK:
                # A new session id once the patient is known, bound to this one invitation.
                links.session_forget(request, PENDING)
                links.session_bind(
                    request,
                    BOUND,
                    invitation.pk,
                    seconds=settings.INTAKE_SESSION_MINUTES * 60,
                    new_session=True,
                )
                return _private(redirect("patients:intake_resume"))
            if result != CheckResult.MISMATCH:
                request.session.pop(PENDING, None)
                return _unavailable(request)
            form.add_error(None, CHECK_ERROR)
    return _page(request, "patients/intake/check.html", {"form": form}, status=status)


@public_view
@require_GET
def intake_resume(request: HttpRequest) -> HttpResponse:
    """Carry on where the patient left off (the first step not yet saved)."""
    invitation = _bound(request)
    if invitation is None:
        return _session_ended(request)
    response = intake_response_for(invitation=invitation)
    step = first_unfinished(response.steps_done)
    if step == REVIEW:
        return _private(redirect("patients:intake_review"))
    return _private(redirect("patients:intake_step", step))


def _initial(form_class: type, response: IntakeResponse, step: str) -> dict[str, object]:
    """Saved answers, overlaid by the step's draft (a snapshot of the whole step as typed)."""
    initial = form_class.initial_from(response)
    draft = response.draft.get(step)
    if not draft:
        return initial
    multi = form_class.multi_valued()
    for name in form_class(patient=response.patient).fields:
        values = draft.get(name, [])
        initial[name] = values if name in multi else (values[0] if values else None)
    return initial


def _advice(response: IntakeResponse) -> object:
    return patient_advice(intake_provisional_flags(response, today=timezone.localdate()))


def _progress(step: str) -> dict[str, object]:
    return {"number": step_number(step), "total": STEP_COUNT}


@public_view
@require_http_methods(["GET", "POST"])
def intake_step(request: HttpRequest, step: str) -> HttpResponse:
    invitation = _bound(request)
    if invitation is None:
        return _session_ended(request)
    form_class = STEPS.get(step)
    if form_class is None:
        raise Http404("No such step.")
    response = intake_response_for(invitation=invitation)
    patient = invitation.patient
    status, conflict = 200, False
    if request.method == "POST":
        form = form_class(request.POST, patient=patient)
        version = _version(request)
        action = request.POST.get("action", "next")
        try:
            if action in {"back", "later"}:
                intake_draft_save(
                    response=response,
                    step=step,
                    raw=draft_input(form=form, data=request.POST),
                    version=version,
                )
                if action == "later":
                    request.session.pop(BOUND, None)
                    return _page(request, "patients/intake/saved.html", {"invitation": invitation})
                back = previous_step(step)
                return _private(redirect("patients:intake_step", back) if back else redirect(request.path))
            if form.is_valid():
                intake_step_save(response=response, step=step, answers=form.answers(), version=version)
                following = next_step(step)
                if following == REVIEW:
                    return _private(redirect("patients:intake_review"))
                return _private(redirect("patients:intake_step", following))
            status = 400
            intake_draft_save(
                response=response, step=step, raw=draft_input(form=form, data=request.POST), version=version
            )
        except IntakeConflictError:
            status, conflict = 409, True
        except IntakeClosedError:
            request.session.pop(BOUND, None)
            return _unavailable(request)
        response.refresh_from_db()
    else:
        form = form_class(initial=_initial(form_class, response, step), patient=patient)
    context = {
        "form": form,
        "step": step,
        "title": form_class.title,
        "response": response,
        "progress": _progress(step),
        "previous": previous_step(step),
        "advice": _advice(response),
        "conflict": conflict,
        "hoos": step == "outcomes" and settings.INTAKE_HOOS_ENABLED,
    }
    return _page(request, "patients/intake/step.html", context, status=status)


@public_view
@require_POST
def intake_autosave(request: HttpRequest, step: str) -> HttpResponse:
    """Keep what is typed on a step (static/js/autosave.js posts the form here)."""
    invitation = _bound(request)
    form_class = STEPS.get(step)
    if invitation is None or form_class is None:
        return _private(JsonResponse({"saved": False, "reason": "session"}, status=403))
    response = intake_response_for(invitation=invitation)
    form = form_class(request.POST, patient=invitation.patient)
    try:
        intake_draft_save(
            response=response,
            step=step,
            raw=draft_input(form=form, data=request.POST),
            version=_version(request),
        )
    except IntakeConflictError:
        return _private(JsonResponse({"saved": False, "reason": "conflict"}, status=409))
    except IntakeClosedError:
        return _private(JsonResponse({"saved": False, "reason": "session"}, status=403))
    saved_at = timezone.localtime().strftime("%H:%M")
    return _private(JsonResponse({"saved": True, "saved_at": saved_at}))


@public_view
@require_GET
def intake_review(request: HttpRequest) -> HttpResponse:
    invitation = _bound(request)
    if invitation is None:
        return _session_ended(request)
    response = intake_response_for(invitation=invitation)
    sections = [
        {
            "slug": slug,
            "title": form_class.title,
            "done": slug in response.steps_done,
            "rows": step_rows(form_class, response) if slug in response.steps_done else [],
        }
        for slug, form_class in STEPS.items()
    ]
    context = {
        "response": response,
        "sections": sections,
        "complete": all(section["done"] for section in sections),
        "progress": _progress(REVIEW),
        "advice": _advice(response),
    }
    return _page(request, "patients/intake/review.html", context)


@public_view
@require_POST
def intake_submit_view(request: HttpRequest) -> HttpResponse:
    invitation = _bound(request)
    if invitation is None:
        return _session_ended(request)
    response = intake_response_for(invitation=invitation)
    try:
        flags = intake_submit(response=response, version=_version(request))
    except IntakeIncompleteError as exc:
        messages.error(request, f"Please finish: {', '.join(STEPS[slug].title for slug in exc.missing)}.")
        return _private(redirect("patients:intake_review"))
    except IntakeConflictError:
        messages.error(
            request, "Your answers were changed on another device. Check them below, then send again."
        )
        return _private(redirect("patients:intake_review"))
    except IntakeClosedError:
        request.session.pop(BOUND, None)
        return _unavailable(request)
    request.session.pop(BOUND, None)
    advice = patient_advice(flags)
    request.session[DONE] = {"advice": asdict(advice), "until": int(time.time()) + PENDING_SECONDS}
    return _private(redirect("patients:intake_done"))


@public_view
@require_GET
def intake_done(request: HttpRequest) -> HttpResponse:
    """Thank you (and, after red-flag answers, what to do now). No answers shown."""
    data = request.session.get(DONE)
    if not isinstance(data, dict) or data.get("until", 0) < time.time():
        return _unavailable(request)
    return _page(request, "patients/intake/done.html", {"advice": data.get("advice", {})}, no_referrer=True)
