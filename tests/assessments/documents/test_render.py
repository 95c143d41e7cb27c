"""The three letters as PDF, rendered for demo patients and read back with pypdf."""

import time
from decimal import Decimal

import pytest
from django.utils import timezone

from assessments.demo.assessments import DEMO_INTERNAL_NOTE
from assessments.documents import presenters
from assessments.documents.emails import discharge_report_pdf
from assessments.documents.render import local_only, render_pdf
from assessments.programmes.selectors import programme_for_page
from assessments.record.selectors import assessment_for_page
from tests.assessments.documents.conftest import one_line, pdf_pages

pytestmark = pytest.mark.django_db


def _head(patient) -> str:
    return f"{patient.full_name}, born {patient.date_of_birth:%-d %b %Y}"


def test_assessment_summary_has_findings_lsi_impression_plan_and_imaging(with_imaging):
    assessment = assessment_for_page(with_imaging.pk)
    started = time.monotonic()
    content = render_pdf(
        "assessments/documents/assessment_summary.html", presenters.assessment_summary(assessment)
    )
    assert time.monotonic() - started < 5
    pages = pdf_pages(content)
    text = one_line(" ".join(pages))
    for heading in (
        "Physiotherapy assessment summary",
        "Objective examination",
        "Limb symmetry (LSI)",
        "Clinical impression",
        "Plan",
        "Imaging orders",
    ):
        assert heading in text
    assert "Femoral neck bone stress injury? Grade if present." in text  # the MRI order's question
    assert "Stop running now; walking only if pain-free" in text  # the plan
    assert assessment.impressions.get(is_primary=True).get_code_display() in text
    assert "Stride Running Injury Clinic" in text and "1 Riverside Walk" in text  # letterhead
    assert assessment.internal_notes == DEMO_INTERNAL_NOTE  # in the record, never in the letter
    assert DEMO_INTERNAL_NOTE not in text and "RED-S before raising" not in text


def test_assessment_summary_lsi_table_shows_the_record_s_lsi(demo_clinic):
    from assessments.models import Assessment
    from assessments.record.presenters import lsi_text
    from assessments.record.selectors import strength_lsi

    assessment = next(
        a
        for a in map(
            assessment_for_page, Assessment.objects.filter(status="signed").values_list("pk", flat=True)
        )
        if any(lsi.percent is not None for lsi in strength_lsi(a))
    )
    lsi = next(lsi for lsi in strength_lsi(assessment) if lsi.percent is not None)
    text = one_line(
        " ".join(
            pdf_pages(
                render_pdf(
                    "assessments/documents/assessment_summary.html", presenters.assessment_summary(assessment)
                )
            )
        )
    )
    assert f"{lsi.label} " in text and lsi_text(lsi) in text


def test_discharge_report_has_goals_mcid_lsi_trend_stage_and_home_plan(discharged):
    programme = programme_for_page(discharged.pk)
    started = time.monotonic()
    pages = pdf_pages(discharge_report_pdf(programme.pk))
    assert time.monotonic() - started < 5
    text = one_line(" ".join(pages))
    for heading in (
        "Discharge report",
        "Goals met",
        "Outcome change against the MCID",
        "Limb symmetry (LSI) trend",
        "Return to running",
        "Home plan",
    ):
        assert heading in text
    summary = programme.discharge_summary
    assert all(f"{c['change']} {c['verdict']}" in text for c in summary["outcomes"])
    assert "much better (MCID 2 points or 33 %)" in text  # the demo's worst pain, 6 → 1
    assert summary["goals"] and all(g["label"] in text for g in summary["goals"])
    stage = presenters.stage_info(programme)
    assert f"Stage {stage.stage} of {stage.total}: {stage.label}" in text
    assert programme.assessment.internal_notes == DEMO_INTERNAL_NOTE
    assert "Build running by no more than 10 % a week." in text
    maintenance = programme.phases.get(kind="maintenance").exercises.select_related("exercise")
    assert maintenance and all(f"{i.exercise.name}: {i.dose_text}" in text for i in maintenance)
    assert DEMO_INTERNAL_NOTE not in text


def test_exercise_sheet_has_doses_instructions_and_this_week_s_limits(demo_clinic):
    from assessments.models import Programme

    programme = programme_for_page(
        Programme.objects.filter(status="active", run_stage__gte=1).values_list("pk", flat=True)[0]
    )
    context = presenters.exercise_sheet(programme, today=timezone.localdate())
    text = one_line(" ".join(pdf_pages(render_pdf("assessments/documents/exercise_sheet.html", context))))
    assert "Your home exercises" in text and "This week's limits" in text
    item = context["phase"].exercises.all()[0]
    assert item.exercise.name in text
    assert one_line(item.dose_text) in text
    assert one_line(item.exercise.instructions)[:60] in text
    stage = context["stage"]
    assert f"stage {stage.stage} of {stage.total}, {stage.label}" in text
    assert f"Up to {programme.runs_per_week} runs a week" in text
    assert DEMO_INTERNAL_NOTE not in text


def test_every_page_carries_the_patient_s_name_date_of_birth_and_page_number(demo_clinic):
    from assessments.documents.services import record_pdf
    from assessments.models import Assessment

    patient = Assessment.objects.filter(status="signed").first().patient
    pages = pdf_pages(record_pdf(patient))
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert _head(patient) in one_line(page)
        assert f"Page {number} of {len(pages)}" in one_line(page)


def test_letters_load_local_static_files_only(settings):
    from pathlib import Path

    static = Path(settings.BASE_DIR) / "static"
    assert (
        local_only((static / "css" / "documents.css").as_uri()) == (static / "css" / "documents.css").as_uri()
    )
    assert local_only("data:text/css,p{}") == "data:text/css,p{}"
    for url in (
        "https://example.com/x.css",
        "http://169.254.169.254/",
        "file:///etc/passwd",
        (static / ".." / "clinic" / "settings.py").as_uri(),
    ):
        with pytest.raises(ValueError):
            local_only(url)


def test_letters_are_tagged_pdf_with_a_language_and_a_title(discharged):
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(discharge_report_pdf(discharged.pk)))
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog  # tagged: headings, tables and reading order
    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert str(catalog["/Lang"]) == "en-GB"
    assert reader.metadata.title == "Discharge report · Stride Running Injury Clinic"


def test_the_discharge_report_s_lsi_trend_has_each_signed_assessment_s_lsi(demo_clinic):
    from assessments.models import Programme
    from assessments.record.selectors import strength_lsi

    # The demo's re-assessed patient: abductor strength on both sides at the start and the re-assessment.
    programme = next(
        p
        for p in map(programme_for_page, Programme.objects.values_list("pk", flat=True))
        if any(lsi.percent is not None for lsi in strength_lsi(assessment_for_page(p.assessment_id)))
    )
    context = presenters.discharge_report(programme)
    text = one_line(" ".join(pdf_pages(render_pdf("assessments/documents/discharge_report.html", context))))
    trend = context["lsi_trend"]
    assert trend.rows and len(trend.x_labels) >= 1
    lsi = next(x for x in strength_lsi(assessment_for_page(programme.assessment_id)) if x.percent is not None)
    row = next(r for r in trend.rows if r.label == lsi.label)
    assert row.values[0] == f"{lsi.percent.quantize(Decimal('0.1'))} %"
    assert f"{row.label} {' '.join(row.values)}" in text


def test_with_suspected_bone_stress_the_sheet_says_not_to_run_and_lists_no_impact_work(demo_clinic):
    from assessments.models import Programme

    programme = programme_for_page(Programme.objects.get(bone_stress=True).pk)
    context = presenters.exercise_sheet(programme, today=timezone.localdate())
    text = one_line(" ".join(pdf_pages(render_pdf("assessments/documents/exercise_sheet.html", context))))
    assert context["stage"].impact_allowed is False
    assert "Please don't run, jog, jump or hop for now." in text
    assert "Running: stage" not in text and "Up to " not in text
    # The patient's phase as their page shows it: impact exercises wait for the gate.
    assert all(item.exercise.name in text for item in context["phase"].exercises.all())
