from django.urls import include, path

from clinic.messaging import views

app_name = "messaging"
# Mounted at the site root: the staff outbox under outbox/, the patients' opt-out links under unsubscribe/.
outbox_patterns = [
    path("", views.outbox, name="outbox"),
    path("test/", views.test_email, name="test_email"),
    path("<int:pk>/retry/", views.retry, name="retry"),
]
urlpatterns = [
    path("outbox/", include(outbox_patterns)),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
