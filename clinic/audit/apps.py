from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "clinic.audit"
    label = "audit"
    verbose_name = "Audit trail"

    def ready(self) -> None:
        from clinic.audit import security  # noqa: PLC0415 -- needs the app registry

        security.connect()
