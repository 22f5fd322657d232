"""More than one machine, and a database that fails: real gunicorn instances of the project over a
throwaway PostgreSQL cluster started here and a real Redis.

- Two app servers share PostgreSQL and Redis: a release published in the admin of one is on the
  pages of both at once (the purge is shared).
- PostgreSQL stopped: every page that was cached is still served (its stale copy), pages that were
  not answer 503 with ``Retry-After`` and the site's own page, the admin says that editing is not
  possible, /healthz says which part fails; PostgreSQL started again: everything answers as before,
  without a restart, and nothing was lost."""

import re
import time
import uuid

import pytest

from tests.cache.conftest import TEST_REDIS_URL, redis_reachable
from tests.cache.servers import SEED, Browser, Cluster, Gunicorn, anonymous_get, manage, shell, site_env

pytestmark = pytest.mark.skipif(not redis_reachable(TEST_REDIS_URL), reason=f"no Redis at {TEST_REDIS_URL}")


@pytest.fixture(scope="module")
def cluster():
    cluster = Cluster()
    cluster.start()
    yield cluster
    cluster.remove()


def make_site(cluster, tmp_path, **extra):
    name = f"cityhall_{uuid.uuid4().hex[:8]}"
    cluster.create_database(name)
    env = site_env(cluster.url(name), TEST_REDIS_URL, f"test-{name}", tmp_path / "media", **extra)
    manage(env, "migrate", "--noinput")
    waiting = int(shell(env, SEED).strip().splitlines()[-1])
    return env, waiting


def test_two_app_servers_share_the_purge(cluster, tmp_path):
    env, waiting = make_site(cluster, tmp_path)
    one, two = Gunicorn(env), Gunicorn(env)
    try:
        for server in (one, two):
            for _ in range(2):
                status, headers, body = anonymous_get(server.base, "/pressemitteilungen/")
            assert status == 200
            assert headers["X-Cache"] == "HIT"
            assert "Frisch veröffentlicht" not in body

        editor = Browser(one.base)
        editor.login("sprecherin", "x")
        changelist = editor.get("/admin/press/pressrelease/")[2]
        version = re.search(rf'name="_version_{waiting}" value="(\d+)"', changelist).group(1)
        status, _, _ = editor.post(
            "/admin/press/pressrelease/",
            {
                "action": "publish_selected",
                "_selected_action": [str(waiting)],
                f"_version_{waiting}": version,
                "index": "0",
            },
        )
        assert status == 302
        published = time.monotonic()
        seen = {}
        while len(seen) < 2 and time.monotonic() - published < 5:
            for name, server in (("one", one), ("two", two)):
                if (
                    name not in seen
                    and "Frisch veröffentlicht" in anonymous_get(server.base, "/pressemitteilungen/")[2]
                ):
                    seen[name] = time.monotonic() - published
        assert set(seen) == {"one", "two"}
        assert max(seen.values()) < 1.0, seen
    finally:
        one.stop()
        two.stop()


def test_with_postgresql_down_cached_pages_are_served_and_the_rest_says_503(cluster, tmp_path):
    # Pages stay fresh for one second: what is served while the database is down is the stale copy.
    env, _ = make_site(cluster, tmp_path, PAGECACHE_SECONDS=1, CONN_MAX_AGE=60, DATABASE_DOWN_RETRY_AFTER=60)
    server = Gunicorn(env)
    try:
        status, _, page = anonymous_get(server.base, "/pressemitteilungen/erste-mitteilung/")
        assert status == 200
        assert anonymous_get(server.base, "/healthz")[0] == 200
        time.sleep(1.5)

        cluster.stop()
        try:
            status, headers, body = anonymous_get(server.base, "/pressemitteilungen/erste-mitteilung/")
            assert (status, headers["X-Cache"]) == (200, "STALE")
            assert body == page
            status, headers, body = anonymous_get(server.base, "/pressemitteilungen/zweite-mitteilung/")
            assert status == 503
            assert headers["Retry-After"] == "60"
            assert "Diese Seite ist vorübergehend nicht erreichbar" in body
            status, headers, body = anonymous_get(server.base, "/admin/login/")
            assert status == 503
            assert "Bearbeiten ist vorübergehend nicht möglich" in body
            status, _, body = anonymous_get(server.base, "/healthz")
            assert status == 503
            assert '"database": "failing"' in body
        finally:
            cluster.start()

        for path in (
            "/pressemitteilungen/zweite-mitteilung/",
            "/pressemitteilungen/erste-mitteilung/",
            "/healthz",
        ):
            assert anonymous_get(server.base, path)[0] == 200, path
        editor = Browser(server.base)
        editor.login("sprecherin", "x")
        status, _, body = editor.get("/admin/press/pressrelease/")
        assert status == 200
        assert "Dritte Mitteilung" in body
    finally:
        server.stop()
