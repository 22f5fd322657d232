"""Real servers for the tests of more than one machine and of a failing database: a throwaway
PostgreSQL cluster (initdb/pg_ctl, as the ``postgres`` user when run as root, like .ci/run), gunicorn
instances of the project, and a small HTTP client with a cookie jar for the admin."""

import contextlib
import http.cookiejar
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _pg_bin(name):
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    return str(candidates[-1]) if candidates else None


class Cluster:
    """A PostgreSQL cluster of its own on a free port, stopped and started at will."""

    def __init__(self):
        self.initdb, self.pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
        if not (self.initdb and self.pg_ctl):
            pytest.skip("PostgreSQL binaries (initdb, pg_ctl) not found")
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="cityhall-pg-"))
        self.dir.chmod(0o755)
        self.run_as = []
        if os.getuid() == 0:
            shutil.chown(self.dir, "postgres")
            self.run_as = ["runuser", "-u", "postgres", "--"]
        self._run(
            self.initdb, "-D", self.data, "--auth=trust", "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8"
        )

    @property
    def data(self):
        return str(self.dir / "data")

    def url(self, name):
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def _run(self, *args):
        subprocess.run([*self.run_as, *args], check=True, capture_output=True, timeout=120)

    def start(self):
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(self.pg_ctl, "-D", self.data, "-l", str(self.dir / "log"), "-o", options, "-w", "start")

    def stop(self):
        self._run(self.pg_ctl, "-D", self.data, "-m", "fast", "-w", "stop")

    def create_database(self, name):
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')

    def remove(self):
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


def site_env(database_url, redis_url, key_prefix, media_root, **extra):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cityhall.settings.test",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "CACHE_KEY_PREFIX": key_prefix,
        "PAGECACHE": "1",
        "MEDIA_ROOT": str(media_root),
        "PYTHONPATH": str(ROOT),
    }
    env.update({key: str(value) for key, value in extra.items()})
    return env


def manage(env, *args, stdin=None):
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0:
        raise AssertionError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def shell(env, code):
    return manage(env, "shell", "-c", code)


class Gunicorn:
    def __init__(self, env, workers=1):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        gunicorn = str(Path(PYTHON).with_name("gunicorn"))
        self.log = tempfile.NamedTemporaryFile(prefix="gunicorn-", suffix=".log", delete=False)  # noqa: SIM115
        self.process = subprocess.Popen(
            [
                gunicorn,
                "cityhall.wsgi",
                "-b",
                f"127.0.0.1:{self.port}",
                "-w",
                str(workers),
                "--timeout",
                "60",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"gunicorn exited:\n{Path(self.log.name).read_text()}")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), timeout=1):
                return
            time.sleep(0.2)
        raise AssertionError("gunicorn did not start")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        Path(self.log.name).unlink(missing_ok=True)


class Browser:
    """urllib with cookies, for GETs and form posts with the CSRF token of the page."""

    def __init__(self, base):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)

    def request(self, path, data=None, headers=None):
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, headers=headers or {})
        if data is not None:
            request.add_header("Referer", self.base + path)
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers), exc.read().decode()

    def get(self, path, **headers):
        return self.request(path, headers=headers)

    def csrf(self, path):
        status, _, body = self.get(path)
        assert status == 200, (path, status)
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)

    def post(self, path, data):
        return self.request(path, {**data, "csrfmiddlewaretoken": self.csrf(path)})

    def login(self, username, password):
        status, _, body = self.post(
            "/admin/login/?next=/admin/", {"username": username, "password": password}
        )
        assert status == 302, body[:2000]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def anonymous_get(base, path, **headers):
    request = urllib.request.Request(base + path, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read().decode()


# Content for the servers: the roles come from the migrations; people and releases through the workflow.
SEED = """
from datetime import timedelta
from django.utils import timezone
from press import workflow
from tests.factories import add_text, make_contact, make_release, make_user
speaker = make_user("sprecherin", "Pressesprecher/in")
editor = make_user("redakteurin", "Redaktion")
speaker2 = make_user("sprecher", "Pressesprecher/in")
for title in ("Erste Mitteilung", "Zweite Mitteilung", "Dritte Mitteilung"):
    make_release(title=title, contact=make_contact())
waiting = make_release(title="Frisch veröffentlicht", status="draft", contact=make_contact())
add_text(waiting)
workflow.transition(waiting, "submit", editor)
workflow.transition(waiting, "approve", speaker2)
print(waiting.pk)
"""
