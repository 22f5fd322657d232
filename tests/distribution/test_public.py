"""The public pages and the admin import: bad input gets a clear answer and loses nothing, the sign-up
is guarded against abuse and tells nobody whether an address is subscribed."""

import time

import pytest
from django.core import signing
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from distribution import tokens
from distribution.models import Consent, Subscriber
from tests.distribution.helpers import all_list, subscriber
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


def sign_up(client, email, client_address="127.0.0.1", **extra):
    data = {"email": email, "lists": [all_list().pk], "frequency": "immediate", "agree": "on", **extra}
    return client.post(reverse("distribution:signup"), data, REMOTE_ADDR=client_address)


def notices():
    """The mails the sign-up enqueued for the worker: (kind, subscriber id)."""
    return [
        tuple(result.args_kwargs["args"][:2])
        for result in DBTaskResult.objects.filter(task_path="distribution.tasks.send_notice").order_by(
            "enqueued_at"
        )
    ]


def pending_request(email="neu@example.org"):
    from distribution import subscriptions

    person = subscriptions.request_signup(email, [all_list()], "immediate")
    return person, Consent.objects.get(subscriber=person)


def test_the_sign_up_page_offers_the_public_lists_and_the_wording(client, django_assert_num_queries):
    all_list()
    with django_assert_num_queries(1):  # the public lists
        response = client.get(reverse("distribution:signup"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Alle Pressemitteilungen" in page and "Akkreditierte Presse" not in page
    assert "jederzeit" in page and 'class="hp"' in page


def test_a_malformed_address_is_a_field_error_and_keeps_the_input(client):
    response = sign_up(client, "keine-adresse@", name="Jana Schreiber")
    page = response.content.decode()
    assert response.status_code == 400
    assert "Bitte geben Sie eine gültige E-Mail-Adresse an" in page
    assert 'value="Jana Schreiber"' in page
    assert not Subscriber.objects.exists()


def test_the_answer_is_the_same_for_new_subscribed_and_bot_sign_ups(
    client, django_capture_on_commit_callbacks
):
    known = subscriber("bekannt@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        new = sign_up(client, "neu@example.org")
        old = sign_up(client, "Bekannt@Example.org", lists=[])  # invalid lists: a field error, not a hint
        old = sign_up(client, "bekannt@example.org")
        bot = sign_up(client, "bot@example.org", website="http://spam.example")
    assert new.status_code == old.status_code == bot.status_code == 302
    assert new["Location"] == old["Location"] == bot["Location"]
    assert not Subscriber.objects.filter(email="bot@example.org").exists()  # the honeypot
    fresh = Subscriber.objects.get(email="neu@example.org")
    assert notices() == [("confirm", fresh.pk), ("known", known.pk)]  # the known address gets its manage link
    assert list(known.lists.all()) == [all_list()]  # and a stranger's sign-up changed nothing


def test_sign_ups_are_limited_per_address_and_per_client(client, settings):
    settings.DISTRIBUTION_SIGNUP_RATE_ADDRESS = "2/h"
    settings.DISTRIBUTION_SIGNUP_RATE_CLIENT = "4/h"
    assert [sign_up(client, "ziel@example.org").status_code for _ in range(3)] == [302, 302, 429]
    limited = sign_up(client, "ziel@example.org", client_address="10.0.0.9")
    assert limited.status_code == 429  # another client, the same address
    assert "Zu viele Anmeldungen" in limited.content.decode()
    assert sign_up(client, "andere@example.org").status_code == 302  # fourth from this client
    assert sign_up(client, "dritte@example.org").status_code == 429  # fifth
    assert Consent.objects.filter(subscriber__email="ziel@example.org").count() == 2


def test_a_confirmation_link_that_is_tampered_expired_or_used_twice(client):
    person, request = pending_request()
    token = tokens.confirm_token(request, person)
    url = reverse("distribution:confirm", args=[token])

    tampered = client.post(reverse("distribution:confirm", args=[token[:-2] + "xy"]))
    assert tampered.status_code == 400 and "ungültig" in tampered.content.decode()

    class EightDaysAgo(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time.time()) - 8 * 86400)

    old = EightDaysAgo(salt=tokens.CONFIRM_SALT).sign_object({"c": request.pk, "k": person.key})
    expired = client.post(reverse("distribution:confirm", args=[old]))
    assert expired.status_code == 410 and "abgelaufen" in expired.content.decode()
    assert Subscriber.objects.get(pk=person.pk).state == Subscriber.State.PENDING

    assert client.post(url).status_code == 200
    again = client.post(url)
    assert again.status_code == 409 and "bereits verwendet" in again.content.decode()
    assert Subscriber.objects.get(pk=person.pk).state == Subscriber.State.CONFIRMED


def test_the_manage_page_changes_the_frequency_and_leaving_deletes_the_address(client):
    person = subscriber("leserin@example.org")
    url = reverse("distribution:manage", args=[tokens.manage_token(person)])
    assert client.get(url[:-3] + "xx/").status_code == 404  # forged
    response = client.post(url, {"lists": [all_list().pk], "frequency": "weekly"})
    assert response.status_code == 200 and "gespeichert" in response.content.decode()
    person.refresh_from_db()
    assert person.frequency == "weekly"
    assert Consent.objects.filter(subscriber=person, method=Consent.Method.MANAGE_PAGE).exists()
    assert client.post(url, {"leave": "1"}).status_code == 200
    assert not Subscriber.objects.filter(email="leserin@example.org").exists()
    assert client.get(url).status_code == 404


def test_every_page_links_the_sign_up(client):
    from tests.factories import make_release

    release = make_release()
    for path in (release.get_absolute_url(), reverse("press:list")):
        assert f'href="{reverse("distribution:signup")}"' in client.get(path).content.decode()


def test_the_csv_import_keeps_good_rows_and_names_each_bad_one(client, django_capture_on_commit_callbacks):
    subscriber("schon@example.org")
    admin = make_user("admin", superuser=True)
    client.force_login(admin)
    rows = (
        "email;name;outlet;lists;consent_source\n"
        "a@example.org;Anna A;WDR;alle;Schriftliche Einwilligung vom 3.5.2024\n"
        "b@example.org;Bert B;;alle;\n"
        "kaputt@;Kai K;;alle;\n"
        "c@example.org;Cem C;;gibtsnicht;\n"
        "schon@example.org;;;alle;\n"
    )
    upload = SimpleUploadedFile("verteiler.csv", rows.encode("utf-8-sig"), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:distribution_subscriber_import"), {"file": upload})
    page = response.content.decode()
    assert response.status_code == 200, page
    assert "Zeile 4: kaputt@: E-Mail-Adresse: Bitte gültige E-Mail-Adresse eingeben." in page
    assert "Zeile 5: c@example.org: unbekannte Liste gibtsnicht" in page
    assert "Zeile 6: schon@example.org" in page
    a = Subscriber.objects.get(email="a@example.org")
    b = Subscriber.objects.get(email="b@example.org")
    assert a.state == Subscriber.State.CONFIRMED and a.outlet == "WDR"
    assert a.consents.get().source == "Schriftliche Einwilligung vom 3.5.2024"
    assert b.state == Subscriber.State.PENDING  # to be confirmed: gets the confirmation mail
    assert notices() == [("confirm", b.pk)]
    assert not Subscriber.objects.filter(email__in=["kaputt@", "c@example.org"]).exists()

    broken = SimpleUploadedFile("x.csv", b"\xff\xfe\x00nonsense", content_type="text/csv")
    response = client.post(reverse("admin:distribution_subscriber_import"), {"file": broken})
    assert "nicht in UTF-8" in response.content.decode()


def test_an_address_added_by_hand_is_asked_to_confirm(client, django_capture_on_commit_callbacks):
    client.force_login(make_user("admin", superuser=True))
    data = {"email": "Hand@Example.org", "name": "Hanna", "lists": [all_list().pk], "frequency": "immediate"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:distribution_subscriber_add"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    person = Subscriber.objects.get(email="hand@example.org")
    assert person.state == Subscriber.State.PENDING
    assert person.consents.get().method == Consent.Method.IMPORT_DOUBLE_OPT_IN
    assert notices() == [("confirm", person.pk)]
    for name in ("subscriber", "mailing", "mailinglist", "consent"):
        assert client.get(reverse(f"admin:distribution_{name}_changelist")).status_code == 200
