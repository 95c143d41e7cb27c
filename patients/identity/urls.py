from django.urls import path

from patients.identity import views

urlpatterns = [
    path("", views.patient_list, name="list"),
    path("new/", views.patient_create, name="create"),
    path("<int:pk>/", views.patient_detail, name="detail"),
    path("<int:pk>/edit/", views.patient_edit, name="edit"),
    path("<int:pk>/archive/", views.patient_archive_view, name="archive"),
    path("<int:pk>/access/", views.patient_access_report, name="access_report"),
    path("<int:pk>/export/", views.patient_export_view, name="export"),
]
