from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = "Clinical record"

    def ready(self) -> None:
        from assessments.programmes import emails  # noqa: F401, PLC0415 -- registers the programme's message kinds
