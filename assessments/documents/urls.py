from django.urls import path

from assessments.documents import views

urlpatterns = [
    path("assessments/<int:pk>/summary.pdf", views.assessment_summary_pdf, name="summary_pdf"),
    path(
        "programmes/<int:pk>/discharge-report.pdf",
        views.discharge_report_download,
        name="discharge_report_pdf",
    ),
    path("programmes/<int:pk>/exercise-sheet.pdf", views.exercise_sheet_download, name="exercise_sheet_pdf"),
    path(
        "programmes/<int:pk>/discharge-report/email/",
        views.discharge_report_email,
        name="discharge_report_email",
    ),
    path("patients/<int:patient_pk>/access-request/", views.access_request_pack, name="access_request"),
    # The patient's copy, on their programme pages (no trailing slash: never taken for a link token).
    path("p/exercise-sheet.pdf", views.exercise_sheet_portal, name="checkin_exercise_sheet"),
]
