"""The ceiling of bench/scale.py: a bare Django view returning given bytes, through the same middleware."""

from django.http import HttpResponse
from django.urls import include, path

BODY = {"content": b"", "content_type": "text/html; charset=utf-8"}


def bare(request):
    return HttpResponse(BODY["content"], content_type=BODY["content_type"])


# The project's own addresses stay, for middleware that reverses them (the admin's, for one).
urlpatterns = [path("bare/", bare), path("", include("cityhall.urls"))]
