"""The FHIR API under /fhir/ (namespace "fhir"); every route is a token view (clinic.staff.access)."""

from django.urls import path

from assessments.fhir.api import views

app_name = "fhir"
urlpatterns = [
    path("metadata", views.metadata, name="metadata"),
    path("Patient/<str:pk>", views.patient_read, name="patient_read"),
    path("Patient/<str:pk>/$everything", views.patient_everything, name="patient_everything"),
    path("<str:resource_type>", views.search, name="search"),
    path("<str:resource_type>/<str:resource_id>", views.read, name="read"),
    path("<path:rest>", views.unknown, name="unknown"),
]
