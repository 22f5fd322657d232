"""The workflow in the release admin: the buttons and state on the change form, and the list's
actions. Each step is carried out (and version-checked) by press.workflow."""

from django.contrib import admin, messages
from django.contrib.admin.utils import quote
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from press import workflow
from press.models import PressRelease

State = PressRelease.State


class WorkflowActionsMixin:
    actions = [
        "submit_selected",
        "approve_selected",
        "return_selected",
        "publish_selected",
        "unschedule_selected",
        "withdraw_selected",
    ]

    def has_submit_permission(self, request):
        return request.user.has_perm("press.submit_pressrelease")

    def has_approve_permission(self, request):
        return request.user.has_perm("press.approve_pressrelease")

    def has_publish_permission(self, request):
        return request.user.has_perm("press.publish_pressrelease")

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # one at a time, on the delete page, which checks each
        return actions

    def _stay(self, request, obj, response):
        if "_transition" in request.POST:
            return HttpResponseRedirect(reverse("admin:press_pressrelease_change", args=[quote(obj.pk)]))
        return response

    def response_add(self, request, obj, post_url_continue=None):
        return self._stay(request, obj, super().response_add(request, obj, post_url_continue))

    def response_change(self, request, obj):
        return self._stay(request, obj, super().response_change(request, obj))

    def render_change_form(self, request, context, **kwargs):
        context.update(self.workflow_context(request, kwargs.get("obj"), context["adminform"].form))
        return super().render_change_form(request, context, **kwargs)

    def workflow_context(self, request, obj, form):
        user = request.user
        context = {
            "conflict": getattr(form, "conflict", None),
            "desk_url": reverse("admin:press_pressrelease_desk"),
        }
        if obj is None or obj.pk is None:
            submit = workflow.TRANSITIONS["submit"]
            context["transitions"] = (
                [{"name": "submit", "label": _("Speichern und zur Prüfung einreichen")}]
                if user.has_perm(submit.permission)
                else []
            )
            return context
        editable = workflow.may_edit(user, obj)
        state = obj.state
        context.update(
            state_label=workflow.state_text(obj),
            transitions=[
                {"name": t.name, "label": workflow.label(t, obj)}
                for t in workflow.available(user, obj)
                if editable
            ],
            publish_problems=(
                workflow.publish_problems(obj)
                if state in (State.IN_REVIEW, State.APPROVED, State.SCHEDULED, State.PUBLISHED)
                else []
            ),
            four_eyes=(
                state == State.IN_REVIEW
                and obj.submitted_by_id == user.pk
                and user.has_perm("press.approve_pressrelease")
            ),
            edit_problem=workflow.edit_problem(user, obj),
        )
        if user.has_perm("press.view_auditentry"):
            context["audit_entries"] = obj.audit_entries.select_related("user")[:20]
        return context

    def _run(self, request, queryset, name):
        versions = {
            key.removeprefix("_version_"): value
            for key, value in request.POST.items()
            if key.startswith("_version_")
        }
        done, failed = [], []
        for release in queryset:
            expected = versions.get(str(release.pk), "")
            if not expected.isdigit():
                failed.append(
                    _("„%(title)s“: Die angezeigte Fassung ist unbekannt; bitte die Liste neu laden.")
                    % {"title": release.title}
                )
                continue
            try:
                workflow.transition(release, name, request.user, expected_version=int(expected))
            except workflow.WorkflowError as exc:
                failed.append(str(exc))
            else:
                done.append(release)
        step = workflow.TRANSITIONS[name].label
        if done:
            self.message_user(
                request,
                _("%(step)s: %(titles)s") % {"step": step, "titles": ", ".join(f"„{r.title}“" for r in done)},
                messages.SUCCESS,
            )
        for message in failed:
            self.message_user(request, message, messages.ERROR)

    @admin.action(permissions=["submit"], description=_("Zur Prüfung einreichen"))
    def submit_selected(self, request, queryset):
        self._run(request, queryset, "submit")

    @admin.action(permissions=["approve"], description=_("Freigeben (Vier-Augen-Prinzip)"))
    def approve_selected(self, request, queryset):
        self._run(request, queryset, "approve")

    @admin.action(permissions=["approve"], description=_("Zurück an die Redaktion"))
    def return_selected(self, request, queryset):
        self._run(request, queryset, "return")

    @admin.action(
        permissions=["publish"], description=_("Veröffentlichen bzw. zum eingetragenen Zeitpunkt planen")
    )
    def publish_selected(self, request, queryset):
        self._run(request, queryset, "publish")

    @admin.action(permissions=["publish"], description=_("Planung aufheben"))
    def unschedule_selected(self, request, queryset):
        self._run(request, queryset, "unschedule")

    @admin.action(permissions=["publish"], description=_("Zurückziehen"))
    def withdraw_selected(self, request, queryset):
        self._run(request, queryset, "withdraw")
