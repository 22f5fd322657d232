"""Settings come from the environment: checked in fresh interpreters, as a deployment would load them."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


# What the test run itself sets (the browser tests allow async-unsafe calls) must not reach a deployment.
NOT_INHERITED = {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def clean_environment(**env):
    environment = {k: v for k, v in os.environ.items() if k not in NOT_INHERITED}
    environment.update(env)
    return environment


def run_django(code, settings_module, **env):
    environment = clean_environment(DJANGO_SETTINGS_MODULE=settings_module, **env)
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup()\n{code}"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


def redis_answers(host="127.0.0.1", port=6379):
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def test_prod_refuses_to_start_without_secret_key():
    result = run_django("", "cityhall.settings.prod", ALLOWED_HOSTS="presse.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_prod_refuses_to_start_without_allowed_hosts():
    result = run_django("", "cityhall.settings.prod", SECRET_KEY="x" * 50, ALLOWED_HOSTS="")
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


def test_prod_settings_pass_the_deployment_checklist():
    environment = clean_environment(
        DJANGO_SETTINGS_MODULE="cityhall.settings.prod",
        SECRET_KEY="k" * 20 + "Zq8!vT3#pL0@wR6$yN1%" + "m" * 20,
        ALLOWED_HOSTS="presse.example.org",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_defaults_are_a_local_sqlite_file_and_memory_cache():
    result = run_django(
        "from django.conf import settings\n"
        "print(settings.DATABASES['default']['ENGINE'], settings.DATABASES['default']['NAME'])\n"
        "print(settings.CACHES['default']['BACKEND'], settings.TIME_ZONE, settings.USE_TZ, settings.LANGUAGE_CODE)",
        "cityhall.settings.dev",
    )
    assert result.returncode == 0, result.stderr
    database, cache = result.stdout.splitlines()
    assert database == f"django.db.backends.sqlite3 {ROOT / 'db.sqlite3'}"
    assert cache == "django.core.cache.backends.locmem.LocMemCache Europe/Berlin True de"


def test_an_empty_database_url_means_the_default():
    result = run_django(
        "from django.conf import settings; d = settings.DATABASES['default']\nprint(d['ENGINE'], d['NAME'])",
        "cityhall.settings.dev",
        DATABASE_URL="",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"django.db.backends.sqlite3 {ROOT / 'db.sqlite3'}"


def test_database_url_selects_postgresql():
    result = run_django(
        "from django.conf import settings; d = settings.DATABASES['default']\n"
        "print(d['ENGINE'], d['HOST'], d['PORT'], d['NAME'])",
        "cityhall.settings.dev",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/cityhall",
    )
    assert result.stdout.split() == ["django.db.backends.postgresql", "127.0.0.1", "5432", "cityhall"]


@pytest.mark.skipif(not redis_answers(), reason="no Redis server answers on 127.0.0.1:6379")
def test_redis_url_gives_a_working_shared_cache():
    """With REDIS_URL the cache is Django's own RedisCache, talking to the real server."""
    result = run_django(
        "import uuid; from django.core.cache import cache\n"
        "key = 'settings-test-' + uuid.uuid4().hex; cache.set(key, 'Düsseldorf', 30)\n"
        "from django.core.cache import caches; backend = caches['default']\n"
        "print(type(backend).__name__, backend.get(key)); cache.delete(key)",
        "cityhall.settings.dev",
        REDIS_URL="redis://127.0.0.1:6379/15",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "RedisCache Düsseldorf"


TWO_WRITERS = """
import threading, time
from django.db import connection, connections, transaction
with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE IF NOT EXISTS counter (n integer)")
errors = []
def writer():
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM counter")  # read first, as a form save does
                time.sleep(0.3)  # the other writer starts meanwhile
                cursor.execute("INSERT INTO counter VALUES (1)")
    except Exception as exc:
        errors.append(repr(exc))
    finally:
        connections.close_all()
threads = [threading.Thread(target=writer) for _ in range(2)]
for thread in threads: thread.start()
for thread in threads: thread.join()
with connection.cursor() as cursor:
    cursor.execute("SELECT count(*) FROM counter")
    print(cursor.fetchone()[0], errors)
"""


def test_sqlite_takes_two_writers_at_once(tmp_path):
    """With Django's default (deferred) transactions, the second of two read-then-write transactions
    fails at once with "database is locked"; the settings make it wait its turn."""
    result = run_django(
        TWO_WRITERS, "cityhall.settings.dev", DATABASE_URL=f"sqlite:///{tmp_path / 'two.sqlite3'}"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "2 []"


@pytest.mark.parametrize(("trust", "expected"), [("", "None"), ("1", "('HTTP_X_FORWARDED_PROTO', 'https')")])
def test_x_forwarded_proto_is_trusted_only_when_asked(trust, expected):
    """Anyone who reaches gunicorn directly could claim https; the header counts only behind a proxy
    that the deployment names (TRUST_X_FORWARDED_PROTO=1)."""
    result = run_django(
        "from django.conf import settings; print(getattr(settings, 'SECURE_PROXY_SSL_HEADER', None))",
        "cityhall.settings.prod",
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="presse.example.org",
        TRUST_X_FORWARDED_PROTO=trust,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected
