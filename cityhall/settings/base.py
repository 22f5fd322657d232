"""Settings shared by every environment. Values come from the environment."""

import datetime
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.utils.translation import gettext_lazy as _
from django_prose_editor.config import process_link
from js_asset import static_lazy

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name, default):
    return int(os.environ.get(name, default))


def env_bool(name, default):
    value = os.environ.get(name, "")
    if not value:
        return default
    return value.lower() in ("1", "true", "yes", "on")


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",  # search lookups and indexes; harmless on SQLite
    "django.contrib.humanize",
    "taggit",
    "content_editor",
    "django_prose_editor",
    "reversion",
    "django_countries",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "cityhall.library",
    "cityhall.accounts",
    "partnerships",
    "press",
    "distribution",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "cityhall.accounts.csp.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the session and the user: a cached page is answered without either (and without the database).
    "cityhall.library.pagecache.PageCacheMiddleware",
    "cityhall.library.unavailable.AdminNeedsDatabaseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # After authentication: ends sessions idle or old, then sends staff who need it to the second factor.
    "cityhall.accounts.middleware.SessionTimeoutMiddleware",
    "cityhall.accounts.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last of the login chain (django-axes): answers a locked-out login with its lockout page.
    "axes.middleware.AxesMiddleware",
    # Last, so it sees the views' 404s: an old address with a redirect answers 301 instead.
    "cityhall.library.redirects.RedirectFallbackMiddleware",
]

ROOT_URLCONF = "cityhall.urls"
WSGI_APPLICATION = "cityhall.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cityhall.library.context_processors.city",
                "cityhall.accounts.context_processors.accounts",
                "distribution.context_processors.signup_link",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        # An empty DATABASE_URL= (as in a copied .env) means the default, like an unset one.
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The zero-setup database must take two writers at once (a save while a first rendition is stored):
    # IMMEDIATE takes the write lock when a transaction begins instead of failing on the upgrade, the
    # timeout lets the second writer wait for it, and WAL lets readers go on while someone writes.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": env_int("SQLITE_TIMEOUT", 20),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# An optional read replica: public reads go there (cityhall/library/dbrouter.py), all else to default.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
DATABASE_REPLICA_MAX_LAG = 0.0
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=env_int("CONN_MAX_AGE", 0)
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["cityhall.library.dbrouter.ReplicaRouter"]
    MIDDLEWARE.insert(
        MIDDLEWARE.index("cityhall.library.pagecache.PageCacheMiddleware"),
        "cityhall.library.dbrouter.PublicReadsMiddleware",
    )
    DATABASE_REPLICA_MAX_LAG = float(os.environ.get("DATABASE_REPLICA_MAX_LAG", "2"))

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    # Django's own Redis backend; django-environ would silently pick django-redis.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "cityhall"),
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The page cache (cityhall/library/pagecache.py): every public page and feed, purged by the write path.
PAGECACHE_ENABLED = os.environ.get("PAGECACHE", "1") == "1"
PAGECACHE_ALIAS = "default"
PAGECACHE_SECONDS = env_int("PAGECACHE_SECONDS", 3600)  # fresh life, capped at the next scheduled release
PAGECACHE_STALE_SECONDS = env_int("PAGECACHE_STALE_SECONDS", 86_400)  # kept for a database outage
PAGECACHE_STALE_WHILE_REVALIDATE = env_int("PAGECACHE_STALE_WHILE_REVALIDATE", 60)
PAGECACHE_BROWSER_SECONDS = env_int("PAGECACHE_BROWSER_SECONDS", 60)  # max-age (s-maxage: the fresh life)
# Each app server keeps the pages it served last in its own memory too, and asks the shared cache for
# purges made elsewhere at most every PAGECACHE_LOCAL_CHECK seconds (purges it makes itself count at once).
PAGECACHE_LOCAL_ENTRIES = env_int("PAGECACHE_LOCAL_ENTRIES", 500)
PAGECACHE_LOCAL_CHECK = float(os.environ.get("PAGECACHE_LOCAL_CHECK", "0.2"))
PAGECACHE_HEADER_KEYS = 64  # more keys than this: the header names "all" instead
PAGECACHE_EXCLUDED_PATHS = ["/admin/", "/bilder/", "/vorschau/", "/static/", "/media/", "/healthz"]
# A CDN or Varnish in front: each purge is sent there by the task worker (cityhall/library/cache_tasks.py).
PAGECACHE_PURGE_URL = os.environ.get("PAGECACHE_PURGE_URL", "")
PAGECACHE_PURGE_METHOD = os.environ.get("PAGECACHE_PURGE_METHOD", "PURGE")
PAGECACHE_PURGE_TOKEN = os.environ.get("PAGECACHE_PURGE_TOKEN", "")
# Database down (cityhall/library/unavailable.py): 503 with Retry-After, in seconds.
DATABASE_DOWN_RETRY_AFTER = env_int("DATABASE_DOWN_RETRY_AFTER", 120)
# /healthz: the task queue is unhealthy when a due task waited longer than this (seconds).
HEALTH_TASK_MAX_WAIT = env_int("HEALTH_TASK_MAX_WAIT", 300)
# Staff accounts (cityhall.accounts, docs/security.md). django-axes counts failed logins per username and
# client address and locks that pair out for a while; its backend must come first.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "cityhall.accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "cityhall.library.client.client_ip"
# Failed logins are logged (admin: Anmeldesperren → Fehlgeschlagene Zugriffe) and locks lifted there; no log of
# every successful login.
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
# The address of the client as the TLS proxy saw it: with TRUSTED_PROXY_COUNT=1 (one proxy that appends to
# X-Forwarded-For, gunicorn reachable only from it) the last entry of that header; with 0, REMOTE_ADDR.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# Two-factor (django-otp, TOTP and recovery codes): required, where CITYHALL_REQUIRE_2FA is on, for
# superusers and for staff with one of these permissions; optional for the other staff.
CITYHALL_REQUIRE_2FA = env_bool("CITYHALL_REQUIRE_2FA", True)
CITYHALL_2FA_REQUIRED_PERMISSIONS = ["press.publish_pressrelease"]
CITYHALL_RECOVERY_CODES = 10
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Presse-Redaktion")

# Sessions end after SESSION_IDLE_MINUTES without activity and SESSION_MAX_HOURS after login at the latest.
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30)
SESSION_MAX_HOURS = env_int("SESSION_MAX_HOURS", 8)
SESSION_COOKIE_AGE = SESSION_MAX_HOURS * 3600

# Content-Security-Policy (django-csp): scripts and styles from this site only, inline scripts with the
# request's nonce; the admin also allows inline styles (cityhall.accounts.csp).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],  # data: for the design system's SVG icons in CSS
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}

# The accessibility feedback form: posts per client address and hour (django-ratelimit, the default cache).
ACCESSIBILITY_FEEDBACK_RATE = os.environ.get("ACCESSIBILITY_FEEDBACK_RATE", "5/h")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("Deutsch"))]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Media on S3-compatible object storage (django-storages) when a bucket is named; local files otherwise.
# The bucket stays private: public images leave through /bilder/ as short-lived signed addresses.
MEDIA_S3_BUCKET = os.environ.get("MEDIA_S3_BUCKET", "")
if MEDIA_S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": MEDIA_S3_BUCKET,
            "endpoint_url": os.environ.get("MEDIA_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("MEDIA_S3_REGION") or None,
            "access_key": os.environ.get("MEDIA_S3_ACCESS_KEY") or None,
            "secret_key": os.environ.get("MEDIA_S3_SECRET_KEY") or None,
            "default_acl": None,
            "file_overwrite": False,
            "querystring_auth": True,
            "querystring_expire": env_int("MEDIA_S3_URL_SECONDS", 3600),
        },
    }
# Local files behind nginx: rendition and download responses carry X-Accel-Redirect to this internal
# location (aliased to MEDIA_ROOT) instead of the bytes, e.g. "/_media/".
MEDIA_ACCEL_REDIRECT = os.environ.get("MEDIA_ACCEL_REDIRECT", "")

# Rich-text links to the site's own pages: the editor's link dialog searches them by title at this
# admin address (press lists releases and partnerships), with the module that adds the search.
RICHTEXT_LINK_TARGETS_URL = "admin:press_pressrelease_links"
DJANGO_PROSE_EDITOR_EXTENSIONS = [
    {
        "js": [static_lazy("admin/press/editor_links.js")],
        "extensions": {"Link": process_link},
    }
]

# Uploads: the image library re-encodes every upload (cityhall.library.imaging).
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
CITYHALL_IMAGE_MAX_BYTES = env_int("CITYHALL_IMAGE_MAX_BYTES", 25 * 1024 * 1024)
CITYHALL_IMAGE_MAX_PIXELS = env_int("CITYHALL_IMAGE_MAX_PIXELS", 40_000_000)
CITYHALL_IMAGE_MAX_SIDE = env_int("CITYHALL_IMAGE_MAX_SIDE", 12_000)

# The publisher named in feeds and structured data.
CITY_NAME = os.environ.get("CITY_NAME", "Landeshauptstadt Düsseldorf")
CITY_URL = os.environ.get("CITY_URL", "")
# The coat of arms in the header: a path below static/ (replace the neutral placeholder with the city's own).
CITY_COAT_OF_ARMS = os.environ.get("CITY_COAT_OF_ARMS", "img/wappen-platzhalter.svg")
PRESS_OFFICE_NAME = os.environ.get("PRESS_OFFICE_NAME", "Amt für Kommunikation")
# Release numbers ("PM 123/2026"), a sequence per year given at publication; 0 turns them off.
PRESS_RELEASE_NUMBERS = os.environ.get("PRESS_RELEASE_NUMBERS", "1").strip().lower() not in (
    "0",
    "false",
    "no",
    "",
)
PRESS_RELEASE_NUMBER_PREFIX = os.environ.get("PRESS_RELEASE_NUMBER_PREFIX", "PM")
# How embargo stamps name the time zone of TIME_ZONE, e.g. "Ortszeit Düsseldorf"; empty: "Zeitzone Europe/Berlin".
CITY_TIME_ZONE_NAME = os.environ.get("CITY_TIME_ZONE_NAME", "")
SITE_URL = os.environ.get("SITE_URL", "")  # e.g. https://presse.example.de, for absolute links
# Erklärung zur Barrierefreiheit: where feedback may also be sent, and when the statement was last reviewed.
ACCESSIBILITY_CONTACT_EMAIL = os.environ.get("ACCESSIBILITY_CONTACT_EMAIL", "")
ACCESSIBILITY_STATEMENT_DATE = os.environ.get("ACCESSIBILITY_STATEMENT_DATE", "2026-11-25")

TAGGIT_CASE_INSENSITIVE = True

# Mail: EMAIL_URL (smtp://user:password@host:587, smtps://… for implicit TLS; user and password
# URL-encoded) or the usual EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS.
# Without either, mails are written to files in EMAIL_FILE_PATH (default tmp/mail/), for development.
EMAIL_URL = os.environ.get("EMAIL_URL", "")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "").lower() in ("1", "true", "yes", "on")
EMAIL_USE_SSL = os.environ.get("EMAIL_USE_SSL", "").lower() in ("1", "true", "yes", "on")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.filebased.EmailBackend",
)
if EMAIL_URL:
    from cityhall.library.mail_settings import parse_email_url

    globals().update(parse_email_url(EMAIL_URL))
EMAIL_FILE_PATH = Path(os.environ.get("EMAIL_FILE_PATH", BASE_DIR / "tmp" / "mail"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "presse@localhost")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)
# Where mails about new accessibility feedback go (default: the contact address of the statement).
ACCESSIBILITY_FEEDBACK_EMAIL = os.environ.get("ACCESSIBILITY_FEEDBACK_EMAIL", ACCESSIBILITY_CONTACT_EMAIL)

# Background work (mails): django-tasks with its database backend; `manage.py db_worker` runs it.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Presseverteiler (distribution/): the mailing of releases to journalists and citizens, sent by the worker.
DISTRIBUTION_CONSENT_WORDING_VERSION = "2026-12"  # bump when distribution/consent.py's wording changes
DISTRIBUTION_CONFIRM_DAYS = env_int("DISTRIBUTION_CONFIRM_DAYS", 7)  # how long a confirmation link works
DISTRIBUTION_CONSENT_RETENTION_DAYS = env_int("DISTRIBUTION_CONSENT_RETENTION_DAYS", 3 * 365)
DISTRIBUTION_BATCH = env_int("DISTRIBUTION_BATCH", 200)  # deliveries a worker claims at a time
DISTRIBUTION_LEASE_SECONDS = env_int(
    "DISTRIBUTION_LEASE_SECONDS", 300
)  # after that, a dead worker's rows are retried
DISTRIBUTION_SENDERS = env_int("DISTRIBUTION_SENDERS", 2)  # send tasks per mailing (one per worker process)
DISTRIBUTION_RETRY_SECONDS = env_int("DISTRIBUTION_RETRY_SECONDS", 60)  # first retry after a 4xx, doubling
DISTRIBUTION_MAX_ATTEMPTS = env_int("DISTRIBUTION_MAX_ATTEMPTS", 8)
DISTRIBUTION_PAUSE_AFTER_REFUSALS = env_int("DISTRIBUTION_PAUSE_AFTER_REFUSALS", 3)
DISTRIBUTION_DIGEST_HOUR = env_int(
    "DISTRIBUTION_DIGEST_HOUR", 7
)  # local time of the daily and weekly digests
DISTRIBUTION_DIGEST_WEEKDAY = env_int("DISTRIBUTION_DIGEST_WEEKDAY", 0)  # Monday
DISTRIBUTION_SIGNUP_RATE_CLIENT = os.environ.get("DISTRIBUTION_SIGNUP_RATE_CLIENT", "20/h")
DISTRIBUTION_SIGNUP_RATE_ADDRESS = os.environ.get("DISTRIBUTION_SIGNUP_RATE_ADDRESS", "3/h")
# Behind a reverse proxy, the client address django-ratelimit counts (e.g. HTTP_X_REAL_IP set by the proxy).
RATELIMIT_IP_META_KEY = os.environ.get("RATELIMIT_IP_META_KEY") or None

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
