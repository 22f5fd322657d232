"""Making and storing renditions: the pixels of a size, crop and format of a library image, encoded
without metadata and stored once as a ``Rendition`` row with its file.

What a rendition is (its sizes, crops, formats and address) is computed from the image row alone in
``cityhall.library.renditions``, which knows no model; this module builds on it and on the models,
and only the image server (``cityhall.library.image_views``) calls it.
"""

import io
import uuid

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from PIL import Image as PILImage

from cityhall.library.models import Rendition
from cityhall.library.renditions import EXTENSIONS, geometry, version


def get_or_make(image, spec, fmt, *, missing=False):
    """The stored rendition of ``image`` (``spec``, ``fmt``), made now if it is missing or stale.
    Callers check ``geometry(image, spec)`` and ``formats_for(image, spec)`` first.

    The row is trusted to name a stored file: no storage is asked whether it exists (on object
    storage that is a round trip per image). A caller that found the file gone (``FileNotFoundError``
    on opening it) asks again with ``missing=True``, and it is made anew."""
    current = version(image)
    rendition = Rendition.objects.filter(image=image, spec=spec, format=fmt).first()
    if rendition is not None and rendition.version == current and not missing:
        return rendition
    content, (width, height) = render(image, spec, fmt)
    old_name = rendition.file.name if rendition is not None else ""
    if rendition is None:
        rendition = Rendition(image=image, spec=spec, format=fmt)
    rendition.version, rendition.width, rendition.height = current, width, height
    rendition.file.save(f"{uuid.uuid4().hex}.{EXTENSIONS[fmt]}", ContentFile(content), save=False)
    storage, new_name = rendition.file.storage, rendition.file.name
    try:
        with transaction.atomic():
            rendition.save()
    except IntegrityError:
        # Made at the same moment by another request: keep theirs.
        storage.delete(new_name)
        return Rendition.objects.get(image=image, spec=spec, format=fmt)
    if old_name and old_name != new_name:
        transaction.on_commit(lambda: storage.delete(old_name))
    return rendition


def render(image, spec, fmt):
    """The encoded bytes of a rendition and its (width, height); pixels only, no metadata."""
    box, width, height = geometry(image, spec)
    with image.file.open("rb") as handle, PILImage.open(handle) as source:
        if box is None:
            box = (0, 0, source.width, source.height)
        # JPEG can decode at 1/2, 1/4, 1/8 scale: much faster for large originals.
        scale = min((box[2] - box[0]) / width, (box[3] - box[1]) / height)
        if source.format == "JPEG" and scale >= 2:
            source.draft("RGB", (round(source.width / scale), round(source.height / scale)))
            ratio = source.width / image.width
            box = tuple(round(edge * ratio) for edge in box)
        picture = source.resize((width, height), PILImage.Resampling.LANCZOS, box=box, reducing_gap=3.0)
    picture.info = {}
    out = io.BytesIO()
    if fmt == "jpeg":
        _opaque(picture).save(out, "JPEG", quality=82, optimize=True, progressive=True, comment=b"")
    elif fmt == "png":
        picture.save(out, "PNG")
    elif fmt == "webp":
        _rgb_or_rgba(picture).save(out, "WEBP", quality=80, method=4)
    else:
        _rgb_or_rgba(picture).save(out, "AVIF", quality=60, speed=6)
    return out.getvalue(), (width, height)


def _rgb_or_rgba(im):
    if im.mode in ("RGB", "RGBA"):
        return im
    return im.convert("RGBA" if "A" in im.getbands() else "RGB")


def _opaque(im):
    if "A" not in im.getbands():
        return im.convert("RGB") if im.mode not in ("RGB", "L") else im
    rgba = im.convert("RGBA")
    base = PILImage.new("RGB", rgba.size, (255, 255, 255))
    base.paste(rgba, mask=rgba.getchannel("A"))
    return base
