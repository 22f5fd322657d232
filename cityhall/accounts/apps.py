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
        german_labels()


def german_labels():
    """What django-axes and django-otp show in the admin in English or by their package names."""
    from django.apps import apps

    names = {
        "axes": ("Anmeldesperren", {}),
        "otp_totp": (
            "Zwei-Faktor: Authenticator-Apps",
            {"totpdevice": ("Authenticator-App", "Authenticator-Apps")},
        ),
        "otp_static": (
            "Zwei-Faktor: Wiederherstellungscodes",
            {
                "staticdevice": ("Satz Wiederherstellungscodes", "Sätze Wiederherstellungscodes"),
                "statictoken": ("Wiederherstellungscode", "Wiederherstellungscodes"),
            },
        ),
    }
    for label, (verbose_name, models) in names.items():
        config = apps.get_app_config(label)
        config.verbose_name = verbose_name
        for model_name, (singular, plural) in models.items():
            meta = config.get_model(model_name)._meta
            meta.verbose_name, meta.verbose_name_plural = singular, plural
