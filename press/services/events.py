"""Which signal of press/signals.py a write sends: the state of the release before the write is
compared with the state after it, so each event is sent once, however many steps one write takes
(an admin save that edits content and then runs a workflow step sends one signal, not two)."""

import contextvars
from contextlib import contextmanager
from dataclasses import dataclass, replace

from django.db import transaction
from django.utils import timezone

from press import signals
from press.models import PressRelease

from .rules import fingerprint

Status = PressRelease.Status

_open = contextvars.ContextVar("press_release_writes", default=frozenset())


@dataclass(frozen=True)
class Seen:
    """What the signals compare: stored status, public now, and what readers see."""

    status: str
    public: bool
    published_at: object = None
    content: str = ""
    corrections: tuple = ()


def seen(release, now=None):
    """``release`` (saved) as the signals compare it; content only for a published release."""
    if release is None or release.pk is None:
        return None
    if release.status != Status.PUBLISHED:
        return Seen(release.status, False)
    corrections = tuple(release.corrections.order_by("pk").values_list("pk", "noted_at", "text"))
    return Seen(
        release.status,
        release.state_at(now or timezone.now()) == PressRelease.State.PUBLISHED,
        release.published_at,
        fingerprint(release),
        corrections,
    )


def send(before, release, user, via):
    """Send, on commit, the signal for the change from ``before`` (a ``Seen`` or None) to ``release``."""
    after = seen(release)
    was_published = before is not None and before.status == Status.PUBLISHED
    is_published = after is not None and after.status == Status.PUBLISHED
    kwargs = {"release": release, "user": user, "via": via}
    if is_published and not was_published:
        signal, kwargs["scheduled"] = signals.release_published, not after.public
    elif was_published and not is_published:
        signal, kwargs["was_public"] = signals.release_withdrawn, before.public
    elif was_published and before != after:
        signal, kwargs["scheduled"] = signals.release_updated, not after.public
    else:
        return
    transaction.on_commit(lambda: signal.send(sender=PressRelease, **kwargs))


@contextmanager
def tracked(release, user, via, *, content_changed=False):
    """Around one write of ``release``: on success, send the signal for what changed. Nested writes
    of the same release (a workflow step inside an admin save) are part of the outer one.
    ``content_changed``: what readers see has changed already (a library object it shows was saved
    first), so a published release counts as updated."""
    key = release.pk
    if key is not None and key in _open.get():
        yield
        return
    before = seen(PressRelease.objects.filter(pk=key).first()) if key is not None else None
    if content_changed and before is not None and before.content:
        before = replace(before, content="")
    token = _open.set(_open.get() | {key}) if key is not None else None
    try:
        yield
    finally:
        if token is not None:
            _open.reset(token)
    send(before, release, user, via)


def send_after_import(release, created, previous, user=None):
    """The import writes first and reports afterwards; ``previous`` is what the history recorded
    last (a ``Seen`` or None)."""
    send(None if created else previous, release, user, "import")
