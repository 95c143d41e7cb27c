from django.contrib.auth import views as auth_views
from django.urls import path

from clinic.staff import views
from clinic.staff.access import ALL_STAFF, public_view, staff_view

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(template_name="staff/login.html", redirect_authenticated_user=True),
        name="login",
    ),
    # Anyone may sign out, whatever their role (POST only).
    path("accounts/logout/", public_view(auth_views.LogoutView.as_view()), name="logout"),
    path(
        "accounts/password/",
        staff_view(*ALL_STAFF)(
            auth_views.PasswordChangeView.as_view(template_name="staff/password_change.html")
        ),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        staff_view(*ALL_STAFF)(
            auth_views.PasswordChangeDoneView.as_view(template_name="staff/password_change_done.html")
        ),
        name="password_change_done",
    ),
    # Forgotten password: an emailed single-use link (Django's views; public by design).
    path("accounts/password/reset/", views.StaffPasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="staff/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        views.StaffPasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(template_name="staff/password_reset_complete.html"),
        name="password_reset_complete",
    ),
    # Second factor: reached after the password, before anything else.
    path("accounts/two-factor/setup/", views.twofactor_setup, name="twofactor_setup"),
    path("accounts/two-factor/verify/", views.twofactor_verify, name="twofactor_verify"),
    path("accounts/session/", views.session_keepalive, name="session_keepalive"),
]
