"""The exercise catalogue's pages: clinic admins add and edit exercises."""

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from assessments.exercises.choices import ExerciseCategory
from assessments.exercises.forms import ExerciseForm
from assessments.exercises.services import exercise_save
from assessments.exercises.serving import media_response
from assessments.models import Exercise
from assessments.record.choices import impression_labels
from clinic.locking import StaleVersionError, conflict_for
from clinic.staff.access import staff_view
from clinic.staff.choices import Role
from clinic.web import STALE_VERSION, posted_version


@staff_view(Role.CLINIC_ADMIN)
def exercise_list(request: HttpRequest) -> HttpResponse:
    category = request.GET.get("category", "")
    exercises = Exercise.objects.order_by("category", "name")
    if category in ExerciseCategory.values:
        exercises = exercises.filter(category=category)
    rows = [(e, impression_labels(e.contraindicated_for or ())) for e in exercises]
    context = {"rows": rows, "categories": ExerciseCategory.choices, "category": category}
    return render(request, "assessments/exercises/list.html", context)


def _too_large(request: HttpRequest) -> bool:
    """The request body is beyond the largest video and its form."""
    length = request.META.get("CONTENT_LENGTH") or "0"
    return length.isdigit() and int(length) > settings.EXERCISE_MEDIA_MAX_REQUEST_BYTES


def _size_checked(request: HttpRequest, load: Callable[[], Exercise | None]) -> HttpResponse:
    """Refuse an oversized upload before anything reads the body, then check CSRF and edit.

    The views are csrf_exempt only so that the CSRF check (which reads the
    body for its token) runs after this one: csrf_protect applies it here,
    before the exercise is looked up, so a forged post learns nothing.
    """
    if request.method == "POST" and _too_large(request):
        exercise = load()
        limit = settings.EXERCISE_MEDIA_MAX_VIDEO_BYTES // (1024 * 1024)
        refused = f"Nothing was saved: the upload is larger than the {limit} MB a video may be."
        context = {
            "form": ExerciseForm(instance=exercise or Exercise()),
            "exercise": exercise,
            "refused": refused,
        }
        return render(request, "assessments/exercises/edit.html", context, status=413)
    return csrf_protect(lambda request: _edit(request, load()))(request)


def _edit(request: HttpRequest, exercise: Exercise | None) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = ExerciseForm(data, request.FILES or None, instance=exercise or Exercise())
    if request.method == "POST" and form.is_valid():
        try:
            saved = exercise_save(
                exercise=exercise,
                values=form.values(),
                by=request.user,
                expected_version=posted_version(request, missing=STALE_VERSION) if exercise else None,
                media=form.checked_media,
                remove_media=bool(form.cleaned_data.get("remove_media")),
            )
        except StaleVersionError as exc:
            # The typed values stay; the page now carries the current version.
            current = get_object_or_404(Exercise, pk=exercise.pk)
            # A file chosen is not kept: the page asks for it again.
            form = ExerciseForm(request.POST, instance=Exercise.objects.get(pk=exercise.pk))
            conflict = conflict_for(exc, current=current, form=form)
            context = {"form": form, "exercise": current, "conflict": conflict}
            return render(request, "assessments/exercises/edit.html", context, status=409)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"{saved.name} saved.")
            return redirect("assessments:exercise_list")
    context = {"form": form, "exercise": exercise}
    return render(request, "assessments/exercises/edit.html", context, status=400 if form.errors else 200)


@staff_view(Role.CLINIC_ADMIN)
@csrf_exempt  # checked by csrf_protect in _size_checked, after the size
def exercise_new(request: HttpRequest) -> HttpResponse:
    return _size_checked(request, lambda: None)


@staff_view(Role.CLINIC_ADMIN)
@csrf_exempt  # checked by csrf_protect in _size_checked, after the size
def exercise_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _size_checked(request, lambda: get_object_or_404(Exercise, pk=pk))


@staff_view(Role.THERAPIST)
def exercise_media(request: HttpRequest, pk: int) -> HttpResponse:
    """The exercise's image or video, for the catalogue and the therapist's programme pages.

    Clinical staff only (clinic admins hold every role): the front desk does
    not see the catalogue or programmes. A catalogue file is no patient's
    record, so no access event is written; a patient's reads of it are the
    programme portal's (assessments.programmes.portal.media).
    """
    return media_response(request, get_object_or_404(Exercise, pk=pk))
