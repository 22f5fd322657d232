"""Admin forms: a project's dates are typed as a year, a month or a day."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from . import dates
from .dates import PartialDateError, Precision
from .models import Project


class PartialDateField(forms.CharField):
    """Text such as "2020", "10.2020", "Oktober 2020" or "30.10.2020"; cleans to ``(date, precision)``,
    the date being the first day of the period, or its last day for an end (``end=True``)."""

    def __init__(self, *, end=False, **kwargs):
        self.end = end
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("size", 12)

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return None
        try:
            return dates.parse(text, end=self.end)
        except PartialDateError as exc:
            raise ValidationError(
                _("Bitte ein Jahr (2020), einen Monat (10.2020) oder einen Tag (30.10.2020) angeben."),
                code="invalid",
            ) from exc

    def has_changed(self, initial, data):
        return str(initial or "").strip() != str(data or "").strip()


class ProjectForm(forms.ModelForm):
    start = PartialDateField(
        label=_("Beginn"),
        help_text=_("Jahr, Monat oder Tag: „2020“, „10.2020“ oder „30.10.2020“."),
    )
    end = PartialDateField(
        end=True,
        label=_("Ende"),
        help_text=_("Nur bei Projekten über einen Zeitraum, z. B. „2021“. Nicht vor dem Beginn."),
    )

    class Meta:
        model = Project
        fields = ["partnership", "title", "start", "end", "summary", "participants", "themes"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        self.initial["start"] = dates.editor_text(instance.start, instance.start_precision)
        self.initial["end"] = dates.editor_text(instance.end, instance.end_precision)

    def clean_start(self):
        return self._split("start")

    def clean_end(self):
        return self._split("end")

    def _split(self, name):
        """Keep the date for the model field; the precision goes straight onto the instance."""
        value = self.cleaned_data.get(name)
        day, precision = value if value else (None, Precision.YEAR)
        setattr(self.instance, f"{name}_precision", precision)
        return day
