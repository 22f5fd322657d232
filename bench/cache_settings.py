"""Settings of bench/cache.py's app servers: the test settings (DEBUG off) with the page cache on, and
a bare view beside the site (bench/cache_urls.py) as the framework's ceiling."""

from cityhall.settings.test import *  # noqa: F403

ROOT_URLCONF = "cache_urls"
PAGECACHE_ENABLED = True
PAGECACHE_EXCLUDED_PATHS = [*PAGECACHE_EXCLUDED_PATHS, "/_bench/"]  # noqa: F405
