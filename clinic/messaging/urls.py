from django.urls import path

from clinic.messaging import views

app_name = "messaging"
urlpatterns = [
    path("", views.outbox, name="outbox"),
    path("test/", views.test_email, name="test_email"),
    path("<int:pk>/retry/", views.retry, name="retry"),
]
