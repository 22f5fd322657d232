from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnershipsConfig(AppConfig):
    name = "partnerships"
    verbose_name = _("Städtepartnerschaften")

    def ready(self):
        from cityhall.library.text import normalise_app_on_save

        normalise_app_on_save(self)
