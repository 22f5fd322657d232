"""Browser tests: Playwright (Python) driving Debian's chromium, headless, against pytest-django's live server.

Nothing is downloaded: the browser is the system's chromium (``CHROMIUM``, default /usr/bin/chromium), axe-core
and the Nu Html Checker come from ``npm install`` (package.json). Where one of them is missing, the tests that
need it are skipped with the reason (shown by ``pytest -ra``), never silently.
"""

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 375, "height": 740}
# Every page reports what its Content-Security-Policy blocked (a script, a style, an event handler, a frame)
# to the test, which fails on any. The listener is added before the page's own scripts run.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolation(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile || document.location.href}:${event.lineNumber} (${event.sample || ""})`)
}, true)
"""


def missing_browser():
    """Why the browser tests cannot run here, or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright (Python) is not installed: pip install -e '.[test]'"
    if not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)):
        return f"no chromium at {CHROMIUM}: apt-get install -y chromium (or set CHROMIUM=/path/to/chromium)"
    return None


@pytest.fixture(scope="session")
def browser():
    reason = missing_browser()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are still synchronous.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS, headless=True)
    yield browser
    browser.close()
    playwright.stop()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def site(live_server, settings):
    """The live server's base URL, serving uploaded media as well."""
    settings.ROOT_URLCONF = "tests.browser.urls"
    return live_server.url


def watch_csp(context):
    """Collects the CSP violations of every page of ``context`` (the event, and chromium's console
    message "Refused to ..." for what the event misses); the caller asserts the list stays empty."""
    violations = []

    def report(text):
        violations.append(text)

    context.expose_function("__cspViolation", report)
    context.add_init_script(CSP_LISTENER)

    def console(message):
        if message.text.startswith("Refused to"):
            violations.append(message.text)

    context.on("console", console)
    return violations


@pytest.fixture
def page(browser, site):
    """A desktop page that fails the test on any request to another host or any CSP violation."""
    context = browser.new_context(viewport=DESKTOP, locale="de-DE", timezone_id="Europe/Berlin")
    violations = watch_csp(context)
    external = []

    def guard(route):
        url = route.request.url
        if url.startswith(site) or url.startswith(("data:", "blob:", "about:")):
            route.continue_()
        else:
            external.append(url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
    assert external == [], f"requests to other hosts: {external}"
    assert violations == [], f"Content-Security-Policy violations: {violations}"


@pytest.fixture(scope="session")
def axe_source():
    if not AXE.is_file():
        pytest.skip(f"axe-core missing ({AXE.relative_to(ROOT)}): run `make browser-deps` (npm install)")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def vnu_command():
    java = shutil.which("java")
    if not java:
        pytest.skip("java not found: apt-get install -y default-jre-headless (for the Nu Html Checker)")
    if not VNU.is_file():
        pytest.skip(f"vnu-jar missing ({VNU.relative_to(ROOT)}): run `make browser-deps` (npm install)")
    return [java, "-jar", str(VNU), "--errors-only", "--format", "text"]
