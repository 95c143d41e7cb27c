"""Emailing the discharge report: recipients typed twice and confirmed, sent through the outbox with the PDF."""

import pytest
from django.urls import reverse

from assessments.demo.assessments import DEMO_INTERNAL_NOTE
from assessments.messages import AssessmentMessageKind
from assessments.models import DocumentSend
from clinic.messaging.models import ScheduledMessage
from clinic.messaging.services import Delivery, message_deliver, messages_claim_due
from tests.assessments.documents.conftest import one_line, pdf_pages

pytestmark = pytest.mark.django_db


@pytest.fixture
def physio_client(client, physio, demo_clinic):
    client.force_login(physio.user)
    return client


def _url(programme) -> str:
    return reverse("assessments:discharge_report_email", args=[programme.pk])


def test_a_typed_address_must_be_typed_twice(physio_client, discharged):
    response = physio_client.post(_url(discharged), {"referrer_email": "gp@surgery.example"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Type the address a second time to confirm it." in html
    assert 'value="gp@surgery.example"' in html  # kept
    # Next to the field, and the field points at it.
    assert 'aria-describedby="id_referrer_email_again_error"' in html
    assert '<div id="id_referrer_email_again_error" class="invalid-feedback">' in html
    assert DocumentSend.objects.count() == 0


def test_a_mismatched_address_is_refused_next_to_the_field(physio_client, discharged):
    response = physio_client.post(
        _url(discharged),
        {"referrer_email": "gp@surgery.example", "referrer_email_again": "gp@surgery.exampel"},
    )
    assert response.status_code == 400
    assert "The two addresses differ: type the referrer&#x27;s address again." in response.content.decode()
    assert DocumentSend.objects.count() == 0


def test_no_recipient_is_refused(physio_client, discharged):
    response = physio_client.post(_url(discharged), {})
    assert response.status_code == 400
    assert "Choose the patient, type the referrer" in response.content.decode()


def test_recipients_are_confirmed_before_anything_is_queued(physio_client, discharged):
    data = {
        "to_patient": "on",
        "referrer_email": "gp@surgery.example",
        "referrer_email_again": "GP@surgery.example",
    }
    response = physio_client.post(_url(discharged), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert (
        "Confirm the recipients" in html and "gp@surgery.example" in html and discharged.patient.email in html
    )
    assert DocumentSend.objects.count() == 0 and not ScheduledMessage.objects.filter(kind="discharge_report")


def test_the_confirmed_report_is_sent_with_the_pdf_and_no_clinical_detail_in_the_body(
    physio_client, physio, discharged, mailoutbox
):
    data = {
        "to_patient": "on",
        "referrer_email": "gp@surgery.example",
        "referrer_email_again": "gp@surgery.example",
        "confirmed": "on",
    }
    response = physio_client.post(_url(discharged), data)
    assert response.status_code == 302
    sends = list(DocumentSend.objects.order_by("recipient"))
    assert [(s.recipient, s.to_email, s.typed, s.sent_by) for s in sends] == [
        ("patient", discharged.patient.email, False, physio.user),
        ("referrer", "gp@surgery.example", True, physio.user),
    ]
    ids = messages_claim_due()
    for send in sends:
        assert send.message.kind == AssessmentMessageKind.DISCHARGE_REPORT and send.message_id in ids
        assert message_deliver(message_id=send.message_id) == Delivery.SENT
    by_address = {m.to[0]: m for m in mailoutbox}
    assert set(by_address) == {discharged.patient.email, "gp@surgery.example"}
    for email in by_address.values():
        ((filename, content, mimetype),) = email.attachments
        assert (filename, mimetype) == (f"discharge-report-{discharged.pk}.pdf", "application/pdf")
        text = one_line(" ".join(pdf_pages(content)))
        assert "Discharge report" in text and "Outcome change against the MCID" in text
        assert DEMO_INTERNAL_NOTE not in text
        for part in (email.body, email.alternatives[0][0]):
            assert "attached" in part
            for detail in (discharged.patient.last_name, "LEFS", "pain", "Goals met", "running"):
                assert detail not in part


def test_a_programme_not_discharged_has_no_report_to_email(physio_client, demo_clinic):
    from assessments.models import Programme

    active = Programme.objects.filter(status="active").first()
    response = physio_client.post(_url(active), {"to_patient": "on", "confirmed": "on"})
    assert response.status_code == 302 and DocumentSend.objects.count() == 0


def test_the_confirmation_page_s_button_sends_what_was_confirmed(physio_client, discharged):
    import re

    first = physio_client.post(
        _url(discharged),
        {"referrer_email": "gp@surgery.example", "referrer_email_again": "gp@surgery.example"},
    )
    form = first.content.decode().split('<form method="post" class="d-inline">', 1)[1].split("</form>", 1)[0]
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))
    assert fields["confirmed"] == "on" and fields["to_patient"] == ""
    response = physio_client.post(_url(discharged), fields)
    assert response.status_code == 302
    (send,) = DocumentSend.objects.all()
    assert (send.recipient, send.to_email, send.typed) == ("referrer", "gp@surgery.example", True)


def test_the_discharged_programme_s_page_offers_the_pdf_and_the_email(physio_client, discharged):
    html = physio_client.get(
        reverse("assessments:programme_discharge", args=[discharged.pk])
    ).content.decode()
    assert reverse("assessments:discharge_report_pdf", args=[discharged.pk]) in html
    assert reverse("assessments:discharge_report_email", args=[discharged.pk]) in html
    form = physio_client.get(_url(discharged)).content.decode()
    assert f"The patient, at {discharged.patient.email} (on their record)" in form
