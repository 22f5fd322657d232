"""What an image file says about itself: IPTC (IIM, in the JPEG's Photoshop APP13 segment), XMP, EXIF.

Read before the upload is re-encoded without any metadata (``cityhall.library.imaging``), so the admin can
offer caption, credit, copyright holder, photographer, date taken and usage terms to the editor.

Where the file says the same thing twice, XMP wins over IPTC, IPTC over EXIF: IPTC IIM cuts its fields to
fixed byte lengths (Credit and By-line to 32 bytes, so "Landeshauptstadt Düsseldorf/Melanie Zanin" becomes
"…/Mel"), XMP keeps the whole text. Where XMP and IPTC really disagree (one is not merely the other cut
short), both values are kept under ``conflicts`` so the editor is told; an IPTC value that fills its field to
the last byte with no XMP beside it is named under ``possibly_cut``.
"""

import datetime
import re
import unicodedata
import zlib

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET
from django.utils.translation import gettext as _
from PIL import ExifTags

# Errors a decoder raises on broken input (the AVIF plugin raises RuntimeError); anything else is
# a bug and should be seen as one.
DECODER_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, KeyError, RuntimeError, zlib.error)


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


# IIM's byte limits of the datasets read here (IPTC Photo Metadata Standard).
IPTC_LIMITS = {"title": 64, "photographer": 32, "headline": 256, "credit": 32, "copyright_notice": 128}


def read_metadata(im):
    """What ``im`` (an opened, loaded Pillow image) says about itself, as plain JSON-able values:
    ``caption``, ``headline``, ``title``, ``credit``, ``copyright_notice``, ``photographer``,
    ``taken_on`` (ISO date), ``usage_terms``; only the keys that were found. XMP wins over IPTC,
    IPTC over EXIF. ``conflicts`` ({key: {"xmp": …, "iptc": …}}) and ``possibly_cut`` ([key, …])
    are there only when something needs the editor's eye."""
    exif, iptc, xmp = _read_exif(im), _read_iptc(im), _read_xmp(im)
    found = {}
    for source in (exif, iptc, xmp):
        found.update({key: value for key, value in source.items() if value})
    conflicts = {
        key: {"xmp": xmp[key], "iptc": iptc[key]}
        for key in sorted(set(iptc) & set(xmp))
        if iptc[key] and xmp[key] and not _same_or_cut(xmp[key], iptc[key])
    }
    if conflicts:
        found["conflicts"] = conflicts
    cut = [
        key
        for key, limit in IPTC_LIMITS.items()
        # Full to the last byte, or to within a character of UTF-8 (a writer cuts at a character).
        if iptc.get(key) and not xmp.get(key) and limit - 3 <= len(iptc[key].encode("utf-8")) <= limit
    ]
    if cut:
        found["possibly_cut"] = cut
    return found


def _same_or_cut(whole, part):
    """``part`` is ``whole``, or ``whole`` cut at IIM's byte limit (spacing and case aside)."""
    whole, part = " ".join(whole.split()).casefold(), " ".join(part.split()).casefold()
    return whole.startswith(part)


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
    suggestions["license"] = licence_from_terms(
        metadata.get("usage_terms", ""), metadata.get("copyright_notice", "")
    )
    return {key: value for key, value in suggestions.items() if value}


# Usage terms that name a licence, and the managed licence they name (cityhall.library.models.MANAGED_LICENCES).
_LICENCE_PATTERNS = [
    (re.compile(r"\bCC0\b|publicdomain/zero", re.I), "CC0 1.0"),
    (re.compile(r"\bCC[ -]BY[ -]SA\b|licenses/by-sa/", re.I), "CC BY-SA 4.0"),
    (re.compile(r"\bCC[ -]BY\b(?![ -](?:SA|NC|ND))|licenses/by/", re.I), "CC BY 4.0"),
    (
        re.compile(
            r"honorarfrei|royalty[ -]free|frei zur (?:redaktionellen )?(?:Berichterstattung|Verwendung)", re.I
        ),
        "Pressefoto: honorarfrei zur Berichterstattung",
    ),
    (re.compile(r"alle rechte vorbehalten|all rights reserved", re.I), "Alle Rechte vorbehalten"),
]


def licence_from_terms(*texts):
    """The name of the managed licence that ``texts`` (usage terms, copyright notice) say applies, or "".
    "Honorarfrei zur Berichterstattung …" → "Pressefoto: honorarfrei zur Berichterstattung"."""
    for text in texts:
        for pattern, name in _LICENCE_PATTERNS:
            if text and pattern.search(text):
                return name
    return ""
