from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PressConfig(AppConfig):
    name = "press"
    verbose_name = _("Pressemitteilungen")

    def ready(self):
        from cityhall.library.text import strip_control_characters_on_save

        from . import search

        search.connect_signals()
        strip_control_characters_on_save(self)
