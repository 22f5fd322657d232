"""Who else has a release open: a soft lock that blocks nobody. The change page reports itself
on opening and then every ``HEARTBEAT`` seconds (static/admin/press/presence.js) to a small JSON
endpoint, which answers with the others seen within ``TTL``; leaving the page says goodbye. Kept in
Django's cache only (per release one entry with a TTL), so nothing is written to the database."""

import time

from django.contrib.admin.utils import unquote
from django.core.cache import cache
from django.http import Http404, JsonResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cityhall.library.client import session_background

HEARTBEAT = 20  # seconds between reports of an open page
TTL = 60  # seconds after the last report that someone counts as gone


def _key(release_pk):
    return f"press:presence:{release_pk}"


def _name(user):
    return user.get_full_name() or user.get_username()


def report(release_pk, user, *, leaving=False, now=None):
    """Note that ``user`` has the release open (or left it); return the others who have it open,
    each as {"name", "since"} (seconds since the epoch), oldest first."""
    now = now or time.time()
    present = {
        uid: entry for uid, entry in (cache.get(_key(release_pk)) or {}).items() if now - entry["seen"] < TTL
    }
    uid = str(user.pk)
    if leaving:
        present.pop(uid, None)
    else:
        since = present.get(uid, {}).get("since", now)
        present[uid] = {"name": _name(user), "since": since, "seen": now}
    cache.set(_key(release_pk), present, TTL)
    others = [entry for key, entry in present.items() if key != uid]
    return [
        {"name": entry["name"], "since": entry["since"]} for entry in sorted(others, key=lambda e: e["since"])
    ]


def others(release_pk, user, now=None):
    """Who else has the release open, without reporting ``user``."""
    now = now or time.time()
    present = cache.get(_key(release_pk)) or {}
    return sorted(
        (
            entry["name"]
            for uid, entry in present.items()
            if uid != str(user.pk) and now - entry["seen"] < TTL
        ),
        key=str.casefold,
    )


def notice(names):
    if not names:
        return ""
    return _("Gerade ebenfalls geöffnet von: %(names)s. Wer zuletzt speichert, führt zusammen.") % {
        "names": ", ".join(names)
    }


class PresenceMixin:
    """For PressReleaseAdmin: the endpoint ``<pk>/presence/`` and the context of the change page."""

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/presence/",
                self.admin_site.admin_view(self.presence_view),
                name=f"{info[0]}_{info[1]}_presence",
            ),
            *super().get_urls(),
        ]

    @session_background
    def presence_view(self, request, object_id):
        return require_POST(self._presence)(request, object_id)

    def _presence(self, request, object_id):
        release = self.get_object(request, unquote(object_id))
        if release is None or not self.has_view_or_change_permission(request, release):
            raise Http404
        names = [entry["name"] for entry in report(release.pk, request.user, leaving="leave" in request.POST)]
        return JsonResponse({"others": names, "notice": notice(names), "heartbeat": HEARTBEAT})

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk is not None:
            names = [entry["name"] for entry in report(obj.pk, request.user)]
            context.update(
                presence_url=reverse("admin:press_pressrelease_presence", args=[obj.pk]),
                presence_notice=notice(names),
                presence_heartbeat=HEARTBEAT,
            )
        return super().render_change_form(
            request, context, add=add, change=change, form_url=form_url, obj=obj
        )
