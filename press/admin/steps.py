"""The workflow in the release admin: the buttons and state on the change form, and the list's
actions. Each step is carried out (and version-checked) by press.workflow."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import quote
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from press import workflow
from press.models import AuditEntry, PressRelease

from .forms import PressReleaseForm

State = PressRelease.State
PUBLISHING = ("publish", "approve_publish")


class WorkflowActionsMixin:
    # "Zurück an die Redaktion" needs a reason: on the release's page, not as a list action.
    actions = [
        "submit_selected",
        "approve_selected",
        "publish_selected",
        "unschedule_selected",
        "withdraw_selected",
        "anonymise_selected",
    ]

    def has_submit_permission(self, request):
        return request.user.has_perm("press.submit_pressrelease")

    def has_approve_permission(self, request):
        return request.user.has_perm("press.approve_pressrelease")

    def has_publish_permission(self, request):
        return request.user.has_perm("press.publish_pressrelease")

    def has_anonymise_permission(self, request):
        return request.user.is_superuser

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # one at a time, on the delete page, which checks each
        return actions

    def _stay(self, request, obj, response):
        if "_transition" in request.POST:
            return HttpResponseRedirect(reverse("admin:press_pressrelease_change", args=[quote(obj.pk)]))
        return response

    # --- one save, one message ---

    def step_arguments(self, request, form):
        """What the change form asked the workflow to do besides saving: the step of the button
        clicked, its reason and what a publish button promised (press.workflow.save)."""
        if not isinstance(form, PressReleaseForm) or not request.POST.get("_transition"):
            return {"step": None}
        return {
            "step": request.POST["_transition"],
            "note": request.POST.get("_step_note", "").strip(),
            "intent": request.POST.get("_publish_intent", ""),
        }

    def report_outcome(self, request, outcome):
        """The workflow's one message for this save replaces the admin's "… wurde erfolgreich
        geändert", so the editor reads one outcome, not three messages."""
        for level, message in outcome.messages:
            self.message_user(request, message, level)
        request.press_outcome_reported = bool(outcome.messages)

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        if getattr(request, "press_quiet", False):
            return
        super().message_user(request, message, level, *args, **kwargs)

    def _quietly(self, request, respond):
        request.press_quiet = getattr(request, "press_outcome_reported", False)
        try:
            return respond()
        finally:
            request.press_quiet = False

    def response_add(self, request, obj, post_url_continue=None):
        response = self._quietly(
            request, lambda: super(WorkflowActionsMixin, self).response_add(request, obj, post_url_continue)
        )
        return self._stay(request, obj, response)

    def response_change(self, request, obj):
        response = self._quietly(
            request, lambda: super(WorkflowActionsMixin, self).response_change(request, obj)
        )
        return self._stay(request, obj, response)

    # --- the workflow panel ---

    def render_change_form(self, request, context, **kwargs):
        context.update(self.workflow_context(request, kwargs.get("obj"), context["adminform"].form))
        return super().render_change_form(request, context, **kwargs)

    def workflow_context(self, request, obj, form):
        user = request.user
        now = timezone.now()
        context = {
            "conflict": getattr(form, "conflict", None),
            "desk_url": reverse("admin:press_pressrelease_desk"),
            "now_local": timezone.localtime(now).strftime("%Y-%m-%d %H:%M:%S"),
        }
        if obj is None or obj.pk is None:
            submit = workflow.TRANSITIONS["submit"]
            context["transitions"] = (
                [{"name": "submit", "label": _("Speichern und zur Prüfung einreichen")}]
                if user.has_perm(submit.permission)
                else []
            )
            context["checklist"] = workflow.checklist(PressRelease())
            return context
        editable = workflow.may_edit(user, obj)
        state = obj.state
        offered = workflow.offered(user, obj, now) if editable else []
        context.update(
            state_label=workflow.state_text(obj),
            transitions=[
                {
                    "name": step.name,
                    "label": workflow.label(step, obj, now),
                    "publishing": step.name in PUBLISHING,
                    "needs_reason": step.name in workflow.STEPS_WITH_REASON,
                }
                for step in offered
            ],
            publish_intent=workflow.publish_intent(obj.published_at, now),
            needs_reason=any(step.name in workflow.STEPS_WITH_REASON for step in offered),
            publish_problems=(
                workflow.publish_problems(obj) if state in (State.SCHEDULED, State.PUBLISHED) else []
            ),
            checklist=(
                workflow.checklist(obj) if state in (State.DRAFT, State.IN_REVIEW, State.APPROVED) else None
            ),
            four_eyes=(
                state == State.IN_REVIEW
                and obj.submitted_by_id == user.pk
                and user.has_perm("press.approve_pressrelease")
            ),
            edit_problem=workflow.edit_problem(user, obj),
            returned=(
                obj.audit_entries.filter(action=AuditEntry.Action.RETURNED).order_by("-at", "-pk").first()
                if state == State.DRAFT
                else None
            ),
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

    @admin.action(permissions=["anonymise"], description=_("Anonymisieren (nur zurückgezogene)"))
    def anonymise_selected(self, request, queryset):
        """Asks once (listing what will be emptied), then empties each withdrawn release selected."""
        releases = list(queryset)
        if request.POST.get("anonymise_confirmed") != "ja":
            context = {
                **self.admin_site.each_context(request),
                "title": _("Pressemitteilungen anonymisieren"),
                "opts": self.model._meta,
                "releases": [
                    (release, workflow.anonymise_problem(release, request.user)) for release in releases
                ],
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            }
            return TemplateResponse(request, "admin/press/pressrelease/anonymise.html", context)
        for release in releases:
            try:
                workflow.anonymise(release, request.user)
            except workflow.WorkflowError as exc:
                self.message_user(request, str(exc), messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("„%(title)s“ ist anonymisiert; der Hinweis auf den Rückzug bleibt.")
                    % {"title": release.title},
                    messages.SUCCESS,
                )
        return None
