from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class CityhallConfig(AppConfig):
    name = "cityhall.library"
    label = "cityhall"  # tables, migrations and permissions keep the name they have always had
    verbose_name = _("Stadt: Personen, Kontakte, Bilder")

    def ready(self):
        from . import autocomplete

        autocomplete.install()
        from . import german_labels
        from .mail import feedback_saved
        from .models import AccessibilityFeedback, Image, Rendition, delete_stored_file
        from .text import normalise_app_on_save

        normalise_app_on_save(self)
        german_labels.apply()

        # Also for deletes of whole querysets and cascades, which skip Image.delete().
        post_delete.connect(delete_stored_file, sender=Image, dispatch_uid="cityhall_image_file")
        post_delete.connect(delete_stored_file, sender=Rendition, dispatch_uid="cityhall_rendition_file")
        # A new accessibility message is mailed to its inbox by the worker (cityhall/library/mail.py).
        post_save.connect(feedback_saved, sender=AccessibilityFeedback, dispatch_uid="cityhall_feedback_mail")
