"""An optional read replica (``DATABASE_REPLICA_URL``): the reads of public requests (GET or HEAD
without a session, outside the admin: what the page cache would keep, see
``pagecache.public_request``) go to the ``replica`` database, everything else (writes, the admin,
logged-in staff, the task worker, commands) to ``default``. Inside a transaction on ``default``
reads stay there too, so a write never reads what the replica has not seen yet.

A replica lags behind: a page made from it just after a publish could show the release as it was.
The page cache therefore dates every purge ``DATABASE_REPLICA_MAX_LAG`` seconds ahead, so pages made
in that window are made again (``pagecache.purge``)."""

import contextvars

from django.db import connections

from .pagecache import public_request

_public = contextvars.ContextVar("public_read", default=False)


class PublicReadsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _public.set(public_request(request))
        try:
            return self.get_response(request)
        finally:
            _public.reset(token)


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _public.get() and not connections["default"].in_atomic_block:
            return "replica"
        return "default"

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, **hints):
        return db == "default"
