from django.apps import AppConfig
from django.db.models.signals import post_migrate


class StaffConfig(AppConfig):
    name = "clinic.staff"
    label = "staff"
    verbose_name = "Staff and locations"

    def ready(self) -> None:
        # Permissions exist only after migrate has run every app, so the role
        # groups are brought up to date then rather than in a data migration.
        post_migrate.connect(_roles_sync_after_migrate, sender=self)
        from clinic.staff import signals  # noqa: PLC0415 -- needs the app registry

        signals.connect()


def _roles_sync_after_migrate(sender: AppConfig, **kwargs: object) -> None:
    from clinic.staff.roles import roles_sync  # noqa: PLC0415 -- needs the app registry

    roles_sync(using=str(kwargs.get("using", "default")))
