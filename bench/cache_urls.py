"""The site plus ``/_bench/bare/``: a plain Django view returning the bytes of a cached page (read
once from the file named by BENCH_BARE_FILE), through the same middleware, for bench/cache.py."""

import functools
import os
from pathlib import Path

from django.http import HttpResponse
from django.urls import path

from cityhall.urls import handler500  # noqa: F401
from cityhall.urls import urlpatterns as site_patterns


@functools.cache
def body():
    return Path(os.environ["BENCH_BARE_FILE"]).read_bytes()


def bare(request):
    return HttpResponse(body(), content_type="text/html; charset=utf-8")


urlpatterns = [path("_bench/bare/", bare), *site_patterns]
