from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DistributionConfig(AppConfig):
    """The Presseverteiler: lists, subscribers with double opt-in, and mailings of releases (immediate,
    under embargo, corrections, digests), sent by the worker. Sits above press: it listens to press's
    signals; press knows nothing of it."""

    name = "distribution"
    label = "distribution"
    verbose_name = _("Presseverteiler")

    def ready(self):
        from cityhall.library.text import normalise_on_save

        from . import receivers
        from .models import MailingList, Subscriber

        receivers.connect_signals()
        normalise_on_save(MailingList, Subscriber)
