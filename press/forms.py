"""Forms of the public site."""

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from partnerships.models import Partnership

from .models import ArchiveMonth, PressRelease
from .search import MAX_QUERY_LENGTH


class SearchForm(forms.Form):
    """Search words and filters. Filters offer only values that published releases have, so an unknown
    value is a bad request (400), not an empty page."""

    q = forms.CharField(
        label=_("Suchbegriff"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        help_text=_(
            "Mehrere Wörter: alle müssen vorkommen. „In Anführungszeichen“ sucht die Wortfolge, -Wort schließt aus."
        ),
        error_messages={
            "max_length": _("Bitte höchstens %(limit_value)d Zeichen eingeben (eingegeben: %(show_value)d).")
        },
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "spellcheck": "false"}),
    )
    jahr = forms.TypedChoiceField(label=_("Jahr"), required=False, coerce=int, empty_value=None)
    schlagwort = forms.ChoiceField(label=_("Schlagwort"), required=False)
    partnerschaft = forms.ChoiceField(label=_("Städtepartnerschaft"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Years from the archive's month table; a tag is offered if one published release carries it,
        # found per tag by index (stops at the first), not by collecting the tags of every release.
        years = [day.year for day in ArchiveMonth.objects.years()]
        self.fields["jahr"].choices = [("", _("alle Jahre"))] + [(str(y), str(y)) for y in years]
        public = PressRelease.objects.published().filter(pk=OuterRef("object_id"))
        tagged = PressRelease.tags.through.objects.filter(
            content_type=ContentType.objects.get_for_model(PressRelease), tag_id=OuterRef("pk")
        ).filter(Exists(public))
        tags = Tag.objects.filter(Exists(tagged)).order_by("name")
        self.fields["schlagwort"].choices = [("", _("alle Schlagwörter"))] + [(t.slug, t.name) for t in tags]
        self.fields["partnerschaft"].choices = [("", _("alle Partnerstädte"))] + [
            (p.slug, p.partner_city) for p in Partnership.objects.public().only("slug", "partner_city")
        ]

    def has_criteria(self):
        data = self.cleaned_data
        return bool(data.get("q") or data.get("jahr") or data.get("schlagwort") or data.get("partnerschaft"))

    def filter(self, queryset):
        data = self.cleaned_data
        if data.get("jahr"):
            queryset = queryset.filter(published_at__year=data["jahr"])
        if data.get("schlagwort"):
            queryset = queryset.filter(tags__slug=data["schlagwort"])
        if data.get("partnerschaft"):
            queryset = queryset.filter(partnerships__slug=data["partnerschaft"])
        return queryset
