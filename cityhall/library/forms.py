"""Admin forms for the image library."""

import os
import re
import unicodedata

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from cityhall.library.imaging import ACCEPT, process_upload, suggested_fields
from cityhall.library.models import Image

ORIGINAL_FILENAME_MAX_LENGTH = Image._meta.get_field("original_filename").max_length

# Fields an upload may fill from what the file says about itself (IPTC, XMP, EXIF), when empty.
PREFILL_FIELDS = ("caption", "credit", "copyright_holder", "photographer", "taken_on", "usage_terms", "title")

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


class ImageForm(forms.ModelForm):
    """Checks a new upload by its content (cityhall.library.imaging) and stores a fresh encode.

    Fields the editor left empty are filled from what the uploaded file says about itself
    (IPTC, XMP, EXIF: caption, credit, copyright holder, photographer, date taken, usage terms,
    headline as title); ``prefilled`` names them, so the admin can ask the editor to check them.
    What the editor typed is never replaced."""

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
        }
        # A plain file field: the content check is cityhall.library.imaging's job. Django's
        # ImageField would open anything Pillow knows (GIF, BMP, …) and answer with
        # its own, less precise message.
        field_classes = {"file": forms.FileField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.suggestions = {}
        self.prefilled = []
        for name in ("focal_x", "focal_y"):
            if name in self.fields:
                self.fields[name].required = False
        if "file" in self.fields:
            self.fields["file"].widget.attrs.setdefault("accept", ACCEPT)

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
        self.instance.original_filename = clean_original_filename(upload.name)
        self.instance.embedded_metadata = cleaned.metadata
        self.suggestions = suggested_fields(cleaned.metadata)
        return cleaned.file

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

    def _prefill(self, cleaned_data):
        for name in PREFILL_FIELDS:
            value = self.suggestions.get(name)
            if not value or name not in self.fields or name in self.errors or cleaned_data.get(name):
                continue
            max_length = getattr(self.fields[name], "max_length", None)
            if max_length and len(value) > max_length:
                value = value[: max_length - 1].rstrip() + "…"
            cleaned_data[name] = value
            self.prefilled.append(name)
