"""What happens to a published release, for features that react to it (mailing journalists, cache
purges, translations). Sent by the write path (press/services/writing.py, behind ``press.workflow``)
once per event, after the transaction commits (``transaction.on_commit``): a write that is rolled
back sends nothing. Every signal is sent with ``sender=PressRelease`` and the keyword arguments
``release`` (as stored after the event), ``user`` (None for the import) and ``via`` (what made the
change: "admin", "transition", "restore", "import", "correction").

"Published" means the stored status ``published``, which covers two states: public now
(``PressRelease.State.PUBLISHED``) and scheduled (``State.SCHEDULED``, public from ``published_at``).

``release_published``
    The release became published: the "publish" step (now, or scheduled for a later time), or an
    import that brings it in as published. Extra argument ``scheduled``: True when it becomes public
    only at ``release.published_at``. Nothing is sent again when that time comes (no job runs then;
    pages ask ``PressRelease.objects.published()``), so a receiver that acts at the moment of
    publication schedules itself for ``release.published_at``.
``release_updated``
    A published (public or scheduled) release stayed published, but what readers see of it
    changed: its content, its time (rescheduled), or a public correction was added. Extra argument
    ``scheduled`` as above.
``release_withdrawn``
    A published release is no longer: withdrawn, its planning cancelled ("unschedule"), or a
    scheduled release sent back to review by a change. Extra argument ``was_public``: whether the
    public could see it until now (False for a release that was only scheduled).
``release_step``
    A workflow step was carried out (press/services/writing.py ``transition()``, on commit), for
    whoever's turn it is now (press/notifications.py mails them). Keyword arguments ``release`` (as
    stored after the step), ``user`` (who took it), ``step`` (the step's name in
    ``press.services.rules.TRANSITIONS``: "submit", "approve", "return", "publish", …) and ``note``
    (what the user wrote with it, e.g. the reason for sending it back; may be empty). Unlike the
    three above it is sent for every step, whatever the status, and not for content changes,
    with two exceptions that also make it someone's turn (sent by ``content_saved()``):
    ``step="back_to_review"``: approved content was changed by someone other than the approver and
    waits for a new approval (``user`` is now its submitter); ``step="approver_correction"``: the
    approver changed approved content and kept the approval, so the author
    (``release.submitted_by``) should be told; ``note`` names what changed (the diff is in the
    history). "Freigeben und veröffentlichen" sends "approve", then "publish".
"""

from django.dispatch import Signal

release_published = Signal()
release_updated = Signal()
release_withdrawn = Signal()
release_step = Signal()
