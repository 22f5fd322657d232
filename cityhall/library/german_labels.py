"""German names for what third-party apps show in the admin in English (taggit's app, model and merge
form), and "–" for an empty read-only field instead of "None"."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

EMPTY_VALUE = "–"


def apply():
    from django.apps import apps

    admin.site.empty_value_display = EMPTY_VALUE
    if not apps.is_installed("taggit"):
        return
    from taggit import admin as taggit_admin
    from taggit.forms import MergeTagsForm
    from taggit.models import Tag, TaggedItem

    apps.get_app_config("taggit").verbose_name = _("Schlagwörter")
    Tag._meta.verbose_name = _("Schlagwort")
    Tag._meta.verbose_name_plural = _("Schlagwörter")
    Tag._meta.get_field("name").verbose_name = _("Name")
    Tag._meta.get_field("slug").verbose_name = _("Kurzname (Adresse)")
    TaggedItem._meta.verbose_name = _("Verschlagwortung")
    TaggedItem._meta.verbose_name_plural = _("Verschlagwortungen")
    field = MergeTagsForm.base_fields["new_tag_name"]
    field.label = _("Neuer Name")
    field.help_text = _("Ein neues oder vorhandenes Schlagwort, in dem die ausgewählten aufgehen.")
    action = taggit_admin.TagAdmin.render_tag_form
    action.short_description = _("Ausgewählte Schlagwörter zusammenführen")
