from django.urls import path

from clinic.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.access_log, name="access_log"),
    path("security/", views.security_log, name="security_log"),
]
