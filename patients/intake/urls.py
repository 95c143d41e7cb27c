from django.urls import path

from patients.intake.views import portal, preferences, staff

urlpatterns = [
    # The patient's own link and form (no account). The fixed paths come before the token route.
    path("intake/check/", portal.intake_check, name="intake_check"),
    path("intake/code/", portal.intake_code, name="intake_code"),
    path("intake/form/", portal.intake_resume, name="intake_resume"),
    path("intake/form/review/", portal.intake_review, name="intake_review"),
    path("intake/form/submit/", portal.intake_submit_view, name="intake_submit"),
    path("intake/form/<slug:step>/", portal.intake_step, name="intake_step"),
    path("intake/form/<slug:step>/autosave/", portal.intake_autosave, name="intake_autosave"),
    path("intake/done/", portal.intake_done, name="intake_done"),
    path("intake/<str:token>/", portal.intake_start, name="intake_start"),
    # The therapist's intake summary (its red flags are cleared through patients.flags).
    path("intake-responses/<int:pk>/", staff.intake_summary, name="intake_summary"),
    # Staff turn a category of email reminders back on at the patient's request.
    path("<int:pk>/reminders/<slug:category>/on/", preferences.reminder_turn_on, name="reminder_turn_on"),
]
