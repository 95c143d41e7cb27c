"""The patient's bundle on the whole demo clinic: every resource valid, references resolving, a round trip."""

from collections import Counter
from decimal import Decimal

import pytest
from django.utils import timezone
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle

from assessments.fhir.bundle import (
    RESOURCE_TYPES,
    patient_bundle,
    patient_resources,
    questionnaires,
    unresolved_references,
)
from assessments.fhir.codes import local_system
from assessments.models import (
    Assessment,
    AssessmentFactor,
    CheckIn,
    ImagingOrder,
    Impression,
    MuscleLength,
    Palpation,
    Programme,
    RangeOfMotion,
    ReadinessCheck,
    RunLog,
    SingleLegSquat,
    SingleLegStance,
    SpecialTest,
    StrengthTest,
)
from assessments.programmes.choices import CheckInStatus
from clinic.messaging.choices import MessageStatus
from clinic.messaging.models import ScheduledMessage
from patients.booking.choices import AppointmentStatus
from patients.models import Appointment, IntakeResponse, Patient, RedFlag

pytestmark = pytest.mark.django_db


def _resources(bundle: dict) -> list[dict]:
    return [entry["resource"] for entry in bundle["entry"]]


def _of(bundle: dict, kind: str) -> list[dict]:
    return [r for r in _resources(bundle) if r["resourceType"] == kind]


def _send_every_message() -> None:
    """As the worker would during `make run`: every due reminder and notification goes out."""
    ScheduledMessage.objects.filter(status=MessageStatus.PENDING).update(
        status=MessageStatus.SENT, sent_at=timezone.now()
    )


@pytest.fixture(scope="module")
def clinic_bundles(demo_clinic, django_db_blocker):
    """Every demo patient's bundle, built once for the module (after the demo's emails went out)."""
    with django_db_blocker.unblock():
        _send_every_message()
        return {patient.pk: patient_bundle(patient) for patient in Patient.all_objects.order_by("pk")}


def test_every_demo_patient_exports_a_valid_bundle_whose_references_resolve(clinic_bundles):
    assert len(clinic_bundles) == Patient.all_objects.count() >= 30

    for patient_id, bundle in clinic_bundles.items():
        parsed = Bundle.model_validate(bundle)
        assert parsed.type == "collection"
        assert unresolved_references(bundle) == set()
        ids = [f"{r['resourceType']}/{r['id']}" for r in _resources(bundle)]
        assert len(ids) == len(set(ids))
        assert ids[0] == f"Patient/{patient_id}"


def test_every_resource_type_the_export_names_is_produced_and_parses_back(clinic_bundles):
    produced: Counter[str] = Counter()

    for bundle in clinic_bundles.values():
        for resource in _resources(bundle):
            model = get_fhir_model_class(resource["resourceType"])
            assert model.model_validate(resource).model_dump(mode="json") == resource
            produced[resource["resourceType"]] += 1

    assert set(produced) == set(RESOURCE_TYPES)


def test_the_resources_and_the_bundle_name_the_same_ids(demo_clinic, db):
    patient = Programme.objects.filter(checkins__isnull=False).first().patient

    resources = patient_resources(patient)

    assert [f"{r.get_resource_type()}/{r.id}" for r in resources] == [
        f"{r['resourceType']}/{r['id']}" for r in _resources(patient_bundle(patient))
    ]
    observations = patient_resources(patient, resource_types={"Observation"})
    assert [r.id for r in observations] == [r.id for r in resources if r.get_resource_type() == "Observation"]


def test_a_patients_resources_take_a_bounded_number_of_queries(
    demo_clinic, db, django_assert_max_num_queries
):
    richest = max(Patient.objects.all(), key=lambda p: Assessment.objects.filter(patient=p).count())
    sparse = Patient.objects.filter(assessments__isnull=True).first()

    # The same bound for the richest and the sparsest record: about 28 for the record, 3 for the training log.
    for patient in (richest, sparse):
        with django_assert_max_num_queries(33):
            patient_resources(patient)


def test_round_trip_gives_the_databases_counts(clinic_bundles):
    resources = [r for bundle in clinic_bundles.values() for r in _resources(bundle)]
    ids = Counter(r["resourceType"] for r in resources)

    def prefixed(kind: str, prefix: str) -> int:
        return sum(1 for r in resources if r["resourceType"] == kind and r["id"].startswith(prefix))

    assert ids["Patient"] == Patient.all_objects.count()
    assert ids["Appointment"] == Appointment.objects.count()
    assert ids["Encounter"] == Appointment.objects.filter(status=AppointmentStatus.COMPLETED).count()
    assert prefixed("Condition", "impression-") == Impression.objects.count()
    assert ids["Flag"] == RedFlag.objects.count()
    assert prefixed("ServiceRequest", "red-flag-") == RedFlag.objects.exclude(referred_to="").count()
    assert ids["ServiceRequest"] - prefixed("ServiceRequest", "red-flag-") == ImagingOrder.objects.count()
    assert ids["CarePlan"] == Programme.objects.count()
    assert prefixed("Observation", "readiness-") == ReadinessCheck.objects.count() > 0
    assert prefixed("Observation", "factor-") == AssessmentFactor.objects.count() > 0
    on_ladder = {str(pk) for pk in Programme.objects.filter(run_stage__gt=0).values_list("pk", flat=True)}
    with_ladder = {
        r["id"]
        for r in resources
        if r["resourceType"] == "CarePlan"
        and any(a["detail"]["code"]["coding"][0]["code"].startswith("ladder.") for a in r["activity"])
    }
    assert with_ladder == on_ladder != set()
    assert prefixed("QuestionnaireResponse", "checkin-") == CheckIn.objects.count()
    assert prefixed("QuestionnaireResponse", "intake-") >= IntakeResponse.objects.count()
    assert (
        prefixed("Observation", "run-")
        == RunLog.objects.filter(checkin__status=CheckInStatus.SUBMITTED).count()
    )
    for prefix, model in (
        ("sls-", SingleLegStance),
        ("single-leg-squat-", SingleLegSquat),
        ("special-test-", SpecialTest),
        ("palpation-", Palpation),
        ("strength-", StrengthTest),
        ("rom-", RangeOfMotion),
        ("muscle-length-", MuscleLength),
    ):
        exported = {
            r["id"] for r in resources if r["resourceType"] == "Observation" and r["id"].startswith(prefix)
        }
        expected = {f"{prefix}{pk}-{side}" for pk, side in model.objects.values_list("pk", "side")}
        assert exported - {i for i in exported if i.endswith("-closed")} == expected, prefix
    patient_emails = ScheduledMessage.objects.filter(
        status=MessageStatus.SENT, patient_id__isnull=False
    ).exclude(kind__in=["reassessment_due", "programme_alert", "test"])
    assert ids["Communication"] == patient_emails.count() > 0


def test_round_trip_gives_the_databases_key_values(clinic_bundles):
    for patient in Patient.all_objects.all():
        bundle = Bundle.model_validate(clinic_bundles[patient.pk])
        by_type: dict[str, list] = {}
        for entry in bundle.entry:
            by_type.setdefault(entry.resource.get_resource_type(), []).append(entry.resource)
        (fhir_patient,) = by_type["Patient"]
        assert fhir_patient.birthDate == patient.date_of_birth
        assert fhir_patient.name[0].family == patient.last_name
        assert fhir_patient.name[0].given == [patient.first_name]
        appointments = {int(a.id): a for a in by_type.get("Appointment", [])}
        assert set(appointments) == set(patient.appointments.values_list("pk", flat=True))
        for appointment in patient.appointments.all():
            assert appointments[appointment.pk].start == appointment.starts_at
            assert appointments[appointment.pk].end == appointment.ends_at

    stance = SingleLegStance.objects.filter(best_time_s__isnull=False).select_related("assessment").first()
    observation = _find(
        clinic_bundles[stance.assessment.patient_id], "Observation", f"sls-{stance.pk}-{stance.side}"
    )
    assert Decimal(str(observation["valueQuantity"]["value"])) == stance.best_time_s
    assert [
        Decimal(str(c["valueQuantity"]["value"])) for c in observation["component"] if _code(c) == "trial.1"
    ] == [stance.trial_1_s]

    checkin = CheckIn.objects.filter(status=CheckInStatus.SUBMITTED, pain_worst__isnull=False).first()
    bundle = clinic_bundles[checkin.programme.patient_id]
    response = _find(bundle, "QuestionnaireResponse", f"checkin-{checkin.pk}")
    answers = {item["linkId"]: item.get("answer") for item in response["item"]}
    assert answers["pain_worst"] == [{"valueInteger": checkin.pain_worst}]
    worst = _find(bundle, "Observation", f"checkin-{checkin.pk}-nprs-worst-week")
    assert worst["valueQuantity"]["value"] == checkin.pain_worst

    programme = Programme.objects.filter(phases__exercises__isnull=False).distinct().first()
    careplan = _find(clinic_bundles[programme.patient_id], "CarePlan", str(programme.pk))
    prescribed = [
        rx.exercise.code
        for phase in programme.phases.all()
        for rx in phase.exercises.select_related("exercise")
    ]
    assert [a["detail"]["code"]["coding"][0]["code"] for a in careplan["activity"]] == prescribed
    assert careplan["period"]["start"] == programme.start_date.isoformat()


def _find(bundle: dict, kind: str, resource_id: str) -> dict:
    (found,) = [r for r in _of(bundle, kind) if r["id"] == resource_id]
    return found


def _code(element: dict) -> str:
    return element["code"]["coding"][0]["code"]


def test_every_response_names_an_exported_questionnaire_and_its_items(clinic_bundles):
    exported = {q.url: q for q in questionnaires() if q.get_resource_type() == "Questionnaire"}

    def link_ids(items) -> set[str]:
        found = set()
        for item in items or []:
            found.add(item["linkId"] if isinstance(item, dict) else item.linkId)
            found |= link_ids(item.get("item") if isinstance(item, dict) else item.item)
        return found

    for bundle in clinic_bundles.values():
        for response in _of(bundle, "QuestionnaireResponse"):
            questionnaire = exported[response["questionnaire"]]
            assert link_ids(response.get("item")) <= link_ids(questionnaire.item), response["id"]


def test_every_local_code_used_is_in_the_exported_code_system(clinic_bundles):
    (code_system,) = [r for r in questionnaires() if r.get_resource_type() == "CodeSystem"]
    defined = {concept.code for concept in code_system.concept}
    assert code_system.url == local_system()

    def codings(value):
        if isinstance(value, dict):
            if value.get("system") == local_system():
                yield value["code"]
            for item in value.values():
                yield from codings(item)
        elif isinstance(value, list):
            for item in value:
                yield from codings(item)

    used = {code for bundle in clinic_bundles.values() for code in codings(bundle)}
    assert used
    assert used <= defined


SIDED_PREFIXES = (
    "sls-",
    "single-leg-squat-",
    "special-test-",
    "palpation-",
    "strength-",
    "rom-",
    "muscle-length-",
)
SNOMED_SIDE = {"left": "7771000", "right": "24028007"}


def _codings(concept: dict) -> set[tuple[str, str]]:
    return {(c["system"], c["code"]) for c in concept.get("coding", [])}


def test_nprs_observations_carry_loinc_72514_3_and_a_score_from_0_to_10(clinic_bundles):
    nprs = [
        r
        for bundle in clinic_bundles.values()
        for r in _of(bundle, "Observation")
        if ("http://loinc.org", "72514-3") in _codings(r["code"])
    ]

    submitted = CheckIn.objects.filter(status=CheckInStatus.SUBMITTED, pain_worst__isnull=False).count()
    assert len(nprs) > submitted > 0
    for observation in nprs:
        quantity = observation["valueQuantity"]
        assert (quantity["unit"], quantity["system"], quantity["code"]) == (
            "{score}",
            "http://unitsofmeasure.org",
            "{score}",
        )
        assert quantity["value"] in range(11)
        assert observation["category"][0]["coding"][0]["code"] in {"survey", "exam"}


def test_every_sided_finding_names_its_side_and_the_hip(clinic_bundles):
    sided = [
        r
        for bundle in clinic_bundles.values()
        for r in _of(bundle, "Observation")
        if r["id"].startswith(SIDED_PREFIXES)
    ]

    assert {r["id"].split("-")[0] for r in sided} >= {
        "sls",
        "single",
        "special",
        "palpation",
        "strength",
        "rom",
    }
    for observation in sided:
        side = "left" if "-left" in observation["id"] else "right"
        (laterality,) = [c for c in observation["component"] if _code(c) == "laterality"]
        assert _codings(laterality["valueCodeableConcept"]) == {("http://snomed.info/sct", SNOMED_SIDE[side])}
        assert observation["category"][0]["coding"][0]["code"] == "exam"
        if not observation["id"].startswith("palpation-"):
            assert _codings(observation["bodySite"]) == {("http://snomed.info/sct", "24136001")}


def test_every_quantity_is_in_ucum(clinic_bundles):
    def quantities(value):
        if isinstance(value, dict):
            if "value" in value and "unit" in value:
                yield value
            for item in value.values():
                yield from quantities(item)
        elif isinstance(value, list):
            for item in value:
                yield from quantities(item)

    found = [q for bundle in clinic_bundles.values() for q in quantities(bundle)]
    assert {q["unit"] for q in found} >= {"s", "N", "deg", "km", "min", "{score}", "%"}
    assert all(q["system"] == "http://unitsofmeasure.org" and q["code"] for q in found)


def test_imaging_requests_give_a_reason_that_resolves_to_a_condition(clinic_bundles):
    requests = [
        (bundle, r)
        for bundle in clinic_bundles.values()
        for r in _of(bundle, "ServiceRequest")
        if not r["id"].startswith("red-flag-")
    ]

    assert len(requests) == ImagingOrder.objects.count() > 0
    with_reason = 0
    for bundle, request in requests:
        order = ImagingOrder.objects.get(pk=request["id"])
        assert request["intent"] == "order"
        assert _codings(request["category"][0]) == {("http://snomed.info/sct", "363679005")}
        for reason in request.get("reasonReference", []):
            kind, resource_id = reason["reference"].split("/")
            assert kind == "Condition"
            _find(bundle, "Condition", resource_id)
            with_reason += 1
        impressions = Impression.objects.filter(assessment=order.assessment_id).count()
        assert len(request.get("reasonReference", [])) == impressions
    assert with_reason > 0


def test_only_verified_codes_leave_the_local_code_system(clinic_bundles):
    verified = {
        ("http://loinc.org", code) for code in ("72514-3", "24762-7", "30687-8", "24872-4", "24760-1")
    } | {
        ("http://snomed.info/sct", code)
        for code in ("24136001", "7771000", "24028007", "51440002", "363679005")
    }

    def external(value):
        if isinstance(value, dict):
            if value.get("system") in {"http://loinc.org", "http://snomed.info/sct"}:
                yield (value["system"], value["code"])
            for item in value.values():
                yield from external(item)
        elif isinstance(value, list):
            for item in value:
                yield from external(item)

    used = {coding for bundle in clinic_bundles.values() for coding in external(bundle)}
    assert ("http://loinc.org", "72514-3") in used
    assert used <= verified


def _has_value(element: dict) -> bool:
    return any(key.startswith("value") for key in element)


def test_the_invariants_fhir_states_beyond_the_models_hold(clinic_bundles):
    for bundle in clinic_bundles.values():
        full_urls = [entry["fullUrl"] for entry in bundle["entry"]]
        assert len(full_urls) == len(set(full_urls))  # bdl-7
        for observation in _of(bundle, "Observation"):
            # obs-6: dataAbsentReason only without a value; obs-7: no component repeats the code with a value.
            assert not (_has_value(observation) and "dataAbsentReason" in observation), observation["id"]
            for component in observation.get("component", []):
                assert not (_has_value(component) and "dataAbsentReason" in component)
                assert _has_value(component) or "dataAbsentReason" in component, observation["id"]
                if component["code"] == observation["code"]:
                    assert not _has_value(observation)
        for condition in _of(bundle, "Condition"):
            clinical = condition["clinicalStatus"]["coding"][0]["code"]
            if "abatementDateTime" in condition:  # con-4
                assert clinical in {"inactive", "resolved", "remission"}
        for response in _of(bundle, "QuestionnaireResponse"):
            for item in response.get("item", []):
                assert "answer" in item or "item" in item  # qrs-1: an item has answers or items
