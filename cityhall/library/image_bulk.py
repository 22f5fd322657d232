"""Several images at once: the image library's bulk upload (``…/cityhall/image/mehrere/``).

Step one takes many files; each is checked and re-encoded like a single upload (``imaging.process_upload``),
refused with its file name when it is no image, and skipped with a link when the same picture is already in
the library. Step two lists the accepted ones, one row each, filled from what each file says about itself
(credit, title, licence): every row needs its own alternative text (or "rein dekorativ") and credit before
it becomes an Image; rows that lack them stay listed with the error, the others are saved.
"""

import base64
import hashlib
import io

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from PIL import Image as PILImage

from cityhall.library.forms import clean_original_filename
from cityhall.library.imaging import ACCEPT, process_upload, suggested_fields
from cityhall.library.models import Image, License
from cityhall.library.models.images import image_upload_to

SESSION_KEY = "cityhall_bulk_images"
MAX_FILES = 50


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Django's recipe for several files in one field: each is checked as a FileField would check it."""

    def clean(self, data, initial=None):
        one = super().clean
        files = (
            [one(item, initial) for item in data] if isinstance(data, (list, tuple)) else [one(data, initial)]
        )
        if len(files) > MAX_FILES:
            raise ValidationError(_("Bitte höchstens %(n)d Dateien auf einmal.") % {"n": MAX_FILES})
        return files


class BulkFilesForm(forms.Form):
    files = MultipleFileField(
        label=_("Bilddateien"),
        widget=MultipleFileInput(attrs={"accept": ACCEPT}),
        help_text=_("Mehrere Dateien auf einmal auswählen (bis zu 50)."),
    )


class BulkRowForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)
    alt_text = forms.CharField(label=_("Alternativtext"), max_length=400, required=False)
    decorative = forms.BooleanField(label=_("Rein dekorativ"), required=False)
    title = forms.CharField(label=_("Titel"), max_length=200, required=False)
    credit = forms.CharField(label=_("Bildnachweis"), max_length=300, required=False)
    license = forms.ModelChoiceField(label=_("Lizenz"), queryset=License.objects.all(), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # one row per image: the column heading is the label
            field.widget.attrs.setdefault("aria-label", str(field.label))

    def clean(self):
        data = super().clean()
        if not (data.get("alt_text") or "").strip() and not data.get("decorative"):
            self.add_error(
                "alt_text",
                _("Bitte einen Alternativtext angeben oder das Bild als rein dekorativ markieren."),
            )
        if not (data.get("credit") or "").strip():
            self.add_error("credit", _("Bitte einen Bildnachweis angeben."))
        return data


BulkRowFormSet = forms.formset_factory(BulkRowForm, extra=0)


def _thumbnail(name):
    """A small inline preview of a stored, not yet registered file."""
    try:
        with default_storage.open(name, "rb") as stored, PILImage.open(stored) as im:
            im.thumbnail((120, 90))
            out = io.BytesIO()
            im.convert("RGB").save(out, "JPEG", quality=70)
    except (OSError, ValueError):
        return ""
    return "data:image/jpeg;base64," + base64.b64encode(out.getvalue()).decode()


def _accept(upload, pending, problems, change_url):
    try:
        cleaned = process_upload(upload)
    except ValidationError as exc:
        problems.append(format_html("{}: {}", clean_original_filename(upload.name), " ".join(exc.messages)))
        return
    content = cleaned.file.read()
    existing = Image.objects.filter(content_hash=hashlib.sha256(content).hexdigest()).first()
    if existing is not None:
        problems.append(
            format_html(
                '{}: {} <a href="{}">{}</a>',
                clean_original_filename(upload.name),
                _("schon in der Bildbibliothek, nicht noch einmal gespeichert:"),
                change_url(existing),
                existing,
            )
        )
        return
    name = default_storage.save(image_upload_to(None, cleaned.file.name), ContentFile(content))
    suggestions = suggested_fields(cleaned.metadata)
    licence = License.objects.filter(name=suggestions.get("license", "")).first()
    pending[hashlib.sha256(name.encode()).hexdigest()[:16]] = {
        "name": name,
        "original_filename": clean_original_filename(upload.name),
        "metadata": cleaned.metadata,
        "width": cleaned.width,
        "height": cleaned.height,
        "initial": {
            "title": suggestions.get("title", ""),
            "credit": suggestions.get("credit", ""),
            "license": licence.pk if licence else None,
        },
        "fields": {
            key: str(value)
            for key, value in suggestions.items()
            if key in ("caption", "copyright_holder", "photographer", "usage_terms", "taken_on")
        },
    }


def _create(entry, data, user):
    image = Image(
        file=entry["name"],
        width=entry["width"],
        height=entry["height"],
        original_filename=entry["original_filename"],
        embedded_metadata=entry["metadata"],
        uploaded_by=user,
        alt_text="" if data["decorative"] else data["alt_text"].strip(),
        decorative=data["decorative"],
        title=data["title"],
        credit=data["credit"].strip(),
        license=data["license"],
        **entry["fields"],
    )
    image.full_clean(exclude=["file"])
    image.save()
    return image


def bulk_upload_view(model_admin, request):
    if not model_admin.has_add_permission(request):
        raise PermissionDenied
    opts = model_admin.model._meta
    site = model_admin.admin_site.name
    pending = request.session.get(SESSION_KEY, {})

    def change_url(image):
        return reverse(f"{site}:cityhall_image_change", args=[image.pk])

    files_form = BulkFilesForm()
    problems = []
    if request.method == "POST" and "_hochladen" in request.POST:
        files_form = BulkFilesForm(request.POST, request.FILES)
        if files_form.is_valid():
            for upload in files_form.cleaned_data["files"]:
                _accept(upload, pending, problems, change_url)
            request.session[SESSION_KEY] = pending
    rows = BulkRowFormSet(
        initial=[{"token": token, **entry["initial"]} for token, entry in pending.items()], prefix="bild"
    )
    if request.method == "POST" and "_speichern" in request.POST:
        rows = BulkRowFormSet(request.POST, prefix="bild")
        saved = []
        for row in rows:
            entry = pending.get(row.data.get(row.add_prefix("token")))
            if entry is None or not row.is_valid():
                continue
            try:
                with transaction.atomic():
                    saved.append(_create(entry, row.cleaned_data, request.user))
            except ValidationError as exc:
                row.add_error(None, exc)
                continue
            del pending[row.cleaned_data["token"]]
        request.session[SESSION_KEY] = pending
        if saved:
            model_admin.message_user(
                request,
                ngettext("%(n)d Bild gespeichert.", "%(n)d Bilder gespeichert.", len(saved))
                % {"n": len(saved)},
                messages.SUCCESS,
            )
        if not pending:
            return HttpResponseRedirect(reverse(f"{site}:cityhall_image_changelist"))
    forms_by_token = [
        (row, pending.get(row.initial.get("token") or row.data.get(row.add_prefix("token")))) for row in rows
    ]
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": opts,
        "title": _("Mehrere Bilder hochladen"),
        "files_form": files_form,
        "problems": problems,
        "rows": rows,
        "entries": [
            (row, entry, _thumbnail(entry["name"])) for row, entry in forms_by_token if entry is not None
        ],
    }
    return TemplateResponse(request, "admin/cityhall/image/bulk_upload.html", context)
