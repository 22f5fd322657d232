"""Accessibility (BITV 2.0): the statement with its feedback form, and pages in Leichte Sprache."""

import datetime

from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, FormView, ListView
from django_ratelimit.core import is_ratelimited

from .client import client_key
from .models import AccessibilityFeedback, EasyLanguagePage
from .text import normalise_text


class AccessibilityFeedbackForm(forms.ModelForm):
    # A field people never see (hidden by the stylesheet) and bots fill in.
    website = forms.CharField(label=_("Bitte leer lassen"), required=False, max_length=200)

    class Meta:
        model = AccessibilityFeedback
        fields = ["message", "page_url", "name", "email"]
        labels = {"message": _("Ihre Nachricht"), "page_url": _("Seite, auf der die Barriere ist (optional)")}
        help_texts = {
            "message": _("Beschreiben Sie bitte, was nicht funktioniert hat."),
            "page_url": _("Adresse oder Titel der Seite."),
            "email": _("Nur wenn Sie eine Antwort wünschen."),
        }
        widgets = {"message": forms.Textarea(attrs={"rows": 6, "maxlength": 5000})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].label = _("Ihr Name (optional)")
        self.fields["email"].label = _("Ihre E-Mail-Adresse (optional)")
        self.fields["message"].max_length = 5000
        self.fields["message"].validators.append(forms.fields.validators.MaxLengthValidator(5000))
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})

    def clean_message(self):
        # Saving normalises every field; the message is normalised here already, to refuse one that
        # holds nothing visible.
        message = normalise_text(self.cleaned_data["message"]).strip()
        if not message:
            raise forms.ValidationError(_("Bitte schreiben Sie eine Nachricht."))
        return message


class AccessibilityStatementView(FormView):
    """Erklärung zur Barrierefreiheit, with a form whose messages the staff read in the admin."""

    template_name = "cityhall/accessibility_statement.html"
    form_class = AccessibilityFeedbackForm

    def get_initial(self):
        # "Barriere melden" links from other pages pass the page they came from.
        return {"page_url": self.request.GET.get("seite", "")[:500]}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            page_title="Erklärung zur Barrierefreiheit",
            contact_email=settings.ACCESSIBILITY_CONTACT_EMAIL,
            statement_date=datetime.date.fromisoformat(settings.ACCESSIBILITY_STATEMENT_DATE),
            **kwargs,
        )

    def form_valid(self, form):
        # Per client address (ACCESSIBILITY_FEEDBACK_RATE, in the shared cache); bots that fill in the
        # hidden field count too.
        limited = is_ratelimited(
            self.request,
            group="accessibility-feedback",
            key=client_key,
            rate=settings.ACCESSIBILITY_FEEDBACK_RATE,
            method="POST",
            increment=True,
        )
        if limited:
            form.add_error(
                None,
                _(
                    "Von Ihrem Anschluss kamen gerade sehr viele Nachrichten. Bitte versuchen Sie es in einer "
                    "Stunde erneut oder schreiben Sie uns eine E-Mail."
                ),
            )
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        if not form.cleaned_data.get("website"):
            form.save()
        messages.success(
            self.request,
            _(
                "Vielen Dank! Ihre Nachricht ist angekommen. Wir melden uns, wenn Sie eine E-Mail-Adresse angegeben haben."
            ),
        )
        return redirect(reverse("cityhall:accessibility") + "#rueckmeldung")


class EasyLanguageListView(ListView):
    queryset = EasyLanguagePage.objects.only("title", "slug")
    context_object_name = "pages"
    template_name = "cityhall/easylanguagepage_list.html"
    extra_context = {"page_title": "Leichte Sprache"}


class EasyLanguagePageView(DetailView):
    model = EasyLanguagePage
    context_object_name = "page"
    template_name = "cityhall/easylanguagepage_detail.html"
