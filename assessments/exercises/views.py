"""The exercise catalogue's pages: clinic admins add and edit exercises."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from assessments.exercises.choices import ExerciseCategory
from assessments.exercises.forms import ExerciseForm
from assessments.exercises.services import exercise_save
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


def _edit(request: HttpRequest, exercise: Exercise | None) -> HttpResponse:
    form = ExerciseForm(request.POST or None, instance=exercise or Exercise())
    if request.method == "POST" and form.is_valid():
        try:
            saved = exercise_save(
                exercise=exercise,
                values=form.values(),
                by=request.user,
                expected_version=posted_version(request, missing=STALE_VERSION) if exercise else None,
            )
        except StaleVersionError as exc:
            # The typed values stay; the page now carries the current version.
            current = get_object_or_404(Exercise, pk=exercise.pk)
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
def exercise_new(request: HttpRequest) -> HttpResponse:
    return _edit(request, None)


@staff_view(Role.CLINIC_ADMIN)
def exercise_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _edit(request, get_object_or_404(Exercise, pk=pk))
