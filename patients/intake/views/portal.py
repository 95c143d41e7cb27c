"""The patient's intake link and form (no account).

The path of a patient, on the shared link flow (patients.links.flow):
1. `intake/<token>/` (the emailed link) keeps an open invitation as pending and
   goes on to `intake/check/`; expired, revoked, locked, submitted and unknown
   links all get the same page.
2. `intake/check/`: last name + date of birth (then, on a browser new to the
   patient, `intake/code/`: the one-time code emailed to them). Success
   starts a short *intake session* bound to that one invitation
   (INTAKE_SESSION_MINUTES without activity) and goes on to the token-less form.
3. `intake/form/<step>/`: the steps, saved on "Next" (and as drafts while
   typing, by static/js/autosave.js), then review, submit and thank-you.
"""

import time
from dataclasses import asdict
from datetime import date

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from clinic import locality
from clinic.dates import format_date
from clinic.staff.access import public_view
from clinic.web import STALE_VERSION, posted_version
from patients.intake.display import step_rows
from patients.intake.redflags import PatientAdvice, patient_advice
from patients.intake.selectors import intake_provisional_flags, privacy_notice_in_force
from patients.intake.services.responses import (
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
    intake_token_usable,
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
from patients.links.core import CheckResult, private
from patients.links.flow import LinkFlow, LinkPages, Portal
from patients.models import IntakeInvitation, IntakeLinkToken, IntakeResponse

DONE = "intake_done"  # {"advice": {...}, "until": unix time}: the thank-you page after submission
DONE_SECONDS = 30 * 60


def _check_identity(*, link: IntakeLinkToken, last_name: str, date_of_birth: date) -> CheckResult:
    return intake_check_identity(
        invitation=link.invitation, last_name=last_name, date_of_birth=date_of_birth, token=link
    )


# Each emailed token is a link; every one of an invitation opens a session bound to that invitation.
FLOW = LinkFlow(
    Portal(
        name="intake",
        link_model=IntakeLinkToken,
        link_related=("invitation__patient", "invitation__appointment"),
        link_usable=intake_token_usable,
        check_identity=_check_identity,
        record_model=IntakeInvitation,
        record_related=("patient", "appointment"),
        record_of=lambda link: link.invitation_id,
        record_reachable=intake_is_open,
        check_url="patients:intake_check",
        code_url="patients:intake_code",
        home_url="patients:intake_resume",
        link_patient=lambda link: link.invitation.patient_id,
        link_staff_issued=lambda link: link.staff_issued,
        session_data=(DONE,),
        pages=LinkPages(title=_("Your questionnaire"), wording="patients/intake/_link_wording.html"),
    )
)


@public_view
@require_GET
def intake_start(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed link: remember the invitation, then drop the token from the address."""
    return FLOW.start(request, token)


@public_view
@require_http_methods(["GET", "POST"])
def intake_check(request: HttpRequest) -> HttpResponse:
    """Last name and date of birth, before anything else."""
    return FLOW.check(request)


@public_view
@require_http_methods(["GET", "POST"])
def intake_code(request: HttpRequest) -> HttpResponse:
    """The one-time code emailed to the patient, on a browser that has not given one before."""
    return FLOW.code(request)


@public_view
@require_GET
def intake_resume(request: HttpRequest) -> HttpResponse:
    """Carry on where the patient left off (the first step not yet saved)."""
    invitation = FLOW.bound(request)
    if invitation is None:
        return FLOW.session_ended(request)
    response = intake_response_for(invitation=invitation)
    step = first_unfinished(response.steps_done)
    if step == REVIEW:
        return private(redirect("patients:intake_review"))
    return private(redirect("patients:intake_step", step))


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


def _patient_advice(flags: list) -> PatientAdvice:
    """What the patient is told, in their language and with the clinic's country's words."""
    return patient_advice(flags, words=locality.current().words(), translate=gettext)


def _advice(response: IntakeResponse) -> object:
    return _patient_advice(intake_provisional_flags(response, today=timezone.localdate()))


def _progress(step: str) -> dict[str, object]:
    return {"number": step_number(step), "total": STEP_COUNT}


@public_view
@require_http_methods(["GET", "POST"])
def intake_step(request: HttpRequest, step: str) -> HttpResponse:
    invitation = FLOW.bound(request)
    if invitation is None:
        return FLOW.session_ended(request)
    form_class = STEPS.get(step)
    if form_class is None:
        raise Http404("No such step.")
    response = intake_response_for(invitation=invitation)
    patient = invitation.patient
    status, conflict = 200, False
    if request.method == "POST":
        form = form_class(request.POST, patient=patient)
        version = posted_version(request, missing=STALE_VERSION)
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
                    FLOW.forget(request)
                    return FLOW.page(request, "patients/intake/saved.html", {"invitation": invitation})
                back = previous_step(step)
                return private(redirect("patients:intake_step", back) if back else redirect(request.path))
            if form.is_valid():
                intake_step_save(response=response, step=step, answers=form.answers(), version=version)
                following = next_step(step)
                if following == REVIEW:
                    return private(redirect("patients:intake_review"))
                return private(redirect("patients:intake_step", following))
            status = 400
            intake_draft_save(
                response=response, step=step, raw=draft_input(form=form, data=request.POST), version=version
            )
        except IntakeConflictError:
            status, conflict = 409, True
        except IntakeClosedError:
            FLOW.forget(request)
            return FLOW.unavailable(request)
        response.refresh_from_db()
    else:
        form = form_class(initial=_initial(form_class, response, step), patient=patient)
    form.describe()
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
        "notice": privacy_notice_in_force() if step == "consent" else None,
    }
    return FLOW.page(request, "patients/intake/step.html", context, status=status)


@public_view
@require_POST
def intake_autosave(request: HttpRequest, step: str) -> HttpResponse:
    """Keep what is typed on a step (static/js/autosave.js posts the form here)."""
    invitation = FLOW.bound(request)
    form_class = STEPS.get(step)
    if invitation is None or form_class is None:
        return private(JsonResponse({"saved": False, "reason": "session"}, status=403))
    response = intake_response_for(invitation=invitation)
    form = form_class(request.POST, patient=invitation.patient)
    try:
        intake_draft_save(
            response=response,
            step=step,
            raw=draft_input(form=form, data=request.POST),
            version=posted_version(request, missing=STALE_VERSION),
        )
    except IntakeConflictError:
        return private(JsonResponse({"saved": False, "reason": "conflict"}, status=409))
    except IntakeClosedError:
        return private(JsonResponse({"saved": False, "reason": "session"}, status=403))
    saved_at = format_date(timezone.localtime(), "time")
    return private(JsonResponse({"saved": True, "saved_at": saved_at}))


@public_view
@require_GET
def intake_review(request: HttpRequest) -> HttpResponse:
    invitation = FLOW.bound(request)
    if invitation is None:
        return FLOW.session_ended(request)
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
    return FLOW.page(request, "patients/intake/review.html", context)


@public_view
@require_POST
def intake_submit_view(request: HttpRequest) -> HttpResponse:
    invitation = FLOW.bound(request)
    if invitation is None:
        return FLOW.session_ended(request)
    response = intake_response_for(invitation=invitation)
    try:
        flags = intake_submit(response=response, version=posted_version(request, missing=STALE_VERSION))
    except IntakeIncompleteError as exc:
        missing = ", ".join(str(STEPS[slug].title) for slug in exc.missing)
        messages.error(request, gettext("Please finish: %(steps)s.") % {"steps": missing})
        return private(redirect("patients:intake_review"))
    except IntakeConflictError:
        messages.error(
            request,
            gettext("Your answers were changed on another device. Check them below, then send again."),
        )
        return private(redirect("patients:intake_review"))
    except IntakeClosedError:
        FLOW.forget(request)
        return FLOW.unavailable(request)
    FLOW.forget(request)
    advice = _patient_advice(flags)
    request.session[DONE] = {"advice": asdict(advice), "until": int(time.time()) + DONE_SECONDS}
    return private(redirect("patients:intake_done"))


@public_view
@require_GET
def intake_done(request: HttpRequest) -> HttpResponse:
    """Thank you (and, after red-flag answers, what to do now). No answers shown."""
    data = request.session.get(DONE)
    if not isinstance(data, dict) or data.get("until", 0) < time.time():
        return FLOW.unavailable(request)
    return FLOW.page(
        request, "patients/intake/done.html", {"advice": data.get("advice", {})}, no_referrer=True
    )
