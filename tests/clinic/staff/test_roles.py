import pytest
from django.contrib.auth.models import Group

pytestmark = pytest.mark.django_db


def _apps(group_name: str) -> set[str]:
    return set(
        Group.objects.get(name=group_name).permissions.values_list("content_type__app_label", flat=True)
    )


def test_migrate_gives_every_role_the_permissions_of_apps_migrated_after_staff():
    assert _apps("Clinic admin") == {"patients", "assessments", "messaging", "staff"}
    assert _apps("Therapist") == {"patients", "assessments", "messaging", "staff"}


def test_front_desk_holds_no_clinical_permission():
    assert "assessments" not in _apps("Front desk")
    assert Group.objects.get(name="Front desk").permissions.filter(codename="view_patient").exists()
