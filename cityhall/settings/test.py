"""Fast, isolated settings for the test suite."""

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
# Tests log in with force_login or the login form; the tests of two-factor turn it on (override_settings).
CITYHALL_REQUIRE_2FA = False
# The feedback form's limit per client: every test client is 127.0.0.1, and the cache lives as long as the
# worker. The test of the limit sets a small one.
ACCESSIBILITY_FEEDBACK_RATE = "1000/h"
