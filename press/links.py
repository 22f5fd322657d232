"""Links in rich text to our own pages stay correct when a slug changes.

A link is stored as the page's address (``/pressemitteilungen/<slug>/``, ``/partnerstaedte/<slug>/``),
readable in every export and feed. When a public page's slug changes, its old address redirects
(``KeepOldAddress``, cityhall.library.redirects). A page that was not public yet (a draft linked from
another draft) keeps no address of its own; here its old address redirects as well, but only when
some rich text links to it, so the link works once the page is public.
"""

from django.db.models import Q
from django.db.models.signals import post_save, pre_save

from cityhall.library.redirects import moved

_OLD_SLUG = "_linked_old_slug"


def rich_text_sources():
    """(model, field) pairs holding rich text that may link to our pages."""
    from partnerships.models import Partnership
    from press.models import BackgroundBlock, TextBlock

    return [(TextBlock, "html"), (BackgroundBlock, "html"), (Partnership, "description")]


def is_linked(path):
    """Whether some rich text links to ``path``, or to an address that now redirects to it."""
    from cityhall.library.models import Redirect

    if Redirect.objects.filter(new_path=path).exists():
        return True
    attribute = f'href="{path}"'
    return any(
        model._base_manager.filter(Q(**{f"{field}__contains": attribute})).exists()
        for model, field in rich_text_sources()
    )


def _remember_slug(sender, instance, raw=False, **kwargs):
    if not raw:
        setattr(instance, _OLD_SLUG, instance._stored_slug())


def _keep_linked_address(sender, instance, raw=False, **kwargs):
    old_slug = instance.__dict__.pop(_OLD_SLUG, None)
    if raw or not old_slug or old_slug == instance.slug:
        return
    new_slug, instance.slug = instance.slug, old_slug
    try:
        old_path = instance.get_absolute_url()
    finally:
        instance.slug = new_slug
    if is_linked(old_path):
        moved(old_path, instance.get_absolute_url())


def connect_signals():
    from partnerships.models import Partnership
    from press.models import PressRelease

    for model in (PressRelease, Partnership):
        pre_save.connect(_remember_slug, sender=model, dispatch_uid=f"links-remember-{model.__name__}")
        post_save.connect(_keep_linked_address, sender=model, dispatch_uid=f"links-keep-{model.__name__}")
