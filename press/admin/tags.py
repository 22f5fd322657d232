"""One field for a release's tags: existing tags are found by the admin's autocomplete, a tag that does
not exist yet is typed into the same field and created on save (select2's "tags" mode, set up by
static/admin/press/tag_field.js). A typed tag travels as "neu:<name>", so it can never be mistaken for the
number of an existing tag."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from taggit import admin as taggit_admin
from taggit.models import Tag

from cityhall.library.text import normalise_text

NEW = "neu:"
TAG_MAX_LENGTH = Tag._meta.get_field("name").max_length


class TagAutocomplete(AutocompleteSelectMultiple):
    """The admin's autocomplete, started by tag_field.js (which adds typing new tags) instead of the
    admin's own script; tags typed but not yet saved are shown again when the form comes back."""

    def build_attrs(self, base_attrs, extra_attrs=None):
        attrs = super().build_attrs(base_attrs, extra_attrs)
        attrs["class"] = attrs["class"].replace("admin-autocomplete", "tag-autocomplete")
        attrs["data-placeholder"] = _("Schlagwort suchen oder neu eingeben")
        return attrs

    def optgroups(self, name, value, attr=None):
        typed = [v for v in value if str(v).startswith(NEW)]
        groups = super().optgroups(name, [v for v in value if not str(v).startswith(NEW)], attr)
        options = groups[0][1]
        for index, item in enumerate(typed, start=len(options)):
            options.append(self.create_option(name, item, item[len(NEW) :], True, index))
        return groups

    @property
    def media(self):
        return super().media + forms.Media(js=["admin/press/tag_field.js"])


class TagChoiceField(forms.ModelMultipleChoiceField):
    """Existing tags (by number) and new ones ("neu:<name>"); cleans to Tag objects and new names,
    which taggit's manager stores as they are (a name that exists in other case is that tag)."""

    def clean(self, value):
        values = [str(v) for v in (value or [])]
        existing = [v for v in values if not v.startswith(NEW)]
        tags = list(super().clean(existing)) if existing else []
        seen = {tag.name.casefold() for tag in tags}
        for item in values:
            if not item.startswith(NEW):
                continue
            name = " ".join(normalise_text(item[len(NEW) :], single_line=True).split())
            if len(name) > TAG_MAX_LENGTH:
                raise ValidationError(
                    _("Ein Schlagwort darf höchstens %(max)d Zeichen lang sein: „%(name)s…“"),
                    code="tag_too_long",
                    params={"max": TAG_MAX_LENGTH, "name": name[:40]},
                )
            if name and name.casefold() not in seen:
                seen.add(name.casefold())
                found = Tag.objects.filter(name__iexact=name).first()
                tags.append(found or name)
        if self.required and not tags:
            raise ValidationError(self.error_messages["required"], code="required")
        return tags


def tag_field(db_field, admin_site):
    return TagChoiceField(
        queryset=Tag.objects.order_by("name"),
        required=False,
        label=_("Schlagwörter"),
        help_text=_("Vorhandene Schlagwörter suchen und auswählen oder neue eingeben (Eingabe oder Komma)."),
        widget=TagAutocomplete(db_field, admin_site),
    )


class TagAdmin(taggit_admin.TagAdmin):
    """taggit's tag admin, whose "merge tags" page asked for no permission (staff without any right
    got it, and a POST without selected tags ended in a 500): it needs the right to change tags, and
    merges only tags chosen by its list action."""

    def merge_tags_view(self, request):
        if not self.has_change_permission(request):
            raise PermissionDenied
        selected = request.session.get("selected_tag_ids", "").split(",")
        if not all(tag_id.isdigit() for tag_id in selected):
            self.message_user(
                request, _("Bitte zuerst in der Liste die Schlagwörter wählen."), messages.ERROR
            )
            return redirect("admin:taggit_tag_changelist")
        return super().merge_tags_view(request)


admin.site.unregister(Tag)
admin.site.register(Tag, TagAdmin)
