"""Keeping ``RenderedBody`` true: every write that changes what a kept body shows empties it.

A block saved or deleted (also by a restore, which saves raw), a person renamed (the attribution
under quotes). Image blocks are not kept (``press.rendering``), so a caption, credit or alt text
changed in the library shows at once; corrections and the head are rendered per request too.
Emptying counts up ``revision``, so a page that read the blocks before cannot keep its rendering.
"""

from django.db.models import F
from django.db.models.signals import post_delete, post_save

from cityhall.library.models import Person

from .models import BLOCK_MODELS, PressRelease, QuoteBlock, RenderedBody


def invalidate(release_ids):
    RenderedBody.objects.filter(release_id__in=list(release_ids)).update(
        parts=None, revision=F("revision") + 1
    )


def _release_saved(sender, instance, created=False, raw=False, **kwargs):
    if created and not raw:
        RenderedBody.objects.create(release=instance)


def _block_changed(sender, instance, origin=None, **kwargs):
    if origin is not None and getattr(origin, "model", type(origin)) is PressRelease:
        return  # deleted with its release
    invalidate([instance.parent_id])


def _person_saved(sender, instance, created=False, **kwargs):
    if not created:
        invalidate(set(QuoteBlock.objects.filter(speaker=instance).values_list("parent_id", flat=True)))


def connect_signals():
    post_save.connect(_release_saved, sender=PressRelease, dispatch_uid="press_rendered_release")
    for model in BLOCK_MODELS:
        post_save.connect(_block_changed, sender=model, dispatch_uid=f"press_rendered_{model.__name__}_save")
        post_delete.connect(_block_changed, sender=model, dispatch_uid=f"press_rendered_{model.__name__}_del")
    post_save.connect(_person_saved, sender=Person, dispatch_uid="press_rendered_person")
