"""Staff logins in a real browser (finding 4): a spokesperson sets up the authenticator app on the first
login, gets recovery codes, and later logs in with one; wrong passwords lock the login; pages that break
the Content-Security-Policy fail the browser tests (finding 8)."""

import base64
import os

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from press.models import PressRelease
from tests.browser.conftest import DESKTOP, watch_csp
from tests.factories import make_release, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "geheim-123"
RELEASES = "/admin/press/pressrelease/"


def shoot(page, name):
    folder = os.environ.get("SCREENSHOT_DIR")
    if folder:
        page.screenshot(path=os.path.join(folder, f"{name}.png"), full_page=True)


def spokesperson():
    user = make_user("sprecherin", "Pressesprecher/in", first_name="Sabine")
    user.set_password(PASSWORD)
    user.save()
    return user


def log_in(page, site, username, password=PASSWORD):
    page.goto(f"{site}/admin/login/?next={RELEASES}")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.locator("input[type=submit]").click()
    page.wait_for_load_state()


def test_a_spokesperson_enrols_the_app_and_later_logs_in_with_a_recovery_code(page, site, settings):
    settings.CITYHALL_REQUIRE_2FA = True
    user = spokesperson()
    make_release(title="Neue Radwege am Rhein")

    log_in(page, site, "sprecherin")
    assert "/admin/zwei-faktor/" in page.url
    assert page.locator(".accounts-qr svg").is_visible()
    shoot(page, "2fa-setup")
    # The phone's app: the secret as shown (or scanned), and its current six-digit code.
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    key = base64.b32decode(secret)
    device = TOTPDevice.objects.get(user=user)
    assert key == device.bin_key
    page.fill("#id_token", f"{totp(key, step=device.step, t0=device.t0, digits=device.digits):06d}")
    page.get_by_role("button", name="Einrichten").click()
    page.locator("#recovery-codes").wait_for()
    codes = page.locator("#recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    shoot(page, "2fa-recovery-codes")
    page.get_by_role("link", name="Weiter").click()
    page.wait_for_url(f"**{RELEASES}")
    assert page.get_by_role("link", name="Neue Radwege am Rhein").is_visible()

    page.locator("#logout-form button").click()
    page.wait_for_load_state()
    log_in(page, site, "sprecherin")
    assert "/admin/zwei-faktor/pruefen/" in page.url
    page.fill("#id_token", codes[3].upper())  # as typed from the printout
    page.get_by_role("button", name="Bestätigen").click()
    page.wait_for_url(f"**{RELEASES}")
    assert "es bleiben 9 Codes" in page.locator(".messagelist").inner_text()
    shoot(page, "2fa-recovery-login")
    assert PressRelease.objects.count() == 1


def test_wrong_passwords_lock_the_login_with_a_clear_message(page, site, settings):
    settings.AXES_FAILURE_LIMIT = 3
    spokesperson()
    for _ in range(3):
        log_in(page, site, "sprecherin", password="falsch")
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in page.locator("#content-main").inner_text()
    shoot(page, "login-locked")
    log_in(page, site, "sprecherin")
    assert "gesperrt" in page.locator("#content-main").inner_text()
    assert "/admin/login/" in page.url


def test_an_inline_script_or_handler_is_reported_as_a_csp_violation(browser, site):
    """The check the other browser tests rely on: it sees what the policy blocks."""
    context = browser.new_context(viewport=DESKTOP)
    violations = watch_csp(context)
    page = context.new_page()
    page.goto(f"{site}/barrierefreiheit/")
    page.evaluate(
        """() => {
        const script = document.createElement("script")
        script.textContent = "document.title = 'injected'"
        document.body.append(script)
        document.querySelector("h1").setAttribute("onclick", "document.title = 'clicked'")
        }"""
    )
    page.locator("h1").click()
    page.wait_for_timeout(200)
    title = page.title()
    context.close()
    assert "injected" not in title and "clicked" not in title
    assert any("script-src" in v for v in violations), violations
    assert len([v for v in violations if "script-src" in v]) >= 2, violations
