from django.apps import AppConfig
from django.db.models.signals import post_migrate


class StaffConfig(AppConfig):
    name = "clinic.staff"
    label = "staff"
    verbose_name = "Staff and locations"

    def ready(self) -> None:
        # Permissions are created app by app as migrate finishes each one, so
        # the role groups are brought up to date after every app (idempotent),
        # not once after this app, which comes before the apps above it.
        post_migrate.connect(_roles_sync_after_migrate, dispatch_uid="staff_roles_sync")
        from clinic.staff import signals  # noqa: PLC0415 -- needs the app registry

        signals.connect()


def _roles_sync_after_migrate(sender: AppConfig, **kwargs: object) -> None:
    from clinic.staff.roles import roles_sync  # noqa: PLC0415 -- needs the app registry

    roles_sync(using=str(kwargs.get("using", "default")))
