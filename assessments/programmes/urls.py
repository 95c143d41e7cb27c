from django.urls import path

from assessments.programmes.views import actions, plan

urlpatterns = [
    path("programmes/", plan.programme_list, name="programme_list"),
    path("assessments/<int:assessment_pk>/programme/new/", plan.programme_new, name="programme_new"),
    path("programmes/<int:pk>/", plan.programme_detail, name="programme_detail"),
    path("programmes/<int:pk>/edit/", plan.programme_edit, name="programme_edit"),
    path("programmes/<int:pk>/phases/<int:phase_pk>/", plan.phase_edit, name="programme_phase"),
    path("programmes/<int:pk>/phase/", plan.programme_phase_move, name="programme_phase_move"),
    path("programmes/<int:pk>/progress/", plan.programme_progress, name="programme_progress"),
    path("programmes/<int:pk>/ladder/", actions.programme_ladder, name="programme_ladder"),
    path("programmes/<int:pk>/readiness/", actions.programme_readiness, name="programme_readiness"),
    path(
        "programmes/<int:pk>/alerts/<int:alert_pk>/resolve/",
        actions.programme_alert_resolve,
        name="programme_alert_resolve",
    ),
    path("programmes/<int:pk>/notes/new/", actions.programme_visit_note, name="programme_visit_note"),
    path("programmes/<int:pk>/book/", actions.programme_book, name="programme_book"),
    path("programmes/<int:pk>/link/", actions.programme_link, name="programme_link"),
    path("programmes/<int:pk>/outcomes/", actions.programme_outcome, name="programme_outcome"),
    path("programmes/<int:pk>/discharge/", actions.programme_discharge_view, name="programme_discharge"),
]
