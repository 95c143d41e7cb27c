"""Import path kept for migrations that reference it; the validator lives in patients.identity."""

from patients.identity.validators import validate_phone

__all__ = ["validate_phone"]
