"""/healthz for load balancers, the read replica's router, X-Accel-Redirect for local files, and the
503 page that needs no database."""

import json

import pytest
from django.db import OperationalError, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cityhall.library import dbrouter, renditions, unavailable
from cityhall.library.cache_tasks import purge_proxy
from tests.factories import make_image, make_release

pytestmark = pytest.mark.django_db


def test_healthz_answers_200_with_what_it_checked(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "storage": "ok", "tasks": "ok"},
    }
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_healthz_says_503_when_tasks_wait_for_a_worker(client, settings):
    from datetime import timedelta

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    settings.PAGECACHE_PURGE_URL = "http://127.0.0.1:9/"
    purge_proxy.enqueue(["x"])
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(hours=1))
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content)["checks"]["tasks"] == "failing"


def test_the_503_page_needs_no_database(django_assert_num_queries):
    request = type("Request", (), {"path": "/admin/press/"})()
    with django_assert_num_queries(0):
        try:
            raise OperationalError("connection refused")
        except OperationalError:
            response = unavailable.server_error(request)
    assert response.status_code == 503
    assert response["Retry-After"] == "120"
    assert "Bearbeiten ist vorübergehend nicht möglich" in response.content.decode()


def test_other_errors_stay_500(rf):
    try:
        raise ValueError("a bug")
    except ValueError:
        assert unavailable.server_error(rf.get("/")).status_code == 500


@pytest.mark.django_db(transaction=True)
def test_router_sends_only_public_reads_to_the_replica():
    router = dbrouter.ReplicaRouter()
    assert router.db_for_read(None) == "default"
    token = dbrouter._public.set(True)
    try:
        assert router.db_for_read(None) == "replica"
    finally:
        dbrouter._public.reset(token)
    assert router.db_for_write(None) == "default"
    assert router.allow_migrate("replica", "press") is False


@pytest.mark.django_db(transaction=True, databases="__all__")
def test_public_requests_read_from_the_replica(settings, client):
    """A second alias on the same database, as a streaming replica would be; staff read from default."""
    settings.DATABASE_ROUTERS = ["cityhall.library.dbrouter.ReplicaRouter"]
    settings.MIDDLEWARE = ["cityhall.library.dbrouter.PublicReadsMiddleware", *settings.MIDDLEWARE]
    connections.settings["replica"] = {**connections.settings["default"]}
    connections["replica"].connect()  # made here, after the test's database guard was set up
    try:
        release = make_release(title="Vom Replikat")
        # The first view of a release written without the write path keeps its rendered body (a write,
        # which goes to default); from then on a public view only reads.
        client.get(release.get_absolute_url(), {"warm": "1"})
        with CaptureQueriesContext(connections["default"]) as on_default:
            response = client.get(release.get_absolute_url())
        assert response.status_code == 200
        assert "Vom Replikat" in response.content.decode()
        assert on_default.captured_queries == []
        with CaptureQueriesContext(connections["default"]) as on_default:
            assert (
                client.get(release.get_absolute_url(), {"x": "1"}, HTTP_COOKIE="sessionid=abc").status_code
                == 200
            )
        assert on_default.captured_queries
    finally:
        connections["replica"].close()
        del connections.settings["replica"]
        del connections["replica"]


def test_x_accel_redirect_for_local_files_behind_a_web_server(settings, client):
    settings.MEDIA_ACCEL_REDIRECT = "/_media/"
    image = make_image()
    make_release(image=image)
    spec = "w" + str(renditions.widths_for(image)[0])
    response = client.get(renditions.url(image, spec, "jpeg"))
    assert response.status_code == 200
    assert response["X-Accel-Redirect"].startswith("/_media/renditions/") or response[
        "X-Accel-Redirect"
    ].startswith("/_media/")
    assert response.content == b""
    assert "public" in response["Cache-Control"]
    draft_image = make_image()
    make_release(image=draft_image, status="draft")
    assert client.get(renditions.url(draft_image, spec, "jpeg")).status_code == 404
    assert reverse("healthz") == "/healthz"
