"""Two helpers of the rich-text editor on the admin's forms, as JSON for staff:

- ``links/?q=…``: pages to link to, found by title: releases in any state (marked with it) for
  whoever may see releases, and the partnerships' pages (all public). The editor's link dialog
  asks here (the address is handed to the library's editor by the setting RICHTEXT_LINK_TARGETS_URL).
  A link stores the page's address; when its slug changes, the old address redirects (press.links).
- ``checks/``: the content checks (press.content_checks) of what the release form holds now, for
  the checks panel; on load the panel is rendered with the stored release's findings.

Permissions are asked before anything is looked up."""

import json

from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_POST

from partnerships.models import Partnership
from press import content_checks, workflow
from press.models import PressRelease

MIN_QUERY = 2
LIMIT = 10
KIND_RELEASE = "Pressemitteilung"
KIND_PARTNERSHIP = "Städtepartnerschaft"


def may_see_releases(user):
    return user.has_perm("press.view_pressrelease") or user.has_perm("press.change_pressrelease")


def may_link(user):
    """Whoever edits rich text with links to our pages: press people and partnership editors."""
    return may_see_releases(user) or user.has_perm("partnerships.change_partnership")


def link_targets(user, query):
    """Up to LIMIT pages whose title contains ``query``: releases first (newest first), then partnerships."""
    query = " ".join(query.split())
    if len(query) < MIN_QUERY:
        return []
    results = []
    if may_see_releases(user):
        releases = PressRelease.objects.filter(title__icontains=query).order_by("-updated_at")[:LIMIT]
        results += [
            {
                "title": release.title,
                "url": release.get_absolute_url(),
                "kind": KIND_RELEASE,
                "state": workflow.state_text(release),
            }
            for release in releases
        ]
    partnerships = Partnership.objects.public().filter(partner_city__icontains=query)
    results += [
        {
            "title": str(partnership),
            "url": partnership.get_absolute_url(),
            "kind": KIND_PARTNERSHIP,
            "state": "",
        }
        for partnership in partnerships[: LIMIT - len(results)]
    ]
    return results[:LIMIT]


def render_panel(report):
    return render_to_string(
        "admin/press/includes/content_checks_body.html",
        {"report": report, "reading_time": content_checks.reading_time(report)},
    )


class EditorToolsMixin:
    """For PressReleaseAdmin: the link search and the content checks, and the panel's first findings."""

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        wrap = self.admin_site.admin_view
        return [
            path("links/", wrap(self.link_targets_view), name="{}_{}_links".format(*info)),
            path("checks/", wrap(self.content_checks_view), name="{}_{}_checks".format(*info)),
            *super().get_urls(),
        ]

    @staticmethod
    @require_GET
    def link_targets_view(request):
        if not may_link(request.user):
            raise PermissionDenied
        return JsonResponse({"results": link_targets(request.user, request.GET.get("q", ""))})

    @staticmethod
    @require_POST
    def content_checks_view(request):
        if not may_see_releases(request.user):
            raise PermissionDenied
        try:
            data = json.loads(request.body or b"{}")
        except (ValueError, UnicodeDecodeError):
            data = {}
        report = content_checks.check(content_checks.from_payload(data))
        return JsonResponse(report.as_dict() | {"html": render_panel(report)})

    def render_change_form(self, request, context, **kwargs):
        obj = kwargs.get("obj")
        report = content_checks.check(content_checks.from_release(obj)) if obj else None
        context["content_checks_html"] = render_panel(report) if report else ""
        context["content_checks_url"] = reverse("admin:press_pressrelease_checks")
        return super().render_change_form(request, context, **kwargs)
