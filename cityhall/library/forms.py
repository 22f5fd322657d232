"""Admin forms for the image library."""

import hashlib
import os
import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from cityhall.library.imaging import ACCEPT, process_upload, suggested_fields
from cityhall.library.models import Image, License, Person
from cityhall.library.shared import SharedObjectFormMixin

ORIGINAL_FILENAME_MAX_LENGTH = Image._meta.get_field("original_filename").max_length

# Fields an upload may fill from what the file says about itself (IPTC, XMP, EXIF), when empty.
PREFILL_FIELDS = (
    "caption",
    "credit",
    "copyright_holder",
    "photographer",
    "taken_on",
    "license",
    "usage_terms",
    "title",
)

# What the file's own keys (cityhall.library.photo_metadata.read_metadata) are called for the editor.
METADATA_LABELS = {
    "caption": _("Bildbeschreibung"),
    "headline": _("Überschrift"),
    "title": _("Titel"),
    "credit": _("Bildnachweis (Credit)"),
    "copyright_notice": _("Copyright-Vermerk"),
    "photographer": _("Fotograf/in"),
    "taken_on": _("Aufnahmedatum"),
    "usage_terms": _("Nutzungsbedingungen"),
}

# Everything that is not a letter, digit, space, dot, hyphen, underscore or bracket.
_ODD_CHARACTERS = re.compile(r"[^\w .\-()]+")


def clean_original_filename(name):
    """The uploader's file name, kept for reference only: the last path component (of
    a Windows or a POSIX path), without control and odd characters, at most 255 long."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"\s+", " ", name)
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = _ODD_CHARACTERS.sub("", name)
    name = re.sub(" +", " ", name).strip(" .")
    if len(name) > ORIGINAL_FILENAME_MAX_LENGTH:
        stem, ext = os.path.splitext(name)
        ext = ext[:16]
        name = stem[: ORIGINAL_FILENAME_MAX_LENGTH - len(ext)].rstrip(" .") + ext
    return name


class ImageForm(SharedObjectFormMixin, forms.ModelForm):
    """Checks a new upload by its content (cityhall.library.imaging) and stores a fresh encode.

    Fields the editor left empty are filled from what the uploaded file says about itself
    (IPTC, XMP, EXIF: caption, credit, copyright holder, photographer, date taken, usage terms,
    headline as title); ``prefilled`` names them, so the admin can ask the editor to check them.
    What the editor typed is never replaced. A change to what readers see of an image that pages
    already show may need another right (``SharedObjectFormMixin``)."""

    class Meta:
        model = Image
        fields = [
            "file",
            "title",
            "alt_text",
            "decorative",
            "caption",
            "credit",
            "copyright_holder",
            "photographer",
            "taken_on",
            "license",
            "usage_terms",
            "rights_expire_on",
            "focal_x",
            "focal_y",
        ]
        widgets = {
            "focal_x": forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1}),
            "focal_y": forms.NumberInput(attrs={"min": 0, "max": 100, "step": 1}),
            "taken_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "rights_expire_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            # Wide enough for a whole credit such as "Foto: Landeshauptstadt Düsseldorf/Melanie Zanin".
            "credit": forms.TextInput(attrs={"class": "vTextField cityhall-wide", "size": 80}),
            "copyright_holder": forms.TextInput(attrs={"class": "vTextField cityhall-wide", "size": 80}),
            "photographer": forms.TextInput(attrs={"class": "vTextField cityhall-wide", "size": 80}),
            "title": forms.TextInput(attrs={"class": "vTextField cityhall-wide", "size": 80}),
            "alt_text": forms.TextInput(attrs={"class": "vTextField cityhall-wide", "size": 80}),
        }
        # A plain file field: the content check is cityhall.library.imaging's job. Django's
        # ImageField would open anything Pillow knows (GIF, BMP, …) and answer with
        # its own, less precise message.
        field_classes = {"file": forms.FileField}

    # Set by the admin: the address of an image already in the library (``existing_image_url(image)``),
    # and whether the form is in a related-object popup, where that address chooses the image.
    existing_image_url = None
    in_popup = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.duplicate = None
        self.suggestions = {}
        self.prefilled = []
        for name in ("focal_x", "focal_y"):
            if name in self.fields:
                self.fields[name].required = False
        if "file" in self.fields:
            self.fields["file"].widget.attrs.setdefault("accept", ACCEPT)
            # The stored name is generated (cityhall.library.imaging); the uploader's name, however long,
            # is kept in ``original_filename`` (shortened to its length there), never refused.
            self.fields["file"].max_length = None

    def clean_focal_x(self):
        return self._focal("focal_x")

    def clean_focal_y(self):
        return self._focal("focal_y")

    def _focal(self, name):
        # Left empty: as it was (the middle for a new image).
        value = self.cleaned_data.get(name)
        return getattr(self.instance, name) if value is None else value

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not isinstance(upload, UploadedFile):
            return upload  # the file already stored, unchanged
        cleaned = process_upload(upload)
        self._refuse_duplicate(cleaned.file)
        self.instance.original_filename = clean_original_filename(upload.name)
        self.instance.embedded_metadata = cleaned.metadata
        self.suggestions = suggested_fields(cleaned.metadata)
        return cleaned.file

    def _refuse_duplicate(self, content):
        """The same picture is in the library already (the stored file's SHA-256, ``Image.content_hash``):
        offer that one instead of a second copy."""
        digest = hashlib.sha256(content.read()).hexdigest()
        content.seek(0)
        existing = Image.objects.filter(content_hash=digest).exclude(pk=self.instance.pk).first()
        if existing is None:
            return
        self.duplicate = existing
        message = _("Dieses Bild ist schon in der Bildbibliothek: „%(image)s“, hochgeladen am %(day)s.") % {
            "image": existing,
            "day": date_format(existing.created_at, "SHORT_DATE_FORMAT"),
        }
        url = self.existing_image_url(existing) if self.existing_image_url else None
        if url:
            label = _("Vorhandenes Bild übernehmen") if self.in_popup else _("Vorhandenes Bild öffnen")
            message = format_html('{} <a href="{}" class="existing-image">{}</a>', message, url, label)
        raise ValidationError(message, code="duplicate")

    def clean(self):
        cleaned_data = super().clean()
        self._prefill(cleaned_data)
        missing_alt = not (cleaned_data.get("alt_text") or "").strip()
        if missing_alt and not cleaned_data.get("decorative") and "alt_text" not in self.errors:
            self.add_error(
                "alt_text",
                _("Bitte einen Alternativtext angeben oder das Bild als rein dekorativ markieren."),
            )
        return cleaned_data

    def metadata_warnings(self):
        """What the editor should know about the file's own texts: IPTC and XMP disagree, or IPTC's
        field is full to its last byte (and so perhaps cut short)."""
        metadata = self.instance.embedded_metadata if self.suggestions else {}
        warnings = [
            _(
                "Die Datei nennt zwei verschiedene Angaben für „%(label)s“: „%(xmp)s“ (XMP) und "
                "„%(iptc)s“ (IPTC). Übernommen wurde „%(xmp)s“; bitte prüfen."
            )
            % {"label": METADATA_LABELS.get(key, key), **values}
            for key, values in (metadata.get("conflicts") or {}).items()
        ]
        warnings += [
            _(
                "„%(label)s“ füllt in der Datei das IPTC-Feld bis zum letzten Zeichen aus und ist "
                "vielleicht abgeschnitten; bitte vollständig eintragen."
            )
            % {"label": METADATA_LABELS.get(key, key)}
            for key in metadata.get("possibly_cut") or []
        ]
        return warnings

    def _prefill(self, cleaned_data):
        for name in PREFILL_FIELDS:
            value = self.suggestions.get(name)
            if not value or name not in self.fields or name in self.errors or cleaned_data.get(name):
                continue
            if name == "license":
                value = License.objects.filter(name=value).first()
                if value is None:
                    continue
            max_length = getattr(self.fields[name], "max_length", None)
            if max_length and isinstance(value, str) and len(value) > max_length:
                value = value[: max_length - 1].rstrip() + "…"
            cleaned_data[name] = value
            self.prefilled.append(name)


class PersonForm(SharedObjectFormMixin, forms.ModelForm):
    """A person as quoted: renaming one that pages already quote may need another right
    (``SharedObjectFormMixin``)."""

    class Meta:
        model = Person
        fields = ["honorific", "name", "note"]
