"""The ceiling of bench/scale.py: a bare Django view returning given bytes, through the same middleware."""

from django.http import HttpResponse
from django.urls import path

BODY = {"content": b"", "content_type": "text/html; charset=utf-8"}


def bare(request):
    return HttpResponse(BODY["content"], content_type=BODY["content_type"])


urlpatterns = [path("bare/", bare)]
