# The real SMTP server fixtures, for every test of this slice (a module may define its own).
from tests.clinic.messaging.smtp import smtp_server, smtp_settings

__all__ = ["smtp_server", "smtp_settings"]
