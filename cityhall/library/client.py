"""What a request says about its client: the address (for login lockouts and rate limits), and whether
the page called a view by itself (a heartbeat, which is no activity of the person)."""

from django.conf import settings


def client_ip(request):
    """REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies that append to X-Forwarded-For, the address the
    outermost of them saw. Entries further left are the client's own claims and are never trusted."""
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR", "")


def client_key(group, request):
    """django-ratelimit's key: one bucket per client address."""
    return client_ip(request)


def session_background(view):
    """Marks a view that an open page calls by itself: SessionTimeoutMiddleware does not count it as
    activity, so a forgotten tab still times out."""
    view.session_background = True
    return view
