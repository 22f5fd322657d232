from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in


class AccountsConfig(AppConfig):
    """No models: the login chain's views, middleware and templates, and the stamp of the login time."""

    name = "cityhall.accounts"
    label = "accounts"
    verbose_name = "Anmeldung"

    def ready(self):
        from .middleware import stamp_login

        user_logged_in.connect(stamp_login, dispatch_uid="cityhall.accounts.stamp_login")
