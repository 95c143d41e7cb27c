"""What each document shows, built from the record's own presenters and rules (no rule is restated here).

The letters for the referrer and the patient leave out what the clinic keeps
for itself (`Assessment.internal_notes`); the record in the access-request
pack is the patient's whole record, so it shows them, as its JSON export does.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone

from assessments.exercises.serving import image_data_uri
from assessments.imaging.choices import ImagingStatus
from assessments.models import Assessment, Programme
from assessments.programmes.charts import Chart
from assessments.programmes.choices import PhaseKind, ProgrammeStatus
from assessments.programmes.selectors import (
    StageInfo,
    patient_phase,
    phase_of,
    progress,
    stage_info,
)
from assessments.record.presenters import finding_text, lsi_text, num, record_sections
from assessments.record.selectors import has_bone_stress, hop_lsi, strength_lsi


@dataclass(frozen=True)
class LsiRow:
    label: str
    involved: str
    uninvolved: str
    lsi: str
    flagged: bool


def lsi_rows(assessment: Assessment) -> list[LsiRow]:
    """The limb symmetry table: each muscle group (and the hop for distance), involved against uninvolved."""
    rows = [
        LsiRow(
            lsi.label, finding_text(lsi.involved), finding_text(lsi.uninvolved), lsi_text(lsi), lsi.flagged
        )
        for lsi in strength_lsi(assessment)
    ]
    hop = hop_lsi(assessment)
    if hop is not None:
        rows.append(
            LsiRow(
                hop.label,
                finding_text(hop.involved),
                finding_text(hop.uninvolved),
                lsi_text(hop),
                hop.flagged,
            )
        )
    return rows


def assessment_parts(assessment: Assessment) -> dict[str, object]:
    """One signed assessment as the letters show it (loaded by selectors.assessment_for_page)."""
    return {
        "assessment": assessment,
        "sections": record_sections(assessment),
        "subjective": getattr(assessment, "subjective", None),
        "lsi_rows": lsi_rows(assessment),
        "orders": [o for o in assessment.imaging_orders.all() if o.status != ImagingStatus.CANCELLED],
        "bone_stress": has_bone_stress(assessment=assessment),
    }


def assessment_summary(assessment: Assessment) -> dict[str, object]:
    """The referrer's letter: findings, the LSI table, impression, plan, imaging orders."""
    return {"patient": assessment.patient, "printed_at": timezone.now(), **assessment_parts(assessment)}


@dataclass(frozen=True)
class TrendRow:
    label: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Trend:
    title: str
    description: str
    x_labels: tuple[str, ...]
    rows: tuple[TrendRow, ...]


def chart_trend(chart: Chart) -> Trend:
    """A progress chart as a table (the printed page has no SVG to read)."""
    rows = tuple(
        TrendRow(
            s.label,
            tuple(
                num(v.quantize(Decimal("0.1")) if isinstance(v, Decimal) else v, chart.unit) or "—"
                for v in s.values
            ),
        )
        for s in chart.series
    )
    return Trend(chart.title, chart.description, chart.x_labels, rows)


def stage_text(stage: StageInfo) -> str:
    if stage.stage:
        return f"Stage {stage.stage} of {stage.total}: {stage.label}"
    return stage.label


def discharge_report(programme: Programme) -> dict[str, object]:
    """The discharge report: goals met, outcomes against the MCID, LSI trend, run stage reached, home plan.

    `programme` is loaded by selectors.programme_for_page; the review is the
    one frozen on the programme at discharge.
    """
    data = progress(programme.pk)
    lsi_chart = next(c for c in data.charts if c.key == "lsi")
    return {
        "programme": programme,
        "patient": programme.patient,
        "summary": programme.discharge_summary or {},
        "lsi_trend": chart_trend(lsi_chart),
        "stage": stage_info(programme),
        "stage_text": stage_text(stage_info(programme)),
        "maintenance": phase_of(programme, PhaseKind.MAINTENANCE),
        "printed_at": timezone.now(),
    }


def exercise_sheet(programme: Programme, *, today: date) -> dict[str, object]:
    """The patient's sheet: this phase's exercises with dose and instructions, and this week's running limits.

    `exercises` pairs each prescription with its exercise's image as a data: URL
    (None without one; a video is not printed).
    """
    discharged = programme.status == ProgrammeStatus.DISCHARGED
    phase = patient_phase(programme)
    # The prefetched prescriptions: patient_phase leaves out what the bone-stress gate withholds.
    items = list(phase.exercises.all()) if phase is not None else []
    return {
        "programme": programme,
        "patient": programme.patient,
        "discharged": discharged,
        "phase": phase,
        "exercises": [(item, image_data_uri(item.exercise)) for item in items],
        "week": programme.week_of(today),
        "stage": None if discharged else stage_info(programme),
        "printed_at": timezone.now(),
    }
