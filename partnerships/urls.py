from django.urls import path

from . import views

app_name = "partnerships"


def routes(detail_view=None):
    """The app's addresses. The project may serve a partnership's page with the view of an app above this
    one (``detail_view``, from a subclass of ``views.PartnershipDetailView``: press adds the releases),
    under the same name and address; this app names none of them."""
    return [
        path("", views.PartnershipListView.as_view(), name="list"),
        path("themen/", views.ThemeListView.as_view(), name="themes"),
        path("<slug:slug>/", detail_view or views.PartnershipDetailView.as_view(), name="detail"),
    ]


urlpatterns = routes()
