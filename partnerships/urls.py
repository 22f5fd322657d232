from django.urls import path

from . import views

app_name = "partnerships"

urlpatterns = [
    path("<slug:slug>/", views.PartnershipDetailView.as_view(), name="detail"),
]
