"""Background work of the press app, run by the worker (``manage.py db_worker``): the mails of
press/notifications.py. A task reads the release as it is when the mail goes out, and asks each
recipient's preferences then."""

from django.contrib.admin.utils import quote
from django.contrib.auth import get_user_model
from django.urls import reverse
from django_tasks import task

from cityhall.library.mail import admin_link, send_templated
from press.models import CorrectionSuggestion, NotificationKind, NotificationPreference, PressRelease
from press.services.rules import state_text


@task()
def send_release_mail(kind, release_id, recipient_ids, actor_id=None, note="", suggestion_id=None):
    """Send the mail ``kind`` (a NotificationKind value) about a release; returns how many went out."""
    release = PressRelease.objects.filter(pk=release_id).first()
    if release is None:
        return 0
    users = get_user_model().objects.filter(pk__in=recipient_ids, is_active=True).exclude(email="")
    addresses = [user.email for user in users if NotificationPreference.wants(user, kind)]
    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    context = {
        "kind": kind,
        "release": release,
        "state": state_text(release),
        "actor": (actor.get_full_name() or actor.get_username()) if actor else "",
        "note": note,
        "suggestion": CorrectionSuggestion.objects.filter(pk=suggestion_id).first()
        if suggestion_id
        else None,
        "link": admin_link(reverse("admin:press_pressrelease_change", args=[quote(release.pk)])),
        "preferences_link": admin_link(reverse("admin:press_notificationpreference_changelist")),
        "scheduled": release.state == PressRelease.State.SCHEDULED,
    }
    return send_templated(f"press/{NotificationKind(kind).value}", context, addresses)
