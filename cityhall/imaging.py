"""Image uploads are checked by their content and re-encoded before they are stored.

Only JPEG, PNG and WebP are accepted, whatever the file name or Content-Type says. The
size in pixels is read from the header and checked before any pixel is decoded, so a
decompression bomb is refused cheaply. The stored file is a fresh encode: no EXIF (GPS),
no XMP, no comments, orientation applied.
"""

import io
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


def _limit(name):
    return getattr(settings, name)


def clean_image_upload(uploaded):
    """Validate ``uploaded`` (a file-like object) and return a re-encoded ``ContentFile``
    with a generated name. Raises ``ValidationError`` with a German message."""
    size = getattr(uploaded, "size", None)
    max_bytes = _limit("CITYHALL_IMAGE_MAX_BYTES")
    if size is not None and size > max_bytes:
        raise ValidationError(
            _("Datei ist größer als %(mb)d MB.") % {"mb": max_bytes // (1024 * 1024)},
            code="file_too_large",
        )
    uploaded.seek(0)
    try:
        with Image.open(uploaded, formats=ACCEPTED_FORMATS) as probe:
            fmt = probe.format
            width, height = probe.size
            frames = getattr(probe, "n_frames", 1)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationError(
            _("Datei ist kein Bild im Format JPEG, PNG oder WebP."), code="invalid_format"
        ) from exc
    max_side = _limit("CITYHALL_IMAGE_MAX_SIDE")
    if width < 1 or height < 1 or width > max_side or height > max_side:
        raise ValidationError(
            _("Bild ist breiter oder höher als %(px)s Pixel.") % {"px": f"{max_side:,}".replace(",", ".")},
            code="too_wide",
        )
    max_pixels = _limit("CITYHALL_IMAGE_MAX_PIXELS")
    if width * height * frames > max_pixels:
        raise ValidationError(
            _("Bild größer als %(mp)s Megapixel.") % {"mp": f"{max_pixels / 1_000_000:g}".replace(".", ",")},
            code="too_many_pixels",
        )

    uploaded.seek(0)
    try:
        with Image.open(uploaded, formats=ACCEPTED_FORMATS) as im:
            im.load()
            im = ImageOps.exif_transpose(im)
            out = io.BytesIO()
            if fmt == "JPEG":
                if im.mode not in ("RGB", "L"):
                    im = im.convert("RGB")
                im.save(out, "JPEG", quality=88, optimize=True, progressive=True, comment=b"")
            elif fmt == "PNG":
                if im.mode not in ("RGB", "RGBA", "L", "LA", "P"):
                    im = im.convert("RGBA")
                im.save(out, "PNG", optimize=True)
            else:
                if im.mode not in ("RGB", "RGBA"):
                    im = im.convert("RGBA" if "A" in im.getbands() else "RGB")
                im.save(out, "WEBP", quality=85)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ValidationError(_("Bilddatei ist beschädigt oder unvollständig."), code="truncated") from exc
    name = f"{uuid.uuid4().hex}.{EXTENSIONS[fmt]}"
    return ContentFile(out.getvalue(), name=name)
