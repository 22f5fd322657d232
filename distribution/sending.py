"""Sending a mailing's deliveries, exactly once per recipient.

Each send task claims a batch of due rows (``select_for_update(skip_locked=True)`` on PostgreSQL, so
two workers never take the same row; SQLite serialises writers anyway), marks them "sending" with a
lease (DISTRIBUTION_LEASE_SECONDS), sends them over one reused SMTP connection and marks each row
"sent" as soon as the server accepted it. A worker killed mid-batch leaves "sending" rows: once their
lease is over, any send task takes them again; a task that finds only leased rows left enqueues
itself for the end of the lease. A temporary refusal (4xx, connection trouble) is retried with
backoff (DISTRIBUTION_RETRY_SECONDS, doubling); a permanent one (5xx) fails the row and counts
against the address, which is paused after DISTRIBUTION_PAUSE_AFTER_REFUSALS refusals in a row.

No mail is sent twice, also when a worker is killed: over SMTP the row is recorded as sent just before the
message's final "." leaves (``distribution/handover.py``), so the server has either received nothing
complete or the row says sent. The window that remains is one socket write, in which a kill loses that one
mail; the Message-ID (``<verteiler.MAILING.DELIVERY@host>``) is the same on every attempt."""

import secrets
import smtplib
import time
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, transaction
from django.db.models import F, Min, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from cityhall.library.mail import admin_link

from . import handover, tokens
from .composing import MANAGE, UNSUBSCRIBE
from .models import Delivery, Mailing, Subscriber

State = Delivery.State
PLACEHOLDER = "TOKEN"


def due(mailing_id, now):
    return Delivery.objects.filter(mailing_id=mailing_id).filter(
        Q(state=State.QUEUED, next_attempt_at__lte=now) | Q(state=State.SENDING, lease_until__lt=now)
    )


def lease():
    return timedelta(seconds=settings.DISTRIBUTION_LEASE_SECONDS)


def claim(mailing_id, now=None):
    """Take up to DISTRIBUTION_BATCH due rows for this worker, under a new claim token (``row.claim``)."""
    now = now or timezone.now()
    token = secrets.token_hex(8)
    with transaction.atomic():
        rows = due(mailing_id, now).select_related("subscriber").order_by("pk")
        if connection.features.has_select_for_update_skip_locked:
            of = ("self",) if connection.features.has_select_for_update_of else ()
            rows = rows.select_for_update(skip_locked=True, of=of)
        rows = list(
            rows.only(
                "id",
                "email",
                "release_ids",
                "attempts",
                "subscriber__id",
                "subscriber__key",
                "subscriber__refusals",
            )[: settings.DISTRIBUTION_BATCH]
        )
        Delivery.objects.filter(pk__in=[row.pk for row in rows]).update(
            state=State.SENDING, lease_until=now + lease(), attempts=F("attempts") + 1, claim=token
        )
    for row in rows:
        row.attempts += 1
        row.claim = token
    return rows


class Lease:
    """Keeps a claimed batch leased while it is sent: renewed every third of the lease, so another
    worker takes a row only from a worker that stopped; rows taken meanwhile are left to their taker."""

    def __init__(self, rows):
        self.rows = rows
        self.token = rows[0].claim if rows else ""
        self.mine = {row.pk for row in rows}
        self.renewed = time.monotonic()

    def holds(self, row):
        if time.monotonic() - self.renewed > settings.DISTRIBUTION_LEASE_SECONDS / 3:
            open_rows = Delivery.objects.filter(pk__in=self.mine, claim=self.token, state=State.SENDING)
            open_rows.update(lease_until=timezone.now() + lease())
            self.mine = set(open_rows.values_list("pk", flat=True))
            self.renewed = time.monotonic()
        return row.pk in self.mine


class Composer:
    """Builds each recipient's message from the mailing's one rendering."""

    def __init__(self, mailing):
        self.mailing = mailing
        self.manage = admin_link(reverse("distribution:manage", args=[PLACEHOLDER]))
        self.unsubscribe = admin_link(reverse("distribution:unsubscribe", args=[PLACEHOLDER]))
        self.host = urlsplit(self.manage).hostname or "localhost"
        self.list_id = f"Presseverteiler <presseverteiler.{self.host}>"

    def message(self, row):
        subscriber = row.subscriber
        manage = self.manage.replace(PLACEHOLDER, tokens.manage_token(subscriber))
        unsubscribe = self.unsubscribe.replace(PLACEHOLDER, tokens.unsubscribe_token(subscriber))
        text, html = self.mailing.text, self.mailing.html
        if self.mailing.is_digest:
            parts = [self.mailing.parts[str(pk)] for pk in row.release_ids if str(pk) in self.mailing.parts]
            text = text.replace("@@items@@", "".join(part["text"] for part in parts))
            html = html.replace("@@items@@", "\n".join(part["html"] for part in parts))
        text = text.replace(MANAGE, manage).replace(UNSUBSCRIBE, unsubscribe)
        html = html.replace(MANAGE, manage).replace(UNSUBSCRIBE, unsubscribe)
        message = EmailMultiAlternatives(
            self.mailing.subject,
            text,
            to=[row.email],
            headers={
                "Message-ID": f"<verteiler.{self.mailing.pk}.{row.pk}@{self.host}>",
                "List-Id": self.list_id,
                "List-Unsubscribe": f"<{unsubscribe}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                "Auto-Submitted": "auto-generated",
            },
        )
        message.attach_alternative(html, "text/html")
        return message


def refusal(exc):
    """(SMTP code or None, reason) of a failed send."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused) and exc.recipients:
        code, reason = next(iter(exc.recipients.values()))
        return code, reason.decode(errors="replace") if isinstance(reason, bytes) else str(reason)
    if isinstance(exc, smtplib.SMTPResponseException):
        reason = exc.smtp_error
        return exc.smtp_code, reason.decode(errors="replace") if isinstance(reason, bytes) else str(reason)
    return None, f"{type(exc).__name__}: {exc}"


def mark_sent(row, now):
    Delivery.objects.filter(pk=row.pk, claim=row.claim).update(
        state=State.SENT, sent_at=now, lease_until=None, error=""
    )
    if row.subscriber.refusals:
        Subscriber.objects.filter(pk=row.subscriber.pk).update(refusals=0, failing_since=None)


def mark_failed(row, code, reason, now):
    text = f"{code} {reason}".strip() if code else reason
    if code is not None and code >= 500:
        Delivery.objects.filter(pk=row.pk).update(state=State.FAILED, lease_until=None, error=text[:1000])
        Subscriber.objects.filter(pk=row.subscriber.pk).update(
            refusals=F("refusals") + 1,
            failing_since=Coalesce(F("failing_since"), now),
            last_refusal=text[:1000],
        )
        Subscriber.objects.filter(
            pk=row.subscriber.pk, refusals__gte=settings.DISTRIBUTION_PAUSE_AFTER_REFUSALS
        ).update(state=Subscriber.State.PAUSED)
    elif row.attempts >= settings.DISTRIBUTION_MAX_ATTEMPTS:
        Delivery.objects.filter(pk=row.pk).update(state=State.FAILED, lease_until=None, error=text[:1000])
    else:
        wait = settings.DISTRIBUTION_RETRY_SECONDS * 2 ** (row.attempts - 1)
        Delivery.objects.filter(pk=row.pk).update(
            state=State.QUEUED,
            lease_until=None,
            next_attempt_at=now + timedelta(seconds=wait),
            error=text[:1000],
        )


def send(mailing_id):
    """One send task: claim and send until nothing is due. Returns how many mails were accepted."""
    mailing = Mailing.objects.filter(pk=mailing_id).first()
    if mailing is None or mailing.state != Mailing.State.SENDING:
        return 0
    composer = Composer(mailing)
    backend = get_connection(fail_silently=False)
    accepted = 0
    fast_commits(True)
    try:
        while rows := claim(mailing_id):
            held = Lease(rows)
            for index, row in enumerate(rows):
                if not held.holds(row):
                    continue
                if row.subscriber is None:
                    Delivery.objects.filter(pk=row.pk).update(state=State.CANCELLED, lease_until=None)
                    continue
                recorded = []
                try:
                    message = composer.message(row)
                    if handover.supported(backend):
                        # Recorded as sent just before the final dot: a kill never sends it twice.
                        def record(row=row, recorded=recorded):
                            recorded.append(mark_sent(row, timezone.now()))

                        handover.send(backend, message, record)
                    else:
                        if getattr(backend, "connection", True) is None:
                            backend.open()
                        backend.send_messages([message])
                except (smtplib.SMTPException, OSError) as exc:
                    code, reason = refusal(exc)
                    mark_failed(row, code, reason, timezone.now())
                    if code is None:  # the connection broke: give the rest of the batch back
                        backend.close()
                        release_rows(rows[index + 1 :])
                        break
                else:
                    if not recorded:
                        mark_sent(row, timezone.now())
                    accepted += 1
    finally:
        backend.close()
        fast_commits(False)
    finish(mailing_id)
    return accepted


def release_rows(rows):
    Delivery.objects.filter(pk__in=[row.pk for row in rows], state=State.SENDING).update(
        state=State.QUEUED, lease_until=None, attempts=F("attempts") - 1
    )


def fast_commits(on):
    """On PostgreSQL, a row's "sent" need not wait for the disk flush: the commit is still atomic and
    visible to other workers at once, and a killed worker loses nothing committed."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO %s" % ("OFF" if on else "DEFAULT"))


def finish(mailing_id):
    """Done when no row is open; else wake a sender when the next row is due (retry or lease)."""
    from .tasks import send_mailing

    now = timezone.now()
    with transaction.atomic():
        mailing = Mailing.objects.select_for_update().get(pk=mailing_id)
        if mailing.state != Mailing.State.SENDING:
            return
        open_rows = mailing.deliveries.filter(state__in=Delivery.OPEN)
        times = open_rows.aggregate(
            retry=Min("next_attempt_at", filter=Q(state=State.QUEUED)),
            lease=Min("lease_until", filter=Q(state=State.SENDING)),
        )
        upcoming = [moment for moment in times.values() if moment is not None]
        if not upcoming and not open_rows.exists():
            mailing.state, mailing.finished_at, mailing.wake_at = Mailing.State.DONE, now, None
            mailing.save(update_fields=["state", "finished_at", "wake_at"])
            return
        wake = max(min(upcoming, default=now), now)
        if mailing.wake_at is not None and now < mailing.wake_at <= wake:
            return  # a sender is already waiting for then
        mailing.wake_at = wake
        mailing.save(update_fields=["wake_at"])
        transaction.on_commit(lambda: send_mailing.using(run_after=wake).enqueue(mailing_id))
