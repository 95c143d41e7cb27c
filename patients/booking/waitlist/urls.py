"""The waitlist's public pages, under /book/ (clinic.urls)."""

from django.urls import path

from patients.booking.waitlist import views

app_name = "waitlist"
urlpatterns = [
    path("offer/<str:token>/", views.offer, name="offer"),
    path("waitlist/join/", views.join, name="join"),
]
