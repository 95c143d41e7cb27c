"""Privacy: no PHI in logs or task arguments; the patient's record export."""

import inspect
import io
import json
import logging
from datetime import date

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from clinic.audit.models import AccessEvent
from clinic.celery import app as celery_app
from clinic.messaging.services import message_deliver, messages_claim_due, schedule_message
from clinic.privacy import RedactPHIFilter, redact
from clinic.staff.choices import Role
from patients.identity import export
from patients.models import Patient
from tests.clinic.logins import login_verified
from tests.factories import PatientFactory, UserFactory

SENTINEL = {
    "first_name": "Zebedee",
    "last_name": "Quagmire-Sentinel",
    "date_of_birth": "1911-11-11",
    "email": "sentinel.patient@example.org",
}
SENTINEL_TRACES = ["Zebedee", "Quagmire", "1911-11-11", "11/11/1911", "sentinel.patient@example.org"]


# --- The redaction filter ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mail robin.strider+x@example.co.uk now", "mail [email] now"),
        ("born 1990-05-17.", "born [date]."),
        ("born 17/05/1990 or 17.05.1990 or 17-5-1990", "born [date] or [date] or [date]"),
        ("patient 1234 saved in 12 ms", "patient 1234 saved in 12 ms"),
        (
            "Not Found: /patients/intake/Qk3v9Zx0aB1cD2eF3gH4iJ5kL6mN7oP8qR9sT0uV1wX/",
            "Not Found: /patients/intake/[token]/",
        ),
        ("GET /unsubscribe/abc?token=s3cr3t-value&x=1", "GET /unsubscribe/abc?token=[token]&x=1"),
        ("GET /clinical/programmes/12/ladder/", "GET /clinical/programmes/12/ladder/"),
    ],
)
def test_redact_masks_emails_dates_and_link_tokens(text, expected):
    assert redact(text) == expected


def _record(msg: str, *args: object, exc_info: object = None) -> logging.LogRecord:
    return logging.LogRecord("stride.test", logging.ERROR, __file__, 1, msg, args, exc_info)


def test_filter_masks_arguments_and_tracebacks():
    try:
        raise ValueError("duplicate key (email)=(robin@example.com), born 1990-05-17")
    except ValueError:
        import sys

        record = _record("saving %s failed", "robin@example.com", exc_info=sys.exc_info())

    assert RedactPHIFilter().filter(record) is True

    assert record.getMessage() == "saving [email] failed"
    assert "robin@example.com" not in record.exc_text
    assert "1990-05-17" not in record.exc_text
    assert "[email]" in record.exc_text


def test_logging_configuration_redacts_what_the_console_writes():
    assert settings.LOGGING["handlers"]["console"]["filters"] == ["redact_phi"]
    handler = next(
        h for h in logging.getLogger().handlers if any(isinstance(f, RedactPHIFilter) for f in h.filters)
    )
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        logging.getLogger("stride.test").warning("Contact %s born %s", "robin@example.com", date(1990, 5, 17))
    finally:
        handler.setStream(previous)

    line = stream.getvalue()
    assert "robin@example.com" not in line
    assert "1990-05-17" not in line
    assert "Contact [email] born [date]" in line


def test_sql_debug_logging_is_never_enabled():
    assert not logging.getLogger("django.db.backends").isEnabledFor(logging.DEBUG)


# --- A sentinel patient leaves no trace in any log record --------------------------------------


@pytest.mark.django_db
def test_sentinel_patient_leaves_no_trace_in_logs(client, caplog, mailoutbox, patient_form_data, make_user):
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django")
    connection.force_debug_cursor = True  # SQL would be logged with its parameters, if its logger allowed
    try:
        client.force_login(make_user(Role.FRONT_DESK))
        client.post(reverse("patients:create"), {**patient_form_data, **SENTINEL})
        patient = Patient.objects.get(last_name=SENTINEL["last_name"])
        client.get(reverse("patients:detail", args=[patient.pk]))
        client.get(reverse("patients:list"), {"q": "Zebedee"})
        client.post(
            reverse("patients:edit", args=[patient.pk]),
            {**patient_form_data, **SENTINEL, "town": "Sentinelton"},
        )
        client.post(reverse("patients:edit", args=[patient.pk]), {**SENTINEL, "sex": "nonsense"})
        login_verified(client, make_user(Role.CLINIC_ADMIN))
        exported = client.get(reverse("patients:export", args=[patient.pk]))
        client.get(reverse("patients:access_report", args=[patient.pk]))
        schedule_message(
            kind="test",
            to=SENTINEL["email"],
            due_at=patient.created_at,
            key=f"test:sentinel:{patient.pk}",
            patient_id=patient.pk,
        )
        for message_id in messages_claim_due():
            message_deliver(message_id=message_id)
    finally:
        connection.force_debug_cursor = False

    assert exported.status_code == 200
    assert SENTINEL["first_name"] in exported.content.decode()
    assert [m.to for m in mailoutbox] == [[SENTINEL["email"]]]
    assert len(caplog.records) > 0  # the requests did log something
    leaks = [
        (record.name, record.getMessage())
        for record in caplog.records
        if any(trace in f"{record.getMessage()} {record.exc_text or ''}" for trace in SENTINEL_TRACES)
    ]
    assert leaks == []


def test_celery_tasks_take_ids_only():
    celery_app.loader.import_default_modules()  # runs autodiscover_tasks() over INSTALLED_APPS
    ours = {name: task for name, task in celery_app.tasks.items() if not name.startswith("celery.")}
    assert ours, "no project tasks registered"
    bad = {}
    for name, task in ours.items():
        params = [p for p in inspect.signature(task.run).parameters if p not in {"self", "args", "kwargs"}]
        not_ids = [p for p in params if not (p.endswith("_id") or p.endswith("_ids"))]
        if not_ids:
            bad[name] = not_ids
    assert bad == {}


# --- The patient's record export -----------------------------------------------------------------


@pytest.fixture
def sentinel(db):
    return PatientFactory(
        first_name=SENTINEL["first_name"],
        last_name=SENTINEL["last_name"],
        date_of_birth=date(1911, 11, 11),
        email=SENTINEL["email"],
        town="Sentinelton",
    )


@pytest.mark.django_db
def test_export_is_the_full_record_as_a_json_attachment(clinic_admin_client, clinic_admin, sentinel):
    response = clinic_admin_client.get(reverse("patients:export", args=[sentinel.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith(f'attachment; filename="patient-{sentinel.pk}-record-')
    assert "Zebedee" not in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    document = json.loads(response.content)
    assert document["format"] == "stride.patient-export"
    assert document["patient_id"] == sentinel.pk
    section = document["sections"]["patient"]
    assert section["first_name"] == "Zebedee"
    assert section["last_name"] == "Quagmire-Sentinel"
    assert section["date_of_birth"] == "1911-11-11"
    assert section["email"] == SENTINEL["email"]
    assert section["town"] == "Sentinelton"
    assert section["sex_display"] == "Female"
    assert section["archived_at"] is None


@pytest.mark.django_db
def test_export_is_recorded_as_one_access(clinic_admin_client, clinic_admin, sentinel):
    response = clinic_admin_client.get(reverse("patients:export", args=[sentinel.pk]))

    event = AccessEvent.objects.get()
    assert (event.view_name, event.patient_id, event.user) == ("patients:export", sentinel.pk, clinic_admin)
    assert str(event.request_id) == response["X-Request-ID"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.THERAPIST])
def test_export_requires_clinic_admin(client, sentinel, role):
    client.force_login(UserFactory(role=role))

    response = client.get(reverse("patients:export", args=[sentinel.pk]))

    assert response.status_code == 403
    assert AccessEvent.objects.count() == 0


@pytest.mark.django_db
def test_archived_patients_can_still_be_exported(clinic_admin_client, sentinel, clinic_admin):
    from patients.identity.services import patient_archive

    patient_archive(patient=sentinel, by=clinic_admin)

    response = clinic_admin_client.get(reverse("patients:export", args=[sentinel.pk]))

    assert response.status_code == 200
    assert json.loads(response.content)["sections"]["patient"]["archived_by"] == str(clinic_admin)


@pytest.fixture
def export_registry(monkeypatch):
    monkeypatch.setattr(export, "_SECTIONS", dict(export._SECTIONS))
    return export


@pytest.mark.django_db
def test_later_apps_add_sections_through_the_registry(export_registry, sentinel):
    export_registry.register_export_section("programme", lambda patient: {"weeks": 6, "for": patient.pk})

    document = export_registry.patient_export(patient=sentinel)

    assert list(document["sections"]) == [*export.export_sections()[:-1], "programme"]
    assert next(iter(document["sections"])) == "patient"
    assert document["sections"]["programme"] == {"weeks": 6, "for": sentinel.pk}


def test_a_section_name_is_registered_once(export_registry):
    export_registry.register_export_section("notes", list)

    with pytest.raises(ValueError, match="already registered"):
        export_registry.register_export_section("notes", dict)
