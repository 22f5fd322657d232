"""Mail when it is someone's turn. Listens to the workflow (``release_step`` of press/signals.py) and to
correction suggestions, decides who is to be told, and enqueues the mail for the background worker
once the transaction has committed (press/tasks.py sends it). Nothing is sent inside a request.

Who is told:
- submitted → the spokespeople (who may approve: ``press.approve_pressrelease``);
- returned (with the reason), approved (also a correction by the approver, with what changed) → the
  author (who wrote it first and who submitted it); a change after approval → the spokespeople again;
- published or scheduled → the author and the submitter;
- correction suggested → the spokespeople; suggestion answered → who suggested it.
Nobody is told about their own step. Each person can turn each kind off ("Meine Benachrichtigungen");
the worker asks that when it sends, as it asks for an address and an active account."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from reversion.models import Version

from press.models import NotificationKind, PressRelease

Kind = NotificationKind
STEP_KINDS = {
    "submit": Kind.SUBMITTED,
    "return": Kind.RETURNED,
    "approve": Kind.APPROVED,
    "publish": Kind.PUBLISHED,
    # The approver corrected approved text (the approval stands): the author is told what, with the
    # approval mail and its note; a change by anyone else after approval asks the spokespeople again.
    "approver_correction": Kind.APPROVED,
    "back_to_review": Kind.SUBMITTED,
}


def spokespeople():
    """Active users who may approve releases (by group, own permission or as superusers)."""
    users = get_user_model().objects.filter(is_active=True)
    return users.filter(
        Q(is_superuser=True)
        | Q(
            user_permissions__codename="approve_pressrelease",
            user_permissions__content_type__app_label="press",
        )
        | Q(
            groups__permissions__codename="approve_pressrelease",
            groups__permissions__content_type__app_label="press",
        )
    ).distinct()


def authors(release):
    """Who wrote the release (the user of its first revision) and who submitted it."""
    ids = set()
    first = (
        Version.objects.get_for_object_reference(PressRelease, release.pk)
        .select_related("revision")
        .order_by("revision__date_created", "pk")
        .first()
    )
    if first is not None and first.revision.user_id:
        ids.add(first.revision.user_id)
    if release.submitted_by_id:
        ids.add(release.submitted_by_id)
    return ids


def recipients(kind, release, actor=None, suggestion=None):
    """The user ids to tell about ``kind``, without ``actor`` (who did it)."""
    if kind in (Kind.SUBMITTED, Kind.CORRECTION_SUGGESTED):
        ids = set(spokespeople().values_list("pk", flat=True))
    elif kind == Kind.SUGGESTION_ANSWERED:
        ids = {suggestion.suggested_by_id} if suggestion and suggestion.suggested_by_id else set()
    else:
        ids = authors(release)
    if actor is not None:
        ids.discard(actor.pk)
    return sorted(ids)


def notify(kind, release, actor=None, *, note="", suggestion=None):
    """Enqueue the mail ``kind`` about ``release`` once the current transaction commits (at once
    outside one). Other apps and steps may call this too."""
    from press.tasks import send_release_mail

    ids = recipients(kind, release, actor, suggestion)
    if not ids:
        return
    args = {
        "kind": str(kind),
        "release_id": release.pk,
        "recipient_ids": ids,
        "actor_id": actor.pk if actor is not None else None,
        "note": note or "",
        "suggestion_id": suggestion.pk if suggestion is not None else None,
    }
    transaction.on_commit(lambda: send_release_mail.enqueue(**args))


def step_taken(sender, release, user, step, note="", **kwargs):
    """Receiver of ``release_step``."""
    kind = STEP_KINDS.get(step)
    if kind is not None:
        notify(kind, release, user, note=note)


def suggestion_saved(suggestion, user, *, created, answered):
    """Called by the suggestion admin after a suggestion was written."""
    if created:
        notify(Kind.CORRECTION_SUGGESTED, suggestion.release, user, suggestion=suggestion)
    elif answered:
        notify(Kind.SUGGESTION_ANSWERED, suggestion.release, user, suggestion=suggestion)


def connect_signals():
    from press.signals import release_step

    release_step.connect(step_taken, sender=PressRelease, dispatch_uid="press_notifications_step")
