"""Mailings through the real worker to a real SMTP server: embargo pre-send, scheduled sends that move
or are cancelled, corrections and withdrawals, digests, refusals and a worker that dies mid-run."""

import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from distribution import fanout, sending
from distribution.models import Delivery, Mailing, Subscriber
from distribution.tasks import enqueue_digest
from press import workflow
from press.models import Correction, PressRelease
from tests.distribution.helpers import approved_release, people, publish, subscriber, work
from tests.factories import make_release
from tests.mailserver import Inbox, free_port, running_smtp

pytestmark = pytest.mark.django_db(transaction=True)
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def smtp(settings):
    with running_smtp(settings) as inbox:
        yield inbox


@pytest.fixture
def team():
    return people()


def subjects(inbox, address):
    return [str(message["Subject"]).strip() for message in inbox.to(address)]


def time_passes():
    """What the clock does to waiting work: every delayed task and retry is due now."""
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    Delivery.objects.filter(state=Delivery.State.QUEUED).update(next_attempt_at=timezone.now())
    Delivery.objects.filter(state=Delivery.State.SENDING).update(
        lease_until=timezone.now() - timedelta(seconds=1)
    )


def test_embargo_pre_send_goes_to_the_accredited_press_with_the_preview_link(client, smtp, team):
    year = timezone.now().year + 1
    release = approved_release(team, published_at=datetime(year, 12, 2, 11, 0, tzinfo=BERLIN))
    subscriber("akkreditiert@example.org", accredited=True, outlet="WDR")
    subscriber("buerger@example.org")
    draft = make_release(status=PressRelease.Status.DRAFT, published_at=release.published_at)
    page = reverse("admin:distribution_mailing_embargo")

    client.force_login(team["editor"])
    assert client.get(page).status_code == 403  # only spokespeople
    client.force_login(team["speaker"])
    listing = client.get(page).content.decode()
    assert release.title in listing and f'value="{draft.pk}"' not in listing
    assert client.post(page, {"release": draft.pk}).status_code == 404  # only approved releases
    assert client.post(page, {"release": release.pk}).status_code == 302
    work()

    assert smtp.to("buerger@example.org") == []
    (mail,) = smtp.to("akkreditiert@example.org")
    assert str(mail["Subject"]).strip() == f"Sperrfrist: 2. Dezember {year}, 11:00 Uhr – {release.title}"
    text, html = Inbox.parts(mail)
    assert text.startswith(f"SPERRFRIST: 2. Dezember {year}, 11:00 Uhr")
    assert f"Sperrfrist: 2. Dezember {year}, 11:00 Uhr" in html.split("<h1", 1)[0]  # at the top
    assert "https://presse.example.org/vorschau/" in text and "/vorschau/" in html
    assert release.get_absolute_url() not in text + html  # not the public page
    preview = next(link for link in text.split() if "/vorschau/" in link).split("presse.example.org", 1)[1]
    assert release.title in client.get(preview).content.decode()

    assert client.post(page, {"release": release.pk}).status_code == 302  # again: nobody gets it twice
    work()
    assert len(smtp.to("akkreditiert@example.org")) == 1


def sleep_until(moment):
    time.sleep(max(0, (moment - timezone.now()).total_seconds()) + 0.3)


def test_a_scheduled_release_goes_out_at_its_time_and_follows_a_move(smtp, team, settings):
    subscriber("leserin@example.org")
    release = approved_release(team, published_at=timezone.now() + timedelta(seconds=8))
    release = publish(release, team)
    first_time = release.published_at
    assert release.state == PressRelease.State.SCHEDULED
    work()
    assert smtp.to("leserin@example.org") == []  # not before its time

    # Moved four seconds later: the first task wakes at the old time and finds nothing to do.
    release.published_at += timedelta(seconds=4)
    workflow.save(release, team["speaker"], write=release.save, expected_version=release.version)
    sleep_until(first_time)
    work()
    assert smtp.to("leserin@example.org") == []
    sleep_until(release.published_at)
    work()
    assert subjects(smtp, "leserin@example.org") == [release.title]
    assert Mailing.objects.get(release=release).state == Mailing.State.DONE


def test_a_scheduled_release_that_is_unscheduled_sends_nothing(smtp, team):
    subscriber("leserin@example.org")
    release = publish(approved_release(team, published_at=timezone.now() + timedelta(seconds=6)), team)
    workflow.transition(release, "unschedule", team["speaker"])
    sleep_until(release.published_at)
    work()
    assert smtp.to("leserin@example.org") == []
    assert Mailing.objects.get(release=release).state == Mailing.State.CANCELLED


def test_a_correction_and_a_withdrawal_reach_everyone_who_got_the_release(smtp, team):
    subscriber("erste@example.org")
    release = publish(approved_release(team), team)
    work()
    subscriber("spaeter@example.org")  # subscribed after the release went out

    workflow.add_correction(
        Correction(release=release, text="Der Radweg ist 14, nicht 12 Kilometer lang."), None
    )
    work()
    assert subjects(smtp, "erste@example.org") == [release.title, f"Korrektur: {release.title}"]
    text, _html = Inbox.parts(smtp.to("erste@example.org")[1])
    assert text.startswith("KORREKTUR vom ") and "14, nicht 12 Kilometer" in text
    assert smtp.to("spaeter@example.org") == []

    workflow.transition(release, "withdraw", team["speaker"], note="Termin abgesagt.")
    work()
    assert subjects(smtp, "erste@example.org")[-1] == f"Zurückgezogen: {release.title}"
    assert smtp.to("spaeter@example.org") == []


def test_the_daily_digest_collects_the_days_releases_and_plans_the_next(smtp, team):
    daily = subscriber("taeglich@example.org", frequency=Subscriber.Frequency.DAILY)
    subscriber("sofort@example.org")
    first = publish(approved_release(team, title="Erste Meldung"), team)
    second = publish(approved_release(team, title="Zweite Meldung"), team)
    work()
    assert smtp.to("taeglich@example.org") == []  # no immediate mail for a digest reader
    assert len(smtp.to("sofort@example.org")) == 2

    enqueue_digest(Mailing.Kind.DAILY, timezone.now())
    work()
    (mail,) = smtp.to("taeglich@example.org")
    text, html = Inbox.parts(mail)
    assert text.index(first.title) < text.index(second.title) and second.title in html
    assert str(mail["List-Unsubscribe-Post"]) == "List-Unsubscribe=One-Click"
    assert len(smtp.to("sofort@example.org")) == 2  # no digest for who gets each at once
    assert Delivery.objects.get(subscriber=daily).release_ids == [first.pk, second.pk]
    waiting = DBTaskResult.objects.get(task_path="distribution.tasks.run_digests", status="READY")
    assert waiting.run_after > timezone.now()  # the next day's run, no cron


class Refusing(Inbox):
    """Refuses some recipients: 450 (try later) or 550 (no such mailbox)."""

    def __init__(self):
        super().__init__()
        self.temporary = {"spaeter@example.org"}

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.temporary:
            return "450 4.2.1 Mailbox busy, try later"
        if address.startswith("unbekannt"):
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"


@pytest.fixture
def refusing(settings):
    from aiosmtpd.controller import Controller

    with running_smtp(settings):
        inbox = Refusing()
        controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
        controller.start()
        settings.EMAIL_PORT = controller.port
        try:
            yield inbox
        finally:
            controller.stop()


def test_temporary_refusals_are_retried_and_permanent_ones_pause_the_address(refusing, team, settings):
    settings.DISTRIBUTION_PAUSE_AFTER_REFUSALS = 2
    later = subscriber("spaeter@example.org")
    unknown = subscriber("unbekannt@example.org")
    release = publish(approved_release(team), team)
    work()
    row = Delivery.objects.get(subscriber=later)
    assert row.state == Delivery.State.QUEUED and row.error.startswith("450")
    assert row.next_attempt_at > timezone.now() + timedelta(seconds=50)  # backoff
    failed = Delivery.objects.get(subscriber=unknown)
    assert failed.state == Delivery.State.FAILED and failed.error.startswith("550")
    assert Mailing.objects.get(release=release).state == Mailing.State.SENDING  # one still to go

    refusing.temporary.clear()
    time_passes()
    work()
    assert len(refusing.to("spaeter@example.org")) == 1
    assert Mailing.objects.get(release=release).state == Mailing.State.DONE

    publish(approved_release(team, title="Zweite"), team)
    work()
    unknown.refresh_from_db()
    assert unknown.state == Subscriber.State.PAUSED and unknown.refusals == 2
    publish(approved_release(team, title="Dritte"), team)
    work()
    assert not Delivery.objects.filter(subscriber=unknown, mailing__release__title="Dritte").exists()


def test_a_worker_killed_mid_batch_leaves_rows_that_are_sent_once(smtp, team, settings):
    settings.DISTRIBUTION_BATCH = 10
    settings.DISTRIBUTION_SENDERS = 1
    addresses = [f"leser{n}@example.org" for n in range(30)]
    for address in addresses:
        subscriber(address)
    release = approved_release(team)
    mailing = fanout.plan(Mailing.Kind.RELEASE, release, when=release.published_at)
    release.status = PressRelease.Status.PUBLISHED
    release.save(update_fields=["status"])
    DBTaskResult.objects.filter(task_path="distribution.tasks.start_mailing").delete()
    assert fanout.start(mailing.pk, mailing.scheduled_for.isoformat()) == 30
    DBTaskResult.objects.filter(task_path="distribution.tasks.send_mailing").delete()

    dead = sending.claim(mailing.pk)  # a worker took ten rows and was killed before sending them
    assert len(dead) == 10
    from distribution.tasks import send_mailing

    send_mailing.enqueue(mailing.pk)
    work()
    readers = lambda: [address for address in smtp.recipients() if address.startswith("leser")]  # noqa: E731
    assert len(readers()) == 20
    assert Mailing.objects.get(pk=mailing.pk).state == Mailing.State.SENDING  # the leased rows wait
    time_passes()  # the lease is over
    work()
    assert sorted(readers()) == sorted(addresses)  # each exactly once
    assert Delivery.objects.filter(mailing=mailing, state=Delivery.State.SENT).count() == 30
    assert Mailing.objects.get(pk=mailing.pk).state == Mailing.State.DONE


class Checking(Inbox):
    """Looks, when a message is complete (after its final dot, before the server's answer), at what its
    delivery row says; refuses one message after the dot."""

    def __init__(self):
        super().__init__()
        self.seen = {}

    async def handle_DATA(self, server, session, envelope):
        from asgiref.sync import sync_to_async

        address = envelope.rcpt_tos[0]
        state = await sync_to_async(
            lambda: Delivery.objects.filter(subscriber__email=address).values_list("state", flat=True).first()
        )()
        if state is None:  # a staff notification, not a Presseverteiler mail
            return await super().handle_DATA(server, session, envelope)
        self.seen[address] = state
        if address.startswith("voll"):
            return "452 4.2.2 Mailbox full, try later"
        return await super().handle_DATA(server, session, envelope)


def test_a_row_says_sent_before_the_server_can_answer_so_a_kill_never_sends_twice(team, settings):
    from aiosmtpd.controller import Controller

    with running_smtp(settings):
        inbox = Checking()
        controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
        controller.start()
        settings.EMAIL_PORT = controller.port
        try:
            subscriber("leserin@example.org")
            subscriber("voll@example.org")
            publish(approved_release(team), team)
            work()
        finally:
            controller.stop()
    # The server had the whole message while the row already said "sent": a worker killed now, before the
    # "250", would leave a row that is not sent again.
    assert inbox.seen == {"leserin@example.org": Delivery.State.SENT, "voll@example.org": Delivery.State.SENT}
    assert Delivery.objects.get(subscriber__email="leserin@example.org").state == Delivery.State.SENT
    # A refusal after the dot takes the row back: it is retried, not counted as sent.
    full = Delivery.objects.get(subscriber__email="voll@example.org")
    assert full.state == Delivery.State.QUEUED and full.error.startswith("452")
