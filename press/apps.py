from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PressConfig(AppConfig):
    name = "press"
    verbose_name = _("Pressemitteilungen")

    def ready(self):
        from taggit.models import Tag

        from cityhall.library.text import normalise_app_on_save, normalise_on_save

        from . import (
            archive_index,
            cache_purge,
            links,
            notifications,
            rendered_bodies,
            search,
            shared_objects,
        )

        search.connect_signals()
        cache_purge.connect_signals()
        archive_index.connect_signals()
        rendered_bodies.connect_signals()
        notifications.connect_signals()
        links.connect_signals()
        shared_objects.connect_signals()  # guards and logs changes of library objects releases show
        normalise_app_on_save(self)
        normalise_on_save(Tag)  # the tags typed into a release
