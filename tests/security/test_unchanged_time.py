"""Finding 15: saving an unchanged published release keeps ``published_at`` as stored (microseconds
included) and logs nothing: the form shows whole seconds, and is compared at that precision. Run on
SQLite and on PostgreSQL (DATABASE_URL) alike; posted as a browser posts the rendered form."""

from datetime import timedelta

import pytest
from django.utils import timezone

from press import workflow
from press.models import AuditEntry, PressRelease
from tests.factories import add_text, make_contact, make_release, make_user
from tests.press.formdata import form_data

pytestmark = pytest.mark.django_db


def test_unchanged_save_keeps_the_stored_time_and_logs_nothing(client):
    moment = (timezone.now() - timedelta(hours=2)).replace(microsecond=654321)
    release = make_release(published_at=moment, contact=make_contact())
    add_text(release)
    # As a release published through the workflow has it: the approved content's fingerprint.
    PressRelease.objects.filter(pk=release.pk).update(
        approved_fingerprint=workflow.approval_fingerprint(release)
    )
    release.refresh_from_db()
    assert release.published_at.microsecond == 654321, "the database keeps microseconds"
    client.force_login(make_user("sprecherin", "Pressesprecher/in"))
    url = f"/admin/press/pressrelease/{release.pk}/change/"
    data = form_data(client.get(url))
    assert data["published_at_1"].count(":") == 2  # whole seconds shown
    response = client.post(url, data)
    assert response.status_code == 302
    release.refresh_from_db()
    assert release.published_at == moment
    assert not AuditEntry.objects.filter(release=release).exists()


def test_a_real_change_of_the_time_is_still_one(client):
    release = make_release(published_at=timezone.now() - timedelta(hours=2), contact=make_contact())
    add_text(release)
    client.force_login(make_user("sprecherin", "Pressesprecher/in"))
    url = f"/admin/press/pressrelease/{release.pk}/change/"
    data = form_data(client.get(url))
    earlier = timezone.localtime(release.published_at - timedelta(days=1))
    data["published_at_0"] = earlier.strftime("%d.%m.%Y")
    assert client.post(url, data).status_code == 302
    entry = AuditEntry.objects.get(release=release)
    assert entry.action == AuditEntry.Action.RESCHEDULED
    assert timezone.localtime(PressRelease.objects.get(pk=release.pk).published_at).date() == earlier.date()
