from django.urls import path

from assessments.training.portal import views

# The patient's training log, under the programme pages (p/): every path has two parts
# at least, so none is ever taken for a link token (p/<token>/).
urlpatterns = [
    path("p/log/home/", views.training_log, name="training_log"),
    path("p/log/run/", views.training_run, name="training_run"),
    path("p/log/run/<int:pk>/", views.training_run_edit, name="training_run_edit"),
    path("p/log/run/<int:pk>/delete/", views.training_run_delete, name="training_run_delete"),
    path("p/log/session/", views.training_session, name="training_session"),
    path("p/log/session/<int:pk>/delete/", views.training_session_delete, name="training_session_delete"),
    path("p/log/body/", views.training_body, name="training_body"),
    path("p/log/shoes/", views.training_shoes, name="training_shoes"),
    path("p/log/shoes/<int:pk>/retire/", views.training_shoe_retire, name="training_shoe_retire"),
    path("p/log/settings/", views.training_settings, name="training_settings"),
]
