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
]
