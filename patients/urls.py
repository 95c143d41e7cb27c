from django.urls import path

from patients import views

app_name = "patients"
urlpatterns = [
    path("", views.patient_list, name="list"),
    path("new/", views.patient_create, name="create"),
    path("<int:pk>/", views.patient_detail, name="detail"),
    path("<int:pk>/edit/", views.patient_edit, name="edit"),
    path("today/", views.today, name="today"),
    path("my-day/", views.my_day, name="my_day"),
    path("calendar/", views.calendar, name="calendar"),
]
