"""Admin of redirects: a list to add and edit them by hand, and a CSV import (``old path,new path``)
for moving from the city's old CMS. The import takes all rows or none: every bad row is reported
with its line number and nothing is saved until the whole file is right."""

import csv
import io

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .redirects import Redirect

CSV_MAX_BYTES = 2 * 1024 * 1024
HEADER_WORDS = {"old", "alt", "alte", "von", "from", "old path", "alte adresse"}


class RedirectCsvForm(forms.Form):
    file = forms.FileField(
        label=_("CSV-Datei"),
        help_text=_(
            "Je Zeile „alte Adresse,neue Adresse“, z. B. „/presse/meldung.php?id=12,/pressemitteilungen/"
            "neujahrsempfang/“. Eine Kopfzeile ist erlaubt; Komma oder Semikolon, UTF-8."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > CSV_MAX_BYTES:
            raise ValidationError(_("Die Datei ist größer als 2 MB."))
        try:
            text = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ValidationError(_("Die Datei ist nicht in UTF-8 gespeichert.")) from error
        self.rows, self.row_errors = read_rows(text)
        if not self.rows and not self.row_errors:
            raise ValidationError(_("Die Datei enthält keine Weiterleitungen."))
        return upload


def _messages(error):
    if hasattr(error, "message_dict"):
        fields = {"old_path": _("alte Adresse"), "new_path": _("neue Adresse")}
        return [f"{fields.get(field, field)}: {m}" for field, ms in error.message_dict.items() for m in ms]
    return list(error.messages)


def read_rows(text):
    """The redirects of a CSV text, checked by the model (``full_clean``): ``(rows, errors)`` with
    rows as ``(line, Redirect)`` (existing ones updated) and errors as ``(line, message)``."""
    first = text.split("\n", 1)[0]
    dialect = "excel" if first.count(",") >= first.count(";") else _Semicolon
    rows, errors, seen = [], [], {}
    existing = {r.old_path: r for r in Redirect.objects.all()}
    for line, cells in enumerate(csv.reader(io.StringIO(text), dialect), start=1):
        cells = [cell.strip() for cell in cells]
        if not any(cells):
            continue
        if line == 1 and cells[0].casefold() in HEADER_WORDS:
            continue
        if len(cells) != 2:
            errors.append((line, _("Bitte genau zwei Spalten: alte Adresse, neue Adresse.")))
            continue
        old_path, new_path = cells
        if old_path in seen:
            errors.append(
                (line, _("Die alte Adresse steht schon in Zeile %(line)s.") % {"line": seen[old_path]})
            )
            continue
        seen[old_path] = line
        redirect = existing.get(old_path) or Redirect(old_path=old_path)
        redirect.new_path = new_path
        try:
            redirect.full_clean(validate_unique=False)
        except ValidationError as error:
            errors.extend((line, message) for message in _messages(error))
            continue
        rows.append((line, redirect))
    chain = {path: r.new_path for path, r in existing.items()} | {r.old_path: r.new_path for _l, r in rows}
    for line, redirect in rows:
        target, steps = redirect.new_path, 0
        while target in chain and target != redirect.old_path and steps < len(chain):
            target, steps = chain[target], steps + 1
        if target == redirect.old_path:
            errors.append((line, _("Diese Weiterleitung ergäbe einen Kreis: die neue Adresse führt zurück.")))
    return rows, sorted(errors, key=lambda error: error[0])


class _Semicolon(csv.excel):
    delimiter = ";"


@admin.register(Redirect)
class RedirectAdmin(admin.ModelAdmin):
    list_display = ["old_path", "new_path", "automatic", "created_at"]
    list_filter = ["automatic"]
    search_fields = ["old_path", "new_path"]
    fields = ["old_path", "new_path"]
    change_list_template = "admin/cityhall/redirect/change_list.html"

    def get_urls(self):
        view = self.admin_site.admin_view(self.import_view)
        return [path("import/", view, name="cityhall_redirect_import"), *super().get_urls()]

    def import_view(self, request):
        if not (self.has_add_permission(request) and self.has_change_permission(request)):
            raise PermissionDenied
        form = RedirectCsvForm(request.POST or None, request.FILES or None)
        row_errors = []
        if request.method == "POST" and form.is_valid():
            row_errors = form.row_errors
            if not row_errors:
                with transaction.atomic():
                    for _line, redirect in form.rows:
                        redirect.save()
                count = len(form.rows)
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d Weiterleitung übernommen.", "%(count)d Weiterleitungen übernommen.", count
                    )
                    % {"count": count},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(reverse("admin:cityhall_redirect_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Weiterleitungen aus CSV importieren"),
            "form": form,
            "row_errors": row_errors,
        }
        return TemplateResponse(request, "admin/cityhall/redirect/import.html", context)
