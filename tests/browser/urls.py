"""The site's URLs plus uploaded media, which the live server of the browser tests must serve itself
(settings without DEBUG do not)."""

from django.conf import settings
from django.urls import re_path
from django.views.static import serve

from cityhall.urls import urlpatterns as site_urlpatterns


def media(request, path):
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns = [re_path(r"^media/(?P<path>.*)$", media), *site_urlpatterns]
