"""The patient's bundle: validated, references resolving inside it, the same ids as the resources."""

import pytest
from fhir.resources.R4B.bundle import Bundle

from assessments.fhir.bundle import RESOURCE_TYPES, patient_bundle, patient_resources, unresolved_references
from patients.booking.choices import AppointmentStatus
from patients.models import Patient

pytestmark = pytest.mark.django_db


def test_every_demo_patient_exports_a_valid_bundle_whose_references_resolve(demo_clinic, db):
    patients = list(Patient.all_objects.order_by("pk"))
    assert len(patients) == 30

    for patient in patients:
        bundle = patient_bundle(patient)

        parsed = Bundle.model_validate(bundle)
        assert parsed.type == "collection"
        assert unresolved_references(bundle) == set()
        types = {entry["resource"]["resourceType"] for entry in bundle["entry"]}
        assert types <= set(RESOURCE_TYPES)
        ids = [f"{e['resource']['resourceType']}/{e['resource']['id']}" for e in bundle["entry"]]
        assert len(ids) == len(set(ids))
        assert ids[0] == f"Patient/{patient.pk}"
        assert ids == [f"{r.get_resource_type()}/{r.id}" for r in patient_resources(patient)]


def test_appointments_carry_their_mapped_status(demo_clinic, db):
    expected = {"booked": "booked", "arrived": "arrived", "completed": "fulfilled", "cancelled": "cancelled"}
    expected["no_show"] = "noshow"
    patient = Patient.objects.filter(appointments__status=AppointmentStatus.COMPLETED).first()

    resources = patient_resources(patient, resource_types={"Appointment", "Encounter"})

    appointments = {r.id: r for r in resources if r.get_resource_type() == "Appointment"}
    assert {int(i) for i in appointments} == set(patient.appointments.values_list("pk", flat=True))
    for appointment in patient.appointments.all():
        assert appointments[str(appointment.pk)].status == expected[appointment.status]
    encounters = [r for r in resources if r.get_resource_type() == "Encounter"]
    completed = patient.appointments.filter(status=AppointmentStatus.COMPLETED)
    assert sorted(e.id for e in encounters) == sorted(str(a.pk) for a in completed)
    assert all(e.appointment[0].reference == f"Appointment/{e.id}" for e in encounters)
