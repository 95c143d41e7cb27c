"""Import path kept for the catalogue's seed migration; the data lives in assessments.exercises."""

from assessments.exercises.catalogue import CATALOGUE

__all__ = ["CATALOGUE"]
