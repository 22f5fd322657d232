"""Purges for a cache in front of the site (CDN, Varnish), sent by the task worker, never inside a
request: ``PAGECACHE_PURGE_URL`` receives a request with method ``PAGECACHE_PURGE_METHOD``
(``PURGE`` by default, or ``POST``) naming the purged keys in ``Surrogate-Key`` (space-separated)
and ``Cache-Tag`` (comma-separated), the headers the pages carry, and as JSON
(``{"keys": [...]}``); ``PAGECACHE_PURGE_TOKEN``, when set, goes along as ``Authorization: Bearer``.
A failing proxy fails the task (the worker logs it); pages then age out after ``s-maxage``."""

import json
import urllib.request

from django.conf import settings
from django_tasks import task


@task()
def purge_proxy(keys):
    headers = {
        "Content-Type": "application/json",
        "Surrogate-Key": " ".join(keys),
        "Cache-Tag": ",".join(keys),
    }
    if settings.PAGECACHE_PURGE_TOKEN:
        headers["Authorization"] = f"Bearer {settings.PAGECACHE_PURGE_TOKEN}"
    request = urllib.request.Request(  # noqa: S310 - an address the operator configured
        settings.PAGECACHE_PURGE_URL,
        data=json.dumps({"keys": keys}).encode(),
        headers=headers,
        method=settings.PAGECACHE_PURGE_METHOD,
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return response.status
