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

import datetime
import io
import re
import unicodedata
import uuid
import warnings
import zlib
from dataclasses import dataclass, field

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import ExifTags, Image, ImageCms, ImageOps, UnidentifiedImageError, features

AVIF_SUPPORTED = bool(features.check("avif"))
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", *(("AVIF",) if AVIF_SUPPORTED else ()))
# MPO is Pillow's name for a JPEG with extra pictures (stereo or previews); only the first is kept.
EXTENSIONS = {"JPEG": "jpg", "MPO": "jpg", "PNG": "png", "WEBP": "webp", "AVIF": "avif"}
CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp", "avif": "image/avif"}
FORMAT_NAMES = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "AVIF": "AVIF"}
ACCEPT = ",".join(CONTENT_TYPES[EXTENSIONS[fmt]] for fmt in ACCEPTED_FORMATS)

# Errors a decoder raises on broken input (the AVIF plugin raises RuntimeError); anything else is
# a bug and should be seen as one.
DECODER_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, KeyError, RuntimeError, zlib.error)

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


# --------------------------------------------------------------------------------------------------
# What the file says about itself: IPTC (IIM, in the JPEG's Photoshop APP13 segment), XMP, EXIF.

# IPTC IIM record 2 datasets
IPTC_OBJECT_NAME = 5
IPTC_DATE_CREATED = 55
IPTC_BYLINE = 80
IPTC_HEADLINE = 105
IPTC_CREDIT = 110
IPTC_COPYRIGHT = 116
IPTC_CAPTION = 120
PHOTOSHOP_IPTC_RESOURCE = 0x0404

NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "photoshop": "http://ns.adobe.com/photoshop/1.0/",
    "xmpRights": "http://ns.adobe.com/xap/1.0/rights/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "exif": "http://ns.adobe.com/exif/1.0/",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

# Descriptions cameras write by themselves, which say nothing about the picture.
_CAMERA_DEFAULTS = {"olympus digital camera", "sony dsc", "default", "dcim", "image", "sam_"}


def read_metadata(im):
    """What ``im`` (an opened, loaded Pillow image) says about itself, as plain JSON-able values:
    ``caption``, ``headline``, ``title``, ``credit``, ``copyright_notice``, ``photographer``,
    ``taken_on`` (ISO date), ``usage_terms``; only the keys that were found. IPTC wins over XMP,
    XMP over EXIF, as press agencies fill IPTC first."""
    found = {}
    for source in (_read_exif(im), _read_xmp(im), _read_iptc(im)):
        found.update({key: value for key, value in source.items() if value})
    return found


def _text(value):
    """A clean one-paragraph-per-line text: no control characters, no padding."""
    if isinstance(value, bytes):
        value = _decode(value)
    value = unicodedata.normalize("NFC", str(value or ""))
    value = "".join(ch for ch in value if ch in "\n\t" or unicodedata.category(ch)[0] != "C")
    return "\n".join(" ".join(line.split()) for line in value.strip().splitlines()).strip()


def _decode(raw, utf8=None):
    if utf8 is not False:
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            pass
    return raw.decode("cp1252", errors="replace")


def _parse_date(value):
    value = (value or "").strip()
    for pattern, length in (("%Y%m%d", 8), ("%Y:%m:%d", 10), ("%Y-%m-%d", 10)):
        try:
            return datetime.datetime.strptime(value[:length], pattern).date().isoformat()
        except ValueError:
            continue
    return None


def iptc_records(data):
    """IPTC IIM datasets in ``data`` as {(record, dataset): [bytes, …]}; stops at anything odd."""
    records = {}
    pos = 0
    while pos + 5 <= len(data):
        if data[pos] != 0x1C:
            break
        record, dataset = data[pos + 1], data[pos + 2]
        size = int.from_bytes(data[pos + 3 : pos + 5], "big")
        pos += 5
        if size & 0x8000:  # extended length: the next n bytes hold the size
            count = size & 0x7FFF
            if count > 4:
                break
            size = int.from_bytes(data[pos : pos + count], "big")
            pos += count
        records.setdefault((record, dataset), []).append(data[pos : pos + size])
        pos += size
    return records


def _read_iptc(im):
    photoshop = im.info.get("photoshop")
    data = photoshop.get(PHOTOSHOP_IPTC_RESOURCE) if isinstance(photoshop, dict) else None
    if not data:
        return {}
    records = iptc_records(data)
    # Dataset 1:90 names the character set; ESC % G is UTF-8. Without it, UTF-8 is tried first.
    utf8 = True if records.get((1, 90), [b""])[0] == b"\x1b%G" else None

    def get(dataset, joiner=None):
        values = [_text(_decode(raw, utf8)) for raw in records.get((2, dataset), [])]
        values = [value for value in values if value]
        if not values:
            return ""
        return joiner.join(values) if joiner else values[0]

    date = get(IPTC_DATE_CREATED)
    return {
        "caption": get(IPTC_CAPTION),
        "headline": get(IPTC_HEADLINE),
        "title": get(IPTC_OBJECT_NAME),
        "credit": get(IPTC_CREDIT),
        "copyright_notice": get(IPTC_COPYRIGHT),
        "photographer": get(IPTC_BYLINE, ", "),
        "taken_on": _parse_date(date) if date else None,
    }


def _raw_xmp(im):
    for key in ("xmp", "XML:com.adobe.xmp"):
        value = im.info.get(key)
        if value:
            return value.encode("utf-8") if isinstance(value, str) else value
    return b""


def _read_xmp(im):
    raw = _raw_xmp(im)
    if not raw:
        return {}
    try:
        root = SafeET.fromstring(raw.strip(b"\x00 \t\r\n"))
    except (SafeET.ParseError, DefusedXmlException, ValueError):
        return {}
    descriptions = root.iter(f"{{{NS['rdf']}}}Description")
    props = {}
    for description in descriptions:
        for key, value in description.attrib.items():
            props.setdefault(key, value)
        for child in description:
            props.setdefault(child.tag, _xmp_value(child))

    def get(prefix, name):
        return _text(props.get(f"{{{NS[prefix]}}}{name}", ""))

    taken = get("photoshop", "DateCreated") or get("exif", "DateTimeOriginal") or get("xmp", "CreateDate")
    return {
        "caption": get("dc", "description"),
        "headline": get("photoshop", "Headline"),
        "title": get("dc", "title"),
        "credit": get("photoshop", "Credit"),
        "copyright_notice": get("dc", "rights"),
        "photographer": get("dc", "creator"),
        "usage_terms": get("xmpRights", "UsageTerms"),
        "taken_on": _parse_date(taken),
    }


def _xmp_value(element):
    """The text of an XMP property: plain, the x-default of an rdf:Alt, or an rdf:Seq/Bag joined."""
    container = next(iter(element), None)
    if container is None:
        return element.text or element.get(f"{{{NS['rdf']}}}resource", "")
    items = container.findall(f"{{{NS['rdf']}}}li")
    if container.tag == f"{{{NS['rdf']}}}Alt":
        for item in items:
            if item.get(XML_LANG) == "x-default":
                return item.text or ""
        return items[0].text or "" if items else ""
    return ", ".join(item.text.strip() for item in items if item.text and item.text.strip())


def _read_exif(im):
    try:
        exif = im.getexif()
        taken = exif.get_ifd(ExifTags.IFD.Exif).get(ExifTags.Base.DateTimeOriginal) or exif.get(
            ExifTags.Base.DateTime
        )
    except DECODER_ERRORS:
        return {}
    description = _text(exif.get(ExifTags.Base.ImageDescription, ""))
    if description.casefold() in _CAMERA_DEFAULTS:
        description = ""
    return {
        "caption": description,
        "copyright_notice": _text(exif.get(ExifTags.Base.Copyright, "")),
        "photographer": _text(exif.get(ExifTags.Base.Artist, "")),
        "taken_on": _parse_date(_text(taken)) if taken else None,
    }


_COPYRIGHT_PREFIX = re.compile(
    r"^\s*(?:©|\(c\)|copyright|foto:|bild:)\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?)?[\s,:]*", re.I
)


def copyright_holder_from_notice(notice):
    """ "© 2021 Landeshauptstadt Düsseldorf" → "Landeshauptstadt Düsseldorf" """
    holder = notice
    while True:
        shorter = _COPYRIGHT_PREFIX.sub("", holder, count=1)
        if shorter == holder:
            return holder.strip()
        holder = shorter


def suggested_fields(metadata):
    """Values for the library Image's fields, from ``read_metadata()``'s result."""
    suggestions = {
        "caption": metadata.get("caption", ""),
        "title": metadata.get("headline") or metadata.get("title", ""),
        "photographer": metadata.get("photographer", ""),
        "usage_terms": metadata.get("usage_terms", ""),
        "copyright_holder": copyright_holder_from_notice(metadata.get("copyright_notice", "")),
    }
    credit = metadata.get("credit", "")
    if not credit and metadata.get("photographer"):
        credit = _("Foto: %(name)s") % {"name": metadata["photographer"]}
    suggestions["credit"] = credit or metadata.get("copyright_notice", "")
    if metadata.get("taken_on"):
        suggestions["taken_on"] = datetime.date.fromisoformat(metadata["taken_on"])
    return {key: value for key, value in suggestions.items() if value}
