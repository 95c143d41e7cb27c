"""The clinical record: assessments, their findings, impressions, addenda and imaging orders; programmes."""

from assessments.models.access_request import AccessRequest
from assessments.models.alert import ProgrammeAlert
from assessments.models.assessment import Addendum, Assessment, AssessmentFactor, Impression, Subjective
from assessments.models.checkin import CheckIn, RunLog
from assessments.models.document_send import DocumentSend
from assessments.models.exercise import Exercise
from assessments.models.fhir_client import FhirClient
from assessments.models.findings import DoubleLegSquat, Observation, SingleLegSquat, SingleLegStance
from assessments.models.imaging import ImagingOrder
from assessments.models.ladder import LadderStep, ReadinessCheck
from assessments.models.link import ProgrammeLink
from assessments.models.outcome import ProgrammeOutcome
from assessments.models.programme import (
    PrescribedExercise,
    Programme,
    ProgrammePhase,
    ProgrammeRevision,
    ProgrammeVisit,
    VisitNote,
)
from assessments.models.special import Palpation, SpecialTest
from assessments.models.strength import MuscleLength, RangeOfMotion, StrengthTest
from assessments.models.training import BodyCheckIn, Run, Shoe, TrainingPreferences, TrainingSession

__all__ = [
    "AccessRequest",
    "Addendum",
    "Assessment",
    "AssessmentFactor",
    "BodyCheckIn",
    "CheckIn",
    "DocumentSend",
    "DoubleLegSquat",
    "Exercise",
    "FhirClient",
    "ImagingOrder",
    "Impression",
    "LadderStep",
    "MuscleLength",
    "Observation",
    "Palpation",
    "PrescribedExercise",
    "Programme",
    "ProgrammeAlert",
    "ProgrammeLink",
    "ProgrammeOutcome",
    "ProgrammePhase",
    "ProgrammeRevision",
    "ProgrammeVisit",
    "RangeOfMotion",
    "ReadinessCheck",
    "Run",
    "RunLog",
    "Shoe",
    "SingleLegSquat",
    "SingleLegStance",
    "SpecialTest",
    "StrengthTest",
    "Subjective",
    "TrainingPreferences",
    "TrainingSession",
    "VisitNote",
]
