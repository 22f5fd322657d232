"""The release admin's extra pages: a revision with its differences (and restoring it), recovering
a deleted release, and the press desk. They read through press.history and write through
press.workflow."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from press import history, workflow
from press.models import CorrectionSuggestion, ImageBlock, PressRelease, PreviewLink

STALE_DRAFT_DAYS = 14
DESK_LIMIT = 50
State = PressRelease.State


def _when(revision):
    return date_format(timezone.localtime(revision.date_created), "j. F Y, H:i")


class ReleasePagesMixin:
    """For PressReleaseAdmin (a reversion VersionAdmin): revision, recover and desk pages."""

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path("desk/", self.admin_site.admin_view(self.desk_view), name=f"{info[0]}_{info[1]}_desk"),
            *super().get_urls(),
        ]

    def _change_url(self, release):
        return reverse("admin:press_pressrelease_change", args=[quote(release.pk)])

    def revision_view(self, request, object_id, version_id, extra_context=None):
        release = self.get_object(request, unquote(object_id))
        if release is None:
            raise Http404
        if not self.has_view_or_change_permission(request, release):
            raise PermissionDenied
        versions = list(history.versions_of(release.pk).only("pk", "revision"))
        position = next((i for i, v in enumerate(versions) if str(v.pk) == str(version_id)), None)
        if position is None:
            raise Http404
        version = versions[position]
        can_restore = self.may_restore(request, release)
        if request.method == "POST":
            if not can_restore:
                raise PermissionDenied
            expected = request.POST.get("version", "")
            try:
                warnings = workflow.restore(
                    release,
                    version.revision,
                    request.user,
                    expected_version=int(expected) if expected.isdigit() else -1,
                )
            except workflow.WorkflowError as exc:
                self.message_user(request, str(exc), messages.ERROR)
                return HttpResponseRedirect(request.path)
            self.message_user(
                request,
                _("Die Fassung vom %(when)s ist wiederhergestellt.") % {"when": _when(version.revision)},
                messages.SUCCESS,
            )
            for warning in warnings:
                self.message_user(request, warning, messages.WARNING)
            return HttpResponseRedirect(self._change_url(release))
        state = history.revision_state(version.revision, release.pk)
        previous = versions[position + 1] if position + 1 < len(versions) else None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": release,
            "title": _("Fassung vom %(when)s") % {"when": _when(version.revision)},
            "revision": version.revision,
            "changes_in_revision": (
                history.diff(history.revision_state(previous.revision, release.pk), state)
                if previous
                else None
            ),
            "changes_to_current": history.diff(state, history.current_state(release)),
            "can_restore": can_restore,
            "is_first": previous is None,
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/press/pressrelease/revision.html", context)

    def recover_view(self, request, version_id, extra_context=None):
        if not self.may_recover(request):
            raise PermissionDenied
        version = history.deleted_version(version_id)
        if version is None:
            raise Http404
        if request.method == "POST":
            release, warnings = workflow.recover(version, request.user)
            self.message_user(
                request,
                _("„%(title)s“ ist als Entwurf wiederhergestellt.") % {"title": release.title},
                messages.SUCCESS,
            )
            for warning in warnings:
                self.message_user(request, warning, messages.WARNING)
            return HttpResponseRedirect(self._change_url(release))
        state = history.revision_state(version.revision, int(version.object_id))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("„%(title)s“ wiederherstellen") % {"title": version.object_repr},
            "revision": version.revision,
            "rows": history.lines(state, history.Names([state])),
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/press/pressrelease/recover.html", context)

    def desk_view(self, request):
        """In review, approved, scheduled and embargoed releases with their times, drafts untouched for
        14 days, and published releases with gaps (typically imported archives)."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        now = timezone.now()
        releases = PressRelease.objects.select_related("submitted_by", "approved_by")
        active_links = Prefetch(
            "preview_links",
            queryset=PreviewLink.objects.active(now)
            .filter(purpose=PreviewLink.Purpose.EMBARGO)
            .order_by("expires_at"),
            to_attr="active_embargo_links",
        )
        gaps = list(
            PressRelease.objects.filter(status=PressRelease.Status.PUBLISHED)
            .with_publishing_gaps()
            .select_related("image", "contact")
            .prefetch_related(
                Prefetch(
                    "press_imageblock_set",
                    queryset=ImageBlock.objects.select_related("image"),
                    to_attr="image_blocks",
                )
            )
            .order_by("-published_at")[:DESK_LIMIT]
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Redaktionsplan"),
            "now": now,
            "labels": dict(State.choices),
            "in_review": releases.in_state(State.IN_REVIEW, now).order_by("submitted_at", "pk")[:DESK_LIMIT],
            "approved": releases.in_state(State.APPROVED, now).order_by("published_at", "pk")[:DESK_LIMIT],
            "scheduled": releases.in_state(State.SCHEDULED, now)
            .prefetch_related(active_links)
            .order_by("published_at", "pk")[:DESK_LIMIT],
            "stale_drafts": releases.in_state(State.DRAFT, now)
            .filter(updated_at__lt=now - timedelta(days=STALE_DRAFT_DAYS))
            .order_by("updated_at", "pk")[:DESK_LIMIT],
            "stale_days": STALE_DRAFT_DAYS,
            "suggestions": CorrectionSuggestion.objects.open()
            .select_related("release")
            .order_by("suggested_at", "pk")[:DESK_LIMIT],
            "gaps": [(release, workflow.publish_problems(release, release.image_blocks)) for release in gaps],
        }
        return TemplateResponse(request, "admin/press/pressrelease/desk.html", context)
