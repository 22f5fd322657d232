"""The answer to a locked-out login (django-axes' AXES_LOCKOUT_CALLABLE): a German page, status 429."""

from axes.helpers import get_client_username, get_cool_off
from django.conf import settings
from django.contrib.admin import site
from django.shortcuts import render


def lockout_response(request, original_response=None, credentials=None):
    cool_off = get_cool_off(request)
    minutes = max(1, round(cool_off.total_seconds() / 60)) if cool_off else 0
    context = {
        **site.each_context(request),
        "title": "Anmeldung vorübergehend gesperrt",
        "username": get_client_username(request, credentials) or "",
        "minutes": minutes,
        "failure_limit": settings.AXES_FAILURE_LIMIT,
    }
    return render(request, "accounts/lockout.html", context, status=429)
