"""Patient list and search at scale: trigram and name indexes, a flat query count, keyset pages."""

import random
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from patients.identity.selectors import patient_search
from patients.identity.views import PAGE_SIZE
from patients.models import Patient
from tests.factories import PatientFactory
from tests.plans import analyze, plans, seq_scans

pytestmark = pytest.mark.django_db

TABLE = "patients_patient"
TRIGRAM_INDEXES = ("patients_patient_search", "patients_patient_phone_digits")
FIRST = ["Alice", "Bruno", "Chloé", "Dmitri", "Éva", "Farah", "Gus", "Hana", "Ivo", "Jun", "Kofi", "Lena"]
LAST = ["Ashworth", "Brennan", "Carter", "Dąbrowski", "Evans", "Fischer", "Gómez", "Hughes", "Ito", "Jensen"]
# As many surnames as a real list has for its size: each is about 1 % of the patients, as at
# 100,000, so the planner meets the selectivity it meets there.
SURNAMES = LAST + [
    f"{head}{tail}"
    for head in ("Mor", "Pen", "Tal", "Whit", "Yar")
    for tail in (
        "by",
        "cott",
        "dale",
        "ford",
        "grove",
        "ley",
        "more",
        "ridge",
        "ton",
        "well",
        "wick",
        "wood",
        "worth",
        "ham",
        "land",
        "stead",
        "field",
        "brook",
    )
]


def _patients(count: int, *, seed: int = 11, last_name: str | None = None) -> list[Patient]:
    pick = random.Random(seed)  # noqa: S311 -- reproducible test data, not a secret
    return Patient.objects.bulk_create(
        Patient(
            first_name=f"{pick.choice(FIRST)}{n}",
            last_name=last_name or pick.choice(SURNAMES),
            date_of_birth=date(1950 + n % 50, 1 + n % 12, 1 + n % 28),
            sex="female",
            email=f"runner{n}.{seed}@example.com",
            phone=f"07700 {900000 + n:06d}",
        )
        for n in range(count)
    )


@pytest.fixture
def many_patients(db):
    _patients(3000)
    # New rows wait in a GIN index's pending list until (auto)vacuum merges them; a list that
    # large only exists right after a bulk load, and the planner prices scanning it in full.
    with connection.cursor() as cursor:
        for index in TRIGRAM_INDEXES:
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [index])
    analyze(TABLE)


def _captured(client, method: str, data: dict) -> CaptureQueriesContext:
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(reverse("patients:list"), data)
    assert response.status_code == 200
    return queries


@pytest.mark.postgres
@pytest.mark.parametrize("query", ["brennan", "lice", "runner12.11", "gómez", "hughes 1990-01-01"])
def test_patient_search_reads_patients_through_indexes(front_desk_client, many_patients, query):
    first = front_desk_client.post(reverse("patients:list"), {"q": query})
    after = first.context["page"].next_after or ""

    assert seq_scans(_captured(front_desk_client, "post", {"q": query}), TABLE) == []
    assert seq_scans(_captured(front_desk_client, "post", {"q": query, "after": after}), TABLE) == []


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("query", "indexes"),
    [
        ("907123", {"patients_patient_search", "patients_patient_phone_digits"}),
        # At least the name's index, which finds the few Hugheses.
        ("hughes 900042", {"patients_patient_search"}),
    ],
)
def test_patient_search_by_phone_can_read_the_trigram_indexes(
    front_desk_client, many_patients, query, indexes
):
    # A number may be part of the phone or of the text: a BitmapOr of the two trigram
    # indexes, which the planner prefers to reading the table only past a few thousand patients.
    queries = _captured(front_desk_client, "post", {"q": query})

    (plan,) = plans(queries, TABLE, seqscan_off=True)
    assert "Seq Scan" not in plan
    assert indexes <= {name for name in TRIGRAM_INDEXES if name in plan}


@pytest.mark.postgres
def test_patient_list_reads_patients_through_the_name_index(front_desk_client, many_patients):
    first = front_desk_client.get(reverse("patients:list"))
    after = first.context["page"].next_after

    assert seq_scans(_captured(front_desk_client, "get", {}), TABLE) == []
    assert seq_scans(_captured(front_desk_client, "get", {"after": after}), TABLE) == []


@pytest.mark.postgres
def test_patient_search_ignores_accents_and_case_both_ways():
    zoe = PatientFactory(first_name="Zoë", last_name="Łukasiewicz")
    PatientFactory(first_name="Zoe", last_name="Plain")
    renee = PatientFactory(first_name="RENÉE", last_name="Smith")

    assert [p.pk for p in patient_search(query="zoe łukasiewicz")] == [zoe.pk]
    assert [p.pk for p in patient_search(query="ZOË lukasiewicz")] == [zoe.pk]
    assert [p.pk for p in patient_search(query="renee")] == [renee.pk]
    assert [p.pk for p in patient_search(query="rénée")] == [renee.pk]


def test_patient_search_takes_wildcards_literally():
    PatientFactory(first_name="Ann", last_name="Percent")

    assert list(patient_search(query="%")) == []
    assert list(patient_search(query="A_n")) == []


def test_phone_digits_are_kept_by_the_database_on_every_write():
    made = Patient.objects.bulk_create([PatientFactory.build(phone="+44 (0) 7700-900.123")])[0]

    stored = Patient.objects.get(pk=made.pk)
    Patient.objects.filter(pk=made.pk).update(phone="07700 900 999")

    assert stored.phone_digits == "4407700900123"
    assert Patient.objects.get(pk=made.pk).phone_digits == "07700900999"
    assert list(patient_search(query="900-999")) == [stored]


def test_patient_list_and_search_query_counts_do_not_grow_with_rows(
    front_desk_client, django_assert_max_num_queries
):
    def count_queries() -> list[int]:
        counts = []
        for method, data in (("get", {}), ("post", {"q": "carter"})):
            counts.append(len(_captured(front_desk_client, method, data)))
        return counts

    _patients(5, last_name="Carter")
    front_desk_client.get(reverse("patients:list"))
    with_5 = count_queries()
    _patients(45, seed=12, last_name="Carter")

    # The session and the signed-in user's checks, then the page (no COUNT).
    with django_assert_max_num_queries(8):
        listing = front_desk_client.get(reverse("patients:list"))
    with django_assert_max_num_queries(8):
        search = front_desk_client.post(reverse("patients:list"), {"q": "carter"})

    assert count_queries() == with_5
    assert len(listing.context["page"]) == PAGE_SIZE
    assert len(search.context["page"]) == PAGE_SIZE


def _walk_search(client, query: str) -> list[int]:
    """Every patient a search's pages list, pressing Next, while the front desk adds patients."""
    seen: list[int] = []
    after = ""
    added = 0
    while True:
        response = client.post(reverse("patients:list"), {"q": query, "after": after})
        page = response.context["page"]
        assert response.context["query"] == query  # the query survives every page
        seen += [p.pk for p in page]
        added += 1
        PatientFactory(first_name=f"Aaron{added}", last_name="Quagmire")
        PatientFactory(first_name=f"Zed{added}", last_name="Quagmire")
        if not page.has_next:
            return seen
        after = page.next_after


def test_patient_search_survives_every_page_without_gaps_or_repeats(front_desk_client):
    _patients(2 * PAGE_SIZE + 3, last_name="Quagmire")
    # Same names: the id decides between them.
    for _ in range(4):
        PatientFactory(first_name="Tied", last_name="Quagmire")
    _patients(40, seed=12, last_name="Other")
    expected = list(patient_search(query="quagmire").values_list("pk", flat=True))

    seen = _walk_search(front_desk_client, "quagmire")

    assert [pk for pk in seen if pk in set(expected)] == expected
    assert len(seen) == len(set(seen))
    assert set(seen) <= set(patient_search(query="quagmire").values_list("pk", flat=True))


@pytest.mark.postgres
def test_a_surname_search_sorts_its_few_matches_instead_of_walking_the_whole_name_order(
    front_desk_client, many_patients
):
    # Walking patients_patient_name in order and testing each row reads every patient
    # before the surname's place in the alphabet: 200 ms for "Okafor" at 100,000, where the
    # planner, expecting matches spread evenly, prefers that walk to a sort. The search
    # orders by values no index holds, so even with sorting priced out no walk can serve it.
    queries = _captured(front_desk_client, "post", {"q": "yarwood"})
    with connection.cursor() as cursor:
        cursor.execute("SET enable_sort = off")
        try:
            (plan,) = plans(queries, TABLE)
        finally:
            cursor.execute("RESET enable_sort")

    assert "patients_patient_search" in plan
    assert "patients_patient_name" not in plan


@pytest.mark.postgres
@pytest.mark.parametrize("query", ["yar", "runner1", "ok", "07700"])
def test_search_pages_come_in_exactly_the_name_order(front_desk_client, many_patients, query):
    expected = list(
        patient_search(query=query).order_by("last_name", "first_name", "pk").values_list("pk", flat=True)
    )
    shown, after = [], ""
    while True:
        page = front_desk_client.post(reverse("patients:list"), {"q": query, "after": after}).context["page"]
        shown += [patient.pk for patient in page]
        if not page.has_next:
            break
        after = page.next_after
    assert len(expected) > PAGE_SIZE
    assert shown == expected
