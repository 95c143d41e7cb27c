"""The audit logs at scale: every filter read through an index, a flat query count, keyset pages."""

import random
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clinic.audit.choices import SecurityEventKind
from clinic.audit.models import AccessEvent, SecurityEvent
from clinic.audit.views import PAGE_SIZE
from clinic.staff.choices import Role
from tests.factories import UserFactory
from tests.plans import analyze, seq_scans

pytestmark = pytest.mark.django_db


def _access_rows(count: int, users: list, *, patients: int = 500, seed: int = 3) -> list[AccessEvent]:
    now = timezone.now()
    pick = random.Random(seed)  # noqa: S311 -- reproducible test data, not a secret
    return AccessEvent.objects.bulk_create(
        AccessEvent(
            occurred_at=now - timedelta(minutes=pick.randint(0, 525_600)),
            user=pick.choice(users),
            patient_id=pick.randint(1, patients),
            object_label="patients.patient",
            object_pk="1",
            view_name="patients:detail",
        )
        for _ in range(count)
    )


@pytest.fixture
def staff(db):
    return [UserFactory(role=Role.THERAPIST) for _ in range(8)]


@pytest.fixture
def big_audit(staff):
    _access_rows(4000, staff)
    now = timezone.now()
    pick = random.Random(5)  # noqa: S311 -- reproducible test data, not a secret
    SecurityEvent.objects.bulk_create(
        SecurityEvent(
            occurred_at=now - timedelta(minutes=pick.randint(0, 525_600)),
            kind=pick.choice(SecurityEventKind.values),
            user=pick.choice(staff),
            actor=pick.choice(staff),
        )
        for _ in range(4000)
    )
    analyze("audit_accessevent", "audit_securityevent")


def _queries(client, name: str, params: dict) -> CaptureQueriesContext:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(name), params)
    assert response.status_code == 200
    return queries


def _filters(staff: list) -> list[dict]:
    month_ago = (timezone.localdate() - timedelta(days=30)).isoformat()
    return [
        {},
        {"patient": 42},
        {"user": staff[0].pk},
        {"date_from": month_ago, "date_to": timezone.localdate().isoformat()},
        {"patient": 42, "user": staff[1].pk},
    ]


@pytest.mark.postgres
def test_access_log_reads_every_filter_through_an_index(clinic_admin_client, big_audit, staff):
    for params in _filters(staff):
        first = clinic_admin_client.get(reverse("audit:access_log"), params)
        after = first.context["page"].next_after or ""

        assert seq_scans(_queries(clinic_admin_client, "audit:access_log", params), "audit_accessevent") == []
        assert (
            seq_scans(
                _queries(clinic_admin_client, "audit:access_log", {**params, "after": after}),
                "audit_accessevent",
            )
            == []
        )


@pytest.mark.postgres
def test_security_log_reads_every_filter_through_an_index(clinic_admin_client, big_audit, staff):
    month_ago = (timezone.localdate() - timedelta(days=30)).isoformat()
    for params in [
        {},
        {"kind": SecurityEventKind.values[0]},
        {"user": staff[0].pk},
        {"date_from": month_ago},
    ]:
        first = clinic_admin_client.get(reverse("audit:security_log"), params)
        after = first.context["page"].next_after or ""

        assert (
            seq_scans(_queries(clinic_admin_client, "audit:security_log", params), "audit_securityevent")
            == []
        )
        assert (
            seq_scans(
                _queries(clinic_admin_client, "audit:security_log", {**params, "after": after}),
                "audit_securityevent",
            )
            == []
        )


def _count_queries(client, name: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse(name)).status_code == 200
    return len(queries)


def test_access_log_query_count_does_not_grow_with_rows(
    clinic_admin_client, django_assert_max_num_queries, staff
):
    _access_rows(5, staff)
    clinic_admin_client.get(reverse("audit:access_log"))
    with_5 = _count_queries(clinic_admin_client, "audit:access_log")
    _access_rows(45, staff, seed=4)

    # The session and the signed-in user's checks, the filter's staff list, the page with its users (no COUNT).
    with django_assert_max_num_queries(9):
        response = clinic_admin_client.get(reverse("audit:access_log"))

    assert _count_queries(clinic_admin_client, "audit:access_log") == with_5
    assert len(response.context["page"]) == PAGE_SIZE


def test_security_log_query_count_does_not_grow_with_rows(
    clinic_admin_client, django_assert_max_num_queries, staff
):
    def events(count: int) -> None:
        SecurityEvent.objects.bulk_create(
            SecurityEvent(
                kind=SecurityEventKind.values[0], user=staff[n % 8], actor=staff[0], detail="counted"
            )
            for n in range(count)
        )

    events(5)
    clinic_admin_client.get(reverse("audit:security_log"))
    with_5 = _count_queries(clinic_admin_client, "audit:security_log")
    events(45)

    # The session and the signed-in user's checks, the filter's staff list, the page with its people.
    with django_assert_max_num_queries(9):
        response = clinic_admin_client.get(reverse("audit:security_log"))

    assert _count_queries(clinic_admin_client, "audit:security_log") == with_5
    assert len(response.context["page"]) == PAGE_SIZE


def test_access_log_pages_list_every_row_once_in_order_while_rows_arrive(clinic_admin_client, staff):
    rows = _access_rows(2 * PAGE_SIZE + 9, staff, patients=1)
    # Ties on the time: the id decides between them.
    tied = rows[0].occurred_at
    rows += AccessEvent.objects.bulk_create(
        AccessEvent(occurred_at=tied, user=staff[0], patient_id=1, view_name="patients:detail")
        for _ in range(5)
    )
    expected = [e.pk for e in sorted(rows, key=lambda e: (e.occurred_at, e.pk), reverse=True)]

    seen: list[int] = []
    after = ""
    while True:
        response = clinic_admin_client.get(reverse("audit:access_log"), {"patient": 1, "after": after})
        page = response.context["page"]
        seen += [e.pk for e in page]
        # Staff keep reading records while the admin pages through the log.
        AccessEvent.objects.create(user=staff[2], patient_id=1, view_name="patients:detail")
        if not page.has_next:
            break
        after = page.next_after

    assert [pk for pk in seen if pk in set(expected)] == expected
    assert len(seen) == len(set(seen))
