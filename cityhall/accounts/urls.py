from django.urls import path

from . import two_factor

app_name = "accounts"

urlpatterns = [
    path("", two_factor.setup, name="setup"),
    path("pruefen/", two_factor.verify, name="verify"),
]
