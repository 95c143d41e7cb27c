from django.urls import path

from assessments import assessment_views, imaging_views, views

app_name = "assessments"
urlpatterns = [
    path("programmes/", views.programme_list, name="programme_list"),
    # Assessments (issue 6).
    path("todo/", assessment_views.clinical_todo, name="todo"),
    path("patients/<int:patient_pk>/assessments/new/", assessment_views.assessment_start_view, name="start"),
    path("appointments/<int:pk>/assessment/", assessment_views.assessment_for_appointment, name="for_appointment"),
    path("assessments/<int:pk>/", assessment_views.assessment_detail, name="detail"),
    path("assessments/<int:pk>/edit/", assessment_views.assessment_edit, name="edit"),
    path("assessments/<int:pk>/autosave/", assessment_views.assessment_autosave, name="autosave"),
    path("assessments/<int:pk>/summary/", assessment_views.assessment_summary, name="summary"),
    path("assessments/<int:pk>/imaging/new/", imaging_views.imaging_order_new, name="imaging_new"),
    path("imaging/", imaging_views.imaging_list, name="imaging_list"),
    path("imaging/<int:pk>/", imaging_views.imaging_order_detail, name="imaging_detail"),
]
