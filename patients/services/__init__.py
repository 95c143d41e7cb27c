"""Operations on patients' non-clinical records, one module per subject."""

from patients.services.patient import PATIENT_FIELDS, patient_register, patient_update

__all__ = ["PATIENT_FIELDS", "patient_register", "patient_update"]
