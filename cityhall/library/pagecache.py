"""The page cache: whole public responses kept in the cache (Redis in production), each with the keys
of what it shows, so that one change purges exactly the pages that show it.

How a page learns what it shows: while a cacheable request runs, every instance of a tracked model
that is loaded (``track()``, Django's ``post_init``) adds its key (``"cityhall.image:12"``), and the
apps above add keys for what a page lists (``register_page_keys()``: "every list of releases"). A
purge (``purge(*keys)``) writes the time of the purge under each key; a stored page is good while
no key of it was purged after the page *began* to render, so a request that read the old data
before a write committed can never store a page that outlives the purge. A purge deletes nothing:
it is one small write per key, whatever the number of pages.

Lifetimes: a page is fresh for ``PAGECACHE_SECONDS``, never past the next change that comes with
the clock and no write (``register_lifetime_cap()``: the next scheduled release; and the next local
midnight, when anniversaries and image rights that end on a date change what a page shows). After
that it is kept ``PAGECACHE_STALE_SECONDS`` more, served only when the page cannot be made because
the database is down (``cityhall.library.unavailable``). A purged page is never served again.

What is never stored or served from here: anything but GET/HEAD; requests carrying a session or
messages cookie (logged-in staff, who may see previews); the admin, previews, image files and
other ``PAGECACHE_EXCLUDED_PATHS``; responses that set a cookie or used the CSRF token (a public
form's token belongs to one visitor) or a CSP nonce, that say ``private``/``no-store``/``no-cache``, vary on
anything but ``Cookie`` (the requests here carry none that matters) and ``Accept-Language`` with a
single language, or have another status than 200.

Headers for caches in front (CDN, Varnish): ``Cache-Control`` with ``s-maxage`` (the rest of the
fresh life), ``stale-while-revalidate`` and ``stale-if-error``, ``ETag`` and ``Last-Modified``
(answered with 304 here), and the page's keys as ``Surrogate-Key`` (space-separated, Fastly and
Varnish xkey) and ``Cache-Tag`` (comma-separated, Cloudflare and others); ``PAGECACHE_PURGE_URL``
receives every purge from the task worker (``cityhall.library.cache_tasks``).
"""

import contextvars
import datetime
import hashlib
import logging
import time
from collections import OrderedDict
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.db import transaction
from django.db.models.signals import post_delete, post_init, post_save
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from .unavailable import DATABASE_DOWN

try:  # a dependency; the local memory cache of tests and development raises none of these
    from redis.exceptions import RedisError as CacheDown
except ImportError:  # pragma: no cover
    CacheDown = ConnectionError

logger = logging.getLogger(__name__)

ALL = "all"  # purged by purge_all(): every page
ENTRY_FORMAT = 1  # part of every page's key: raise it when ``Entry`` changes, old entries are then ignored
_recording = contextvars.ContextVar("pagecache_keys", default=None)
_page_key_hooks = []
_lifetime_caps = []


# --- what a page shows --------------------------------------------------------------------------------


def record(*keys):
    """Add ``keys`` to the page being rendered (nothing outside a cacheable request)."""
    keys_seen = _recording.get()
    if keys_seen is not None:
        keys_seen.update(keys)


def model_key(model_or_instance, pk=None):
    meta = model_or_instance._meta
    pk = model_or_instance.pk if pk is None else pk
    return f"{meta.label_lower}:{pk}"


def track(model, *, purge_on_save=True):
    """Pages record every instance of ``model`` they load; with ``purge_on_save``, saving or deleting
    one purges those pages (after the transaction commits)."""
    uid = f"pagecache_{model._meta.label_lower}"

    def loaded(sender, instance, **kwargs):
        if instance.pk is not None and _recording.get() is not None:
            _recording.get().add(model_key(instance))

    post_init.connect(loaded, sender=model, weak=False, dispatch_uid=uid)
    if purge_on_save:

        def changed(sender, instance, **kwargs):
            purge_on_commit(model_key(instance))

        post_save.connect(changed, sender=model, weak=False, dispatch_uid=uid)
        post_delete.connect(changed, sender=model, weak=False, dispatch_uid=uid)


def register_page_keys(hook):
    """``hook(request)`` returns keys of what a page lists (asked when the page is stored)."""
    if hook not in _page_key_hooks:
        _page_key_hooks.append(hook)


def register_lifetime_cap(hook):
    """``hook()`` returns the next moment (aware datetime or None) at which pages may change by
    the clock alone, with no write: no page is fresh past it."""
    if hook not in _lifetime_caps:
        _lifetime_caps.append(hook)


def next_local_midnight(now=None):
    today = timezone.localdate(now)
    return timezone.make_aware(datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time()))


# --- purging --------------------------------------------------------------------------------------------


def _cache():
    return caches[settings.PAGECACHE_ALIAS]


def _stamp_key(key):
    return f"pagecache:purged:{key}"


def _now_us():
    # The clock of ``published()`` (timezone.now), so that freshness and publication agree.
    return int(timezone.now().timestamp() * 1_000_000)


def purge(*keys, notify=True):
    """From now on, no page stored before with any of ``keys`` is served. Also sent to
    ``PAGECACHE_PURGE_URL`` by the task worker, when it is set."""
    keys = sorted({str(key) for key in keys if key})
    if not keys:
        return
    # Dated ahead by the replica's lag (cityhall.library.dbrouter): pages made from a replica that
    # has not seen the write yet are not kept.
    stamp = _now_us() + int(settings.DATABASE_REPLICA_MAX_LAG * 1_000_000)
    stamps = {_stamp_key(key): stamp for key in keys}
    stamps[_stamp_key("*")] = stamp  # the latest purge of any key: lets most hits skip the key check
    local.purged(stamp)
    try:
        _cache().set_many(stamps, timeout=settings.PAGECACHE_SECONDS + settings.PAGECACHE_STALE_SECONDS)
    except CacheDown:
        logger.exception("page cache: purge of %s failed", keys)
    if notify and settings.PAGECACHE_PURGE_URL:
        from .cache_tasks import purge_proxy

        purge_proxy.enqueue(keys)


def purge_on_commit(*keys):
    transaction.on_commit(lambda: purge(*keys))


def purge_all():
    purge(ALL)


def clear():
    """Empty the page cache: the shared one and this process's memory (tests)."""
    _cache().clear()
    local.clear()


# --- storing and serving ------------------------------------------------------------------------------


@dataclass
class Entry:
    status: int
    headers: list
    body: bytes
    keys: tuple
    started: int  # microseconds since the epoch: when the request that made it began
    fresh_until: float  # seconds since the epoch
    etag: str
    checked: int = 0  # in this process: the latest purge stamp it was checked against

    def fresh(self, now):
        return now < self.fresh_until

    def response(self, request, state, now):
        last_modified = self.started // 1_000_000
        response = HttpResponse(self.body, status=self.status)
        for name, value in self.headers:
            response[name] = value
        decorate(response, self, now)
        response["X-Cache"] = state
        not_modified = get_conditional_response(
            request, etag=self.etag, last_modified=last_modified, response=response
        )
        return not_modified


def decorate(response, entry, now):
    remaining = max(0, int(entry.fresh_until - now))
    response["ETag"] = entry.etag
    response["Last-Modified"] = http_date(entry.started // 1_000_000)
    # Written out rather than patched in: this runs on every hit.
    response["Cache-Control"] = (
        f"public, max-age={min(remaining, settings.PAGECACHE_BROWSER_SECONDS)}, s-maxage={remaining}, "
        f"stale-while-revalidate={settings.PAGECACHE_STALE_WHILE_REVALIDATE}, "
        f"stale-if-error={settings.PAGECACHE_STALE_SECONDS}"
    )
    header_keys = entry.keys if len(entry.keys) <= settings.PAGECACHE_HEADER_KEYS else (ALL,)
    response["Surrogate-Key"] = " ".join(header_keys)
    response["Cache-Tag"] = ",".join(header_keys)


def public_request(request):
    """A visitor's GET or HEAD of a public page: no session (staff), not the admin or a preview."""
    if request.method not in ("GET", "HEAD"):
        return False
    if request.path.startswith(tuple(settings.PAGECACHE_EXCLUDED_PATHS)):
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return False
    return "HTTP_AUTHORIZATION" not in request.META


def cacheable_request(request):
    return settings.PAGECACHE_ENABLED and public_request(request)


def page_key(request):
    try:
        host = request.get_host()
    except DisallowedHost:
        return None
    address = f"{request.scheme}://{host}{request.get_full_path()}"
    return f"pagecache:page:{ENTRY_FORMAT}:" + hashlib.sha256(address.encode()).hexdigest()


def _vary_allowed(response):
    allowed = {"cookie"}
    if len(settings.LANGUAGES) == 1:
        allowed.add("accept-language")
    varies = {part.strip().lower() for part in response.get("Vary", "").split(",") if part.strip()}
    return varies <= allowed


def storable(request, response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    if getattr(request, "_csp_nonce", None) is not None:
        return False  # a page with a CSP nonce (django-csp): a nonce serves one response only
    control = response.get("Cache-Control", "").lower()
    if any(word in control for word in ("private", "no-store", "no-cache")):
        return False
    return _vary_allowed(response)


def fresh_until(started_s):
    until = min(started_s + settings.PAGECACHE_SECONDS, next_local_midnight().timestamp())
    for hook in _lifetime_caps:
        moment = hook()
        if moment is not None:
            until = min(until, moment.timestamp())
    return until


def page_keys(request, recorded):
    keys = set(recorded)
    for hook in _page_key_hooks:
        keys.update(hook(request))
    return tuple(sorted(keys))


def valid(entry, stamps):
    """No key of ``entry`` purged since it began to render (``stamps``: the purge times read)."""
    return all((stamp or 0) < entry.started for stamp in stamps)


class LocalTier:
    """The entries this process served last, kept in its memory so that a hit costs no round trip to
    the cache. Purges reach it through the time of the latest purge of any key (``*``), read from the
    shared cache at most every ``PAGECACHE_LOCAL_CHECK`` seconds (purges made in this process at
    once): another app server's purge is seen here within that time."""

    def __init__(self):
        self.entries = OrderedDict()
        self.latest_purge = None  # (stamp of "*", stamp of "all")
        self.checked_at = 0.0

    def clear(self):
        self.entries.clear()
        self.latest_purge, self.checked_at = None, 0.0

    def purges(self, cache, now):
        if self.latest_purge is None or now - self.checked_at >= settings.PAGECACHE_LOCAL_CHECK:
            found = cache.get_many([_stamp_key("*"), _stamp_key(ALL)])
            self.latest_purge = (found.get(_stamp_key("*")) or 0, found.get(_stamp_key(ALL)) or 0)
            self.checked_at = now
        return self.latest_purge

    def purged(self, stamp):
        if self.latest_purge is not None:
            self.latest_purge = (max(self.latest_purge[0], stamp), self.latest_purge[1])

    def get(self, key, checked_after):
        entry = self.entries.get(key)
        if entry is None or entry.checked < checked_after:
            return None
        self.entries.move_to_end(key)
        return entry

    def put(self, key, entry):
        self.entries[key] = entry
        self.entries.move_to_end(key)
        while len(self.entries) > settings.PAGECACHE_LOCAL_ENTRIES:
            self.entries.popitem(last=False)


local = LocalTier()


def lookup(key, now=None):
    """The stored entry under ``key`` if no purge touched it, else None. From this process's memory
    while nothing was purged since the entry was last checked; otherwise one round trip to the
    shared cache, two when something was purged since the page was made."""
    cache = _cache()
    now = time.monotonic() if now is None else now
    latest, everything = local.purges(cache, now)
    entry = local.get(key, checked_after=latest)
    if entry is not None and valid(entry, [everything]):
        return entry
    entry = cache.get(key)
    if entry is None or not valid(entry, [everything]):
        return None
    if not valid(entry, [latest]):
        stamps = cache.get_many([_stamp_key(k) for k in entry.keys])
        if not valid(entry, stamps.values()):
            return None
    entry.checked = latest  # no key of it purged up to the latest purge seen
    local.put(key, entry)
    return entry


def store(key, request, response, recorded, started):
    body = response.content
    started_s = started / 1_000_000
    entry = Entry(
        status=response.status_code,
        headers=[
            (name, value)
            for name, value in response.items()
            if name.lower() not in ("set-cookie", "cache-control", "etag", "last-modified", "expires")
        ],
        body=body,
        keys=page_keys(request, recorded),
        started=started,
        fresh_until=fresh_until(started_s),
        etag='"' + hashlib.md5(body, usedforsecurity=False).hexdigest() + '"',
    )
    timeout = max(1, int(entry.fresh_until - started_s)) + settings.PAGECACHE_STALE_SECONDS
    _cache().set(key, entry, timeout=timeout)
    return entry


class PageCacheMiddleware:
    """Place it right after the security and static-file middleware: a hit is answered before the
    session, the user or the database is looked at."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        key = page_key(request) if cacheable_request(request) else None
        if key is None:
            return self.get_response(request)
        started = _now_us()
        now = started / 1_000_000
        try:
            entry = lookup(key)
        except CacheDown:
            logger.warning("page cache unavailable, serving uncached", exc_info=True)
            return self.get_response(request)
        if entry is not None and entry.fresh(now):
            return entry.response(request, "HIT", now)
        token = _recording.set(set())
        try:
            response = self.get_response(request)
            recorded = _recording.get()
        finally:
            _recording.reset(token)
        if getattr(response, "database_unavailable", False):
            if entry is not None:
                return entry.response(request, "STALE", now)
            return response
        if not storable(request, response):
            return response
        try:
            entry = store(key, request, response, recorded, started)
        except DATABASE_DOWN:
            return response  # the page was made, its lifetime could not be asked for: not kept
        except CacheDown:
            logger.warning("page cache unavailable, not stored", exc_info=True)
            return response
        decorate(response, entry, _now_us() / 1_000_000)
        response["X-Cache"] = "MISS"
        return get_conditional_response(
            request, etag=entry.etag, last_modified=started // 1_000_000, response=response
        )
