from django.urls import path

from patients import appointment_views, intake_views, views

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
    # The patient's own link (no account): see intake_views.
    path("intake/<str:token>/", intake_views.intake_start, name="intake_start"),
]
