"""Roles and authenticators kept in the session: two queries per signed-in request, never stale.

A signed-in page reads the session and the user row; the user's roles, whether
they have an authenticator and the device that verified the session come from
the session's snapshot while the user's access stamp is unchanged. Any change
to those bumps the stamp, and the next request of every session of the user
sees it.
"""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from clinic.staff.access_snapshot import SNAPSHOT_KEY
from clinic.staff.choices import Role
from clinic.staff.models import User
from clinic.staff.roles import role_group
from clinic.staff.services import twofactor_reset
from tests.clinic.logins import login_verified, password_login
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PAGE = "/clinical/imaging/"


def _tables(client: Client, path: str = PAGE) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return response.status_code, [q["sql"] for q in queries.captured_queries]


def _reads(sqls: list[str], table: str) -> int:
    return sum(f'FROM "{table}"' in sql for sql in sqls)


def test_a_signed_in_page_reads_only_the_session_and_user_before_its_own_queries(therapist_client):
    session = therapist_client.session
    del session[SNAPSHOT_KEY]
    session.save()
    status, first = _tables(therapist_client)
    assert status == 200
    # The first request after sign-in takes the snapshot.
    assert _reads(first, "auth_group") == 1
    status, sqls = _tables(therapist_client)
    assert status == 200
    assert _reads(sqls, "django_session") == 1
    assert _reads(sqls, "staff_user") == 1
    assert _reads(sqls, "auth_group") == 0
    assert _reads(sqls, "otp_totp_totpdevice") == 0
    # Nothing changed: the session is not written again.
    assert not any(sql.startswith("UPDATE") for sql in sqls)


def test_an_unverified_user_without_an_authenticator_is_not_asked_for_one_on_each_request(client, settings):
    # With STAFF_2FA_REQUIRED=0 a therapist needs no second factor, and this one has set none up.
    settings.STAFF_2FA_REQUIRED = False
    therapist = UserFactory(role=Role.THERAPIST)
    password_login(client, therapist.email)
    assert client.get(PAGE).status_code == 200
    status, sqls = _tables(client)
    assert status == 200
    assert _reads(sqls, "otp_totp_totpdevice") == 0
    assert client.session[SNAPSHOT_KEY]["has_device"] is False


def test_a_role_taken_away_closes_the_page_on_the_next_request(therapist_client, therapist):
    assert therapist_client.get(PAGE).status_code == 200
    assert therapist_client.get(PAGE).status_code == 200
    therapist.groups.remove(role_group(Role.THERAPIST))
    assert therapist_client.get(PAGE).status_code == 403


def test_a_role_taken_away_from_the_group_side_counts_too(therapist_client, therapist):
    assert therapist_client.get(PAGE).status_code == 200
    role_group(Role.THERAPIST).user_set.remove(therapist)
    assert therapist_client.get(PAGE).status_code == 403


def test_clearing_every_role_counts(therapist_client, therapist):
    assert therapist_client.get(PAGE).status_code == 200
    therapist.groups.clear()
    assert therapist_client.get(PAGE).status_code == 403


def test_a_role_granted_opens_the_page_on_the_next_request(front_desk_client, front_desk):
    assert front_desk_client.get(PAGE).status_code == 403
    assert front_desk_client.get(PAGE).status_code == 403
    front_desk.groups.add(role_group(Role.THERAPIST))
    assert front_desk_client.get(PAGE).status_code == 200


def test_renaming_a_role_group_changes_its_members_roles(therapist_client):
    assert therapist_client.get(PAGE).status_code == 200
    group = role_group(Role.THERAPIST)
    group.name = "Former therapists"
    group.save()
    assert therapist_client.get(PAGE).status_code == 403


def test_deleting_a_role_group_changes_its_members_roles(therapist_client):
    assert therapist_client.get(PAGE).status_code == 200
    Group.objects.filter(name=Role.THERAPIST.label).delete()
    assert therapist_client.get(PAGE).status_code == 403


def test_an_authenticator_reset_ends_the_verified_session_at_once(clinic_admin_client, clinic_admin):
    assert clinic_admin_client.get(reverse("messaging:outbox")).status_code == 200
    assert clinic_admin_client.get(reverse("messaging:outbox")).status_code == 200
    twofactor_reset(user=clinic_admin)
    response = clinic_admin_client.get(reverse("messaging:outbox"))
    # A clinic admin must use a second factor: with the app gone, set-up comes first.
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("twofactor_setup"))


def test_an_authenticator_set_up_in_another_session_is_asked_for_here(client, settings):
    settings.STAFF_2FA_REQUIRED = False
    therapist = UserFactory(role=Role.THERAPIST)
    password_login(client, therapist.email)
    assert client.get(PAGE).status_code == 200
    assert client.get(PAGE).status_code == 200
    # The same therapist sets up an app from another device.
    login_verified(Client(), therapist)
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("twofactor_verify"))


def test_a_snapshot_of_another_user_is_never_used(therapist_client, therapist, front_desk):
    assert therapist_client.get(PAGE).status_code == 200
    session = therapist_client.session
    stored = dict(session[SNAPSHOT_KEY])
    # The same stamp and roles, but written for someone else: read afresh.
    User.objects.filter(pk=front_desk.pk).update(access_stamp=stored["stamp"])
    therapist_client.force_login(front_desk)
    session = therapist_client.session
    session[SNAPSHOT_KEY] = {**stored, "user": therapist.pk}
    session.save()
    assert therapist_client.get(PAGE).status_code == 403


@pytest.mark.postgres
def test_the_stamp_is_not_change_history(therapist):
    before = therapist.audit_events.count()
    therapist.groups.remove(role_group(Role.THERAPIST))
    therapist.refresh_from_db()
    assert therapist.access_stamp > 0
    assert therapist.audit_events.count() == before
