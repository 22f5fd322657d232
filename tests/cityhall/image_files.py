"""Image files made for the tests: hostile ones (bombs, polyglots, truncated, disguised) and
photos carrying metadata (EXIF with GPS, XMP, IPTC, a JPEG comment, an ICC profile)."""

import io
import os
import struct
import zlib

from PIL import ExifTags, ImageCms
from PIL import Image as PILImage

SECRET_COMMENT = b"Geheimer Kommentar aus der Kamera"
CAMERA = "Testkamera GPS-Modell"
XMP_MARKER = "Nur-im-XMP-Marker"


def jpeg(size=(64, 48), color=(10, 120, 200), **save_kwargs):
    buf = io.BytesIO()
    PILImage.new("RGB", size, color).save(buf, "JPEG", **save_kwargs)
    return buf.getvalue()


def noise_jpeg(size=(400, 300)):
    """A JPEG whose scan data is long (noise does not compress), to cut it in the middle."""
    buf = io.BytesIO()
    PILImage.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)).save(buf, "JPEG", quality=90)
    return buf.getvalue()


def png(size=(64, 48), mode="RGB", color=(10, 120, 200)):
    buf = io.BytesIO()
    PILImage.new(mode, size, color if mode != "L" else 128).save(buf, "PNG")
    return buf.getvalue()


def svg_with_script():
    return (
        b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">'
        b'<rect width="100" height="100" fill="red"/><script>alert(document.cookie)</script></svg>\n'
    )


def _png_chunk(kind, data):
    return (
        struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def png_html_polyglot():
    """A valid PNG that a browser sniffing the bytes would also render as HTML: the markup sits in
    a tEXt chunk before the pixels."""
    data = png()
    html = b"<html><body><script>alert(document.domain)</script></body></html>"
    chunk = _png_chunk(b"tEXt", b"Comment\x00" + html)
    return data[:33] + chunk + data[33:]  # after the signature (8) and IHDR (25)


def png_with_html_after_end():
    return png() + b"<!DOCTYPE html><html><script>alert(1)</script></html>"


def decompression_bomb(side=20_000):
    """A real PNG bomb: ``side`` × ``side`` 1-bit pixels of zero, a few kilobytes compressed
    (50 MB of raw rows for 20,000 px), far beyond any pixel limit."""
    row = b"\x00" + b"\x00" * ((side + 7) // 8)
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    ihdr = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", idat)
        + _png_chunk(b"IEND", b"")
    )


def strip_image(size=(1, 100_000)):
    return png(size=size, mode="L")


def truncated_jpeg():
    data = noise_jpeg()
    return data[: len(data) * 6 // 10]


def tiff():
    buf = io.BytesIO()
    PILImage.new("RGB", (64, 48), (200, 10, 10)).save(buf, "TIFF")
    return buf.getvalue()


def animated_png(size, frames):
    buf = io.BytesIO()
    images = [PILImage.new("RGB", size, (20 * n, 0, 0)) for n in range(frames)]
    images[0].save(buf, "PNG", save_all=True, append_images=images[1:])
    return buf.getvalue()


def xmp_packet(**props):
    """An XMP packet; ``props`` as {"dc:creator": "…", "photoshop:Credit": "…", …}."""
    elements = []
    for name, value in props.items():
        if name in ("dc:description", "dc:rights", "dc:title", "xmpRights:UsageTerms"):
            value = f'<rdf:Alt><rdf:li xml:lang="x-default">{value}</rdf:li></rdf:Alt>'
        elif name == "dc:creator":
            value = f"<rdf:Seq><rdf:li>{value}</rdf:li></rdf:Seq>"
        elements.append(f"<{name}>{value}</{name}>")
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        '<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" '
        'xmlns:xmpRights="http://ns.adobe.com/xap/1.0/rights/">'
        + "".join(elements)
        + "</rdf:Description></rdf:RDF></x:xmpmeta>"
        '<?xpacket end="w"?>'
    ).encode()


def jpeg_with_everything(size=(64, 48), orientation=None):
    """A JPEG carrying EXIF (camera, GPS position, artist), XMP, an ICC profile and a comment."""
    exif = PILImage.Exif()
    exif[ExifTags.Base.Make] = CAMERA
    exif[ExifTags.Base.Artist] = "Exif Artist"
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (51.0, 13.0, 30.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (6.0, 46.0, 0.0)
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    return jpeg(
        size=size,
        exif=exif,
        xmp=xmp_packet(**{"photoshop:Headline": XMP_MARKER}),
        comment=SECRET_COMMENT,
        icc_profile=icc,
    )


def iptc_dataset(record, dataset, value):
    data = value.encode("utf-8") if isinstance(value, str) else value
    return bytes([0x1C, record, dataset]) + struct.pack(">H", len(data)) + data


def photoshop_iptc_segment(datasets):
    """The JPEG APP13 segment with an IPTC-NAA resource (8BIM 0x0404), as photo software writes
    it. ``datasets``: [(dataset number in record 2, text), …]; the character set is UTF-8."""
    iptc = iptc_dataset(1, 90, b"\x1b%G") + b"".join(iptc_dataset(2, n, value) for n, value in datasets)
    resource = b"8BIM" + struct.pack(">H", 0x0404) + b"\x00\x00" + struct.pack(">I", len(iptc)) + iptc
    if len(iptc) % 2:
        resource += b"\x00"
    payload = b"Photoshop 3.0\x00" + resource
    return b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload


def jpeg_with_iptc(datasets, size=(64, 48)):
    data = jpeg(size=size)
    return data[:2] + photoshop_iptc_segment(datasets) + data[2:]  # right after SOI


def jpeg_with_xmp(size=(64, 48), **props):
    return jpeg(size=size, xmp=xmp_packet(**props))


def odd_rgb_profile():
    """A valid RGB ICC profile that is not sRGB: lcms's sRGB with red and blue primaries swapped
    and another name, so that converting to sRGB visibly changes the pixels."""
    data = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    count = struct.unpack(">I", data[128:132])[0]
    entries = {}
    for n in range(count):
        start = 132 + 12 * n
        entries[bytes(data[start : start + 4])] = start
    red, blue = entries[b"rXYZ"], entries[b"bXYZ"]
    data[red + 4 : red + 12], data[blue + 4 : blue + 12] = (
        data[blue + 4 : blue + 12],
        data[red + 4 : red + 12],
    )
    return (
        bytes(data).replace(b"sRGB", b"oRGB").replace("sRGB".encode("utf-16-be"), "oRGB".encode("utf-16-be"))
    )


# A press photo as agencies and the city's own photographers deliver it: IPTC IIM cut to its limits
# (Credit holds at most 32 bytes), XMP with the whole texts, EXIF with the camera's artist.
PRESS_CREDIT = "Landeshauptstadt Düsseldorf/Melanie Zanin"
PRESS_CAPTION = "Oberbürgermeister Dr. Stephan Keller eröffnet das Jugendzentrum"
PRESS_USAGE = "Honorarfrei zur Berichterstattung über die Landeshauptstadt Düsseldorf, Bildnachweis nennen"


def iptc_cut(text, limit):
    """``text`` cut to ``limit`` bytes of UTF-8 the way IIM writers do (at a character boundary)."""
    return text.encode("utf-8")[:limit].decode("utf-8", errors="ignore")


def press_photo(size=(320, 240), credit=PRESS_CREDIT, xmp_credit=None, usage_terms=PRESS_USAGE):
    """A JPEG with EXIF (artist), XMP (photoshop:Credit, usage terms, caption) and IPTC (the credit cut
    to IIM's 32 bytes). ``xmp_credit`` defaults to the whole ``credit``."""
    exif = PILImage.Exif()
    exif[ExifTags.Base.Artist] = "Melanie Zanin"
    exif[ExifTags.Base.Make] = CAMERA
    xmp = xmp_packet(
        **{
            "photoshop:Credit": credit if xmp_credit is None else xmp_credit,
            "dc:description": PRESS_CAPTION,
            "dc:creator": "Melanie Zanin",
            "xmpRights:UsageTerms": usage_terms,
        }
    )
    data = jpeg(size=size, exif=exif, xmp=xmp)
    iptc = photoshop_iptc_segment([(110, iptc_cut(credit, 32)), (120, PRESS_CAPTION), (80, "Melanie Zanin")])
    return data[:2] + iptc + data[2:]
