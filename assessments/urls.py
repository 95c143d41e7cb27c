from django.urls import path

from assessments import (
    assessment_views,
    catalogue_views,
    checkin_views,
    imaging_views,
    programme_actions,
    programme_views,
)

app_name = "assessments"
urlpatterns = [
    # The 4–8 week programme (issue 7).
    path("programmes/", programme_views.programme_list, name="programme_list"),
    path("assessments/<int:assessment_pk>/programme/new/", programme_views.programme_new, name="programme_new"),
    path("programmes/<int:pk>/", programme_views.programme_detail, name="programme_detail"),
    path("programmes/<int:pk>/edit/", programme_views.programme_edit, name="programme_edit"),
    path("programmes/<int:pk>/phases/<int:phase_pk>/", programme_views.phase_edit, name="programme_phase"),
    path("programmes/<int:pk>/phase/", programme_views.programme_phase_move, name="programme_phase_move"),
    path("programmes/<int:pk>/progress/", programme_views.programme_progress, name="programme_progress"),
    path("programmes/<int:pk>/ladder/", programme_actions.programme_ladder, name="programme_ladder"),
    path("programmes/<int:pk>/readiness/", programme_actions.programme_readiness, name="programme_readiness"),
    path(
        "programmes/<int:pk>/alerts/<int:alert_pk>/resolve/",
        programme_actions.programme_alert_resolve,
        name="programme_alert_resolve",
    ),
    path("programmes/<int:pk>/notes/new/", programme_actions.programme_visit_note, name="programme_visit_note"),
    path("programmes/<int:pk>/book/", programme_actions.programme_book, name="programme_book"),
    path("programmes/<int:pk>/link/", programme_actions.programme_link, name="programme_link"),
    path("programmes/<int:pk>/outcomes/", programme_actions.programme_outcome, name="programme_outcome"),
    path("programmes/<int:pk>/discharge/", programme_actions.programme_discharge_view, name="programme_discharge"),
    path("exercises/", catalogue_views.exercise_list, name="exercise_list"),
    path("exercises/new/", catalogue_views.exercise_new, name="exercise_new"),
    path("exercises/<int:pk>/", catalogue_views.exercise_edit, name="exercise_edit"),
    # The patient's programme pages by link (public; see checkin_views). The token route comes last.
    path("p/check/", checkin_views.checkin_check, name="checkin_check"),
    path("p/", checkin_views.checkin_home, name="checkin_home"),
    path("p/week/<int:week>/", checkin_views.checkin_week, name="checkin_week"),
    path("p/week/<int:week>/autosave/", checkin_views.checkin_autosave, name="checkin_autosave"),
    path("p/questionnaire/", checkin_views.checkin_outcome, name="checkin_outcome"),
    path("p/leave/", checkin_views.checkin_leave, name="checkin_leave"),
    # Last: a token never equals one of the names above (they are too short to be a token).
    path("p/<str:token>/", checkin_views.checkin_start, name="checkin_start"),
    # Assessments (issue 6).
    path("todo/", assessment_views.clinical_todo, name="todo"),
    path("patients/<int:patient_pk>/assessments/new/", assessment_views.assessment_start_view, name="start"),
    path("appointments/<int:pk>/assessment/", assessment_views.assessment_for_appointment, name="for_appointment"),
    path("assessments/<int:pk>/", assessment_views.assessment_detail, name="detail"),
    path("assessments/<int:pk>/edit/", assessment_views.assessment_edit, name="edit"),
    path("assessments/<int:pk>/autosave/", assessment_views.assessment_autosave, name="autosave"),
    path("assessments/<int:pk>/summary/", assessment_views.assessment_summary, name="summary"),
    path("assessments/<int:pk>/imaging/new/", imaging_views.imaging_order_new, name="imaging_new"),
    path("imaging/", imaging_views.imaging_list, name="imaging_list"),
    path("imaging/<int:pk>/", imaging_views.imaging_order_detail, name="imaging_detail"),
]
