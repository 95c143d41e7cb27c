"""The training timeline: the therapist's page per programme, and the patient's own page by the programme link.

Both read the same timeline (timeline.timeline) and are audited: the
therapist's read through access_record (which applies the care-team rule),
the patient's through the link's bound session (patients.links.flow).
"""

from datetime import date
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from assessments.models import Programme, ProgrammeAlert
from assessments.programmes.choices import ProgrammeStatus
from assessments.programmes.portal.views import FLOW
from assessments.programmes.selectors import stage_info
from assessments.training.attention import ACWR_ALERT_ABOVE, KINDS
from assessments.training.charts import band_svg, bars_svg, lines_svg
from assessments.training.selectors import preferences_of
from assessments.training.timeline import Timeline, timeline
from clinic.audit.services import access_record
from clinic.staff.access import public_view, staff_view
from clinic.staff.choices import Role

TRAINING_KINDS = tuple(str(kind) for kind in KINDS.values())


def _today(programme: Programme) -> date:
    return timezone.now().astimezone(ZoneInfo(programme.time_zone)).date()


def _svgs(data: Timeline) -> dict[str, object]:
    """The timeline's charts as SVG: the distance bars with events, then the pain and load charts."""
    acwr = band_svg(
        data.acwr_chart,
        band_from=ACWR_ALERT_ABOVE,
        band_label=f"Above {ACWR_ALERT_ABOVE}: the alert level",
        reference=Decimal(1),
    )
    return {
        "distance_svg": bars_svg(
            data.distance_chart, markers=data.markers, marked=data.cutbacks, marked_label="cutback week"
        ),
        "charts": [(data.pain_chart, lines_svg(data.pain_chart)), (data.acwr_chart, acwr)],
    }


@staff_view(Role.THERAPIST)
@require_GET
def training_timeline(request: HttpRequest, pk: int) -> HttpResponse:
    """The patient's training log over the weeks: distance, pain, load, events, patterns and alerts."""
    programme = Programme.objects.select_related("patient", "therapist").filter(pk=pk).first()
    if programme is None:
        raise Http404("No such programme.")
    access_record(request=request, patient_id=programme.patient_id, obj=programme)
    patient = programme.patient
    unit = preferences_of(patient).distance_unit
    data = timeline(patient, today=_today(programme), unit=unit)
    open_alerts = list(
        ProgrammeAlert.objects.filter(programme=programme, kind__in=TRAINING_KINDS, resolved_at__isnull=True)
    )
    context = {
        "programme": programme,
        "patient": patient,
        "timeline": data,
        "open_alerts": open_alerts,
        **_svgs(data),
    }
    return render(request, "assessments/training/timeline.html", context)


@public_view
@require_GET
def training_timeline_patient(request: HttpRequest) -> HttpResponse:
    """The patient's own timeline in plain words: their weeks, what the log shows, their shoes, this week's limits."""
    programme = FLOW.bound(request)
    if programme is None:
        return FLOW.session_ended(request)
    patient = programme.patient
    unit = preferences_of(patient).distance_unit
    data = timeline(patient, today=_today(programme), unit=unit)
    active = programme.status == ProgrammeStatus.ACTIVE
    context = {
        "programme": programme,
        "first_name": patient.preferred_name or patient.first_name,
        "timeline": data,
        "stage": stage_info(programme) if active else None,
        "runs_per_week": programme.runs_per_week,
        **_svgs(data),
    }
    return FLOW.page(request, "assessments/training/portal/timeline.html", context)
