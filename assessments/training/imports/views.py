"""Import runs from the watch, on the programme link's session: upload → preview → confirm.

1. `p/log/import/`: the patient chooses one or several files. They are read
   in memory by `MemoryUploads` (never written to disk), parsed, and dropped;
   what was read goes into the session as the preview (`stash`).
2. `p/log/import/preview/`: what will be added, what merges with which saved
   run, what was refused and why. Confirming posts the preview's id and the
   runs ticked; `runs_import` saves them in one transaction.
3. `p/log/import/cancel/`: forget the preview.

No URL carries a programme, patient or run id: the bound session names the
programme, and the preview belongs to that session and programme only.
"""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from assessments.models import Programme
from assessments.programmes.portal.views import FLOW
from assessments.training.choices import RunSurface
from assessments.training.imports.activity import ImportProblem
from assessments.training.imports.forms import ImportForm
from assessments.training.imports.plan import Upload
from assessments.training.imports.presenters import distance_text, patient_wording, preview_rows, when_text
from assessments.training.imports.services import import_plan, runs_import
from assessments.training.imports.stash import DONE_KEY, Stash, stash_drop, stash_get, stash_put
from assessments.training.imports.upload import display_name, parse_upload
from assessments.training.imports.uploads import MAX_UPLOAD_MB, MemoryUploads
from assessments.training.selectors import preferences_of
from clinic.staff.access import public_view
from patients.links import core as links

# Runs older than this are left out of an upload (a Strava export holds the whole history).
IMPORT_DAYS = 365
# More than this in one upload is refused: a year of runs twice a day fits.
MAX_ACTIVITIES = 1000
UPLOAD_PAGE = "assessments/training/imports/upload.html"
PREVIEW_PAGE = "assessments/training/imports/preview.html"


def _stash(request: HttpRequest, programme: Programme) -> Stash | None:
    return stash_get(request, programme_id=programme.pk, patient_id=programme.patient_id)


def _upload_page(
    request: HttpRequest, programme: Programme, form: ImportForm, *, status: int = 200
) -> HttpResponse:
    context = {
        "programme": programme,
        "form": form,
        "done": request.session.pop(DONE_KEY, None) if request.method == "GET" else None,
        "waiting": _stash(request, programme) is not None,
    }
    return FLOW.page(request, UPLOAD_PAGE, context, status=status)


@public_view
@csrf_exempt  # the upload handler must be set before the body is read; _import_upload checks CSRF
@require_http_methods(["GET", "POST"])
def training_import(request: HttpRequest) -> HttpResponse:
    """The upload form; a POST reads the files (in memory only) into a preview."""
    if request.method == "POST":
        handler = MemoryUploads(request)
        request.upload_handlers = [handler]
        return _import_upload(request, handler)
    programme = FLOW.bound(request)
    if programme is None:
        return FLOW.session_ended(request)
    return _upload_page(request, programme, ImportForm())


@csrf_protect
def _import_upload(request: HttpRequest, handler: MemoryUploads) -> HttpResponse:
    programme = FLOW.bound(request)
    if programme is None:
        return FLOW.session_ended(request)
    form = ImportForm(request.POST, request.FILES)
    valid = form.is_valid()
    if valid and handler.over_total:
        form.add_error(
            "uploads",
            _("These files are larger than %(mb)s MB together: upload fewer at a time.")
            % {"mb": MAX_UPLOAD_MB},
        )
        valid = False
    if not valid:
        return _upload_page(request, programme, form, status=400)
    tz = ZoneInfo(programme.time_zone)
    now = timezone.now()
    since = now.astimezone(tz).date() - timedelta(days=IMPORT_DAYS)
    uploads: list[Upload] = []
    problems: list[ImportProblem] = []
    notes: list[str] = []
    wording = patient_wording()
    for index, upload in enumerate(form.cleaned_data["uploads"]):
        data = upload.read()
        result = parse_upload(
            upload.name or "", data, now=now, tz=tz, since=since, size=upload.size, wording=wording
        )
        del data
        uploads.extend(
            Upload(key=f"{index}-{number}", file_name=display_name(upload.name or ""), activity=activity)
            for number, activity in enumerate(result.activities)
        )
        problems.extend(result.errors)
        notes.extend(result.notes)
    if len(uploads) > MAX_ACTIVITIES:
        form.add_error(
            "uploads",
            _(
                "These files hold %(count)s runs, more than the %(top)s one import takes: upload fewer at a time."
            )
            % {"count": f"{len(uploads):,}", "top": f"{MAX_ACTIVITIES:,}"},
        )
        return _upload_page(request, programme, form, status=400)
    stash_put(
        request,
        programme_id=programme.pk,
        patient_id=programme.patient_id,
        uploads=uploads,
        problems=problems,
        notes=notes,
    )
    return links.private(redirect("assessments:training_import_preview"))


def _preview_page(
    request: HttpRequest, programme: Programme, stash: Stash, *, status: int = 200, **extra: object
) -> HttpResponse:
    patient = programme.patient
    unit = preferences_of(patient).distance_unit
    tz = ZoneInfo(programme.time_zone)
    plan = import_plan(patient=patient, programme=programme, uploads=stash.uploads)
    runs, merges = preview_rows(
        plan, unit=unit, tz=tz, surfaces={value: str(label) for value, label in RunSurface.choices}
    )
    context = {
        "programme": programme,
        "preview_id": stash.preview_id,
        "runs": runs,
        "merges": merges,
        "problems": stash.problems,
        "notes": stash.notes,
        **extra,
    }
    return FLOW.page(request, PREVIEW_PAGE, context, status=status)


@public_view
@require_http_methods(["GET", "POST"])
def training_import_preview(request: HttpRequest) -> HttpResponse:
    """What the upload would add and merge; confirming saves it all in one transaction."""
    programme = FLOW.bound(request)
    if programme is None:
        return FLOW.session_ended(request)
    stash = _stash(request, programme)
    if stash is None:
        return links.private(redirect("assessments:training_import"))
    if request.method == "GET":
        return _preview_page(request, programme, stash)
    keys = set(request.POST.getlist("add"))
    if request.POST.get("preview") != stash.preview_id:
        # Another tab uploaded since this page was shown: show the newer preview instead.
        return _preview_page(request, programme, stash, status=409, replaced=True)
    try:
        outcome = runs_import(
            patient=programme.patient, programme=programme, uploads=stash.uploads, keys=keys
        )
    except ValidationError as exc:
        return _preview_page(request, programme, stash, status=400, refused=exc.messages, ticked=keys)
    stash_drop(request)
    unit = preferences_of(programme.patient).distance_unit
    tz = ZoneInfo(programme.time_zone)
    request.session[DONE_KEY] = {
        "added": [
            {"id": run.pk, "text": f"{when_text(run.started_at, tz)}: {distance_text(run.distance_m, unit)}"}
            for run in outcome.added
        ],
        "merged": outcome.merged,
        "filled": outcome.filled,
    }
    return links.private(redirect("assessments:training_import"))


@public_view
@require_POST
def training_import_cancel(request: HttpRequest) -> HttpResponse:
    """Forget the preview: nothing was saved."""
    programme = FLOW.bound(request)
    if programme is None:
        return FLOW.session_ended(request)
    stash_drop(request)
    return links.private(redirect("assessments:training_import"))
