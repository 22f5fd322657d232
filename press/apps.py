from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PressConfig(AppConfig):
    name = "press"
    verbose_name = _("Pressemitteilungen")

    def ready(self):
        from cityhall.library.models import register_public_image_use
        from cityhall.library.text import strip_control_characters_on_save

        from . import credits, search

        search.connect_signals()
        strip_control_characters_on_save(self)
        # Which library images are shown publicly (and so may be served, credited, downloaded).
        register_public_image_use(credits.public_image_uses)
