from django.urls import reverse


def signup_link(request):
    """The sign-up page's address for the footer and the release pages (their templates belong to lower
    layers and must not name this app's URLs): ``{% if DISTRIBUTION_SIGNUP_URL %}``."""
    return {"DISTRIBUTION_SIGNUP_URL": reverse("distribution:signup")}
