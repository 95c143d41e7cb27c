"""The demo clinic's documents: an answered access request and an emailed discharge report, once."""

import pytest

from assessments.demo import assessments as demo_assessments
from assessments.demo import documents as demo_documents
from assessments.demo import programmes as demo_programmes
from assessments.models import AccessRequest, DocumentSend, Programme
from clinic.staff import demo as staff_demo

pytestmark = pytest.mark.django_db


def test_the_demo_answers_one_access_request_and_emails_one_report_once(demo_diary):
    staff_demo.load()
    demo_diary(patients=5, weeks_ago=8)
    demo_assessments.load()
    demo_programmes.load()

    assert demo_documents.load() == 1
    assert demo_documents.load() == 0

    programme = Programme.objects.get(status="discharged")
    (request,) = AccessRequest.objects.all()
    assert request.patient == programme.patient and request.produced_by.email == "admin@stride.example"
    assert [f["name"] for f in request.files] == ["fhir-bundle.json", "record.pdf", "export.json"]
    (send,) = DocumentSend.objects.all()
    assert (send.programme, send.recipient, send.to_email) == (programme, "patient", programme.patient.email)
    assert send.message.kind == "discharge_report" and send.message.status == "pending"
