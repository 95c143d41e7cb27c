"""An exercise's image or video on the patient's programme pages (the bound programme session only).

Like every page of the portal the URL carries no token, programme or patient
id of its own: `p/media/<exercise id>/` answers a session bound to one
programme (the link, then the identity check) and only for an exercise
prescribed in a phase of that programme. Any other exercise, one without
media, a session of another programme or none at all: the same 404, which
tells nothing about other programmes. The read is an access event of the
patient's record, as every bound request is.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from assessments.exercises.serving import media_response
from assessments.models import Exercise
from assessments.programmes.portal.views import FLOW
from clinic.staff.access import public_view


@public_view
@require_GET
def checkin_exercise_media(request: HttpRequest, exercise_id: int) -> HttpResponse:
    programme = FLOW.bound(request)
    if programme is None:
        raise Http404("No programme session.")
    exercise = get_object_or_404(
        Exercise.objects.exclude(media=""),
        pk=exercise_id,
        pk__in=programme.phases.values("exercises__exercise_id"),
    )
    return media_response(request, exercise)
