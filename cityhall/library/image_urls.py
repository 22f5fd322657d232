"""Addresses of image files: /bilder/<pk>/<version>/<spec>.<extension> and the download."""

from django.urls import path

from . import image_views

app_name = "images"

urlpatterns = [
    path("<int:pk>/<slug:version>/<slug:spec>.<slug:extension>", image_views.rendition, name="rendition"),
    path("<int:pk>/<slug:version>/download/", image_views.download, name="download"),
]
