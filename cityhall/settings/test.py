"""Fast, isolated settings for the test suite."""

import os
import tempfile

from .base import *

SECRET_KEY = "test-only-key"  # noqa: S105
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = tempfile.mkdtemp(prefix="cityhall-test-media-")
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
# Serve static files from the app folders without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# The page cache is off in tests unless PAGECACHE=1: many tests change rows directly (not through the
# write path, which purges) and pin the queries of an uncached page. Its own tests (tests/cache/) turn it
# on; tests/conftest.py empties the cache before each test where it is on.
PAGECACHE_ENABLED = os.environ.get("PAGECACHE", "0") == "1"
