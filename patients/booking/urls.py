from django.urls import path

from patients.booking import views

urlpatterns = [
    path("today/", views.today, name="today"),
    path("my-day/", views.my_day, name="my_day"),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/colours.css", views.calendar_colours, name="calendar_colours"),
    path("appointments/book/", views.book, name="book"),
    path("appointments/<int:pk>/", views.appointment_detail, name="appointment"),
    path("appointments/<int:pk>/mark/<slug:action>/", views.appointment_mark_view, name="appointment_mark"),
    path(
        "appointments/<int:pk>/reschedule/", views.appointment_reschedule_view, name="appointment_reschedule"
    ),
    path("appointments/<int:pk>/cancel/", views.appointment_cancel_view, name="appointment_cancel"),
    path("intake-invitations/<int:pk>/resend/", views.intake_resend_view, name="intake_resend"),
]
