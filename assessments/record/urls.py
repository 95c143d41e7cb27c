from django.urls import path

from assessments.record import views

urlpatterns = [
    path("todo/", views.clinical_todo, name="todo"),
    path("patients/<int:patient_pk>/assessments/new/", views.assessment_start_view, name="start"),
    path("appointments/<int:pk>/assessment/", views.assessment_for_appointment, name="for_appointment"),
    path("assessments/<int:pk>/", views.assessment_detail, name="detail"),
    path("assessments/<int:pk>/edit/", views.assessment_edit, name="edit"),
    path("assessments/<int:pk>/autosave/", views.assessment_autosave, name="autosave"),
    path("assessments/<int:pk>/summary/", views.assessment_summary, name="summary"),
]
