"""The Presseverteiler's background work, run by the worker (``manage.py db_worker``). Nothing here
runs in a request. The digests need no cron: each digest run enqueues the next one with
``run_after`` (``schedule_digests`` starts the chain once; ``migrate`` calls it too)."""

from datetime import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from cityhall.library.mail import admin_link, send_templated

from . import fanout, sending, tokens
from .models import Consent, Mailing, Subscriber

DIGEST_TASK = "distribution.tasks.run_digests"


@task()
def start_mailing(mailing_id, scheduled_for):
    """At the planned time: checks the plan still holds, then writes the delivery rows."""
    with translation.override("de"):
        return fanout.start(mailing_id, scheduled_for)


@task()
def send_mailing(mailing_id):
    with translation.override("de"):
        return sending.send(mailing_id)


@task()
def send_notice(kind, subscriber_id, consent_id=None):
    """The confirmation mail ("confirm") or, for an address already in the list, its manage link
    ("known"). Returns how many mails were sent."""
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None:
        return 0
    with translation.override("de"):
        if kind == "confirm":
            consent = Consent.objects.filter(
                pk=consent_id, subscriber=subscriber, confirmed_at__isnull=True
            ).first()
            if consent is None:
                return 0
            link = admin_link(
                reverse("distribution:confirm", args=[tokens.confirm_token(consent, subscriber)])
            )
            context = {"consent": consent, "link": link, "days": settings.DISTRIBUTION_CONFIRM_DAYS}
            return send_templated("distribution/confirm", context, [subscriber.email])
        link = admin_link(reverse("distribution:manage", args=[tokens.manage_token(subscriber)]))
        return send_templated("distribution/known", {"link": link}, [subscriber.email])


@task()
def run_digests(kind, period_end):
    """The daily or weekly digest for the period ending at ``period_end``, then the next run. The daily
    run also deletes what may no longer be kept (see housekeeping)."""
    end = datetime.fromisoformat(period_end)
    mailing = fanout.plan_digest(kind, end)
    if mailing is None:
        return None  # another chain made this period's digest and enqueued the next run
    enqueue_digest(kind, fanout.next_digest_time(kind, end))
    if kind == Mailing.Kind.DAILY:
        housekeeping()
    with translation.override("de"):
        return fanout.start(mailing.pk, mailing.scheduled_for.isoformat())


def enqueue_digest(kind, when):
    return run_digests.using(run_after=when).enqueue(kind, when.isoformat())


def housekeeping(now=None):
    """Consent proofs past their retention and sign-ups never confirmed are deleted."""
    from datetime import timedelta

    now = now or timezone.now()
    Consent.objects.filter(keep_until__lt=now).delete()
    stale = now - timedelta(days=settings.DISTRIBUTION_CONFIRM_DAYS)
    unconfirmed = Subscriber.objects.filter(state=Subscriber.State.PENDING, created_at__lt=stale)
    for subscriber in unconfirmed.exclude(consents__requested_at__gte=stale):
        subscriber.leave(now)


def ensure_digest_schedule():
    """Start the digest chains where none waits (idempotent; ``manage.py schedule_digests``)."""
    from django_tasks_db.models import DBTaskResult

    waiting = {
        result.args_kwargs.get("args", [None])[0]
        for result in DBTaskResult.objects.filter(task_path=DIGEST_TASK, status="READY")
    }
    started = []
    for kind in (Mailing.Kind.DAILY, Mailing.Kind.WEEKLY):
        if kind not in waiting:
            enqueue_digest(kind, fanout.next_digest_time(kind))
            started.append(kind)
    return started
