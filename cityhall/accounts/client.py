"""The client's address, for login lockouts and rate limits."""

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
