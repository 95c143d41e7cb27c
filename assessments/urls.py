"""The clinical record's URLs: each slice's patterns under one namespace."""

from assessments.documents import urls as documents
from assessments.exercises import urls as exercises
from assessments.imaging import urls as imaging
from assessments.programmes import urls as programmes
from assessments.programmes.portal import urls as portal
from assessments.record import urls as record
from assessments.training import urls as training
from assessments.training.imports import urls as training_imports
from assessments.training.portal import urls as training_portal

app_name = "assessments"
urlpatterns = [
    *programmes.urlpatterns,
    *exercises.urlpatterns,
    *training_portal.urlpatterns,
    *training.urlpatterns,
    *training_imports.urlpatterns,
    *portal.urlpatterns,
    *record.urlpatterns,
    *imaging.urlpatterns,
    *documents.urlpatterns,
]
