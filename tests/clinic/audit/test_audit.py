"""The audit trail: one access row per patient page, change history by trigger, append-only tables."""

import os
import subprocess
import sys
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.utils import ProgrammingError  # psycopg 3: RAISE EXCEPTION (P0001) is a ProgrammingError
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from clinic.audit.decorators import audits_patient
from clinic.audit.models import AccessEvent
from clinic.audit.services import access_record
from clinic.staff.choices import Role
from patients.models import Patient
from tests.clinic.logins import login_verified
from tests.factories import AccessEventFactory, PatientFactory, UserFactory
from tests.patients.careteam.support import treat

pytestmark = pytest.mark.django_db

CLINIC_ZONE = ZoneInfo(settings.CLINIC_TIME_ZONE)


def _event_model():
    return Patient.pgh_event_model


# --- Reads: AccessEvent ---------------------------------------------------------------------


def test_patient_hub_get_writes_exactly_one_access_event(front_desk_client, front_desk, patient):
    response = front_desk_client.get(reverse("patients:detail", args=[patient.pk]))

    assert response.status_code == 200
    events = list(AccessEvent.objects.all())
    assert len(events) == 1
    event = events[0]
    assert event.user == front_desk
    assert event.patient_id == patient.pk
    assert event.view_name == "patients:detail"
    assert event.object_label == "patients.patient"
    assert event.object_pk == str(patient.pk)
    assert event.ip == "127.0.0.1"
    assert str(event.request_id) == response["X-Request-ID"]


def test_patient_edit_get_and_post_each_write_one_row(front_desk_client, patient, patient_form_data):
    url = reverse("patients:edit", args=[patient.pk])

    get_response = front_desk_client.get(url)
    post_response = front_desk_client.post(url, {**patient_form_data, "first_name": "Changed"})

    assert get_response.status_code == 200
    assert post_response.status_code == 302
    rows = list(AccessEvent.objects.order_by("pk").values_list("view_name", "patient_id", "request_id"))
    assert [(v, p) for v, p, _ in rows] == [("patients:edit", patient.pk), ("patients:edit", patient.pk)]
    assert [str(r) for _, _, r in rows] == [get_response["X-Request-ID"], post_response["X-Request-ID"]]


def test_invalid_edit_post_still_counts_once(front_desk_client, patient, patient_form_data):
    response = front_desk_client.post(
        reverse("patients:edit", args=[patient.pk]), {**patient_form_data, "first_name": ""}
    )

    assert response.status_code == 200
    assert AccessEvent.objects.count() == 1


def test_missing_patient_records_no_access(front_desk_client):
    response = front_desk_client.get(reverse("patients:detail", args=[987654321]))

    assert response.status_code == 404
    assert AccessEvent.objects.count() == 0


def test_refused_page_records_no_access(front_desk_client, patient):
    response = front_desk_client.get(reverse("patients:access_report", args=[patient.pk]))

    assert response.status_code == 403
    assert AccessEvent.objects.count() == 0


def test_list_page_is_not_a_patient_access(front_desk_client, patient):
    front_desk_client.get(reverse("patients:list"))

    assert AccessEvent.objects.count() == 0


def _request(user):
    request = RequestFactory().get("/patients/1/")
    request.user = user
    return request


def test_access_record_twice_in_one_request_writes_one_row(front_desk, patient):
    request = _request(front_desk)

    first = access_record(request=request, patient_id=patient.pk)
    second = access_record(request=request, patient_id=patient.pk)

    assert first == second
    assert AccessEvent.objects.count() == 1


def test_decorated_view_that_also_records_writes_one_row(front_desk, patient):
    @audits_patient("pk")
    def view(request, pk):
        access_record(request=request, patient_id=pk, obj=patient)
        access_record(request=request, patient_id=pk)
        return HttpResponse("ok")

    view(_request(front_desk), pk=patient.pk)

    assert list(AccessEvent.objects.values_list("object_label", "object_pk")) == [
        ("patients.patient", str(patient.pk))
    ]


def test_decorator_takes_a_function_for_the_patient_id(front_desk, patient):
    @audits_patient(lambda request, **kwargs: kwargs["thing"] + 1)
    def view(request, thing):
        return HttpResponse("ok")

    view(_request(front_desk), thing=41)

    assert list(AccessEvent.objects.values_list("patient_id", flat=True)) == [42]


def test_database_refuses_a_second_row_for_one_request(front_desk):
    request_id = uuid.uuid4()
    AccessEventFactory(request_id=request_id)

    with pytest.raises(IntegrityError), transaction.atomic():
        AccessEventFactory(request_id=request_id)


def test_request_id_header_on_every_response(client):
    response = client.get(reverse("login"))

    assert uuid.UUID(response["X-Request-ID"]).version == 4


# --- Changes: pghistory events (PostgreSQL triggers) -------------------------------------------


@pytest.mark.postgres
def test_edit_form_change_lands_in_history_with_user_url_and_request(
    front_desk_client, front_desk, patient, patient_form_data
):
    url = reverse("patients:edit", args=[patient.pk])

    response = front_desk_client.post(url, {**patient_form_data, "first_name": "Historic"})

    assert response.status_code == 302
    event = _event_model().objects.filter(pgh_obj=patient, pgh_label="update").get()
    assert event.first_name == "Historic"
    assert event.pgh_context.metadata == {
        "user": front_desk.pk,
        "url": url,
        "request_id": response["X-Request-ID"],
    }


@pytest.mark.postgres
def test_create_records_an_insert_event(front_desk_client, patient_form_data):
    front_desk_client.post(reverse("patients:create"), patient_form_data)

    patient = Patient.objects.get(last_name="Strider")
    assert list(_event_model().objects.filter(pgh_obj=patient).values_list("pgh_label", flat=True)) == [
        "insert"
    ]


@pytest.mark.postgres
def test_bulk_update_is_recorded(patient):
    Patient.objects.filter(pk=patient.pk).update(town="Bulkton")

    event = _event_model().objects.filter(pgh_obj=patient, pgh_label="update").get()
    assert event.town == "Bulkton"
    assert event.pgh_context is None


@pytest.mark.postgres
def test_raw_sql_update_is_recorded(patient):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE patients_patient SET postcode = %s WHERE id = %s", ["ZZ1 1ZZ", patient.pk])

    event = _event_model().objects.filter(pgh_obj=patient, pgh_label="update").get()
    assert event.postcode == "ZZ1 1ZZ"


@pytest.mark.postgres
def test_save_without_change_records_no_update(patient):
    patient.save()

    assert not _event_model().objects.filter(pgh_obj=patient, pgh_label="update").exists()


@pytest.mark.postgres
def test_hard_delete_in_the_database_is_recorded(patient):
    pk = patient.pk
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM patients_patient WHERE id = %s", [pk])

    assert _event_model().objects.filter(pgh_obj_id=pk, pgh_label="delete").count() == 1


# --- Append-only tables --------------------------------------------------------------------------

PROTECTED_TABLES = ["audit_accessevent", "patients_patientauditevent"]


@pytest.fixture
def audit_rows(patient):
    """One row in each protected table."""
    AccessEventFactory(patient_id=patient.pk)
    return patient


@pytest.mark.postgres
@pytest.mark.parametrize("table", PROTECTED_TABLES)
@pytest.mark.parametrize("statement", ["UPDATE {table} SET pgh_label = pgh_label", "DELETE FROM {table}"])
def test_database_refuses_update_and_delete_of_audit_rows(audit_rows, table, statement):
    if table == "audit_accessevent":
        statement = statement.replace("pgh_label = pgh_label", "view_name = 'tampered'")

    refused = pytest.raises(ProgrammingError, match="pgtrigger: Cannot update or delete rows")
    with refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement.format(table=table))

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 -- fixed table names
        assert cursor.fetchone()[0] >= 1


@pytest.mark.postgres
def test_orm_update_and_delete_of_access_events_are_refused(audit_rows):
    with pytest.raises(ProgrammingError), transaction.atomic():
        AccessEvent.objects.update(view_name="tampered")
    with pytest.raises(ProgrammingError), transaction.atomic():
        AccessEvent.objects.all().delete()

    assert AccessEvent.objects.filter(view_name="patients:detail").count() == 1


@pytest.mark.postgres
def test_orm_update_and_delete_of_history_are_refused(audit_rows):
    events = _event_model().objects.filter(pgh_obj=audit_rows)

    with pytest.raises(ProgrammingError), transaction.atomic():
        events.update(first_name="Forged")
    with pytest.raises(ProgrammingError), transaction.atomic():
        events.delete()

    assert events.count() == 1


def test_staff_with_access_history_cannot_be_deleted(front_desk):
    from django.db.models import ProtectedError

    AccessEventFactory(user=front_desk)

    with pytest.raises(ProtectedError):
        front_desk.delete()


# --- The audit screen (/audit/) ------------------------------------------------------------------


def _at(day: int, hour: int = 12) -> datetime:
    return datetime(2026, 3, day, hour, tzinfo=CLINIC_ZONE)


@pytest.fixture
def logged_events(make_user):
    alice = make_user(Role.FRONT_DESK, full_name="Alice Desk")
    bob = make_user(Role.THERAPIST, full_name="Bob Physio")
    return {
        "a1": AccessEventFactory(user=alice, patient_id=11, occurred_at=_at(1)),
        "a2": AccessEventFactory(user=alice, patient_id=22, occurred_at=_at(10)),
        "b1": AccessEventFactory(user=bob, patient_id=11, occurred_at=_at(10, 23)),
        "b2": AccessEventFactory(user=bob, patient_id=33, occurred_at=_at(20)),
        "alice": alice,
        "bob": bob,
    }


def _listed(response) -> list[int]:
    return [event.pk for event in response.context["page"]]


def test_audit_screen_lists_everything_newest_first(clinic_admin_client, logged_events):
    response = clinic_admin_client.get(reverse("audit:access_log"))

    assert response.status_code == 200
    e = logged_events
    assert _listed(response) == [e["b2"].pk, e["b1"].pk, e["a2"].pk, e["a1"].pk]


def test_audit_screen_filters_by_patient(clinic_admin_client, logged_events):
    response = clinic_admin_client.get(reverse("audit:access_log"), {"patient": 11})

    assert _listed(response) == [logged_events["b1"].pk, logged_events["a1"].pk]


def test_audit_screen_filters_by_user(clinic_admin_client, logged_events):
    response = clinic_admin_client.get(reverse("audit:access_log"), {"user": logged_events["alice"].pk})

    assert _listed(response) == [logged_events["a2"].pk, logged_events["a1"].pk]


def test_audit_screen_filters_by_whole_local_days(clinic_admin_client, logged_events):
    # 23:00 local on the 10th is still the 10th, whatever UTC says.
    response = clinic_admin_client.get(
        reverse("audit:access_log"), {"date_from": "2026-03-10", "date_to": "2026-03-10"}
    )

    assert _listed(response) == [logged_events["b1"].pk, logged_events["a2"].pk]


def test_audit_screen_combines_filters(clinic_admin_client, logged_events):
    response = clinic_admin_client.get(
        reverse("audit:access_log"),
        {"patient": 11, "user": logged_events["bob"].pk, "date_from": "2026-03-02"},
    )

    assert _listed(response) == [logged_events["b1"].pk]


def test_audit_screen_rejects_a_backwards_date_range(clinic_admin_client, logged_events):
    response = clinic_admin_client.get(
        reverse("audit:access_log"), {"date_from": "2026-03-10", "date_to": "2026-03-01"}
    )

    assert _listed(response) == []
    assert "The end date is before the start date." in response.content.decode()


def test_audit_screen_paginates_and_keeps_filters(clinic_admin_client, clinic_admin):
    start = _at(1)
    for n in range(51):
        AccessEventFactory(user=clinic_admin, patient_id=7, occurred_at=start + timedelta(minutes=n))

    first = clinic_admin_client.get(reverse("audit:access_log"), {"patient": 7})
    after = first.context["page"].next_after
    second = clinic_admin_client.get(reverse("audit:access_log"), {"patient": 7, "after": after})

    assert len(first.context["page"]) == 50
    assert len(second.context["page"]) == 1
    assert f'href="?patient=7&amp;after={after}"' in first.content.decode()
    assert second.context["page"].next_after is None


@pytest.mark.parametrize("role", [Role.FRONT_DESK, Role.THERAPIST])
def test_audit_screen_is_for_clinic_admins_only(client, role):
    client.force_login(UserFactory(role=role))

    assert client.get(reverse("audit:access_log")).status_code == 403


# --- A patient's access report -------------------------------------------------------------------


def test_access_report_lists_who_viewed_the_record(client, make_user, patient):
    viewers = [
        make_user(Role.FRONT_DESK, full_name="Vera Viewer"),
        make_user(Role.THERAPIST, full_name="Theo Looker"),
    ]
    treat(viewers[1], patient)  # a therapist reads only within their care team
    for viewer in viewers:
        client.force_login(viewer)
        client.get(reverse("patients:detail", args=[patient.pk]))
    other = PatientFactory()
    AccessEventFactory(patient_id=other.pk, user=make_user(Role.FRONT_DESK, full_name="Otto Elsewhere"))
    login_verified(client, make_user(Role.CLINIC_ADMIN, full_name="Ada Auditor"))

    response = client.get(reverse("patients:access_report", args=[patient.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Vera Viewer" in page
    assert "Theo Looker" in page
    assert "Otto Elsewhere" not in page
    # The report's own view is recorded after it renders, so it is not listed yet.
    assert [e.user.full_name for e in response.context["page"]] == ["Theo Looker", "Vera Viewer"]


@pytest.mark.postgres
def test_access_report_shows_the_change_history(
    front_desk_client, front_desk, patient, patient_form_data, make_user
):
    front_desk_client.post(
        reverse("patients:edit", args=[patient.pk]), {**patient_form_data, "town": "Newtown"}
    )
    login_verified(front_desk_client, make_user(Role.CLINIC_ADMIN, full_name="Ada Auditor"))

    response = front_desk_client.get(reverse("patients:access_report", args=[patient.pk]))

    changes = response.context["changes"]
    assert [c.label for c in changes] == ["update", "insert"]
    assert changes[0].user == front_desk
    assert changes[0].diff["town"] == ["", "Newtown"]
    assert "Newtown" in response.content.decode()


def test_access_report_is_itself_recorded(clinic_admin_client, clinic_admin, patient):
    clinic_admin_client.get(reverse("patients:access_report", args=[patient.pk]))

    assert list(AccessEvent.objects.values_list("view_name", "user")) == [
        ("patients:access_report", clinic_admin.pk)
    ]


def test_hub_links_the_access_report_for_clinic_admins_only(client, make_user, patient):
    link = reverse("patients:access_report", args=[patient.pk])
    login_verified(client, make_user(Role.CLINIC_ADMIN))
    assert link in client.get(reverse("patients:detail", args=[patient.pk])).content.decode()

    client.force_login(make_user(Role.FRONT_DESK))
    assert link not in client.get(reverse("patients:detail", args=[patient.pk])).content.decode()


# --- The embedded default: SQLite --------------------------------------------------------------

SQLITE_SMOKE = """
import django
django.setup()
from django.core.management import call_command
# As `make run` prepares it: the migrations' snapshot, then anything newer
# (tests/test_embedded_db.py holds that equal to migrating from scratch).
call_command("embedded_db", "prepare", verbosity=0)
from django.test import Client
from clinic.audit.models import AccessEvent
from clinic.staff.models import User
from clinic.staff.roles import role_group
from clinic.staff.choices import Role
from patients.models import Patient
user = User.objects.create_user("desk@stride.test", "x" * 16, full_name="Desk")
user.groups.add(role_group(Role.FRONT_DESK))
patient = Patient.objects.create(first_name="Sam", last_name="Lite", date_of_birth="1990-01-01", sex="male", phone="07700 900111")
client = Client()
client.force_login(user)
from clinic.audit.tracking import history_context
with history_context(task="smoke"):
    Patient.objects.filter(pk=patient.pk).update(town="Liteton")
print(client.get(f"/patients/{patient.pk}/", HTTP_HOST="localhost").status_code, AccessEvent.objects.count())
"""


def test_sqlite_embedded_default_prepares_and_serves_patient_pages(tmp_path: Path):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(Path.home()),
        "DEBUG": "1",
        "STRIDE_VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "clinic.settings",
        # The pages and their access events, not the second factor: force_login gives none.
        "STAFF_2FA_REQUIRED": "0",
    }

    result = subprocess.run(
        [sys.executable, "-c", SQLITE_SMOKE],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        # A hang guard, not a speed check.
        timeout=300,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["200", "1"]


@pytest.mark.postgres
def test_history_context_labels_changes_outside_requests(patient):
    from clinic.audit.tracking import history_context

    with history_context(task="nightly-import"):
        Patient.objects.filter(pk=patient.pk).update(town="Tasktown")

    event = _event_model().objects.filter(pgh_obj=patient, pgh_label="update").get()
    assert event.pgh_context.metadata == {"task": "nightly-import"}
