"""Finding 4: spokespeople and superusers cannot work with a password alone; other staff may add a
second factor. The test settings turn enforcement off for the rest of the suite; these turn it on."""

import base64
import re

import pytest
from django.contrib.auth.models import User
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .helpers import PASSWORD, app_device, current_code, make_staff

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("enforced")]

SETUP = "/admin/zwei-faktor/"
VERIFY = "/admin/zwei-faktor/pruefen/"
RELEASES = "/admin/press/pressrelease/"


@pytest.fixture
def enforced(settings):
    settings.CITYHALL_REQUIRE_2FA = True


def log_in(client, username):
    response = client.post("/admin/login/", {"username": username, "password": PASSWORD, "next": RELEASES})
    assert response.status_code == 302, response.content[:500]
    return response


def test_a_spokesperson_with_only_a_password_is_sent_to_set_up_the_app(client):
    make_staff("sprecherin", "Pressesprecher/in")
    response = log_in(client, "sprecherin")
    response = client.get(response["Location"])
    assert response.status_code == 302
    assert response["Location"].startswith(SETUP + "?next=")
    # Nothing of the admin, nor a draft preview on the public site, before the second factor.
    assert client.get("/admin/").status_code == 302
    assert client.get(RELEASES).status_code == 302


def test_enrolment_shows_the_qr_code_and_secret_then_the_recovery_codes_once(client):
    user = make_staff("sprecherin", "Pressesprecher/in")
    log_in(client, "sprecherin")
    page = client.get(SETUP).content.decode()
    assert "<svg" in page and 'id="totp-secret"' in page
    device = app_device(user)
    assert device.confirmed is False
    secret = re.search(r'id="totp-secret"[^>]*>([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    assert base64.b32decode(secret) == device.bin_key

    wrong = client.post(SETUP, {"token": "000000" if current_code(device) != "000000" else "111111"})
    assert "Der Code stimmt nicht" in wrong.content.decode()
    assert app_device(user).confirmed is False
    # django-otp makes the next try wait after a wrong one (1 s, then doubling); skip the wait.
    app_device(user).throttle_reset()

    done = client.post(SETUP, {"token": current_code(device), "next": RELEASES})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", done.content.decode())
    assert len(codes) == 10
    assert sorted(codes) == sorted(
        StaticToken.objects.filter(device__user=user).values_list("token", flat=True)
    )
    assert app_device(user).confirmed is True
    assert client.get(RELEASES).status_code == 200
    # Shown once: the page of an enrolled account names how many are left, not the codes.
    again = client.get(SETUP).content.decode()
    assert "10 Wiederherstellungscodes" in again and codes[0] not in again


def enrolled(client, username, group="Pressesprecher/in"):
    user = make_staff(username, group)
    log_in(client, username)
    client.get(SETUP)
    done = client.post(SETUP, {"token": current_code(app_device(user))})
    codes = re.findall(r"<li><code>([a-z0-9]+)</code></li>", done.content.decode())
    client.post("/admin/logout/")
    return user, codes


def test_the_next_login_asks_for_the_code_and_a_recovery_code_works_once(client):
    user, codes = enrolled(client, "sprecherin")
    log_in(client, "sprecherin")
    response = client.get(RELEASES)
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    # A password alone cannot replace the factor either.
    assert client.get(SETUP)["Location"].startswith(VERIFY)

    wrong = client.post(VERIFY, {"token": "abcdefgh", "next": RELEASES})
    assert wrong.status_code == 200 and "Der Code stimmt nicht" in wrong.content.decode()
    StaticDevice.objects.get(user=user).throttle_reset()  # the wait django-otp imposes after a wrong code
    ok = client.post(VERIFY, {"token": codes[1], "next": RELEASES})
    assert ok.status_code == 302 and ok["Location"] == RELEASES
    assert client.get(RELEASES).status_code == 200
    assert StaticToken.objects.filter(device__user=user).count() == 9

    client.post("/admin/logout/")
    log_in(client, "sprecherin")
    reused = client.post(VERIFY, {"token": codes[1], "next": RELEASES})
    assert reused.status_code == 200
    assert client.get(RELEASES).status_code == 302


def test_the_apps_code_verifies_the_login(client):
    user, _codes = enrolled(client, "sprecherin")
    log_in(client, "sprecherin")
    # The code used at enrolment may not be replayed; wait for the app's next one.
    device = app_device(user)
    device.last_t -= 1
    device.save()
    ok = client.post(VERIFY, {"token": current_code(device), "next": RELEASES})
    assert ok.status_code == 302 and ok["Location"] == RELEASES


def test_superusers_must_enrol_other_staff_may(client):
    User.objects.create_superuser("admin", "admin@example.org", PASSWORD)
    log_in(client, "admin")
    assert client.get("/admin/")["Location"].startswith(SETUP)
    client.post("/admin/logout/")

    make_staff("redakteur", "Redaktion")
    log_in(client, "redakteur")
    assert client.get(RELEASES).status_code == 200
    assert "Zwei-Faktor-Anmeldung" in client.get("/admin/").content.decode()


def test_an_editor_who_enrolled_is_asked_for_the_code_too(client):
    enrolled(client, "redakteur", group="Redaktion")
    log_in(client, "redakteur")
    assert client.get(RELEASES)["Location"].startswith(VERIFY)


def test_with_enforcement_off_a_password_is_enough(client, settings):
    settings.CITYHALL_REQUIRE_2FA = False
    make_staff("sprecherin", "Pressesprecher/in")
    log_in(client, "sprecherin")
    assert client.get(RELEASES).status_code == 200


def test_without_the_app_but_with_recovery_codes_a_password_cannot_enrol_a_new_app(client):
    """The phone is lost and an admin deleted its device: a recovery code comes first, then a new app."""
    user, codes = enrolled(client, "sprecherin")
    TOTPDevice.objects.filter(user=user).delete()
    log_in(client, "sprecherin")
    assert client.get(SETUP)["Location"].startswith(VERIFY)
    assert client.post(SETUP, {"token": "123456"})["Location"].startswith(VERIFY)
    assert not TOTPDevice.objects.filter(user=user).exists()
    client.post(VERIFY, {"token": codes[0]})
    assert "<svg" in client.get(SETUP).content.decode()
