"""Admin for press releases: head fields, assignment, and the body as ordered blocks."""

from content_editor.admin import ContentEditor, ContentEditorInline
from django import forms
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from taggit.forms import TagField
from taggit.models import Tag

from cityhall.text import unique_slug
from press.models import SLUG_MAX_LENGTH, BackgroundBlock, ImageBlock, PressRelease, QuoteBlock, TextBlock

TAG_MAX_LENGTH = Tag._meta.get_field("name").max_length


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


class PressReleaseForm(forms.ModelForm):
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
            "status",
            "published_at",
            "slug",
            "image",
            "image_alt",
            "image_caption",
            "tags",
            "partnerships",
            "contact",
        ]

    def clean(self):
        cleaned_data = super().clean()
        if not cleaned_data.get("slug") and "slug" in self.fields and "slug" not in self.errors:
            # The model would make the slug in save(), but the form checks the
            # "slug not empty" constraint before that; so make it here.
            cleaned_data["slug"] = unique_slug(
                PressRelease.objects,
                cleaned_data.get("title") or "",
                max_length=SLUG_MAX_LENGTH,
                fallback="pressemitteilung",
                exclude_pk=self.instance.pk,
            )
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


TextBlockInline = ContentEditorInline.create(model=TextBlock, icon="notes")
QuoteBlockInline = ContentEditorInline.create(
    model=QuoteBlock,
    icon="format_quote",
    autocomplete_fields=["speaker"],
    fields=["text", "speaker", "role", "organisation", "region", "ordering"],
)
ImageBlockInline = ContentEditorInline.create(
    model=ImageBlock,
    icon="image",
    autocomplete_fields=["image"],
    fields=["image", "alt_text", "caption", "region", "ordering"],
)
BackgroundBlockInline = ContentEditorInline.create(model=BackgroundBlock, icon="info")


@admin.register(PressRelease)
class PressReleaseAdmin(ContentEditor):
    form = PressReleaseForm
    list_display = ["title", "status", "published_at", "kicker", "tag_list"]
    list_filter = ["status", YearListFilter, TagListFilter, "partnerships"]
    list_select_related = ["image", "contact"]
    search_fields = ["title", "kicker", "subtitle", "lead", "slug"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["image", "contact", "partnerships"]
    readonly_fields = ["created_at", "updated_at"]
    save_on_top = True
    fieldsets = [
        (_("Kopf"), {"fields": ["kicker", "title", "subtitle", "lead"]}),
        (_("Veröffentlichung"), {"fields": ["status", "published_at", "slug", "created_at", "updated_at"]}),
        (_("Bild"), {"fields": ["image", "image_alt", "image_caption"]}),
        (_("Zuordnung"), {"fields": ["tags", "new_tags", "partnerships", "contact"]}),
    ]
    inlines = [TextBlockInline, QuoteBlockInline, ImageBlockInline, BackgroundBlockInline]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("tags")

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

    @admin.display(description=_("Schlagwörter"))
    def tag_list(self, obj):
        return ", ".join(sorted((tag.name for tag in obj.tags.all()), key=str.casefold)) or None
