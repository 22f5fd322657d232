import os

import pytest
from django.core.cache import caches
from django.test import Client

from tests.factories import make_user

# A real Redis: REDIS_URL when the suite runs with one, else a local server's database 3.
TEST_REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/3"


def redis_reachable(url):
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.exceptions.RedisError:
        return False
    return True


def redis_caches():
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": TEST_REDIS_URL,
            "KEY_PREFIX": "cityhall-test",
        }
    }


@pytest.fixture(params=["locmem", "redis"])
def page_cache(request, settings):
    """The page cache on, over the local memory cache and over a real Redis, emptied first."""
    if request.param == "redis":
        if not redis_reachable(TEST_REDIS_URL):
            pytest.skip(f"no Redis at {TEST_REDIS_URL}")
        settings.CACHES = redis_caches()
    settings.PAGECACHE_ENABLED = True
    from cityhall.library import pagecache

    pagecache.clear()
    yield caches[settings.PAGECACHE_ALIAS]
    pagecache.clear()


@pytest.fixture
def visitor():
    """A citizen: no session, no login (the staff member's ``client`` is another one)."""
    return Client()


@pytest.fixture
def people():
    return {
        "editor": make_user("redakteurin", "Redaktion"),
        "speaker": make_user("sprecherin", "Pressesprecher/in"),
        "speaker2": make_user("sprecher", "Pressesprecher/in"),
    }
