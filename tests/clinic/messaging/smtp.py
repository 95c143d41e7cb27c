"""A real SMTP server (aiosmtpd) for tests where email is the point.

`smtp_server` starts one on a free local port for a test; `smtp_settings`
points Django's SMTP backend at it. The slice's conftest.py offers both to
every test under tests/clinic/messaging/.
"""

import email
import email.message
import logging
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from aiosmtpd.controller import Controller


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: email.message.Message

    def text(self) -> str:
        """The plain-text part, decoded."""
        for part in self.message.walk():
            if part.get_content_type() == "text/plain":
                return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
        return ""

    def html(self) -> str:
        for part in self.message.walk():
            if part.get_content_type() == "text/html":
                return part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
        return ""


class Inbox:
    """aiosmtpd handler that keeps every message it accepts (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._received: list[Received] = []
        # Recipients refused with 550, to exercise a failing delivery.
        self.refuse: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options) -> str:  # noqa: N802 -- aiosmtpd's hook name
        if address in self.refuse:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 -- aiosmtpd's hook name
        received = Received(
            mail_from=envelope.mail_from,
            rcpt_tos=list(envelope.rcpt_tos),
            message=email.message_from_bytes(envelope.original_content),
        )
        with self._lock:
            self._received.append(received)
        return "250 Message accepted for delivery"

    @property
    def received(self) -> list[Received]:
        with self._lock:
            return list(self._received)

    def recipients(self) -> list[str]:
        """Every envelope recipient, in the order received, sorted within each message."""
        return [rcpt for item in self.received for rcpt in sorted(item.rcpt_tos)]

    def clear(self) -> None:
        with self._lock:
            self._received.clear()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class SmtpServer:
    inbox: Inbox
    port: int


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    inbox = Inbox()
    port = free_port()
    # aiosmtpd logs every SMTP command at INFO; keep failure output readable.
    mail_log = logging.getLogger("mail.log")
    previous_level = mail_log.level
    mail_log.setLevel(logging.WARNING)
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield SmtpServer(inbox=inbox, port=port)
    finally:
        controller.stop()
        mail_log.setLevel(previous_level)


@pytest.fixture
def smtp_settings(settings, smtp_server) -> SmtpServer:
    """Django's SMTP backend, pointed at the test's server (no TLS, no login)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_server.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    return smtp_server
