"""The mail settings from ``EMAIL_URL`` (read by cityhall/settings/base.py: no Django imports here)."""

from urllib.parse import parse_qs, unquote, urlsplit

TRUE = ("1", "true", "yes", "on")


def parse_email_url(url):
    """Django's mail settings from ``smtp://user:password@host:port`` (``smtps://`` for implicit TLS,
    ``?tls=1`` or port 587 for STARTTLS; ``console://`` prints mails). Raises ValueError otherwise."""
    parts = urlsplit(url)
    if parts.scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parts.scheme not in ("smtp", "smtps", "submission"):
        raise ValueError(f"EMAIL_URL: unknown scheme {parts.scheme!r} (smtp://, smtps:// or console://)")
    if not parts.hostname:
        raise ValueError("EMAIL_URL needs a host, e.g. smtp://user:password@mail.example.org:587")
    query = {key: values[-1].lower() for key, values in parse_qs(parts.query).items()}
    ssl = parts.scheme == "smtps" or query.get("ssl") in TRUE
    port = parts.port or (465 if ssl else 587 if parts.scheme == "submission" else 25)
    tls = not ssl and (query.get("tls") in TRUE or port == 587)
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": port,
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": tls,
        "EMAIL_USE_SSL": ssl,
    }
