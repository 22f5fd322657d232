"""The fan-out costs the same number of queries for 3 or 300 recipients (one rendering, rows written in
bulk), and a send task claims a batch in a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from distribution import fanout, sending
from distribution.models import Mailing, Subscriber
from press.models import PressRelease
from tests.distribution.helpers import all_list
from tests.factories import add_text, make_contact, make_image, make_release

pytestmark = pytest.mark.django_db


def started_mailing(recipients):
    everything = all_list()
    people = Subscriber.objects.bulk_create(
        Subscriber(email=f"r{recipients}-{n}@example.org", state=Subscriber.State.CONFIRMED)
        for n in range(recipients)
    )
    Subscriber.lists.through.objects.bulk_create(
        Subscriber.lists.through(subscriber_id=person.pk, mailinglist_id=everything.pk) for person in people
    )
    release = make_release(contact=make_contact(), image=make_image())
    add_text(release, "<p>Text</p>")
    mailing = Mailing.objects.create(
        kind=Mailing.Kind.RELEASE, release=release, scheduled_for=release.published_at
    )
    with CaptureQueriesContext(connection) as queries:
        assert fanout.start(mailing.pk, release.published_at.isoformat()) == recipients
    Subscriber.objects.update(state=Subscriber.State.PAUSED)  # the next mailing has only its own
    inserts = sum(
        (query["sql"].startswith("INSERT") and '"distribution_delivery"' in query["sql"][:60])
        for query in queries
    )
    return mailing, (len(queries) - inserts, inserts)


def test_the_fan_out_does_not_grow_with_the_recipients():
    _mailing, (few, few_inserts) = started_mailing(3)
    _mailing, (many, many_inserts) = started_mailing(300)
    assert few == many == 18
    # The rows go in one bulk insert (SQLite splits it at its limit of bound parameters).
    assert few_inserts == 1 and many_inserts <= (1 if connection.vendor == "postgresql" else 5)


def test_a_claim_is_four_queries(django_assert_num_queries):
    mailing, _count = started_mailing(5)
    with django_assert_num_queries(4):  # savepoint, select the due rows, mark them, release the savepoint
        rows = sending.claim(mailing.pk)
    assert len(rows) == 5 and len({row.claim for row in rows}) == 1
    assert PressRelease.objects.filter(pk=mailing.release_id).exists()
