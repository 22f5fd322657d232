"""A real SMTP server for the mail tests (aiosmtpd on 127.0.0.1, a free port), and the settings that
send Django's mail to it. Messages are parsed with the standard library, as a mail client would."""

import email
import email.policy
import socket
import threading
from contextlib import contextmanager

from aiosmtpd.controller import Controller


class Inbox:
    """The aiosmtpd handler: keeps every message it is given."""

    def __init__(self):
        self.messages = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        with self._lock:
            self.messages.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def to(self, address):
        return [message for recipients, message in self.messages if address in recipients]

    def recipients(self):
        return sorted(address for recipients, _message in self.messages for address in recipients)

    @staticmethod
    def parts(message):
        """(plain text, HTML) of a message, with the line ends of the wire (CRLF) as LF."""
        return tuple(
            message.get_body((kind,)).get_content().replace("\r\n", "\n") for kind in ("plain", "html")
        )


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def running_smtp(settings):
    """A running SMTP server that Django's mail goes to (``settings``: pytest-django's fixture);
    yields its Inbox. Test modules make it their ``smtp`` fixture."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.DEFAULT_FROM_EMAIL = "presse@example.org"
    settings.SITE_URL = "https://presse.example.org"
    try:
        yield inbox
    finally:
        controller.stop()


def run_worker():
    """What `manage.py db_worker` does, until the queue is empty."""
    from django.core.management import call_command

    call_command("db_worker", batch=True, verbosity=0)
