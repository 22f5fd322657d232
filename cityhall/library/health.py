"""``/healthz``: may a load balancer send visitors to this app server? 200 when the database, the
cache, the media storage and the task queue answer, 503 otherwise, with a small JSON saying which
(``{"status": "ok", "checks": {"database": "ok", …}}``); never cached, and not cached by the page cache.

The task worker (``manage.py db_worker``) keeps no heartbeat; it is healthy when no task that is due
has waited longer than ``HEALTH_TASK_MAX_WAIT`` seconds (mails, proxy purges).
"""

import datetime
import logging
import uuid

from django.conf import settings
from django.core.cache import caches
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection
from django.db.models import Q
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_tasks_db.models import DBTaskResult

from .pagecache import CacheDown

logger = logging.getLogger(__name__)


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_cache():
    cache = caches[settings.PAGECACHE_ALIAS]
    key, value = "healthz:probe", uuid.uuid4().hex
    cache.set(key, value, timeout=30)
    if cache.get(key) != value:
        raise CacheDown("the cache did not return what was stored")


def check_storage():
    default_storage.exists("healthz-probe")


def check_tasks():
    due = timezone.now() - datetime.timedelta(seconds=settings.HEALTH_TASK_MAX_WAIT)
    # Due since it was enqueued (no run_after: stored as the largest date) or since its run_after.
    late = DBTaskResult.objects.ready().filter(
        Q(run_after__lte=due) | Q(run_after__year=datetime.MAXYEAR), enqueued_at__lte=due
    )
    if late.exists():
        raise RuntimeError("tasks wait for a worker")


CHECKS = {"database": check_database, "cache": check_cache, "storage": check_storage, "tasks": check_tasks}
FAILURES = (DatabaseError, CacheDown, OSError, RuntimeError)


@never_cache
@require_safe
def healthz(request):
    results = {}
    for name, check in CHECKS.items():
        if name == "tasks" and results["database"] != "ok":
            results[name] = "unknown"
            continue
        try:
            check()
        except FAILURES as exc:
            logger.warning("health check %s failed: %s", name, exc)
            results[name] = "failing"
        else:
            results[name] = "ok"
    healthy = all(value == "ok" for value in results.values())
    return JsonResponse(
        {"status": "ok" if healthy else "failing", "checks": results}, status=200 if healthy else 503
    )
