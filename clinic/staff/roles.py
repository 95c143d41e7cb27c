"""The role groups and the model permissions each role holds."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from clinic.staff.choices import Role

# app_label → actions per role. Clinic admins get every permission of the
# clinic's own apps; front desk never gets the clinical record (assessments).
ROLE_PERMISSIONS: dict[str, dict[str, tuple[str, ...]]] = {
    Role.FRONT_DESK: {
        "patients": ("view", "add", "change"),
        "messaging": ("view",),
        "staff": ("view",),
    },
    Role.THERAPIST: {
        "patients": ("view", "add", "change"),
        "assessments": ("view", "add", "change"),
        "messaging": ("view",),
        "staff": ("view",),
    },
    Role.CLINIC_ADMIN: {
        "patients": ("view", "add", "change", "delete"),
        "assessments": ("view", "add", "change", "delete"),
        "messaging": ("view", "add", "change", "delete"),
        "staff": ("view", "add", "change", "delete"),
    },
}


def roles_sync(*, using: str = "default") -> None:
    """Create the role groups and set exactly their permissions (idempotent)."""
    for role in Role:
        group, _ = Group.objects.using(using).get_or_create(name=role.label)
        wanted = []
        for app_label, actions in ROLE_PERMISSIONS[role].items():
            perms = Permission.objects.using(using).filter(content_type__app_label=app_label)
            wanted.extend(p for p in perms if p.codename.split("_", 1)[0] in actions)
        group.permissions.set(wanted)


def role_group(role: Role) -> Group:
    return Group.objects.get(name=role.label)


def clinic_admin_emails() -> list[str]:
    """The addresses of every active clinic admin (alerts about the system go to them)."""
    users = get_user_model().objects.filter(is_active=True, groups__name=Role.CLINIC_ADMIN.label)
    return sorted(set(users.exclude(email="").values_list("email", flat=True)))
