from django.urls import path

from . import views

app_name = "press"

urlpatterns = [
    path("pressemitteilungen/<slug:slug>/", views.ReleaseDetailView.as_view(), name="detail"),
]
