from patients.models.patient import Patient

__all__ = ["Patient"]
