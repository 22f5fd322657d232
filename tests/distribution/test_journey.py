"""The Presseverteiler as its users meet it, against a real SMTP server (aiosmtpd in the test process)
and the real worker (``db_worker --batch``): sign-up, confirmation, a release, one-click unsubscribe."""

import pytest
from django.urls import reverse

from distribution.models import Consent, Delivery, Mailing, Subscriber
from tests.distribution.helpers import (
    all_list,
    approved_release,
    link_with,
    path_of,
    people,
    publish,
    subscriber,
    work,
)
from tests.mailserver import Inbox, running_smtp

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def smtp(settings):
    with running_smtp(settings) as inbox:
        yield inbox


@pytest.fixture
def team():
    return people()


def only(inbox, address):
    messages = inbox.to(address)
    assert len(messages) == 1, inbox.recipients()
    return messages[0]


def sign_up(client, email, **extra):
    data = {"email": email, "lists": [all_list().pk], "frequency": "immediate", "agree": "on", **extra}
    return client.post(reverse("distribution:signup"), data)


def test_sign_up_confirm_receive_and_unsubscribe_with_one_click(client, smtp, team):
    response = sign_up(client, "Journalistin@Example.org", name="Jana Schreiber", outlet="Rheinische Post")
    assert response.status_code == 302 and response["Location"] == reverse("distribution:requested")
    assert smtp.messages == []  # the worker sends, not the request
    person = Subscriber.objects.get(email="journalistin@example.org")
    assert person.state == Subscriber.State.PENDING

    release = publish(approved_release(team), team)
    work()
    confirmation = only(
        smtp, "journalistin@example.org"
    )  # nothing but the confirmation before it is confirmed
    assert str(confirmation["Subject"]).strip() == "Bitte bestätigen Sie Ihre Anmeldung zum Presseverteiler"
    text, _html = Inbox.parts(confirmation)
    confirm = path_of(link_with(text, "/presseverteiler/bestaetigen/"))

    assert "Anmeldung bestätigen" in client.get(confirm).content.decode()  # a scanner's GET confirms nothing
    assert Subscriber.objects.get(pk=person.pk).state == Subscriber.State.PENDING
    assert client.post(confirm).status_code == 200
    person.refresh_from_db()
    assert person.state == Subscriber.State.CONFIRMED and list(person.lists.all()) == [all_list()]
    proof = Consent.objects.get(subscriber=person)
    assert proof.method == Consent.Method.DOUBLE_OPT_IN and proof.confirmed_at is not None
    assert (
        proof.wording_version == "2026-12"
        and "jederzeit" in proof.wording
        and proof.lists == "Alle Pressemitteilungen"
    )

    smtp.messages.clear()
    second = publish(approved_release(team, title="Stadtfest am Rhein"), team)
    assert release.pk != second.pk
    work()
    mail = only(smtp, "journalistin@example.org")
    assert str(mail["Subject"]).strip() == "Stadtfest am Rhein"
    unsubscribe = str(mail["List-Unsubscribe"]).strip().strip("<>")
    assert unsubscribe.startswith("https://presse.example.org/presseverteiler/abmelden/")
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text, html = Inbox.parts(mail)
    for part in (text, html):
        assert "Foto: Max Mustermann" in part  # the lead image's credit
        assert "Radfahren wird sicherer." in part and "Dr. Stephan Keller" in part
        assert "Der erste Abschnitt wird im Frühjahr fertig." in part
        assert f"https://presse.example.org{second.get_absolute_url()}" in part
        assert "/presseverteiler/einstellungen/" in part
    assert '<html lang="de">' in html and "<h1" in html
    assert Delivery.objects.get(mailing__release=second, subscriber=person).state == Delivery.State.SENT

    # RFC 8058: the mail provider POSTs the body below, without cookie or CSRF token.
    client.cookies.clear()
    csrf_client = client.__class__(enforce_csrf_checks=True)
    response = csrf_client.post(
        path_of(unsubscribe), "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert not Subscriber.objects.filter(email="journalistin@example.org").exists()
    proof.refresh_from_db()
    assert proof.subscriber is None and proof.withdrawn_at is not None and proof.keep_until is not None
    assert proof.address_hash == Consent.hash_of("journalistin@example.org")

    smtp.messages.clear()
    publish(approved_release(team, title="Noch eine Mitteilung"), team)
    work()
    assert smtp.to("journalistin@example.org") == []
    assert Mailing.objects.filter(release__title="Noch eine Mitteilung").get().state == Mailing.State.DONE


def test_each_subscriber_gets_a_release_once_even_on_several_lists(smtp, team):
    from taggit.models import Tag

    from distribution.models import MailingList

    tag = Tag.objects.create(name="Verkehr", slug="verkehr")
    traffic = MailingList.objects.create(name="Verkehr", slug="verkehr", kind="tag", tag=tag)
    subscriber("beide@example.org", all_list(), traffic)
    subscriber("verkehr@example.org", traffic)
    release = approved_release(team)
    release.tags.add(tag)
    publish(release, team)
    work()
    assert len(smtp.to("beide@example.org")) == 1
    assert len(smtp.to("verkehr@example.org")) == 1
