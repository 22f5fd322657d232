from django.contrib import admin
from django.urls import include, path

from cityhall.library.health import healthz
from cityhall.library.richtext import editor_javascript_catalog
from partnerships.urls import routes as partnership_routes
from press.partnership_pages import PartnershipDetailView as PartnershipWithReleases
from press.previews import grant_valid
from press.visibility import with_public_flag

from .view_on_site import view_on_site

# A database that cannot be reached answers 503 with the site's own page (and the page cache's copy
# where it has one), not 500.
handler500 = "cityhall.library.unavailable.server_error"

urlpatterns = [
    # For load balancers: database, cache, storage and task queue (never cached).
    path("healthz", healthz, name="healthz"),
    # Before the admin's own route of the same address: asks for the model's view permission first.
    path("admin/r/<path:content_type_id>/<path:object_id>/", view_on_site, name="view_on_site"),
    # The admin's JavaScript catalogue at its own address, with the rich-text editor's German strings added.
    path("admin/jsi18n/", admin.site.admin_view(editor_javascript_catalog, cacheable=True)),
    # The second factor of staff logins (cityhall.accounts), below the admin's address.
    path("admin/zwei-faktor/", include("cityhall.accounts.urls")),
    path("admin/", admin.site.urls),
    # A partnership's page with its releases: press's view, under the partnerships app's name and address.
    path("partnerstaedte/", include((partnership_routes(PartnershipWithReleases.as_view()), "partnerships"))),
    # Image files leave only through here, with a check of publication and image rights.
    # The rule "may be shown publicly" is the top app's (press.visibility), handed to the library here.
    path(
        "bilder/",
        include("cityhall.library.image_urls"),
        {"public_flag": with_public_flag, "grant_valid": grant_valid},
    ),
    path("presseverteiler/", include("distribution.urls")),
    path("", include("cityhall.library.urls")),
    path("", include("press.urls")),
]

# MEDIA_ROOT is not served, not even with DEBUG: it holds the originals of drafts and of images
# whose rights have expired. Pages link to /bilder/ (cityhall.library.image_views), which checks.
