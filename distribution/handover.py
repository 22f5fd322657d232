"""Handing one message to the SMTP server so that a worker killed at any moment never sends it twice.

``smtplib.sendmail`` sends the message and its final "." in one go and returns after the server's "250";
a worker killed after that reply but before the delivery row says "sent" would send the mail again. Here
the row is recorded as sent *before* the final "." leaves (``recorded()``): the server delivers only what
it received in full, so a kill before the dot leaves nothing delivered, and a kill after it leaves a row
that already says sent. What remains is a window of one socket write between the commit and the dot,
in which a kill loses that one mail instead of sending it twice (RFC 1047 describes the same race from the
server's side). A refusal after the dot (4xx, 5xx) is raised as usual and the caller records it.

Used for Django's SMTP backend; any other backend (files in development, memory) sends as before."""

import contextlib
import re
import smtplib
import socket

from django.core.mail.backends.smtp import EmailBackend
from django.core.mail.message import sanitize_address

LEADING_DOT = re.compile(rb"(?m)^\.")


def supported(backend):
    return isinstance(backend, EmailBackend)


def send(backend, message, recorded):
    """Send ``message`` over the open ``backend``; ``recorded()`` is called just before the final dot."""
    if backend.connection is None:
        backend.open()
    smtp = backend.connection
    # The dot goes out as a packet of its own: without TCP_NODELAY, Nagle's algorithm holds it until the
    # body is acknowledged (a delayed ACK, 40 ms on Linux), which would cap a worker at 25 mails a second.
    if smtp.sock is not None:
        smtp.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    encoding = message.encoding or "utf-8"
    sender = sanitize_address(message.from_email, encoding)
    recipients = [sanitize_address(address, encoding) for address in message.recipients()]
    body = message.message().as_bytes(linesep="\r\n")
    smtp.ehlo_or_helo_if_needed()
    options = ["SMTPUTF8"] if smtp.has_extn("smtputf8") and not _ascii(sender, recipients) else []
    code, reply = smtp.mail(sender, options)
    if code != 250:
        _reset(smtp)
        raise smtplib.SMTPSenderRefused(code, reply, sender)
    refused = {}
    for recipient in recipients:
        code, reply = smtp.rcpt(recipient)
        if code not in (250, 251):
            refused[recipient] = (code, reply)
    if len(refused) == len(recipients):
        _reset(smtp)
        raise smtplib.SMTPRecipientsRefused(refused)
    code, reply = smtp.docmd("data")
    if code != 354:
        _reset(smtp)
        raise smtplib.SMTPDataError(code, reply)
    data = LEADING_DOT.sub(b"..", body)  # dot-stuffing (RFC 5321 4.5.2), as smtplib does
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    smtp.send(data)
    recorded()
    smtp.send(b".\r\n")
    code, reply = smtp.getreply()
    if code != 250:
        raise smtplib.SMTPDataError(code, reply)
    return refused


def _ascii(sender, recipients):
    return all(address.isascii() for address in (sender, *recipients))


def _reset(smtp):
    with contextlib.suppress(smtplib.SMTPServerDisconnected):
        smtp.rset()
