"""Session timeouts and the second factor, checked once a request's view is known."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from .csp import in_admin
from .two_factor import has_device, required_for

LOGIN_AT = "cityhall_login_at"
SEEN_AT = "cityhall_seen_at"
# Writing the session on every request is not needed to measure idleness to the minute.
SEEN_RESOLUTION = 60
# The views a session that still needs its second factor may reach.
TWO_FACTOR_OPEN = {"admin:login", "admin:logout", "accounts:setup", "accounts:verify"}


def stamp_login(sender, request, user, **kwargs):
    """The clock of a session starts at login (user_logged_in)."""
    if request is not None and hasattr(request, "session"):
        now = int(time.time())
        request.session[LOGIN_AT] = now
        request.session[SEEN_AT] = now


class SessionTimeoutMiddleware:
    """Logs out a session idle for SESSION_IDLE_MINUTES or older than SESSION_MAX_HOURS."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.user.is_authenticated:
            return None
        session, now = request.session, int(time.time())
        started = session.setdefault(LOGIN_AT, now)
        seen = session.get(SEEN_AT, now)
        if (
            now - seen > settings.SESSION_IDLE_MINUTES * 60
            or now - started > settings.SESSION_MAX_HOURS * 3600
        ):
            logout(request)
            if not in_admin(request):
                return None  # the public page, as a citizen sees it
            messages.info(
                request,
                _("Sie wurden abgemeldet, weil die Sitzung abgelaufen ist. Bitte melden Sie sich erneut an."),
            )
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        if SEEN_AT not in session or (
            now - seen >= SEEN_RESOLUTION and not getattr(view_func, "session_background", False)
        ):
            session[SEEN_AT] = now
        return None


class TwoFactorMiddleware:
    """A staff session that has a second factor, or must have one, reaches nothing (admin or previews on
    the public site) before it is verified: it is sent to verify the code, or to set up the app."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not (settings.CITYHALL_REQUIRE_2FA and user.is_authenticated and user.is_staff):
            return None
        if user.is_verified() or request.resolver_match.view_name in TWO_FACTOR_OPEN:
            return None
        query = "?" + urlencode({"next": request.get_full_path()})
        if has_device(user):
            return redirect(reverse("accounts:verify") + query)
        if required_for(user):
            return redirect(reverse("accounts:setup") + query)
        return None
