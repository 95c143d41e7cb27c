"""Sign and lock: the service refuses edits of a signed assessment, and so does PostgreSQL."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction

from assessments.models import Addendum, Assessment, StrengthTest, Subjective
from assessments.record.services.assessment import addendum_add, assessment_sign, sign_problems
from assessments.record.services.errors import AssessmentError, AssessmentLockedError, NotAuthorError
from tests.assessments.record.helpers import complete, save, signed
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_sign_needs_subjective_findings_and_impression(draft, therapist):
    Subjective.objects.filter(assessment=draft).update(pain_location="")

    with pytest.raises(AssessmentError) as caught:
        assessment_sign(assessment=draft, by=therapist)

    assert caught.value.messages == [
        "Record the subjective history.",
        "Record at least one objective finding, or say why the patient was not examined.",
        "Give a clinical impression (working diagnosis).",
    ]
    draft.refresh_from_db()
    assert (draft.status, draft.signed_at) == ("draft", None)


def test_a_reason_for_not_examining_stands_in_for_findings(draft, therapist):
    save(
        draft,
        therapist,
        subjective={"history": "Fell on ice"},
        impressions=[{"code": "OTHER"}],
        header={"not_examined_reason": "Too painful to examine; sent to A&E"},
    )
    draft.refresh_from_db()

    assert sign_problems(draft) == []


def test_a_not_tested_row_is_not_a_finding(draft, therapist):
    save(
        draft,
        therapist,
        subjective={"history": "x"},
        impressions=[{"code": "OTHER"}],
        findings={
            "rom": {("flexion", "left"): {"performed": False, "not_performed_reason": "pain_too_high"}}
        },
    )

    assert sign_problems(draft) == [
        "Record at least one objective finding, or say why the patient was not examined."
    ]


def test_signing_records_signer_and_time(draft, therapist):
    result = signed(draft, therapist)

    assert (result.status, result.signed_by, result.signed_at is not None) == ("signed", therapist, True)


def test_only_the_author_signs(draft, therapist):
    complete(draft, therapist)
    draft.refresh_from_db()

    with pytest.raises(NotAuthorError):
        assessment_sign(assessment=draft, by=UserFactory())


@pytest.mark.parametrize(
    "changes",
    [
        {"header": {"plan": "changed"}},
        {"subjective": {"nprs_now": 1}},
        {"findings": {"strength": {("hip_abductors", "right"): None}}},
        {"findings": {"rom": {("flexion", "left"): {"degrees": 100}}}},
        {"impressions": [{"code": "ITBS"}]},
        {"factors": ["footwear"]},
    ],
    ids=["header", "subjective", "remove finding", "add finding", "impression", "factors"],
)
def test_service_refuses_every_edit_of_a_signed_assessment(draft, therapist, changes):
    signed(draft, therapist)

    with pytest.raises(AssessmentLockedError):
        save(draft, therapist, **changes)

    assert StrengthTest.objects.filter(assessment=draft).count() == 2


def test_a_colleague_cannot_edit_a_draft(draft, therapist):
    with pytest.raises(NotAuthorError):
        save(draft, UserFactory(), header={"plan": "mine now"})

    draft.refresh_from_db()
    assert draft.plan == ""


def test_addenda_record_author_time_and_text(draft, therapist):
    signed(draft, therapist)
    colleague = UserFactory(full_name="Priya Physio")

    first = addendum_add(assessment=draft, by=therapist, text="  Right, not left, in the plan.  ")
    second = addendum_add(assessment=draft, by=colleague, text="Reviewed MRI request.")

    rows = [(a.author, a.text) for a in draft.addenda.all()]
    assert rows == [(therapist, "Right, not left, in the plan."), (colleague, "Reviewed MRI request.")]
    assert first.created_at <= second.created_at


def test_addendum_refused_on_a_draft_and_when_empty(draft, therapist):
    with pytest.raises(AssessmentError):
        addendum_add(assessment=draft, by=therapist, text="too early")
    signed(draft, therapist)
    with pytest.raises(ValidationError):
        addendum_add(assessment=draft, by=therapist, text="   ")
    assert Addendum.objects.count() == 0


# --- The database guard (PostgreSQL triggers) ---------------------------------------------


def _raw(sql: str, params: list) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("sql", "what"),
    [
        ("UPDATE assessments_strengthtest SET mmt_grade = '5' WHERE assessment_id = %s", "update finding"),
        ("DELETE FROM assessments_strengthtest WHERE assessment_id = %s", "delete finding"),
        ("UPDATE assessments_subjective SET nprs_now = 0 WHERE assessment_id = %s", "update subjective"),
        ("UPDATE assessments_impression SET code = 'ITBS' WHERE assessment_id = %s", "update impression"),
        ("UPDATE assessments_assessment SET plan = 'x' WHERE id = %s", "update assessment"),
        ("UPDATE assessments_assessment SET status = 'draft' WHERE id = %s", "unsign"),
        ("DELETE FROM assessments_assessment WHERE id = %s", "delete assessment"),
        (
            "INSERT INTO assessments_rangeofmotion (assessment_id, movement, side, degrees, end_range_pain, position,"
            " performed, not_performed_reason, pain_provoked, familiar_pain, notes)"
            " VALUES (%s, 'flexion', 'left', 100, false, '', true, '', false, false, '')",
            "insert finding",
        ),
    ],
    ids=lambda v: v if " " in v and not v.startswith(("UPDATE", "DELETE", "INSERT")) else None,
)
def test_database_refuses_raw_sql_on_a_signed_assessment(draft, therapist, sql, what):
    signed(draft, therapist)

    with pytest.raises(DatabaseError, match=r"read-only|Cannot update or delete"):
        _raw(sql, [draft.pk])

    draft.refresh_from_db()
    assert draft.status == "signed"
    assert StrengthTest.objects.filter(assessment=draft, mmt_grade="4-").count() == 1


@pytest.mark.postgres
def test_database_allows_raw_sql_on_a_draft(draft, therapist):
    complete(draft, therapist)

    _raw("UPDATE assessments_strengthtest SET mmt_grade = '5' WHERE assessment_id = %s", [draft.pk])

    assert set(StrengthTest.objects.filter(assessment=draft).values_list("mmt_grade", flat=True)) == {"5"}


@pytest.mark.postgres
def test_database_refuses_changing_an_addendum(draft, therapist):
    signed(draft, therapist)
    addendum = addendum_add(assessment=draft, by=therapist, text="note")

    with pytest.raises(DatabaseError, match="Cannot update or delete"):
        _raw("UPDATE assessments_addendum SET text = 'rewritten' WHERE id = %s", [addendum.pk])


def test_body_weight_change_recomputes_torque_per_kg(draft, therapist):
    complete(draft, therapist)
    save(draft, therapist, header={"index_side": "right", "body_weight_kg": Decimal(70)})

    right = StrengthTest.objects.get(assessment=draft, muscle_group="hip_abductors", side="right")
    assert (right.torque_nm, right.torque_nm_per_kg) == (Decimal("56.70"), Decimal("0.81"))
    assert Assessment.objects.get(pk=draft.pk).version == 3
