"""Errors the assessment services raise; each is a ValidationError so views can show it."""

from django.core.exceptions import ValidationError

from clinic.locking import StaleVersionError as RecordChangedError


class AssessmentError(ValidationError):
    """An operation on an assessment that cannot be done (message for the user)."""


class AssessmentLockedError(AssessmentError):
    """The assessment is signed: it is read-only, corrections are addenda."""

    def __init__(
        self, message: str = "This assessment is signed and read-only; add an addendum instead."
    ) -> None:
        super().__init__(message, code="locked")


class NotAuthorError(AssessmentError):
    """Only the therapist who started a draft may change it."""

    def __init__(self, message: str = "Only the therapist who started this assessment may edit it.") -> None:
        super().__init__(message, code="not_author")


class StaleVersionError(RecordChangedError, AssessmentError):
    """The record changed since the editor loaded it (optimistic lock, clinic.locking)."""
