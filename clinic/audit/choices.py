from django.db import models


class SecurityEventKind(models.TextChoices):
    """What a SecurityEvent row records (values are stored; labels are shown)."""

    SIGN_IN = "sign_in", "Signed in"
    SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
    LOCKOUT = "lockout", "Locked out"
    UNLOCK = "unlock", "Sign-in unlocked"
    PASSWORD_CHANGE = "password_change", "Password changed"
    PASSWORD_RESET = "password_reset", "Password reset"
    TWOFACTOR_ENROL = "twofactor_enrol", "Two-factor set up"
    TWOFACTOR_RESET = "twofactor_reset", "Two-factor reset"
    ROLE_ADDED = "role_added", "Role added"
    ROLE_REMOVED = "role_removed", "Role removed"
    EXPORT = "export", "Record exported"
    BREAK_GLASS = "break_glass", "Record opened outside the care team"
    CARE_TEAM_CHANGE = "care_team_change", "Care team changed"
