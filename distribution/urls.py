from django.urls import path

from . import views

app_name = "distribution"
urlpatterns = [
    path("", views.signup, name="signup"),
    path("angefragt/", views.requested, name="requested"),
    path("bestaetigen/<str:token>/", views.confirm, name="confirm"),
    path("einstellungen/<str:token>/", views.manage, name="manage"),
    path("abmelden/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
