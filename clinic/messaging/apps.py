from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "clinic.messaging"
    label = "messaging"
    verbose_name = "Message outbox"

    def ready(self) -> None:
        from clinic.messaging import emails  # noqa: F401, PLC0415 -- registers the outbox's own kinds
