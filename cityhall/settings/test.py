"""Fast, isolated settings for the test suite."""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

from .base import *

SECRET_KEY = "test-only-key"  # noqa: S105
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = tempfile.mkdtemp(prefix="cityhall-test-media-")
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
# Serve static files from the app folders without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# The page cache is off in tests unless PAGECACHE=1: many tests change rows directly (not through the
# write path, which purges) and pin the queries of an uncached page. Its own tests (tests/cache/) turn it
# on; tests/conftest.py empties the cache before each test where it is on.
PAGECACHE_ENABLED = os.environ.get("PAGECACHE", "0") == "1"
# Tests log in with force_login or the login form; the tests of two-factor turn it on.
CITYHALL_REQUIRE_2FA = False
# The feedback form's limit per client: every test client is 127.0.0.1, and the cache lives as long as the
# worker. The test of the limit sets a small one.
ACCESSIBILITY_FEEDBACK_RATE = "1000/h"

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not SQLite's shared in-memory database: with shared cache, a second connection (the live
    # server's thread storing a rendition while the test's thread reads) fails at once with "database table is
    # locked" instead of waiting for the busy timeout. pytest-xdist gives each worker its own file (suffix).
    # In memory where the system has a RAM disk, and without fsync: a crash loses nothing a test needs.
    # mkdtemp makes a private (0700) folder there.
    ram = Path("/dev/shm")  # noqa: S108
    ram = ram if ram.is_dir() else None
    folder = Path(tempfile.mkdtemp(prefix="cityhall-test-db-", dir=ram))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    DATABASES["default"]["TEST"] = {"NAME": str(folder / "test.sqlite3")}
    DATABASES["default"]["OPTIONS"]["init_command"] = "PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF;"
