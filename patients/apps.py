from django.apps import AppConfig


class PatientsConfig(AppConfig):
    name = "patients"
    verbose_name = "Patients"

    def ready(self) -> None:
        from patients import emails  # noqa: F401, PLC0415 -- registers the app's message kinds
