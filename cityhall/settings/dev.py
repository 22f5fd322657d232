"""Local development: DEBUG on, static files from the app folders, a throwaway secret. Media is not
served here either: image files go through /bilder/, which checks publication and rights."""

from .base import *
from .base import SECRET_KEY

DEBUG = True
SECRET_KEY = SECRET_KEY or "dev-only-insecure-key-never-used-in-production"
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# runserver is one process: its local memory cache sees every purge, so the page cache is on as in production.
PAGECACHE_ENABLED = env_bool("PAGECACHE", True)
