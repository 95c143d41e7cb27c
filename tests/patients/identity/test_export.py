"""The patient export covers every model that holds a patient's data, and nothing secret."""

import json

import pytest
from django.apps import apps
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models

from clinic.messaging.services import schedule_message
from patients.identity import export
from patients.intake.services.invitations import intake_invite, intake_issue_token
from patients.links.core import token_hash
from patients.models import Patient, RedFlag, ReminderPreference
from tests.factories import PatientFactory


def _holds_patient_data(model: type[models.Model], owned: set[type[models.Model]]) -> bool:
    """A foreign key (or many-to-many) to a patient-data model, or the outbox/audit style `patient_id` column."""
    fields = [*model._meta.concrete_fields, *model._meta.many_to_many]
    return any(field.is_relation and field.related_model in owned for field in fields) or any(
        field.attname == "patient_id" and not field.is_relation for field in model._meta.concrete_fields
    )


def patient_data_models() -> set[str]:
    """Patient, and every model that points at it directly or through a chain of such models."""
    owned: set[type[models.Model]] = {Patient}
    grew = True
    while grew:
        grew = False
        for model in apps.get_models():
            if model not in owned and _holds_patient_data(model, owned):
                owned.add(model)
                grew = True
    return {model._meta.label for model in owned}


def test_walk_finds_direct_indirect_and_id_only_references():
    found = patient_data_models()

    assert {
        "patients.Appointment",  # direct foreign key
        "patients.AppointmentEvent",  # through Appointment
        "assessments.Assessment",  # another app, direct
        "assessments.SingleLegStance",  # child of Assessment
        "assessments.PrescribedExercise",  # Programme → phase → prescription
        "assessments.RunLog",  # Programme → check-in → run
        "messaging.ScheduledMessage",  # patient_id column, no foreign key
        "audit.AccessEvent",
    } <= found
    assert {"staff.User", "staff.Location", "assessments.Exercise", "patients.AppointmentType"}.isdisjoint(
        found
    )


def test_every_model_with_patient_data_is_exported_or_excluded_with_a_reason():
    covered = export.export_covered_models()
    excluded = export.export_exclusions()

    missing = sorted(patient_data_models() - set(covered) - set(excluded))

    assert missing == []


def test_export_declarations_name_real_models_once():
    covered = export.export_covered_models()
    excluded = export.export_exclusions()
    known = {model._meta.label for model in apps.get_models()}

    assert sorted(set(covered) - known) == []
    assert sorted(set(excluded) - known) == []
    assert sorted(set(covered) & set(excluded)) == []
    assert [label for label, reason in excluded.items() if len(reason.split()) < 4] == []


def test_a_model_is_claimed_by_one_section():
    claims = [label for name in export.export_sections() for label in export._SECTIONS[name].models]

    assert sorted(label for label in set(claims) if claims.count(label) > 1) == []


def test_exclusion_without_reason_is_refused(monkeypatch):
    monkeypatch.setattr(export, "_EXCLUDED", dict(export._EXCLUDED))

    with pytest.raises(ValueError, match="needs a reason"):
        export.register_export_exclusions({"patients.Patient": "  "})


@pytest.mark.django_db
def test_export_holds_every_red_flag_preferences_and_messages_but_no_token_hash():
    patient = PatientFactory(email="robin@example.org")
    invitation = intake_invite(patient=patient, appointment=None, by=None)
    token = intake_issue_token(invitation=invitation, sent=False)
    flag = RedFlag.objects.create(
        patient=patient,
        flag_code="night_constant",
        source="clinician",
        action_level="urgent_medical",
        detected_at=invitation.created_at,
    )
    ReminderPreference.objects.create(
        patient=patient, category="home_exercise", opted_in=False, recorded_at=invitation.created_at
    )
    other = schedule_message(
        kind="test", to="someone@example.org", due_at=invitation.created_at, key="test:other", patient_id=None
    )

    document = json.loads(json.dumps(export.patient_export(patient=patient), cls=DjangoJSONEncoder))
    sections = document["sections"]

    assert [(f["id"], f["flag_code"], f["source_display"]) for f in sections["red_flags"]] == [
        (flag.pk, "night_constant", "Clinician")
    ]
    assert [(p["category"], p["opted_in"]) for p in sections["reminder_preferences"]] == [
        ("home_exercise", False)
    ]
    assert [(m["kind"], m["kind_display"], m["to_email"]) for m in sections["messages"]] == [
        ("intake_invitation", "Intake form invitation", "robin@example.org")
    ]
    assert other.pk not in [m["id"] for m in sections["messages"]]
    assert "key" not in sections["messages"][0]
    assert [i["id"] for i in sections["intake"]] == [invitation.pk]
    text = json.dumps(document)
    assert token_hash(token) not in text
    assert token not in text
    assert "token_hash" not in text
