"""Operations that change the clinical record, one module per subject."""

from assessments.services.assessment import (
    DraftChanges,
    addendum_add,
    assessment_save_draft,
    assessment_sign,
    assessment_start,
    sign_problems,
)
from assessments.services.errors import (
    AssessmentError,
    AssessmentLockedError,
    NotAuthorError,
    StaleVersionError,
)
from assessments.services.imaging import imaging_order_advance, imaging_order_create

__all__ = [
    "AssessmentError",
    "AssessmentLockedError",
    "DraftChanges",
    "NotAuthorError",
    "StaleVersionError",
    "addendum_add",
    "assessment_save_draft",
    "assessment_sign",
    "assessment_start",
    "imaging_order_advance",
    "imaging_order_create",
    "sign_problems",
]
