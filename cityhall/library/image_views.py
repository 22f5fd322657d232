"""Image files for the public site: renditions and the press-photo download.

Every image leaves the server through here, never as a ``/media/`` address: an image is served
only while it may be shown publicly, or to editors who may see the image library
(``cityhall.view_image``) and to holders of a signed, dated grant in the address
(``renditions.grant_for``: the images of a release on its preview link), who then get a response
that no cache keeps. So an image of a draft or embargoed release, a withdrawn release or an image
with expired rights cannot be fetched, even by someone who knows its address.

"May be shown publicly" needs to know the public pages, which this app does not: the project hands
the rule to these views as the ``public_flag`` keyword of the ``bilder/`` include
(``cityhall/urls.py``: ``press.visibility.with_public_flag``), a function that annotates an Image
queryset with ``is_public``. Without it no image is public. Likewise whether a grant still holds (its
scope is a preview link that has not been revoked and has not expired) is the project's ``grant_valid``
(``press.previews.grant_valid``); without it no grant opens anything.
"""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db.models import BooleanField, Value
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.utils.cache import get_conditional_response, patch_cache_control
from django.views.decorators.http import require_safe

from cityhall.library import rendition_store, renditions
from cityhall.library.imaging import CONTENT_TYPES
from cityhall.library.models import Image
from cityhall.library.slugs import german_slugify

# Public images may be cached for an hour: long enough for a CDN to help, short enough that a
# withdrawn release or an expired image disappears from caches soon.
PUBLIC_MAX_AGE = 3600


def nothing_public(queryset):
    """The default rule: no image is public (only editors and holders of a grant get one)."""
    return queryset.annotate(is_public=Value(False, output_field=BooleanField()))


def no_grant_holds(scope):
    """The default: no grant opens an image (the project says which scopes hold)."""
    return False


def _visible_image(request, pk, public_flag, grant_valid):
    image = public_flag(Image.objects.filter(pk=pk)).first()
    if image is None:
        raise Http404("Kein Bild.")
    if not image.is_public:
        scope = renditions.grant_scope(request.GET.get(renditions.GRANT_PARAMETER), image)
        granted = scope is not None and grant_valid(scope)
        if not (granted or request.user.has_perm("cityhall.view_image")):
            raise Http404("Kein öffentliches Bild.")
    return image


def _headers(response, image):
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    if image.is_public:
        patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    else:
        patch_cache_control(response, private=True, no_store=True)
        response["X-Robots-Tag"] = "noindex"
    return response


def _offloaded(image, fieldfile, content_type, filename=None):
    """A public file handed to whoever stores it, without its bytes passing through here: a redirect
    to a signed address on object storage (valid twice as long as caches may keep the redirect), or
    ``X-Accel-Redirect`` to the web server's internal location for ``MEDIA_ROOT``
    (``MEDIA_ACCEL_REDIRECT``). None where neither applies, or for an image that is not public: those
    are sent by the app, to editors and grant holders only, and no address of the storage ever
    leaves for them."""
    if not image.is_public:
        return None
    storage = fieldfile.storage
    if not isinstance(storage, FileSystemStorage):
        parameters = {"ResponseContentType": content_type}
        if filename:
            parameters["ResponseContentDisposition"] = f'attachment; filename="{filename}"'
        address = storage.url(fieldfile.name, parameters=parameters, expire=2 * PUBLIC_MAX_AGE)
        return HttpResponseRedirect(address)
    if settings.MEDIA_ACCEL_REDIRECT:
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = settings.MEDIA_ACCEL_REDIRECT.rstrip("/") + "/" + fieldfile.name
        if filename:
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    return None


def _serve(request, image, fieldfile, content_type, etag, filename=None):
    etag = f'"{etag}"'
    not_modified = get_conditional_response(request, etag=etag)
    if not_modified is not None:
        not_modified["ETag"] = etag
        return _headers(not_modified, image)
    response = _offloaded(image, fieldfile, content_type, filename)
    if response is None:
        handle = fieldfile.open("rb")  # FileNotFoundError: the caller decides
        response = FileResponse(
            handle, content_type=content_type, as_attachment=filename is not None, filename=filename
        )
    response["ETag"] = etag
    return _headers(response, image)


@require_safe
def rendition(request, pk, version, spec, extension, public_flag=nothing_public, grant_valid=no_grant_holds):
    image = _visible_image(request, pk, public_flag, grant_valid)
    fmt = renditions.FORMATS_BY_EXTENSION.get(extension)
    if (
        fmt is None
        or renditions.geometry(image, spec) is None
        or fmt not in renditions.formats_for(image, spec)
    ):
        raise Http404("Diese Fassung gibt es nicht.")
    if version != renditions.version(image):
        # An address from before the file or the focal point changed.
        grant = request.GET.get(renditions.GRANT_PARAMETER) if not image.is_public else None
        response = HttpResponseRedirect(renditions.url(image, spec, fmt, grant))
        patch_cache_control(response, no_store=True)
        return response
    etag, content_type = f"{version}-{spec}-{extension}", renditions.CONTENT_TYPES[fmt]
    stored = rendition_store.get_or_make(image, spec, fmt)
    try:
        return _serve(request, image, stored.file, content_type, etag)
    except FileNotFoundError:
        # The row outlived its file (a restore, a lost volume): make it again, once.
        stored = rendition_store.get_or_make(image, spec, fmt, missing=True)
        return _serve(request, image, stored.file, content_type, etag)


def download_name(image):
    stem = german_slugify(image.title or image.caption[:80], max_length=80, fallback="bild")
    return f"pressefoto-{stem}-{image.pk}.{image.extension}"


@require_safe
def download(request, pk, version, public_flag=nothing_public, grant_valid=no_grant_holds):
    """The stored original (re-encoded at upload, without metadata) as a file to save."""
    image = _visible_image(request, pk, public_flag, grant_valid)
    if version != renditions.version(image):
        response = HttpResponseRedirect(renditions.download_url(image))
        patch_cache_control(response, no_store=True)
        return response
    try:
        return _serve(
            request,
            image,
            image.file,
            CONTENT_TYPES.get(image.extension, "application/octet-stream"),
            f"{version}-original",
            filename=download_name(image),
        )
    except FileNotFoundError as exc:
        raise Http404("Datei fehlt.") from exc
