from django.urls import path

from patients.booking.requests import views

urlpatterns = [
    path("appointments/online-requests/", views.online_requests, name="online_requests"),
    path(
        "appointments/online-requests/<int:pk>/approve/",
        views.online_request_approve,
        name="online_request_approve",
    ),
    path(
        "appointments/online-requests/<int:pk>/decline/",
        views.online_request_decline,
        name="online_request_decline",
    ),
    path("identity-reviews/<int:pk>/", views.identity_review_view, name="identity_review"),
]
