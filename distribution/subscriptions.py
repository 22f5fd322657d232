"""Signing up, confirming, changing and leaving: the one place that writes subscribers and their
consent proof (the sign-up page, the manage page, the CSV import and the admin's accreditation all
come here). Mails go out through the worker (tasks.send_notice), after the commit."""

from django.db import transaction
from django.utils import timezone

from . import consent as wording
from .models import Consent, MailingList, Subscriber

Method = Consent.Method


def describe(lists):
    return ", ".join(item.name for item in lists)


def record_consent(subscriber, lists, frequency, method, *, source="", confirmed=False, now=None):
    now = now or timezone.now()
    return Consent.objects.create(
        subscriber=subscriber,
        address_hash=Consent.hash_of(subscriber.email),
        method=method,
        wording_version=wording.version(),
        wording=wording.wording(),
        lists=describe(lists),
        list_ids=[item.pk for item in lists],
        frequency=frequency,
        source=source,
        requested_at=now,
        confirmed_at=now if confirmed else None,
    )


def request_signup(email, lists, frequency, *, name="", outlet="", method=Method.DOUBLE_OPT_IN):
    """A sign-up from the public page (or an import without recorded consent). Answers nothing:
    a new or pending address gets a confirmation mail, a subscribed one a mail with its manage link;
    the page says the same either way."""
    from .tasks import send_notice

    email = email.strip().lower()
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().filter(email=email).first()
        if subscriber is not None and subscriber.state != Subscriber.State.PENDING:
            transaction.on_commit(lambda: send_notice.enqueue("known", subscriber.pk))
            return subscriber
        if subscriber is None:
            subscriber = Subscriber(email=email)
        subscriber.name = name or subscriber.name
        subscriber.outlet = outlet or subscriber.outlet
        subscriber.frequency = frequency
        subscriber.full_clean()
        subscriber.save()
        request = record_consent(subscriber, lists, frequency, method)
        transaction.on_commit(lambda: send_notice.enqueue("confirm", subscriber.pk, request.pk))
    return subscriber


def ask_to_confirm(subscriber, lists, method=Method.IMPORT_DOUBLE_OPT_IN):
    """An address the office added without documented consent: it gets the confirmation mail."""
    from .tasks import send_notice

    request = record_consent(subscriber, lists, subscriber.frequency, method)
    transaction.on_commit(lambda: send_notice.enqueue("confirm", subscriber.pk, request.pk))
    return request


def confirm(request, now=None):
    """The confirmation link was followed (and its button pressed): the consent holds from now."""
    now = now or timezone.now()
    with transaction.atomic():
        request.confirmed_at = now
        request.save(update_fields=["confirmed_at"])
        subscriber = request.subscriber
        subscriber.state = Subscriber.State.CONFIRMED
        subscriber.confirmed_at = now
        subscriber.frequency = request.frequency
        subscriber.save(update_fields=["state", "confirmed_at", "frequency"])
        subscriber.lists.set(MailingList.objects.filter(pk__in=request.list_ids))
    return subscriber


def add_confirmed(email, lists, frequency, *, source, method=Method.IMPORT_CONFIRMED, **fields):
    """An address whose consent the office documents (CSV import with a source, accreditation)."""
    with transaction.atomic():
        subscriber = Subscriber(email=email.strip().lower(), frequency=frequency, **fields)
        subscriber.state = Subscriber.State.CONFIRMED
        subscriber.confirmed_at = timezone.now()
        subscriber.full_clean()
        subscriber.save()
        subscriber.lists.set(lists)
        record_consent(subscriber, lists, frequency, method, source=source, confirmed=True)
    return subscriber


def change(subscriber, lists, frequency):
    """The manage page: other lists or another frequency, recorded as a new consent."""
    with transaction.atomic():
        kept = [item for item in subscriber.lists.all() if not item.public]  # accreditation stays
        subscriber.frequency = frequency
        subscriber.save(update_fields=["frequency"])
        subscriber.lists.set([*lists, *kept])
        record_consent(subscriber, [*lists, *kept], frequency, Method.MANAGE_PAGE, confirmed=True)


def leave(subscriber):
    with transaction.atomic():
        subscriber.leave()
