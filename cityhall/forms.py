"""Admin forms for the image library."""

import os
import re
import unicodedata

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from cityhall.imaging import clean_image_upload
from cityhall.models import Image

ORIGINAL_FILENAME_MAX_LENGTH = Image._meta.get_field("original_filename").max_length

ACCEPT = "image/jpeg,image/png,image/webp"

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
    """Checks a new upload by its content (cityhall.imaging) and stores a fresh encode."""

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
            "license",
        ]
        # A plain file field: the content check is cityhall.imaging's job. Django's
        # ImageField would open anything Pillow knows (GIF, BMP, …) and answer with
        # its own, less precise message.
        field_classes = {"file": forms.FileField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "file" in self.fields:
            self.fields["file"].widget.attrs.setdefault("accept", ACCEPT)

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not isinstance(upload, UploadedFile):
            return upload  # the file already stored, unchanged
        cleaned = clean_image_upload(upload)
        self.instance.original_filename = clean_original_filename(upload.name)
        return cleaned

    def clean(self):
        cleaned_data = super().clean()
        missing_alt = not (cleaned_data.get("alt_text") or "").strip()
        if missing_alt and not cleaned_data.get("decorative") and "alt_text" not in self.errors:
            self.add_error(
                "alt_text",
                _("Bitte einen Alternativtext angeben oder das Bild als rein dekorativ markieren."),
            )
        return cleaned_data
