"""Staff accounts: the second factor (django-otp), session timeouts, the client address behind the proxy
and the Content-Security-Policy of the admin. Login throttling itself is django-axes (settings)."""
