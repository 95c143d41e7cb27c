"""Navigation per role (frame level: it names pages of every app)."""

from django.http import HttpRequest

from clinic.staff.choices import Role

# (label, url name, roles that see it); clinic admins see every item.
NAV_ITEMS = (
    ("Today", "patients:today", {Role.FRONT_DESK}),
    ("My day", "patients:my_day", {Role.THERAPIST}),
    ("Calendar", "patients:calendar", {Role.FRONT_DESK, Role.THERAPIST}),
    ("Online requests", "patients:online_requests", {Role.FRONT_DESK}),
    ("Patients", "patients:list", {Role.FRONT_DESK, Role.THERAPIST}),
    ("Programmes", "assessments:programme_list", {Role.THERAPIST}),
    ("Clinical to-do", "assessments:todo", {Role.THERAPIST}),
    ("Exercises", "assessments:exercise_list", set()),
    ("Outbox", "messaging:outbox", set()),
    ("Audit", "audit:access_log", set()),
    ("Care-team access", "patients:access_grants", set()),
    ("API clients", "fhir_clients:list", set()),
)


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav_items": [
            {"label": label, "url_name": url_name}
            for label, url_name, roles in NAV_ITEMS
            if user.has_role(*roles) or user.has_role(Role.CLINIC_ADMIN)
        ],
        "user_roles_label": ", ".join(Role(r).label for r in sorted(user.roles)) or "No role",
        "can_edit_patients": user.has_role(Role.FRONT_DESK, Role.THERAPIST),
        "can_see_clinical": user.has_role(Role.THERAPIST),
    }


# The title of each page a patient's record is read on, for the audit log (which
# stores the route's name): what the page's own heading calls it.
PAGE_TITLES = {
    "patients:list": "Patients",
    "patients:detail": "Patient",
    "patients:edit": "Edit patient",
    "patients:archive": "Archive patient",
    "patients:access_report": "Access report",
    "patients:export": "Record export",
    "patients:today": "Today",
    "patients:my_day": "My day",
    "patients:calendar": "Calendar",
    "patients:book": "Book an appointment",
    "patients:appointment": "Appointment",
    "patients:appointment_mark": "Appointment: arrival or outcome",
    "patients:appointment_reschedule": "Move appointment",
    "patients:appointment_cancel": "Cancel appointment",
    "patients:intake_resend": "Resend intake link",
    "patients:online_requests": "Online requests",
    "patients:online_request_approve": "Approve online request",
    "patients:online_request_decline": "Decline online request",
    "patients:identity_review": "Identity review",
    "patients:intake_check": "Intake: identity check",
    "patients:intake_code": "Intake: emailed code",
    "patients:intake_resume": "Intake",
    "patients:intake_review": "Intake: review answers",
    "patients:intake_submit": "Intake: submit",
    "patients:intake_step": "Intake step",
    "patients:intake_autosave": "Intake (saved as typed)",
    "patients:intake_done": "Intake sent",
    "patients:intake_start": "Intake",
    "patients:intake_summary": "Intake summary",
    "patients:reminder_turn_on": "Reminders turned on",
    "patients:redflag_raise": "Raise a red flag",
    "patients:redflag_clear": "Clear a red flag",
    "patients:break_glass": "Emergency access",
    "patients:care_assign": "Care team: assign",
    "patients:care_unassign": "Care team: unassign",
    "patients:access_grants": "Care-team access",
    "patients:access_grant_review": "Care-team access review",
    "assessments:programme_list": "Programmes",
    "assessments:programme_new": "New programme",
    "assessments:programme_detail": "Programme",
    "assessments:programme_edit": "Change programme plan",
    "assessments:programme_phase": "Phase exercises",
    "assessments:programme_phase_move": "Move to another phase",
    "assessments:programme_progress": "Progress charts",
    "assessments:programme_ladder": "Return to run",
    "assessments:programme_readiness": "Readiness-to-run checklist",
    "assessments:programme_alert_resolve": "Resolve an alert",
    "assessments:programme_visit_note": "Visit note",
    "assessments:programme_book": "Book programme visits",
    "assessments:programme_link": "Patient's programme link",
    "assessments:programme_outcome": "Record outcomes",
    "assessments:programme_discharge": "Discharge",
    "assessments:training_log": "Training log (patient)",
    "assessments:training_run": "Log a run (patient)",
    "assessments:training_run_edit": "Edit a run (patient)",
    "assessments:training_run_delete": "Delete a run (patient)",
    "assessments:training_session": "Log a session (patient)",
    "assessments:training_session_delete": "Delete a session (patient)",
    "assessments:training_body": "Body check-in (patient)",
    "assessments:training_shoes": "Shoes (patient)",
    "assessments:training_shoe_retire": "Retire shoes (patient)",
    "assessments:training_settings": "Training log settings (patient)",
    "assessments:training_timeline": "Training log",
    "assessments:training_timeline_patient": "Training log (patient's view)",
    "assessments:training_import": "Import runs",
    "assessments:training_import_preview": "Import runs: preview",
    "assessments:training_import_cancel": "Import runs: cancel",
    "assessments:checkin_check": "Check-in: identity check",
    "assessments:checkin_code": "Check-in: emailed code",
    "assessments:checkin_home": "Programme (patient)",
    "assessments:checkin_week": "Weekly check-in",
    "assessments:checkin_autosave": "Weekly check-in (saved as typed)",
    "assessments:checkin_outcome": "Progress questionnaire",
    "assessments:checkin_leave": "Check-in: signed out",
    "assessments:checkin_start": "Check-in",
    "assessments:checkin_exercise_sheet": "Exercise sheet (patient)",
    "assessments:todo": "Clinical to-do",
    "assessments:start": "Start an assessment",
    "assessments:for_appointment": "Assessment for an appointment",
    "assessments:detail": "Assessment",
    "assessments:edit": "Edit assessment",
    "assessments:autosave": "Assessment (saved as typed)",
    "assessments:summary": "Assessment summary",
    "assessments:imaging_new": "Order imaging",
    "assessments:imaging_list": "Imaging orders",
    "assessments:imaging_detail": "Imaging order",
    "assessments:summary_pdf": "Assessment summary (PDF)",
    "assessments:discharge_report_pdf": "Discharge report (PDF)",
    "assessments:exercise_sheet_pdf": "Exercise sheet (PDF)",
    "assessments:discharge_report_email": "Email the discharge report",
    "assessments:access_request": "Access request pack",
    "fhir:metadata": "FHIR API: capabilities",
    "fhir:patient_read": "FHIR API: patient",
    "fhir:patient_everything": "FHIR API: whole record",
    "fhir:search": "FHIR API: search",
    "fhir:read": "FHIR API: resource",
    "messaging:unsubscribe": "Unsubscribe (patient)",
    "manage.py fhir_export": "FHIR export (command line)",
}


def page_title(view_name: str) -> str:
    """The page's title for a stored route name ("assessments:programme_detail" → "Programme").

    A route not listed (one added since) reads as words from its name, never as the code.
    """
    title = PAGE_TITLES.get(view_name)
    if title is not None:
        return title
    name = view_name.rpartition(":")[2] if ":" in view_name else view_name
    return name.replace("_", " ").replace("/", " ").strip().capitalize() or view_name
