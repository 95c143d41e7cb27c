from django.urls import path

from assessments.training.imports import views

urlpatterns = [
    # The patient's import pages by link (no id in the address: the bound session names the programme).
    path("p/log/import/", views.training_import, name="training_import"),
    path("p/log/import/preview/", views.training_import_preview, name="training_import_preview"),
    path("p/log/import/cancel/", views.training_import_cancel, name="training_import_cancel"),
]
