"""manage.py fhir_export: Bulk Data NDJSON per resource type, the manifest, one access event per patient."""

import json
from collections import Counter

import pytest
from django.core.management import CommandError, call_command
from fhir.resources.R4B import get_fhir_model_class

from assessments.fhir.bundle import patient_resources
from assessments.management.commands.fhir_export import VIEW_NAME
from clinic.audit.models import AccessEvent
from patients.models import Patient

pytestmark = pytest.mark.django_db


def _read(out) -> tuple[dict, dict[str, list[dict]]]:
    manifest = json.loads((out / "manifest.json").read_text())
    lines = {
        path.stem: [json.loads(line) for line in path.read_text().splitlines()]
        for path in out.glob("*.ndjson")
    }
    return manifest, lines


def test_all_patients_export_one_valid_file_per_type_that_the_manifest_counts(demo_clinic, db, tmp_path):
    out = tmp_path / "export"
    before = AccessEvent.objects.count()

    call_command("fhir_export", "--all", "--out", str(out))

    manifest, lines = _read(out)
    assert manifest["requiresAccessToken"] is False
    assert manifest["error"] == []
    assert manifest["request"].endswith("/Patient/$export")
    assert manifest["transactionTime"].endswith("+00:00")
    assert {item["type"]: item["count"] for item in manifest["output"]} == {
        t: len(r) for t, r in lines.items()
    }
    assert all(item["url"] == f"{item['type']}.ndjson" for item in manifest["output"])
    for kind, resources in lines.items():
        model = get_fhir_model_class(kind)
        for resource in resources:
            assert resource["resourceType"] == kind
            model.model_validate(resource)
    assert len(lines["Patient"]) == Patient.all_objects.count() >= 30
    assert {r["id"] for r in lines["Questionnaire"]} == {"intake", "lefs", "psfs", "hoos", "weekly-checkin"}
    assert [r["id"] for r in lines["CodeSystem"]] == ["stride"]
    every = Counter(kind for kind, resources in lines.items() for _ in resources)
    expected = Counter(r.get_resource_type() for p in Patient.all_objects.all() for r in patient_resources(p))
    assert every - Counter({"Questionnaire": 5, "CodeSystem": 1}) == expected
    # One access event per exported patient, none for anything else.
    events = AccessEvent.objects.filter(view_name=VIEW_NAME)
    assert AccessEvent.objects.count() - before == events.count() == len(lines["Patient"])
    assert sorted(events.values_list("patient_id", flat=True)) == sorted(
        Patient.all_objects.values_list("pk", flat=True)
    )
    assert set(events.values_list("object_label", "user", "ip")) == {("patients.patient", None, None)}


def test_one_patient_exports_only_their_resources_and_names_who_asked(demo_clinic, db, tmp_path):
    patient = Patient.objects.filter(programmes__isnull=False).first()
    other = Patient.objects.exclude(pk=patient.pk).first()

    call_command(
        "fhir_export", "--patient", str(patient.pk), "--out", str(tmp_path), "--by", "admin@stride.example"
    )

    manifest, lines = _read(tmp_path)
    assert [r["id"] for r in lines["Patient"]] == [str(patient.pk)]
    referenced = {
        r["subject"]["reference"] for kind, resources in lines.items() for r in resources if "subject" in r
    }
    assert referenced == {f"Patient/{patient.pk}"}
    assert manifest["request"].endswith(f"/Patient/$export?patient=Patient/{patient.pk}")
    event = AccessEvent.objects.get(view_name=VIEW_NAME)
    assert (event.patient_id, event.user.email) == (patient.pk, "admin@stride.example")
    assert not AccessEvent.objects.filter(view_name=VIEW_NAME, patient_id=other.pk).exists()


def test_an_unknown_patient_or_member_of_staff_is_refused_and_nothing_is_audited(demo_clinic, db, tmp_path):
    with pytest.raises(CommandError, match="No patient with id 999999"):
        call_command("fhir_export", "--patient", "999999", "--out", str(tmp_path))
    with pytest.raises(CommandError, match="No active member of staff"):
        call_command("fhir_export", "--all", "--out", str(tmp_path), "--by", "nobody@example.com")

    assert not AccessEvent.objects.filter(view_name=VIEW_NAME).exists()
    assert not (tmp_path / "manifest.json").exists()
