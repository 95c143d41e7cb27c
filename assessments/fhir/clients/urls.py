"""The API clients' staff pages under /fhir-clients/ (namespace "fhir_clients"; clinic admins only)."""

from django.urls import path

from assessments.fhir.clients import views

app_name = "fhir_clients"
urlpatterns = [
    path("", views.client_list, name="list"),
    path("new/", views.client_new, name="new"),
    path("<int:pk>/rotate/", views.client_rotate, name="rotate"),
    path("<int:pk>/revoke/", views.client_revoke, name="revoke"),
]
