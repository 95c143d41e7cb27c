from django.urls import path

from assessments import views

app_name = "assessments"
urlpatterns = [
    path("programmes/", views.programme_list, name="programme_list"),
]
