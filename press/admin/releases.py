"""The admin of press releases: head fields, assignment, the body as ordered blocks, and the
editorial workflow around them. It collects input and hands it to press.workflow, which holds the
rules and does every write; it shows the workflow's answers (state, steps, problems, messages)."""

from content_editor.admin import ContentEditor
from django.contrib import admin, messages
from django.contrib.admin.utils import quote, unquote
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from reversion.admin import VersionAdmin

from press import history, previews, workflow
from press.models import Correction, PressRelease, PreviewLink

from . import merge
from .collaboration import CommentInline, CorrectionSuggestionInline
from .filters import StateListFilter, TagListFilter, YearListFilter
from .forms import LOCAL_DATETIME, PressReleaseForm, ReleaseChangelistForm
from .inlines import (
    BackgroundBlockInline,
    BlockInline,
    CorrectionInline,
    ImageBlockInline,
    PreviewLinkInline,
    QuoteBlockInline,
    TextBlockInline,
    editable,
)
from .links import EditorToolsMixin
from .pages import ReleasePagesMixin
from .presence import PresenceMixin
from .steps import WorkflowActionsMixin
from .tags import tag_field


@admin.register(PressRelease)
class PressReleaseAdmin(
    PresenceMixin, EditorToolsMixin, ReleasePagesMixin, WorkflowActionsMixin, VersionAdmin, ContentEditor
):
    form = PressReleaseForm
    change_form_template = "admin/press/pressrelease/change_form.html"
    change_list_template = "admin/press/pressrelease/change_list.html"
    object_history_template = "admin/press/pressrelease/object_history.html"
    history_latest_first = True
    list_display = ["title", "state", "published_at", "kicker", "tag_list", "version"]
    list_editable = ["published_at", "version"]
    list_filter = [StateListFilter, YearListFilter, TagListFilter, "partnerships"]
    list_select_related = ["image", "contact"]
    # Served by trigram indexes on PostgreSQL (migration 0016_admin_search_trigram); no second count of every release, and
    # no date hierarchy (its year list is a scan of the table): the year filter does that job.
    search_fields = ["title", "kicker", "subtitle", "lead", "slug"]
    show_full_result_count = False
    # Each row carries two editable fields (list_editable): rendering their widgets is most of the
    # page's cost, so 50 rows a page rather than Django's 100 (bench/scale.py).
    list_per_page = 50
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
        (
            _("Suchmaschinen und soziale Medien"),
            {"fields": ["browser_title", "meta_description", "social_text"], "classes": ["collapse"]},
        ),
        (_("Zuordnung"), {"fields": ["tags", "partnerships", "projects", "contact"]}),
    ]
    inlines = [
        TextBlockInline,
        QuoteBlockInline,
        ImageBlockInline,
        BackgroundBlockInline,
        CorrectionInline,
        PreviewLinkInline,
        CorrectionSuggestionInline,
        CommentInline,
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("tags")

    def get_inlines(self, request, obj):
        if obj is None:  # corrections and preview links need a saved release
            return [inline for inline in self.inlines if issubclass(inline, BlockInline)]
        return self.inlines

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "tags":
            # taggit's manager is no ManyToManyField, so ``autocomplete_fields`` does not
            # take it; the admin's autocomplete view serves it all the same.
            return tag_field(db_field, self.admin_site)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    # --- columns ---

    @admin.display(description=_("Schlagwörter"))
    def tag_list(self, obj):
        return ", ".join(sorted((tag.name for tag in obj.tags.all()), key=str.casefold)) or None

    @admin.display(description=_("Stand"), ordering="status")
    def state(self, obj):
        return workflow.state_text(obj)

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
        return obj is None or editable(request, obj)

    def may_restore(self, request, release):
        return super().has_change_permission(request, release) and workflow.may_edit(request.user, release)

    def may_recover(self, request):
        return self.has_add_permission(request) and super().has_change_permission(request)

    # --- forms and saving (one call of the workflow per save) ---

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
        """Nothing yet: save_related() hands the release, its relations and blocks to the workflow."""

    def save_related(self, request, form, formsets, change):
        def write():
            admin.ModelAdmin.save_model(self, request, form.instance, form, change)
            super(PressReleaseAdmin, self).save_related(request, form, formsets, change)

        outcome = workflow.save(
            form.instance,
            request.user,
            write=write,
            expected_version=form.cleaned_data.get("version") if change else None,
            **self.step_arguments(request, form),
        )
        self.report_outcome(request, outcome)
        self.report_merge(request, form)

    def report_merge(self, request, form):
        """After a save merged with a colleague's: what was kept of theirs (blocks both changed too)."""
        if getattr(form, "merge_base", None) is None:
            return
        text = _("Zusammengeführt mit der Fassung, die %(who)s inzwischen gespeichert hatte.") % {
            "who": form.merged_by
        }
        taken = merge.summary(form.merge, form, form.merged_by)
        self.message_user(request, f"{text} {taken}".strip(), messages.INFO)

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
                workflow.add_correction(correction, request.user)
            for correction in formset.deleted_objects:
                workflow.remove_correction(correction, request.user)
        else:
            if getattr(form, "merge_base", None) is not None:
                # Saved on top of a colleague's version: blocks this editor did not touch stay theirs.
                merge.skip_kept_blocks(formset, form.blocks_keep)
            super().save_formset(request, form, formset, change)

    def log_addition(self, request, obj, message):
        entry = admin.ModelAdmin.log_addition(self, request, obj, message or _("Initial version."))
        history.add_to_comment(entry.get_change_message(), first=True)
        return entry

    def log_change(self, request, obj, message):
        entry = admin.ModelAdmin.log_change(self, request, obj, message)
        history.add_to_comment(entry.get_change_message(), first=True)
        return entry

    def delete_view(self, request, object_id, extra_context=None):
        release = self.get_object(request, unquote(object_id))
        if release is not None and not self.has_delete_permission(request, release):
            raise PermissionDenied  # before anything of it (its title in a message) is shown
        problem = release is not None and workflow.delete_problem(release)
        if problem:
            # (Not a has_delete_permission() rule: the image admin asks it for releases that merely
            # protect an image, and would then word its refusal wrongly.)
            self.message_user(request, problem, messages.ERROR)
            return HttpResponseRedirect(reverse("admin:press_pressrelease_change", args=[quote(release.pk)]))
        return super().delete_view(request, object_id, extra_context)

    def delete_model(self, request, obj):
        if workflow.delete_problem(obj):
            raise PermissionDenied
        workflow.delete(obj, request.user)
