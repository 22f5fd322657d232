"""When the database is down: 503 with ``Retry-After`` and the site's own page, never a 500.

The project's ``handler500`` (``cityhall/urls.py``) is ``server_error``: Django calls it for any
exception no view handled, from inside the ``except`` block, so the exception is at hand. A
database that cannot be reached (connection refused, lost, shut down: ``OperationalError``,
``InterfaceError``) answers 503 with ``templates/503.html``, rendered without context processors and
without a query; in the admin the page says that editing is not possible for now. Anything else
stays the 500 it is. The page cache (``cityhall.library.pagecache``) answers such a 503 with the
last stored copy of the page where it has one. Django opens a new connection for the next request
(connections that failed are closed at the end of each request), so when PostgreSQL is back the
site is too, without a restart.
"""

import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponseServerError
from django.template import loader
from django.views.defaults import server_error as django_server_error

DATABASE_DOWN = (OperationalError, InterfaceError)


def caused_by_database(exc):
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, DATABASE_DOWN):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def unavailable(request):
    retry = settings.DATABASE_DOWN_RETRY_AFTER
    editing = request is not None and request.path.startswith("/admin/")
    body = loader.get_template("503.html").render(
        {"editing": editing, "retry_minutes": max(1, round(retry / 60))}
    )
    response = HttpResponseServerError(body)
    response.status_code = 503
    response.reason_phrase = "Service Unavailable"
    response["Retry-After"] = str(retry)
    response["Cache-Control"] = "no-store"
    response.database_unavailable = True  # the page cache may answer with a stale copy instead
    return response


def server_error(request, template_name="500.html"):
    if caused_by_database(sys.exc_info()[1]):
        return unavailable(request)
    return django_server_error(request, template_name)


class AdminNeedsDatabaseMiddleware:
    """The admin's pages ask the database first, so that even its login page, which needs none,
    says at once that editing is not possible rather than letting an editor type in vain."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/admin/"):
            try:
                connection.ensure_connection()
            except DATABASE_DOWN:
                return unavailable(request)
        return self.get_response(request)
