"""Admin for press releases: head fields, assignment, the body as ordered blocks, and the editorial
workflow around them (press/workflow.py holds its rules; this module only offers them): status
buttons and actions, version checks against lost edits, revisions with differences and restore,
corrections, preview links, the audit log and the press desk page."""

import datetime
from datetime import timedelta

from content_editor.admin import ContentEditor, ContentEditorInline
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import quote, unquote
from django.contrib.admin.widgets import AdminSplitDateTime, AutocompleteSelectMultiple
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Prefetch
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from reversion.admin import VersionAdmin
from reversion.revisions import get_comment, is_active, set_comment
from taggit.forms import TagField
from taggit.models import Tag

from cityhall.library.links import absolute_url
from press import history, previews, workflow
from press.models import (
    AuditEntry,
    BackgroundBlock,
    Correction,
    ImageBlock,
    PressRelease,
    PreviewLink,
    QuoteBlock,
    TextBlock,
)

TAG_MAX_LENGTH = Tag._meta.get_field("name").max_length
STALE_DRAFT_DAYS = 14
DESK_LIMIT = 50
Status = PressRelease.Status


class YearListFilter(admin.SimpleListFilter):
    """Releases by the year of publication (Europe/Berlin)."""

    title = _("Jahr")
    parameter_name = "jahr"

    def lookups(self, request, model_admin):
        years = PressRelease.objects.datetimes("published_at", "year", order="DESC")
        return [(str(day.year), str(day.year)) for day in years]

    def queryset(self, request, queryset):
        value = self.value()
        if not value:
            return queryset
        if not value.isdigit():
            raise IncorrectLookupParameters(value)
        return queryset.filter(published_at__year=int(value))


class TagListFilter(admin.SimpleListFilter):
    """Releases by tag; offers only the tags used by press releases."""

    title = _("Schlagwort")
    parameter_name = "schlagwort"

    def lookups(self, request, model_admin):
        return [(tag.slug, tag.name) for tag in PressRelease.tags.order_by("name")]

    def queryset(self, request, queryset):
        value = self.value()
        return queryset.filter(tags__slug=value) if value else queryset


class ScheduleListFilter(admin.SimpleListFilter):
    """Published releases split into those already public and those still waiting for their time."""

    title = _("Zeitpunkt")
    parameter_name = "zeitpunkt"

    def lookups(self, request, model_admin):
        return [("geplant", _("Geplant (noch nicht öffentlich)")), ("oeffentlich", _("Öffentlich"))]

    def queryset(self, request, queryset):
        if self.value() == "geplant":
            return queryset.scheduled()
        if self.value() == "oeffentlich":
            return queryset.published()
        return queryset


# --- fields and forms --------------------------------------------------------------------------------


class LocalSplitDateTimeField(forms.SplitDateTimeField):
    """Date and time in Europe/Berlin; a time that does not exist or exists twice at the change to or
    from summer time is refused with a German hint instead of being guessed."""

    def compress(self, data_list):
        if data_list and len(data_list) == 2 and all(data_list):
            problem = workflow.local_time_problem(datetime.datetime.combine(*data_list))
            if problem:
                raise ValidationError(problem, code="ambiguous_or_missing_time")
        return super().compress(data_list)


LOCAL_DATETIME = {models.DateTimeField: {"form_class": LocalSplitDateTimeField, "widget": AdminSplitDateTime}}


class VersionWidget(forms.HiddenInput):
    """The version travels hidden with the row; the number is shown next to it."""

    def render(self, name, value, attrs=None, renderer=None):
        return format_html(
            '{}<span class="release-version">{}</span>', super().render(name, value, attrs, renderer), value
        )


class WorkflowFormMixin:
    """Server-side checks of every save of a release through a form (change form and list_editable):
    the user may change it at all, may move its time, and saves on top of the version they opened."""

    user = None  # set per request by the admin
    conflict = None
    before = None

    def clean(self):
        cleaned_data = super().clean()
        instance = self.instance
        if instance.pk is None:
            return cleaned_data
        self.before = {"was_live": workflow.is_live(instance), "published_at": instance.published_at}
        problem = workflow.edit_problem(self.user, instance)
        if problem:
            raise ValidationError(problem, code="not_allowed")
        if "published_at" in self.changed_data and cleaned_data.get("published_at"):
            problem = workflow.time_problem(self.user, instance, cleaned_data["published_at"])
            if problem:
                self.add_error("published_at", problem)
        expected = cleaned_data.get("version")
        try:
            workflow.check_version(instance, expected)
        except workflow.ConflictError as exc:
            self.conflict = self.describe_conflict(instance, expected)
            # Saving again now saves on top of the newer version: knowingly, after seeing the changes.
            data = self.data.copy()
            data[self.add_prefix("version")] = str(exc.current_version)
            self.data = data
            raise ValidationError(
                f"{exc} {gettext('Ihre Eingaben stehen unverändert im Formular.')}", code="conflict"
            ) from exc
        return cleaned_data

    def describe_conflict(self, instance, expected):
        return None


class PressReleaseForm(WorkflowFormMixin, forms.ModelForm):
    """Existing tags are picked with an autocomplete field (``tags``, set up in the
    admin); tags that do not exist yet are typed into ``new_tags``. Both are merged."""

    new_tags = TagField(
        label=_("Neue Schlagwörter"),
        required=False,
        help_text=_("Schlagwörter, die es noch nicht gibt; mehrere mit Komma trennen."),
    )

    class Meta:
        model = PressRelease
        fields = [
            "kicker",
            "title",
            "subtitle",
            "lead",
            "published_at",
            "slug",
            "withdrawal_note",
            "version",
            "image",
            "image_alt",
            "image_caption",
            "tags",
            "partnerships",
            "projects",
            "contact",
        ]
        widgets = {"version": forms.HiddenInput}

    def clean(self):
        cleaned_data = super().clean()
        tags = list(cleaned_data.get("tags") or [])
        seen = {tag.name.casefold() for tag in tags}
        for name in cleaned_data.get("new_tags") or []:
            if len(name) > TAG_MAX_LENGTH:
                self.add_error(
                    "new_tags",
                    _("Ein Schlagwort darf höchstens %(max)d Zeichen lang sein: „%(name)s…“")
                    % {"max": TAG_MAX_LENGTH, "name": name[:40]},
                )
            elif name.casefold() not in seen:
                seen.add(name.casefold())
                tags.append(name)
        cleaned_data["tags"] = tags
        return cleaned_data

    def describe_conflict(self, instance, expected):
        """Who saved meanwhile, and what they changed (from the revision of the version opened)."""
        latest = history.versions_of(instance.pk).first()
        opened = history.state_at_version(instance, expected)
        return {
            "by": latest.revision.user if latest else None,
            "at": latest.revision.date_created if latest else instance.updated_at,
            "comment": latest.revision.comment if latest else "",
            "changes": history.diff(opened, history.current_state(instance)) if opened else None,
            "current_version": instance.version,
        }


class ReleaseChangelistForm(WorkflowFormMixin, forms.ModelForm):
    class Meta:
        model = PressRelease
        fields = ["published_at", "version"]
        widgets = {"version": VersionWidget}


# --- inlines -------------------------------------------------------------------------------------------


def _editable(request, obj):
    """Inlines follow the release: read-only where the user may not change it. On POST the form's
    clean() refuses with a message instead, so typed text is not thrown away."""
    return obj is None or request.method not in ("GET", "HEAD") or workflow.may_edit(request.user, obj)


class BlockInline(ContentEditorInline):
    formfield_overrides = LOCAL_DATETIME

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and _editable(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and _editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and _editable(request, obj)


TextBlockInline = BlockInline.create(model=TextBlock, icon="notes")
QuoteBlockInline = BlockInline.create(
    model=QuoteBlock,
    icon="format_quote",
    autocomplete_fields=["speaker"],
    fields=["text", "speaker", "role", "organisation", "region", "ordering"],
)
ImageBlockInline = BlockInline.create(
    model=ImageBlock,
    icon="image",
    autocomplete_fields=["image"],
    fields=["image", "alt_text", "caption", "region", "ordering"],
)
BackgroundBlockInline = BlockInline.create(model=BackgroundBlock, icon="info")


class CorrectionInline(admin.StackedInline):
    """Dated public corrections under a published release; shown on the page and in the feeds."""

    model = Correction
    extra = 0
    fields = ["noted_at", "text", "created_by"]
    readonly_fields = ["created_by"]
    formfield_overrides = LOCAL_DATETIME
    verbose_name_plural = _("Öffentliche Korrekturen")

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and obj is not None and obj.status == Status.PUBLISHED


class PreviewLinkForm(forms.ModelForm):
    revoke = forms.BooleanField(
        label=_("Widerrufen"), required=False, help_text=_("Der Link zeigt danach nichts mehr.")
    )

    class Meta:
        model = PreviewLink
        fields = ["purpose", "recipient", "expires_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["purpose"].disabled = True
            if self.instance.revoked_at:
                for field in self.fields.values():
                    field.disabled = True
        else:
            self.fields["revoke"].disabled = True
            self.fields["expires_at"].initial = timezone.now() + previews.DEFAULT_VALIDITY

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk is None and self.has_changed():
            release = PressRelease.objects.filter(pk=self.instance.release_id).first()
            problem = release and previews.creation_problem(release, cleaned_data.get("purpose"))
            if problem:
                raise ValidationError(problem)
        return cleaned_data


class PreviewLinkInline(admin.TabularInline):
    """Per release: links for journalists under embargo and for sign-off, listed and revocable."""

    model = PreviewLink
    form = PreviewLinkForm
    extra = 0
    can_delete = False  # revoked, not deleted: the list shows who got a link
    fields = ["purpose", "recipient", "expires_at", "link", "link_state", "use_count", "created_by", "revoke"]
    readonly_fields = ["link", "link_state", "use_count", "created_by"]
    formfield_overrides = LOCAL_DATETIME
    request = None

    def get_formset(self, request, obj=None, **kwargs):
        self.request = request  # inline instances are made per request
        return super().get_formset(request, obj, **kwargs)

    @admin.display(description=_("Link"))
    def link(self, link):
        if not link.pk:
            return _("(nach dem Speichern)")
        url = absolute_url(previews.path_for(link), self.request)
        return format_html(
            '<input type="text" readonly value="{}" size="40" aria-label="{}">', url, _("Vorschau-Link")
        )

    @admin.display(description=_("Stand"))
    def link_state(self, link):
        if not link.pk:
            return ""
        if link.revoked_at:
            return _("widerrufen am %(when)s") % {
                "when": date_format(timezone.localtime(link.revoked_at), "j.n.Y H:i")
            }
        if not link.is_active:
            return _("abgelaufen")
        return _("gültig")


# --- the release admin -----------------------------------------------------------------------------


@admin.register(PressRelease)
class PressReleaseAdmin(VersionAdmin, ContentEditor):
    form = PressReleaseForm
    change_form_template = "admin/press/pressrelease/change_form.html"
    change_list_template = "admin/press/pressrelease/change_list.html"
    object_history_template = "admin/press/pressrelease/object_history.html"
    history_latest_first = True
    list_display = ["title", "state", "published_at", "kicker", "tag_list", "version"]
    list_editable = ["published_at", "version"]
    list_filter = ["status", ScheduleListFilter, YearListFilter, TagListFilter, "partnerships"]
    list_select_related = ["image", "contact"]
    search_fields = ["title", "kicker", "subtitle", "lead", "slug"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["image", "contact", "partnerships", "projects"]
    readonly_fields = ["state", "created_at", "updated_at"]
    formfield_overrides = LOCAL_DATETIME
    save_on_top = True
    fieldsets = [
        (_("Kopf"), {"fields": ["kicker", "title", "subtitle", "lead"]}),
        (
            _("Veröffentlichung"),
            {
                "fields": [
                    "state",
                    "published_at",
                    "slug",
                    "withdrawal_note",
                    "version",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
        (_("Bild"), {"fields": ["image", "image_alt", "image_caption"]}),
        (_("Zuordnung"), {"fields": ["tags", "new_tags", "partnerships", "projects", "contact"]}),
    ]
    inlines = [
        TextBlockInline,
        QuoteBlockInline,
        ImageBlockInline,
        BackgroundBlockInline,
        CorrectionInline,
        PreviewLinkInline,
    ]
    actions = [
        "submit_selected",
        "approve_selected",
        "return_selected",
        "publish_selected",
        "unschedule_selected",
        "withdraw_selected",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("tags")

    def get_inlines(self, request, obj):
        if obj is None:  # corrections and preview links need a saved release
            return [inline for inline in self.inlines if issubclass(inline, BlockInline)]
        return self.inlines

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path("desk/", self.admin_site.admin_view(self.desk_view), name=f"{info[0]}_{info[1]}_desk"),
            *super().get_urls(),
        ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "tags":
            # taggit's manager is no ManyToManyField, so ``autocomplete_fields`` does not
            # take it; the admin's autocomplete view serves it all the same.
            return forms.ModelMultipleChoiceField(
                queryset=Tag.objects.order_by("name"),
                required=False,
                label=capfirst(db_field.verbose_name),
                help_text=_("Vorhandene Schlagwörter suchen und auswählen."),
                widget=AutocompleteSelectMultiple(db_field, self.admin_site),
            )
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    # --- columns ---

    @admin.display(description=_("Schlagwörter"))
    def tag_list(self, obj):
        return ", ".join(sorted((tag.name for tag in obj.tags.all()), key=str.casefold)) or None

    @admin.display(description=_("Stand"), ordering="status")
    def state(self, obj):
        if obj.pk is None:
            return Status.DRAFT.label
        if obj.is_scheduled:
            return _("Geplant für %(when)s Uhr") % {
                "when": date_format(timezone.localtime(obj.published_at), "j. F Y, H:i")
            }
        return obj.get_status_display()

    def action_checkbox(self, obj):
        # The version each row was shown with goes along, so actions are version-checked too.
        return format_html(
            '{}<input type="hidden" name="_version_{}" value="{}">',
            super().action_checkbox(obj),
            obj.pk,
            obj.version,
        )

    # --- permissions ---

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or _editable(request, obj)

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

    # --- forms ---

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def get_changelist_form(self, request, **kwargs):
        return type("ReleaseChangelistForm", (ReleaseChangelistForm,), {"user": request.user})

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except workflow.ConflictError:
            # Someone saved between the check in clean() and this save (only possible where the
            # database does not lock the row): show the form again, now with the conflict.
            return super().changeform_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        try:
            return super().changelist_view(request, extra_context)
        except workflow.ConflictError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def save_model(self, request, obj, form, change):
        if change:
            workflow.claim_version(obj, form.cleaned_data["version"])
        else:
            obj.version = 1
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        release = form.instance
        notes = getattr(request, "_press_notes", [])
        if change and form.before:
            entry = workflow.content_saved(
                release,
                request.user,
                was_live=form.before["was_live"],
                old_published_at=form.before["published_at"],
            )
            if entry and entry.action == AuditEntry.Action.BACK_TO_REVIEW:
                self.message_user(
                    request,
                    _(
                        "„%(title)s“ war freigegeben; nach Ihrer Änderung ist die Mitteilung wieder in Prüfung."
                    )
                    % {"title": release.title},
                    messages.WARNING,
                )
            if entry:
                notes.append(entry.get_action_display())
        name = request.POST.get("_transition")
        if name and isinstance(form, PressReleaseForm):
            try:
                workflow.transition(release, name, request.user, expected_version=release.version)
            except workflow.WorkflowError as exc:
                self.message_user(request, str(exc), messages.ERROR)
            else:
                notes.append(str(workflow.TRANSITIONS[name].label))
                self.message_user(
                    request,
                    _("„%(title)s“: %(step)s – Stand jetzt: %(state)s.")
                    % {
                        "title": release.title,
                        "step": workflow.TRANSITIONS[name].label,
                        "state": self.state(release),
                    },
                    messages.SUCCESS,
                )
        request._press_notes = notes
        history.record(release)

    def save_formset(self, request, form, formset, change):
        if formset.model is PreviewLink:
            for link in formset.save(commit=False):
                new = link.pk is None
                if new:
                    previews.prepare(link, request.user)
                link.save()
                if new:
                    previews.created(link, request.user)
            for link_form in formset.forms:
                if link_form.instance.pk and link_form.cleaned_data.get("revoke"):
                    previews.revoke(link_form.instance, request.user)
        elif formset.model is Correction:
            for correction in formset.save(commit=False):
                new = correction.pk is None
                if new:
                    correction.created_by = request.user
                correction.save()
                if new:
                    workflow.audit(
                        form.instance, AuditEntry.Action.CORRECTED, request.user, note=correction.text[:500]
                    )
            for correction in formset.deleted_objects:
                correction.delete()
        else:
            super().save_formset(request, form, formset, change)

    def _add_notes_to_revision(self, request, entry):
        notes = getattr(request, "_press_notes", [])
        if notes and is_active():
            set_comment("; ".join([get_comment() or entry.get_change_message(), *map(str, notes)]))

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        self._add_notes_to_revision(request, entry)
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        self._add_notes_to_revision(request, entry)
        return entry

    def delete_view(self, request, object_id, extra_context=None):
        release = self.get_object(request, unquote(object_id))
        if release is not None and release.status == Status.PUBLISHED:
            # A scheduled or public release is withdrawn, not deleted: the audit trail and the
            # "withdrawn" page stay. (Not a has_delete_permission() rule: the image admin asks it
            # for releases that merely protect an image, and would then word its refusal wrongly.)
            self.message_user(
                request,
                _(
                    "„%(title)s“ ist veröffentlicht oder geplant und kann nicht gelöscht werden; bitte zurückziehen."
                )
                % {"title": release.title},
                messages.ERROR,
            )
            return HttpResponseRedirect(reverse("admin:press_pressrelease_change", args=[quote(release.pk)]))
        return super().delete_view(request, object_id, extra_context)

    def delete_model(self, request, obj):
        if obj.status == Status.PUBLISHED:
            raise PermissionDenied
        workflow.audit(obj, AuditEntry.Action.DELETED, request.user, from_status=obj.status)
        super().delete_model(request, obj)

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
        context.update(
            state_label=self.state(obj),
            transitions=[
                {"name": t.name, "label": workflow.label(t, obj)}
                for t in workflow.available(user, obj)
                if editable
            ],
            publish_problems=(
                workflow.publish_problems(obj)
                if obj.status in (Status.IN_REVIEW, Status.APPROVED, Status.PUBLISHED)
                else []
            ),
            four_eyes=(
                obj.status == Status.IN_REVIEW
                and obj.submitted_by_id == user.pk
                and user.has_perm("press.approve_pressrelease")
            ),
            edit_problem=workflow.edit_problem(user, obj),
        )
        if user.has_perm("press.view_auditentry"):
            context["audit_entries"] = obj.audit_entries.select_related("user")[:20]
        return context

    # --- actions (each one version-checked and carried out by the workflow) ---

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

    # --- history: differences and restore (django-reversion stores, press.history reads) ---

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
        can_restore = super().has_change_permission(request, release) and workflow.may_edit(
            request.user, release
        )
        if request.method == "POST":
            if not can_restore:
                raise PermissionDenied
            expected = request.POST.get("version", "")
            try:
                warnings = history.restore(
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
                _("Die Fassung vom %(when)s ist wiederhergestellt.")
                % {"when": date_format(timezone.localtime(version.revision.date_created), "j. F Y, H:i")},
                messages.SUCCESS,
            )
            for warning in warnings:
                self.message_user(request, warning, messages.WARNING)
            return HttpResponseRedirect(reverse("admin:press_pressrelease_change", args=[quote(release.pk)]))
        state = history.revision_state(version.revision, release.pk)
        previous = versions[position + 1] if position + 1 < len(versions) else None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": release,
            "title": _("Fassung vom %(when)s")
            % {"when": date_format(timezone.localtime(version.revision.date_created), "j. F Y, H:i")},
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
        if not (self.has_add_permission(request) and super().has_change_permission(request)):
            raise PermissionDenied
        version = history.deleted_version(version_id)
        if version is None:
            raise Http404
        if request.method == "POST":
            release, warnings = history.recover(version, request.user)
            self.message_user(
                request,
                _("„%(title)s“ ist als Entwurf wiederhergestellt.") % {"title": release.title},
                messages.SUCCESS,
            )
            for warning in warnings:
                self.message_user(request, warning, messages.WARNING)
            return HttpResponseRedirect(reverse("admin:press_pressrelease_change", args=[quote(release.pk)]))
        state = history.revision_state(version.revision, int(version.object_id))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("„%(title)s“ wiederherstellen") % {"title": version.object_repr},
            "revision": version.revision,
            "rows": history.lines(state, history._Names([state])),
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/press/pressrelease/recover.html", context)

    # --- the press desk ---

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
            PressRelease.objects.filter(status=Status.PUBLISHED)
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
            "in_review": releases.filter(status=Status.IN_REVIEW).order_by("submitted_at", "pk")[:DESK_LIMIT],
            "approved": releases.filter(status=Status.APPROVED).order_by("published_at", "pk")[:DESK_LIMIT],
            "scheduled": releases.scheduled(now)
            .prefetch_related(active_links)
            .order_by("published_at", "pk")[:DESK_LIMIT],
            "stale_drafts": releases.filter(
                status=Status.DRAFT, updated_at__lt=now - timedelta(days=STALE_DRAFT_DAYS)
            ).order_by("updated_at", "pk")[:DESK_LIMIT],
            "stale_days": STALE_DRAFT_DAYS,
            "gaps": [(release, workflow.publish_problems(release, release.image_blocks)) for release in gaps],
        }
        return TemplateResponse(request, "admin/press/pressrelease/desk.html", context)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit log: read-only, for those with press.view_auditentry (Pressesprecher/in)."""

    list_display = ["at", "action", "release_link", "user_name", "from_status", "to_status", "note"]
    list_filter = ["action", "user"]
    list_select_related = ["release"]
    search_fields = ["release_title", "user_name", "note"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("Pressemitteilung"), ordering="release_title")
    def release_link(self, entry):
        if entry.release_id is None:
            return entry.release_title
        url = reverse("admin:press_pressrelease_change", args=[quote(entry.release_id)])
        return format_html('<a href="{}">{}</a>', url, entry.release_title)
