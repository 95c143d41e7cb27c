from django.urls import path

from assessments.programmes.portal import media, views

urlpatterns = [
    # The patient's programme pages by link (public). The token route comes last: a
    # token never equals one of the names above (they are too short to be a token).
    path("p/check/", views.checkin_check, name="checkin_check"),
    path("p/code/", views.checkin_code, name="checkin_code"),
    path("p/", views.checkin_home, name="checkin_home"),
    path("p/week/<int:week>/", views.checkin_week, name="checkin_week"),
    path("p/week/<int:week>/autosave/", views.checkin_autosave, name="checkin_autosave"),
    path("p/questionnaire/", views.checkin_outcome, name="checkin_outcome"),
    path("p/leave/", views.checkin_leave, name="checkin_leave"),
    path("p/media/<int:exercise_id>/", media.checkin_exercise_media, name="checkin_exercise_media"),
    path("p/<str:token>/", views.checkin_start, name="checkin_start"),
]
