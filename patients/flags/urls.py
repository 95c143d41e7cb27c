from django.urls import path

from patients.flags import views

urlpatterns = [
    path("<int:pk>/red-flags/new/", views.redflag_raise_view, name="redflag_raise"),
    path("red-flags/<int:pk>/clear/", views.redflag_clear_view, name="redflag_clear"),
]
