from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("partnerstaedte/", include("partnerships.urls")),
    # Image files leave only through here, with a check of publication and image rights.
    path("bilder/", include("cityhall.library.image_urls")),
    path("", include("cityhall.library.urls")),
    path("", include("press.urls")),
]

# MEDIA_ROOT is not served, not even with DEBUG: it holds the originals of drafts and of images
# whose rights have expired. Pages link to /bilder/ (cityhall.library.image_views), which checks.
