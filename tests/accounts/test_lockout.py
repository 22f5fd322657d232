"""Finding 4: password guessing. After AXES_FAILURE_LIMIT wrong passwords for one username from one
address, even the right password is refused for the cool-off time; an admin can lift the lock."""

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User

from .helpers import PASSWORD, make_staff

pytestmark = pytest.mark.django_db
LOGIN = "/admin/login/?next=/admin/"


def attempt(client, password, username="redakteur", address="198.51.100.7"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_after_five_wrong_passwords_the_right_one_is_refused_with_a_german_message(client, settings):
    settings.AXES_FAILURE_LIMIT = 5
    make_staff("redakteur", "Redaktion")
    for _ in range(4):
        assert attempt(client, "falsch").status_code == 200  # the login form with its error
    locked = attempt(client, "falsch")
    assert locked.status_code == 429
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in locked.content.decode()
    assert "15 Minuten" in locked.content.decode()

    right = attempt(client, PASSWORD)
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session
    # Each failure is logged for the admins, with the address.
    from axes.models import AccessFailureLog

    assert set(AccessFailureLog.objects.values_list("username", "ip_address")) == {
        ("redakteur", "198.51.100.7")
    }
    assert AccessFailureLog.objects.count() >= 5


def test_the_lock_is_per_username_and_address(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    make_staff("redakteur", "Redaktion")
    for _ in range(3):
        attempt(client, "falsch")
    # The same person from another address, and another account from the guesser's address, log in.
    assert attempt(client, PASSWORD, address="203.0.113.9").status_code == 302
    client.post("/admin/logout/")
    make_staff("sprecherin", "Pressesprecher/in")
    assert attempt(client, PASSWORD, username="sprecherin").status_code == 302


def test_an_admin_unlocks_by_deleting_the_attempt_in_the_admin(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    make_staff("redakteur", "Redaktion")
    for _ in range(3):
        attempt(client, "falsch")
    assert attempt(client, PASSWORD).status_code == 429

    admin = User.objects.create_superuser("admin", "admin@example.org", PASSWORD)
    staff = client.__class__()
    staff.force_login(admin)
    lock = AccessAttempt.objects.get(username="redakteur")
    listing = staff.get("/admin/axes/accessattempt/")
    assert listing.status_code == 200 and "redakteur" in listing.content.decode()
    staff.post(f"/admin/axes/accessattempt/{lock.pk}/delete/", {"post": "yes"})
    assert not AccessAttempt.objects.exists()

    assert attempt(client, PASSWORD).status_code == 302


def test_the_cool_off_ends_the_lock(client, settings):
    settings.AXES_FAILURE_LIMIT = 3
    make_staff("redakteur", "Redaktion")
    for _ in range(3):
        attempt(client, "falsch")
    assert attempt(client, PASSWORD).status_code == 429
    # As if the cool-off time had passed since the last failure.
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - settings.AXES_COOLOFF_TIME
    )
    assert attempt(client, PASSWORD).status_code == 302


def test_the_address_behind_a_trusted_proxy_is_the_one_it_saw(client, settings):
    """Behind the TLS proxy every request comes from 127.0.0.1: locks must not lock out the whole office,
    nor may a client pick its address with its own X-Forwarded-For."""
    settings.AXES_FAILURE_LIMIT = 3
    settings.TRUSTED_PROXY_COUNT = 1
    make_staff("redakteur", "Redaktion")
    for _ in range(3):
        client.post(
            LOGIN,
            {"username": "redakteur", "password": "falsch"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="10.9.9.9, 198.51.100.7",
        )
    assert AccessAttempt.objects.get().ip_address == "198.51.100.7"
    ok = client.post(
        LOGIN,
        {"username": "redakteur", "password": PASSWORD},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.9",
    )
    assert ok.status_code == 302
