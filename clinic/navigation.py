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
