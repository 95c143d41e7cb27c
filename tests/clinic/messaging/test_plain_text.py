"""Plain-text email parts are not HTML: names keep their apostrophes and ampersands."""

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from clinic.messaging.emails import message_render
from clinic.messaging.services import About, schedule_message
from patients.messages import PatientMessageKind
from tests.factories import AppointmentFactory

pytestmark = pytest.mark.django_db


def test_a_name_with_an_apostrophe_stays_as_typed_in_the_text_part():
    appointment = AppointmentFactory(patient__first_name="D'Arcy", patient__preferred_name="")
    message = schedule_message(
        kind=PatientMessageKind.APPOINTMENT_CONFIRMATION,
        to=appointment.patient.email or "darcy@example.com",
        due_at=timezone.now(),
        key=f"plain-text-test:{appointment.pk}",
        about=About.of(appointment),
        patient_id=appointment.patient_id,
    )

    email = message_render(message)
    html = email.alternatives[0][0]

    assert "Hello D'Arcy," in email.body
    assert "&#x27;" not in email.body
    # The HTML part is still escaped.
    assert "D&#x27;Arcy" in html


def test_the_text_engine_escapes_nothing_and_the_html_engine_everything():
    context = {"first_name": "Tom & Jerry <O'Brien>"}

    text = render_to_string("emails/appointment-reminder-body.txt", context, using="text")
    html = render_to_string("emails/appointment-reminder-body.html", context)

    assert "Hello Tom & Jerry <O'Brien>," in text
    assert "Tom &amp; Jerry &lt;O&#x27;Brien&gt;" in html
