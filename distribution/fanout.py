"""From an event to delivery rows: which mailing, for whom, when. A mailing is planned (``Mailing``
row, state "scheduled") and the worker starts it at its time (``tasks.start_mailing`` with
django-tasks' ``run_after``); starting renders it once and writes one delivery row per recipient
(``bulk_create``), then hands over to the senders (distribution/sending.py)."""

from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from press.models import PressRelease

from .composing import compose
from .models import Delivery, Mailing, MailingList, Subscriber

Kind = Mailing.Kind
State = Mailing.State
CHUNK = 2000


def plan(kind, release=None, *, when=None, correction=None, user=None, preview_link=None):
    """Plan ``kind`` for ``release`` at ``when`` (now if None) and enqueue its start after the commit.
    A mailing that is already sending or sent stays as it is (each recipient gets it once); one still
    planned moves to the new time (its old task then finds the time changed and does nothing)."""
    from .tasks import start_mailing

    when = when or timezone.now()
    lookup = {"correction": correction} if kind == Kind.CORRECTION else {"release": release, "kind": kind}
    with transaction.atomic():
        mailing = Mailing.objects.select_for_update().filter(**lookup).first()
        if mailing is None:
            mailing = Mailing(kind=kind, release=release, correction=correction, created_by=user)
        elif stays(mailing, kind, when):
            return mailing
        mailing.state = State.SCHEDULED
        mailing.scheduled_for = when
        mailing.preview_link = preview_link or mailing.preview_link
        mailing.save()
        pk, stamp = mailing.pk, when.isoformat()
        transaction.on_commit(lambda: start_mailing.using(run_after=when).enqueue(pk, stamp))
    return mailing


def stays(mailing, kind, when):
    """Whether a new plan leaves ``mailing`` as it is: sending, sent (an embargo pre-send may go again,
    to the journalists accredited since), or already planned for ``when``."""
    if mailing.state == State.SENDING or (mailing.state == State.DONE and kind != Kind.EMBARGO):
        return True
    return mailing.state == State.SCHEDULED and mailing.scheduled_for == when


def cancel(release):
    """The release is no longer to be published: its planned mailing does not go out."""
    Mailing.objects.filter(release=release, kind=Kind.RELEASE, state=State.SCHEDULED).update(
        state=State.CANCELLED, scheduled_for=None
    )


def was_sent(release):
    return Mailing.objects.filter(
        release=release, kind__in=[Kind.RELEASE, Kind.EMBARGO], state__in=[State.SENDING, State.DONE]
    ).exists()


# --- starting ------------------------------------------------------------------------------------


def still_due(mailing, stamp):
    """Whether the task planned for ``stamp`` is still the mailing's current plan."""
    if mailing is None or mailing.state != State.SCHEDULED:
        return False
    if mailing.scheduled_for is None or mailing.scheduled_for.isoformat() != stamp:
        return False
    if mailing.kind == Kind.RELEASE:
        # published() decides at this moment: still published, with the time this task was planned for.
        return (
            PressRelease.objects.published()
            .filter(pk=mailing.release_id, published_at=mailing.scheduled_for)
            .exists()
        )
    if mailing.kind == Kind.EMBARGO:
        # Only what is approved and not public yet goes out under embargo.
        release = PressRelease.objects.filter(pk=mailing.release_id).first()
        return release is not None and release.state in (
            PressRelease.State.APPROVED,
            PressRelease.State.SCHEDULED,
        )
    return True


def start(mailing_id, stamp):
    """Run by the worker at the planned time: render, write the delivery rows, enqueue the senders.
    Returns how many rows were written (None when the plan changed)."""
    from .tasks import send_mailing

    with transaction.atomic():
        mailing = Mailing.objects.select_for_update().filter(pk=mailing_id).first()
        if not still_due(mailing, stamp):
            return None
        compose(mailing)
        count = write_deliveries(mailing)
        mailing.state = State.SENDING
        mailing.started_at = timezone.now()
        mailing.save()
        senders = settings.DISTRIBUTION_SENDERS if count else 1
        transaction.on_commit(lambda: [send_mailing.enqueue(mailing_id) for _ in range(senders)])
    return count


def write_deliveries(mailing):
    rows = recipients(mailing)
    objects = (
        Delivery(mailing=mailing, subscriber_id=pk, email=email, release_ids=release_ids)
        for pk, email, release_ids in rows
    )
    created = 0
    batch = []
    for item in objects:
        batch.append(item)
        if len(batch) >= CHUNK:
            created += len(Delivery.objects.bulk_create(batch, ignore_conflicts=True))
            batch = []
    if batch:
        created += len(Delivery.objects.bulk_create(batch, ignore_conflicts=True))
    return created


def recipients(mailing):
    """(subscriber id, address, release ids) of everyone ``mailing`` goes to."""
    receiving = Subscriber.objects.receiving()
    if mailing.kind == Kind.RELEASE:
        lists = MailingList.objects.matching(mailing.release)
        people = receiving.filter(frequency=Subscriber.Frequency.IMMEDIATE).on_lists(lists)
    elif mailing.kind == Kind.EMBARGO:
        people = receiving.filter(
            accredited_at__isnull=False, lists__kind=MailingList.Kind.ACCREDITED
        ).distinct()
    elif mailing.kind in (Kind.CORRECTION, Kind.WITHDRAWAL):
        people = receiving.filter(pk__in=sorted(got_release(mailing.release_id)))
    else:
        return digest_recipients(mailing)
    return ((pk, email, []) for pk, email in people.order_by("pk").values_list("pk", "email").iterator())


def got_release(release_id):
    """Who was sent the release: its mailing, its embargo pre-send or a digest that held it."""
    sent = Delivery.objects.filter(state=Delivery.State.SENT, subscriber__isnull=False)
    ids = set(
        sent.filter(
            mailing__release_id=release_id, mailing__kind__in=[Kind.RELEASE, Kind.EMBARGO]
        ).values_list("subscriber_id", flat=True)
    )
    digests = sent.filter(mailing__kind__in=Mailing.DIGESTS, mailing__releases=release_id)
    ids.update(
        pk
        for pk, release_ids in digests.values_list("subscriber_id", "release_ids")
        if release_id in release_ids
    )
    return ids


def known_corrections(release):
    """Corrections its recipients know of: mailed on their own, or already in the mail they got."""
    known = set(
        Mailing.objects.filter(kind=Kind.CORRECTION, release=release).values_list("correction_id", flat=True)
    )
    for kind, parts in Mailing.objects.filter(
        Q(release=release, kind__in=[Kind.RELEASE, Kind.EMBARGO])
        | Q(kind__in=Mailing.DIGESTS, releases=release),
        state__in=[State.SENDING, State.DONE],
    ).values_list("kind", "parts"):
        shown = parts.get(str(release.pk), {}) if kind in Mailing.DIGESTS else parts
        known.update(shown.get("corrections", []))
    return known


def digest_recipients(mailing):
    releases = list(mailing.releases.all())
    matched = {
        release.pk: set(MailingList.objects.matching(release).values_list("pk", flat=True))
        for release in releases
    }
    accredited_lists = set(
        MailingList.objects.filter(kind=MailingList.Kind.ACCREDITED).values_list("pk", flat=True)
    )
    people = Subscriber.objects.receiving().filter(frequency=mailing.kind)
    lists_of = {}
    through = Subscriber.lists.through.objects.filter(subscriber__in=people)
    for subscriber_id, list_id in through.values_list("subscriber_id", "mailinglist_id").iterator():
        lists_of.setdefault(subscriber_id, set()).add(list_id)
    order = sorted(releases, key=lambda release: (release.published_at, release.pk))
    for pk, email, accredited_at in (
        people.order_by("pk").values_list("pk", "email", "accredited_at").iterator()
    ):
        own = lists_of.get(pk, set())
        if accredited_at is None:
            own = own - accredited_lists
        release_ids = [release.pk for release in order if own & matched[release.pk]]
        if release_ids:
            yield pk, email, release_ids


# --- digests -------------------------------------------------------------------------------------


def period_length(kind):
    return timedelta(days=7 if kind == Kind.WEEKLY else 1)


def next_digest_time(kind, after=None):
    """The next local DISTRIBUTION_DIGEST_HOUR (on DISTRIBUTION_DIGEST_WEEKDAY for weekly) after ``after``."""
    after = timezone.localtime(after or timezone.now())
    moment = after.replace(hour=settings.DISTRIBUTION_DIGEST_HOUR, minute=0, second=0, microsecond=0)
    while moment <= after or (
        kind == Kind.WEEKLY and moment.weekday() != settings.DISTRIBUTION_DIGEST_WEEKDAY
    ):
        moment = timezone.localtime(moment + timedelta(days=1)).replace(
            hour=settings.DISTRIBUTION_DIGEST_HOUR
        )
    return moment


def plan_digest(kind, period_end):
    """The digest ``kind`` for the period ending at ``period_end``: the releases published in it. Returns
    the mailing, or None when it was made already (by another scheduling chain)."""
    start_at = period_end - period_length(kind)
    try:
        with transaction.atomic():
            mailing = Mailing.objects.create(
                kind=kind, period_start=start_at, period_end=period_end, scheduled_for=period_end
            )
    except IntegrityError:
        return None
    releases = PressRelease.objects.published(now=period_end).filter(
        Q(published_at__gt=start_at) & Q(published_at__lte=period_end)
    )
    mailing.releases.set(releases)
    return mailing
