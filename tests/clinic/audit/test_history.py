"""Change history of staff accounts: role (group) membership and two-factor device resets."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from clinic.staff.choices import Role
from clinic.staff.models import TwoFactorDevice, User, UserGroups
from clinic.staff.roles import role_group
from tests.clinic.logins import login_verified
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def admin_client(client):
    admin = UserFactory(is_staff=True, is_superuser=True, full_name="Ada Admin")
    login_verified(client, admin)
    return client, admin


def _admin_user_form(user: User, groups: list[Group]) -> dict[str, object]:
    return {
        "email": user.email,
        "full_name": user.full_name,
        "is_active": "on",
        "groups": [g.pk for g in groups],
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
    }


def test_a_group_change_is_recorded_with_the_admin(admin_client):
    client, admin = admin_client
    member = UserFactory(role=Role.FRONT_DESK)
    therapist_group = role_group(Role.THERAPIST)
    url = f"/admin/staff/user/{member.pk}/change/"

    response = client.post(url, _admin_user_form(member, [therapist_group]))

    assert response.status_code == 302, response.content.decode()[:2000]
    events = UserGroups.pgh_event_model.objects.filter(user_id=member.pk).order_by("pgh_id")
    assert [(e.pgh_label, e.group_id) for e in events] == [
        ("insert", role_group(Role.FRONT_DESK).pk),
        ("delete", role_group(Role.FRONT_DESK).pk),
        ("insert", therapist_group.pk),
    ]
    for event in events[1:]:
        assert event.pgh_context.metadata == {
            "user": admin.pk,
            "url": url,
            "request_id": response["X-Request-ID"],
        }


def test_account_flags_are_recorded_without_the_password(admin_client):
    member = UserFactory()

    User.objects.filter(pk=member.pk).update(is_active=False)
    member.refresh_from_db()
    member.set_password("a new long passphrase")
    member.save()  # a new password alone is no history event (the security log has it)

    events = member.audit_events.order_by("pgh_id")
    assert [(e.pgh_label, e.is_active) for e in events] == [("insert", True), ("update", False)]
    fields = {f.name for f in member.audit_events.model._meta.fields}
    assert "password" not in fields
    assert "last_login" not in fields


def test_a_twofactor_reset_is_recorded_with_the_admin(admin_client):
    client, admin = admin_client
    member = UserFactory(role=Role.FRONT_DESK)
    device = TOTPDevice.objects.create(user=member, name="Authenticator app", confirmed=True)
    url = "/admin/staff/user/"

    response = client.post(url, {"action": "reset_twofactor", "_selected_action": [member.pk]})

    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()
    events = TwoFactorDevice.pgh_event_model.objects.filter(pgh_obj_id=device.pk).order_by("pgh_id")
    assert [(e.pgh_label, e.user_id, e.confirmed) for e in events] == [
        ("insert", member.pk, True),
        ("delete", member.pk, True),
    ]
    assert events[1].pgh_context.metadata == {
        "user": admin.pk,
        "url": url,
        "request_id": response["X-Request-ID"],
    }
    assert "key" not in {f.name for f in TwoFactorDevice.pgh_event_model._meta.fields}


def test_a_twofactor_reset_by_command_is_labelled_in_the_history():
    member = UserFactory(email="lena@stride.test")
    device = TOTPDevice.objects.create(user=member, name="Phone", confirmed=True)

    call_command("twofactor_reset", "lena@stride.test", stdout=StringIO())

    event = TwoFactorDevice.pgh_event_model.objects.get(pgh_obj_id=device.pk, pgh_label="delete")
    assert event.pgh_context.metadata == {"command": "twofactor_reset"}
