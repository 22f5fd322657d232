"""Image uploads are checked by their content and re-encoded before they are stored.

Only JPEG, PNG, WebP (and AVIF where this Pillow can read and write it) are accepted, whatever
the file name or Content-Type says: ``Image.open(..., formats=ACCEPTED_FORMATS)`` never lets
another decoder (SVG, TIFF, PSD, PDF, GIF, …) look at the bytes. Limits come from the settings
(``CITYHALL_IMAGE_MAX_BYTES``/``_MAX_PIXELS``/``_MAX_SIDE``) and are checked from the header,
frames counted, before any pixel is decoded, so a decompression bomb is refused cheaply; a file
that ends too early is refused when it is decoded. A file that carries HTML or script next to
the picture (a polyglot) is refused too.

What the file says about itself (IPTC, XMP, EXIF: caption, credit, copyright notice,
photographer, date taken, usage terms) is read first, so the form can offer it to the editor.
Then the stored file is a fresh encode of the pixels only: orientation applied, colours
converted to sRGB, and no metadata at all (no EXIF with GPS or maker notes, no XMP, no IPTC, no
JPEG comment, no ICC profile: after the conversion to sRGB a profile would only repeat the
default and can carry vendor text).
"""

import io
import re
import uuid
import warnings
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError, features

# What the file says about itself is read by its own module; re-exported for the callers of this one.
from cityhall.library.photo_metadata import (  # noqa: F401
    DECODER_ERRORS,
    copyright_holder_from_notice,
    iptc_records,
    read_metadata,
    suggested_fields,
)

AVIF_SUPPORTED = bool(features.check("avif"))
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", *(("AVIF",) if AVIF_SUPPORTED else ()))
# MPO is Pillow's name for a JPEG with extra pictures (stereo or previews); only the first is kept.
EXTENSIONS = {"JPEG": "jpg", "MPO": "jpg", "PNG": "png", "WEBP": "webp", "AVIF": "avif"}
CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp", "avif": "image/avif"}
FORMAT_NAMES = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "AVIF": "AVIF"}
ACCEPT = ",".join(CONTENT_TYPES[EXTENSIONS[fmt]] for fmt in ACCEPTED_FORMATS)

# Markup that makes a file an HTML/script polyglot. The tokens are long enough (at least 6 fixed
# characters) that compressed picture data matches one by chance in fewer than 1 in 10,000 files
# of 25 MB, where ``<a `` or ``<svg`` would hit far too often.
_MARKUP = re.compile(
    rb"<script|<iframe|<!doctype|<(?:html|body|head|object|embed)[\s>/]|<\?php\s|javascript:"
    rb"|\bon(?:error|load|click|mouseover)\s*=",
    re.IGNORECASE,
)

SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))


def format_list():
    """ "JPEG, PNG, WebP oder AVIF" """
    names = [FORMAT_NAMES[fmt] for fmt in ACCEPTED_FORMATS]
    return ", ".join(names[:-1]) + " " + _("oder") + " " + names[-1]


def not_an_image_message():
    return _("Datei ist kein Bild im Format %(formats)s.") % {"formats": format_list()}


def _german_number(value):
    return f"{value:,}".replace(",", ".")


def _megapixels(pixels):
    return f"{pixels / 1_000_000:g}".replace(".", ",")


@dataclass
class CleanedImage:
    """A checked, re-encoded upload: the file to store and what the original said about itself."""

    file: ContentFile
    format: str  # JPEG, PNG, WEBP or AVIF
    width: int
    height: int
    metadata: dict = field(default_factory=dict)  # see read_metadata()


def clean_image_upload(uploaded):
    """Validate ``uploaded`` (a file-like object) and return a re-encoded ``ContentFile``
    with a generated name. Raises ``ValidationError`` with a German message."""
    return process_upload(uploaded).file


def process_upload(uploaded):
    """Check ``uploaded`` and return a ``CleanedImage``; raises ``ValidationError`` (German)."""
    _check_byte_size(getattr(uploaded, "size", None))
    uploaded.seek(0)
    raw = uploaded.read()
    _check_byte_size(len(raw))  # for file-like objects that do not know their size
    fmt = _check_header(raw)
    if _MARKUP.search(raw):
        raise ValidationError(
            _("Datei enthält neben dem Bild HTML- oder Skriptcode und wird deshalb nicht angenommen."),
            code="polyglot",
        )
    try:
        with warnings.catch_warnings():
            # The limits above are ours; Pillow's own bomb warning would only repeat them.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(raw), formats=ACCEPTED_FORMATS) as im:
                im.load()
                metadata = read_metadata(im)
                im = _pixels_only(im)
    except (*DECODER_ERRORS, Image.DecompressionBombError) as exc:
        raise ValidationError(_("Bilddatei ist beschädigt oder unvollständig."), code="truncated") from exc
    out = io.BytesIO()
    _encode(im, fmt, out)
    extension = EXTENSIONS[fmt]
    return CleanedImage(
        file=ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.{extension}"),
        format="JPEG" if fmt == "MPO" else fmt,
        width=im.width,
        height=im.height,
        metadata=metadata,
    )


def _check_byte_size(size):
    max_bytes = settings.CITYHALL_IMAGE_MAX_BYTES
    if size is not None and size > max_bytes:
        raise ValidationError(
            _("Datei ist größer als %(mb)d MB.") % {"mb": max_bytes // (1024 * 1024)},
            code="file_too_large",
        )


def _check_header(raw):
    """Format, size and frame count from the header only; returns the format."""
    max_pixels = settings.CITYHALL_IMAGE_MAX_PIXELS
    too_many_pixels = ValidationError(
        _("Bild größer als %(mp)s Megapixel.") % {"mp": _megapixels(max_pixels)}, code="too_many_pixels"
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(raw), formats=ACCEPTED_FORMATS) as probe:
                fmt = probe.format
                width, height = probe.size
                frames = getattr(probe, "n_frames", 1)
    except Image.DecompressionBombError as exc:
        # Pillow's own limit (far above ours) was hit while reading the header.
        raise too_many_pixels from exc
    except (UnidentifiedImageError, *DECODER_ERRORS) as exc:
        raise ValidationError(not_an_image_message(), code="invalid_format") from exc
    max_side = settings.CITYHALL_IMAGE_MAX_SIDE
    if width < 1 or height < 1 or width > max_side or height > max_side:
        raise ValidationError(
            _("Bild ist breiter oder höher als %(px)s Pixel.") % {"px": _german_number(max_side)},
            code="too_wide",
        )
    if width * height * max(frames, 1) > max_pixels:
        raise too_many_pixels
    return fmt


def _pixels_only(im):
    """The first frame, upright, in sRGB, in a mode the encoders take, with an empty ``info``."""
    if getattr(im, "n_frames", 1) > 1:
        im.seek(0)
    icc = im.info.get("icc_profile")
    has_alpha = im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info)
    im = ImageOps.exif_transpose(im)
    if im.mode in ("I;16", "I;16B", "I;16L", "I"):
        im = im.convert("I").point(lambda value: value / 256).convert("L")
    elif im.mode == "1":
        im = im.convert("L")
    elif im.mode not in ("RGB", "RGBA", "L", "LA", "CMYK"):
        im = im.convert("RGBA" if has_alpha else "RGB")
    if icc:
        im = _to_srgb(im, icc)
    if im.mode == "CMYK":
        im = im.convert("RGB")
    clean = im.copy() if im.info else im
    clean.info = {}
    return clean


def _to_srgb(im, icc):
    try:
        profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        if "srgb" in (ImageCms.getProfileDescription(profile) or "").casefold():
            return im
        output_mode = "RGBA" if im.mode in ("RGBA", "LA") else "RGB"
        if im.mode == "LA":
            im = im.convert("RGBA")
        return ImageCms.profileToProfile(im, profile, SRGB, outputMode=output_mode)
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        # A broken or unusable profile: the pixels are taken as they are (as sRGB).
        return im


def _encode(im, fmt, out):
    """Save ``im`` (already without ``info``) as ``fmt``; nothing but pixels is written."""
    if fmt in ("JPEG", "MPO"):
        if im.mode not in ("RGB", "L"):
            im = _flatten(im)
        im.save(out, "JPEG", quality=90, optimize=True, progressive=True, comment=b"")
    elif fmt == "PNG":
        im.save(out, "PNG")
    elif fmt == "WEBP":
        if im.mode not in ("RGB", "RGBA"):
            im = im.convert("RGBA" if "A" in im.getbands() else "RGB")
        im.save(out, "WEBP", quality=90, method=4)
    else:
        if im.mode not in ("RGB", "RGBA"):
            im = im.convert("RGBA" if "A" in im.getbands() else "RGB")
        im.save(out, "AVIF", quality=85)


def _flatten(im, background=(255, 255, 255)):
    """Transparent pixels on white, for formats without alpha."""
    if "A" not in im.getbands():
        return im.convert("RGB")
    rgba = im.convert("RGBA")
    base = Image.new("RGB", rgba.size, background)
    base.paste(rgba, mask=rgba.getchannel("A"))
    return base
