"""Renditions: the sizes, crops and formats of library images that the templates use, and their
addresses: pure geometry and URLs, computed from the image row alone (no model, no query, no file).

Each rendition is made once, from the stored (already clean) original, on its first request,
and then stored as a ``Rendition`` row with its file (``cityhall.library.rendition_store``, which
builds on this module and on the models); a page never makes one and never asks for one (its
width, height and address follow from the image row alone, so a page with 40 images costs no
query more than one with none). A rendition has a generated file name, no metadata (the pixels
are re-encoded with an empty ``info``: no EXIF, XMP, ICC, comment) and is served by
``cityhall.library.image_views.rendition`` with the Content-Type of its format, and only for
images shown publicly (the rule the project hands to the image server, see ``cityhall/urls.py``),
to editors, or with a grant.

Plain Pillow rather than django-imagekit: the crops follow the editor's focal point, AVIF is
made where this Pillow can, and files are served through a view that checks publication and
image rights. imagekit would put its files under public ``/media/`` names derived from the
source (reachable for drafts and expired images) and checks storage on every page render.

Kinds (``spec`` in the address):
- ``w<N>``: the whole picture, N pixels wide (N from ``WIDTHS``, plus the original width when it
  is narrower than the largest), for figures on pages, with ``srcset``;
- ``t<N>``: a 16:9 crop around the focal point, N wide (``TEASER_WIDTHS``), for teasers;
- ``social``: a 16:9 crop, 1200 × 675 (smaller only when the original is), JPEG, for OpenGraph.
Formats: AVIF (where supported) and WebP in ``<source>``, JPEG as the fallback (PNG for PNG
originals, which may be transparent).
"""

import hashlib

from django.conf import settings
from django.core import signing
from django.urls import get_script_prefix, get_urlconf, reverse

from cityhall.library.imaging import AVIF_SUPPORTED

# Bump when the way renditions are made changes, so that browsers and caches fetch new ones.
ALGORITHM = "1"

WIDTHS = (240, 480, 800, 1200, 1600)
TEASER_WIDTHS = (480, 800, 1200)
TEASER_RATIO = (16, 9)
SOCIAL_SIZE = (1200, 675)

EXTENSIONS = {"avif": "avif", "webp": "webp", "jpeg": "jpg", "png": "png"}
FORMATS_BY_EXTENSION = {extension: fmt for fmt, extension in EXTENSIONS.items()}
CONTENT_TYPES = {"avif": "image/avif", "webp": "image/webp", "jpeg": "image/jpeg", "png": "image/png"}
MODERN_FORMATS = ("avif", "webp") if AVIF_SUPPORTED else ("webp",)

# The article column is 42rem wide; below that the page is full width less its margins.
CONTENT_SIZES = "(min-width: 44.5rem) 42rem, calc(100vw - 2.5rem)"


def version(image):
    """Changes when the file, the focal point or the way renditions are made changes; part of
    every rendition's address, so a cached old crop is never shown for a new focal point."""
    basis = f"{image.content_hash or image.file.name}:{image.focal_x}:{image.focal_y}:{ALGORITHM}"
    return hashlib.sha256(basis.encode()).hexdigest()[:12]


def fallback_format(image):
    return "png" if image.extension == "png" else "jpeg"


def formats_for(image, spec):
    if spec == "social":
        return ("jpeg",)
    return (*MODERN_FORMATS, fallback_format(image))


def _steps(widths, available):
    """The widths below ``available``, and ``available`` itself when it is below the largest."""
    steps = [width for width in widths if width < available]
    return steps if available > widths[-1] else [*steps, available]


def crop_box(width, height, ratio, focal_x, focal_y):
    """The largest box of ``ratio`` (w, h) inside width × height, centred on the focal point
    (percent) as far as the edges allow: (left, top, right, bottom)."""
    rw, rh = ratio
    crop_w, crop_h = width, round(width * rh / rw)
    if crop_h > height:
        crop_w, crop_h = round(height * rw / rh), height
    crop_w, crop_h = max(1, min(crop_w, width)), max(1, min(crop_h, height))
    left = round(width * focal_x / 100 - crop_w / 2)
    top = round(height * focal_y / 100 - crop_h / 2)
    left = min(max(left, 0), width - crop_w)
    top = min(max(top, 0), height - crop_h)
    return left, top, left + crop_w, top + crop_h


def widths_for(image):
    return _steps(WIDTHS, image.width)


def teaser_widths_for(image):
    left, _top, right, _bottom = _teaser_box(image)
    return _steps(TEASER_WIDTHS, right - left)


def _teaser_box(image):
    return crop_box(image.width, image.height, TEASER_RATIO, image.focal_x, image.focal_y)


def geometry(image, spec):
    """(crop box or None, output width, output height) of ``spec`` for ``image``; None when the
    spec does not exist for it (unknown, or a width it is not made in)."""
    if not image.width or not image.height:
        return None
    if spec == "social":
        box = _teaser_box(image)
        crop_w, crop_h = box[2] - box[0], box[3] - box[1]
        if crop_w >= SOCIAL_SIZE[0]:
            return box, *SOCIAL_SIZE
        return box, crop_w, crop_h
    kind, number = spec[:1], spec[1:]
    if not number.isdigit() or number != str(int(number)):
        return None
    width = int(number)
    if kind == "w" and width in widths_for(image):
        return None, width, max(1, round(image.height * width / image.width))
    if kind == "t" and width in teaser_widths_for(image):
        box = _teaser_box(image)
        crop_w, crop_h = box[2] - box[0], box[3] - box[1]
        return box, width, max(1, round(crop_h * width / crop_w))
    return None


_RENDITION_TAIL = "/0/version/spec.extension"
_rendition_roots = {}


def _rendition_root(urlconf, prefix):
    """The address of the renditions up to the image number, reversed once per URL configuration and
    script prefix: a list page names some 200 renditions, and ``reverse`` is its largest cost."""
    key = (urlconf, prefix)
    if key not in _rendition_roots:
        path = reverse(
            "images:rendition",
            kwargs={"pk": 0, "version": "version", "spec": "spec", "extension": "extension"},
        )
        _rendition_roots[key] = path.removesuffix(_RENDITION_TAIL) if path.endswith(_RENDITION_TAIL) else None
    return _rendition_roots[key]


def url(image, spec, fmt, grant=None):
    """The address of a rendition; ``grant`` (from ``grant_for``) lets someone without an account
    fetch an image that is not public yet, e.g. on a signed preview link of an embargoed release."""
    root = _rendition_root(get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())
    if root is None:  # an address of another shape: as Django reverses it
        path = reverse(
            "images:rendition",
            kwargs={"pk": image.pk, "version": version(image), "spec": spec, "extension": EXTENSIONS[fmt]},
        )
    else:
        path = f"{root}/{image.pk}/{version(image)}/{spec}.{EXTENSIONS[fmt]}"
    return f"{path}?{GRANT_PARAMETER}={grant}" if grant else path


# Grants: a signed, dated image key for pages shown to people without an account (preview links). A grant
# names its scope (the preview link's key); the image server asks the project whether that scope still holds
# (``grant_valid``, handed in by cityhall/urls.py), so revoking a link closes its images at once.
GRANT_PARAMETER = "zugang"
GRANT_SALT = "cityhall.library.renditions.grant"
GRANT_MAX_AGE = 24 * 3600


def grant_for(image, scope):
    return signing.TimestampSigner(salt=GRANT_SALT).sign(f"{image.pk}:{scope}")


def grant_scope(token, image):
    """The scope of ``token`` if it is a grant of this image younger than GRANT_MAX_AGE, else None."""
    try:
        value = signing.TimestampSigner(salt=GRANT_SALT).unsign(token or "", max_age=GRANT_MAX_AGE)
    except signing.BadSignature:  # also SignatureExpired
        return None
    pk, _sep, scope = value.partition(":")
    return scope if pk == str(image.pk) and scope else None


def download_url(image):
    return reverse("images:download", kwargs={"pk": image.pk, "version": version(image)})


def picture(image, kind="content", grant=None):
    """What a ``<picture>`` needs, from the image row alone (no query, no file access):
    ``sources`` [(content type, srcset)], ``src``, ``srcset``, ``width``, ``height``.
    ``grant``: a scope (a preview link's key): each address carries a ``grant_for`` the image in it
    (pages for people without an account)."""
    token = grant_for(image, grant) if grant else None
    if kind == "teaser":
        specs = [f"t{width}" for width in teaser_widths_for(image)]
    else:
        specs = [f"w{width}" for width in widths_for(image)]
    sizes = {spec: geometry(image, spec) for spec in specs}

    def srcset(fmt):
        return ", ".join(f"{url(image, spec, fmt, token)} {sizes[spec][1]}w" for spec in specs)

    fallback = fallback_format(image)
    largest = sizes[specs[-1]]
    # src: the first size that fills the column, for browsers without srcset.
    src_spec = next((spec for spec in specs if sizes[spec][1] >= 800), specs[-1])
    return {
        "sources": [(CONTENT_TYPES[fmt], srcset(fmt)) for fmt in MODERN_FORMATS],
        "src": url(image, src_spec, fallback, token),
        "srcset": srcset(fallback),
        "width": largest[1],
        "height": largest[2],
    }


def social_card(image):
    """(path, width, height) of the 16:9 card for OpenGraph."""
    _box, width, height = geometry(image, "social")
    return url(image, "social", "jpeg"), width, height


def single(image, at_least=None):
    """(path, width, height) of one whole-picture JPEG (PNG for PNG originals): the smallest at
    least ``at_least`` wide, else the largest; for feeds and structured data."""
    widths = widths_for(image)
    width = next((w for w in widths if at_least is not None and w >= at_least), widths[-1])
    spec = f"w{width}"
    _box, width, height = geometry(image, spec)
    return url(image, spec, fallback_format(image)), width, height
