from django.urls import path

from assessments.training import views

urlpatterns = [
    path("programmes/<int:pk>/training/", views.training_timeline, name="training_timeline"),
    # The patient's page by link (no id in the address: the bound session names the programme);
    # two parts, so never taken for a link token (p/<token>/).
    path("p/log/timeline/", views.training_timeline_patient, name="training_timeline_patient"),
]
