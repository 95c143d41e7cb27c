"""The clinical record: assessments, their findings, impressions, addenda and imaging orders."""

from assessments.models.assessment import Addendum, Assessment, AssessmentFactor, Impression, Subjective
from assessments.models.findings import (
    DoubleLegSquat,
    Observation,
    Palpation,
    RangeOfMotion,
    SingleLegSquat,
    SingleLegStance,
    SpecialTest,
    StrengthTest,
)
from assessments.models.imaging import ImagingOrder

__all__ = [
    "Addendum",
    "Assessment",
    "AssessmentFactor",
    "DoubleLegSquat",
    "ImagingOrder",
    "Impression",
    "Observation",
    "Palpation",
    "RangeOfMotion",
    "SingleLegSquat",
    "SingleLegStance",
    "SpecialTest",
    "StrengthTest",
    "Subjective",
]
