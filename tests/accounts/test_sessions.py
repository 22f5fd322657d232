"""Finding 4: sessions end after SESSION_IDLE_MINUTES without activity and SESSION_MAX_HOURS after the
login; a heartbeat of an open page is no activity. Production cookies are __Host- cookies."""

import importlib
import os
import subprocess
import sys

import pytest
from django.contrib.auth.models import User

from cityhall.accounts.middleware import LOGIN_AT, SEEN_AT

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    user = User.objects.create_superuser("admin", "admin@example.org", "geheim-123")
    client.force_login(user)
    assert client.get("/admin/").status_code == 200
    return client


def shift(client, **seconds):
    session = client.session
    for key, delta in seconds.items():
        session[{"login": LOGIN_AT, "seen": SEEN_AT}[key]] -= delta
    session.save()


def test_thirty_minutes_idle_ends_the_session(staff, settings):
    settings.SESSION_IDLE_MINUTES = 30
    shift(staff, seen=29 * 60)
    assert staff.get("/admin/").status_code == 200
    shift(staff, seen=31 * 60)
    response = staff.get("/admin/press/pressrelease/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/?next=/admin/press/pressrelease/")
    assert "_auth_user_id" not in staff.session
    assert "Sitzung abgelaufen" in staff.get(response["Location"]).content.decode()


def test_eight_hours_after_login_the_session_ends_however_active(staff, settings):
    settings.SESSION_MAX_HOURS = 8
    shift(staff, login=8 * 3600 + 60)
    assert staff.get("/admin/").status_code == 302
    assert settings.SESSION_COOKIE_AGE == 8 * 3600


def test_the_heartbeat_of_an_open_page_is_no_activity(staff, settings):
    from tests.factories import make_release

    release = make_release()
    shift(staff, seen=10 * 60)
    before = staff.session[SEEN_AT]
    assert staff.post(f"/admin/press/pressrelease/{release.pk}/presence/").status_code == 200
    assert staff.session[SEEN_AT] == before
    staff.get("/admin/")
    assert staff.session[SEEN_AT] > before


def test_an_expired_session_on_the_public_site_just_sees_it_as_a_citizen(staff, settings):
    shift(staff, seen=3600)
    assert staff.get("/").status_code == 200
    assert "_auth_user_id" not in staff.session


def test_production_cookies_are_host_cookies():
    """Prod settings are read in a fresh interpreter (they need SECRET_KEY and ALLOWED_HOSTS)."""
    code = (
        "import django; from django.conf import settings; django.setup();"
        "print(settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME, settings.SESSION_COOKIE_SECURE,"
        " settings.CSRF_COOKIE_SECURE, settings.SESSION_COOKIE_PATH, settings.SESSION_COOKIE_DOMAIN,"
        " settings.CSRF_COOKIE_PATH, settings.CSRF_COOKIE_DOMAIN)"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cityhall.settings.prod",
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "presse.example.org",
    }
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == [
        "__Host-sessionid",
        "__Host-csrftoken",
        "True",
        "True",
        "/",
        "None",
        "/",
        "None",
    ]


def test_development_keeps_plain_cookie_names():
    dev = importlib.import_module("cityhall.settings.dev")
    assert getattr(dev, "SESSION_COOKIE_NAME", "sessionid") == "sessionid"
    assert getattr(dev, "CSRF_COOKIE_NAME", "csrftoken") == "csrftoken"
