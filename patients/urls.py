from django.urls import path

from patients import appointment_views, intake_staff_views, intake_views, views

app_name = "patients"
urlpatterns = [
    path("", views.patient_list, name="list"),
    path("new/", views.patient_create, name="create"),
    path("<int:pk>/", views.patient_detail, name="detail"),
    path("<int:pk>/edit/", views.patient_edit, name="edit"),
    path("<int:pk>/archive/", views.patient_archive_view, name="archive"),
    path("<int:pk>/access/", views.patient_access_report, name="access_report"),
    path("<int:pk>/export/", views.patient_export_view, name="export"),
    path("today/", appointment_views.today, name="today"),
    path("my-day/", appointment_views.my_day, name="my_day"),
    path("calendar/", appointment_views.calendar, name="calendar"),
    path("appointments/book/", appointment_views.book, name="book"),
    path("appointments/<int:pk>/", appointment_views.appointment_detail, name="appointment"),
    path(
        "appointments/<int:pk>/mark/<slug:action>/",
        appointment_views.appointment_mark_view,
        name="appointment_mark",
    ),
    path(
        "appointments/<int:pk>/reschedule/",
        appointment_views.appointment_reschedule_view,
        name="appointment_reschedule",
    ),
    path("appointments/<int:pk>/cancel/", appointment_views.appointment_cancel_view, name="appointment_cancel"),
    path("intake-invitations/<int:pk>/resend/", appointment_views.intake_resend_view, name="intake_resend"),
    path("intake-invitations/<int:pk>/link/", appointment_views.intake_copy_link_view, name="intake_copy_link"),
    # The patient's own link and form (no account): see intake_views. The fixed
    # paths come before the token route.
    path("intake/check/", intake_views.intake_check, name="intake_check"),
    path("intake/form/", intake_views.intake_resume, name="intake_resume"),
    path("intake/form/review/", intake_views.intake_review, name="intake_review"),
    path("intake/form/submit/", intake_views.intake_submit_view, name="intake_submit"),
    path("intake/form/<slug:step>/", intake_views.intake_step, name="intake_step"),
    path("intake/form/<slug:step>/autosave/", intake_views.intake_autosave, name="intake_autosave"),
    path("intake/done/", intake_views.intake_done, name="intake_done"),
    path("intake/<str:token>/", intake_views.intake_start, name="intake_start"),
    # The therapist's intake summary and red-flag sign-off.
    path("intake-responses/<int:pk>/", intake_staff_views.intake_summary, name="intake_summary"),
    path("red-flags/<int:pk>/clear/", intake_staff_views.redflag_clear_view, name="redflag_clear"),
]
