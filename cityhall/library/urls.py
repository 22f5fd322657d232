"""Public pages of the bottom app: accessibility statement and Leichte Sprache."""

from django.urls import path

from . import accessibility, legal

app_name = "cityhall"

urlpatterns = [
    path("barrierefreiheit/", accessibility.AccessibilityStatementView.as_view(), name="accessibility"),
    path("impressum/", legal.LegalPageView.as_view(kind="impressum"), name="impressum"),
    path("datenschutz/", legal.LegalPageView.as_view(kind="datenschutz"), name="datenschutz"),
    path("leichte-sprache/", accessibility.EasyLanguageListView.as_view(), name="easy_language"),
    path(
        "leichte-sprache/<slug:slug>/",
        accessibility.EasyLanguagePageView.as_view(),
        name="easy_language_page",
    ),
]
