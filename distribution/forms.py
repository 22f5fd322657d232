from django import forms
from django.utils.translation import gettext_lazy as _

from . import consent
from .models import MailingList, Subscriber


class ListsField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(MailingList.objects.public(), label=_("Listen"), **kwargs)


class PreferencesForm(forms.Form):
    lists = ListsField(error_messages={"required": _("Bitte wählen Sie mindestens eine Liste.")})
    frequency = forms.ChoiceField(
        label=_("Wie oft?"),
        choices=Subscriber.Frequency.choices,
        initial=Subscriber.Frequency.IMMEDIATE,
        widget=forms.RadioSelect,
    )


class SignupForm(PreferencesForm):
    email = forms.EmailField(
        label=_("E-Mail-Adresse"),
        max_length=254,
        error_messages={
            "required": _("Bitte geben Sie Ihre E-Mail-Adresse an."),
            "invalid": _("Bitte geben Sie eine gültige E-Mail-Adresse an, z. B. name@example.org."),
        },
    )
    name = forms.CharField(label=_("Name"), required=False, max_length=200)
    outlet = forms.CharField(
        label=_("Medium (für Journalistinnen und Journalisten)"), required=False, max_length=200
    )
    agree = forms.BooleanField(
        label=_("Einwilligung"),
        error_messages={
            "required": _("Ohne Ihre Einwilligung können wir Ihnen keine Mitteilungen schicken.")
        },
    )
    # A honeypot: people do not see it (class "hp"); bots fill it and are answered as if all went well.
    website = forms.CharField(label=_("Bitte leer lassen"), required=False, max_length=200)

    field_order = ["email", "name", "outlet", "lists", "frequency", "agree", "website"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agree"].help_text = consent.wording()
        self.fields["email"].widget.attrs.update({"autocomplete": "email"})
        self.fields["name"].widget.attrs.update({"autocomplete": "name"})
        self.fields["outlet"].widget.attrs.update({"autocomplete": "organization"})
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})

    def clean_email(self):
        return self.cleaned_data["email"].strip().lower()

    @property
    def is_bot(self):
        return bool(self.cleaned_data.get("website"))
