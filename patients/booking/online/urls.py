"""The public booking pages, under /book/ (clinic.urls): every view is public_view."""

from django.urls import path

from patients.booking.online import views

app_name = "book"
urlpatterns = [
    path("", views.locations, name="locations"),
    path("<int:location_id>/", views.types, name="types"),
    path("<int:location_id>/<int:type_id>/", views.slots, name="slots"),
    path("<int:location_id>/<int:type_id>/choose/", views.choose, name="choose"),
    path("<int:location_id>/<int:type_id>/waitlist/", views.waitlist_start, name="waitlist_start"),
    path("details/", views.details, name="details"),
    path("code/", views.code, name="code"),
    path("confirm/", views.confirm, name="confirm"),
    path("done/", views.done, name="done"),
]
