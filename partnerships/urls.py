from django.urls import path

from . import views

app_name = "partnerships"

urlpatterns = [
    path("", views.PartnershipListView.as_view(), name="list"),
    path("themen/", views.ThemeListView.as_view(), name="themes"),
    path("<slug:slug>/", views.PartnershipDetailView.as_view(), name="detail"),
]
