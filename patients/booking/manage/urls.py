"""The manage link's public pages, under /book/ (clinic.urls)."""

from django.urls import path

from patients.booking.manage import views

app_name = "manage"
urlpatterns = [
    path("manage/<str:token>/", views.manage, name="manage"),
    path("manage/<str:token>/cancel/", views.manage_cancel, name="cancel"),
    path("manage/<str:token>/reschedule/", views.manage_reschedule, name="reschedule"),
    path("manage/<str:token>/waitlist/", views.manage_waitlist, name="waitlist"),
]
