"""Preview links for people without an admin account: journalists who get a release under embargo
(Sperrfrist) and the mayor's office signing it off.

The URL carries a token signed with the secret key (``django.core.signing``), naming one
``PreviewLink`` row and its random key; the row decides whether the link still works (expiry,
revocation). A guessed or altered token fails the signature; a deleted and recreated row does not
match the key."""

import secrets
from datetime import timedelta

from django.core import signing
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from . import workflow
from .models import PressRelease, PreviewLink

SALT = "press.previews.link"
DEFAULT_VALIDITY = timedelta(days=7)

Purpose = PreviewLink.Purpose
State = PressRelease.State
# What journalists under embargo may see: approved text, waiting or out.
EMBARGO_STATES = frozenset({State.APPROVED, State.SCHEDULED, State.PUBLISHED})


class PreviewUnavailable(Exception):
    """The link cannot show the release; ``status`` is the HTTP status to answer with."""

    def __init__(self, message, status):
        super().__init__(message)
        self.status = status


def new_key():
    return secrets.token_urlsafe(16)[:22]


def token_for(link):
    # No timestamp in the token: the row keeps the expiry, so a link reads the same every time it is shown.
    return signing.Signer(salt=SALT).sign_object({"l": link.pk, "k": link.key}, compress=True)


def path_for(link):
    return reverse("press:preview", kwargs={"token": token_for(link)})


def creation_problem(release, purpose):
    """Why no link of ``purpose`` may be made for ``release`` now, or None. Journalists only get
    what is approved; the mayor's office may see drafts."""
    state = release.state
    if state == State.WITHDRAWN:
        return _("Für eine zurückgezogene Mitteilung gibt es keine Vorschau.")
    if purpose == Purpose.EMBARGO and state not in EMBARGO_STATES:
        return _("Sperrfrist-Links für die Presse gibt es erst, wenn die Mitteilung freigegeben ist.")
    return None


def create(release, user, *, recipient, purpose=Purpose.EMBARGO, expires_at=None):
    problem = creation_problem(release, purpose)
    if problem:
        raise workflow.WorkflowError(problem)
    link = PreviewLink(
        release=release,
        purpose=purpose,
        recipient=recipient,
        expires_at=expires_at or timezone.now() + DEFAULT_VALIDITY,
    )
    prepare(link, user)
    link.save()
    created(link, user)
    return link


def prepare(link, user):
    """Fill what a new link gets on its first save (the admin inline saves the row itself)."""
    link.key = link.key or new_key()
    link.created_by = user


def created(link, user):
    workflow.audit(
        link.release,
        workflow.Action.PREVIEW_CREATED,
        user,
        note=_("%(purpose)s für %(recipient)s, gültig bis %(until)s")
        % {
            "purpose": link.get_purpose_display(),
            "recipient": link.recipient,
            "until": timezone.localtime(link.expires_at).strftime("%d.%m.%Y %H:%M"),
        },
    )


def revoke(link, user, now=None):
    if link.revoked_at is not None:
        return link
    link.revoked_at, link.revoked_by = now or timezone.now(), user
    link.save(update_fields=["revoked_at", "revoked_by"])
    workflow.audit(
        link.release,
        workflow.Action.PREVIEW_REVOKED,
        user,
        note=_("Link für %(recipient)s") % {"recipient": link.recipient},
    )
    return link


def resolve(token, now=None):
    """The PreviewLink a token names, if it may show its release now; else PreviewUnavailable."""
    now = now or timezone.now()
    try:
        data = signing.Signer(salt=SALT).unsign_object(token)
        link = PreviewLink.objects.select_related("release").get(pk=data["l"], key=data["k"])
    except (signing.BadSignature, PreviewLink.DoesNotExist, KeyError, TypeError, ValueError) as exc:
        raise PreviewUnavailable(_("Diesen Vorschau-Link gibt es nicht."), 404) from exc
    check(link, now)
    return link


def check(link, now=None):
    """Raise PreviewUnavailable unless ``link`` may show its release now."""
    now = now or timezone.now()
    if link.revoked_at is not None:
        raise PreviewUnavailable(_("Dieser Vorschau-Link wurde von der Pressestelle widerrufen."), 410)
    if link.expires_at <= now:
        raise PreviewUnavailable(_("Dieser Vorschau-Link ist abgelaufen."), 410)
    state = link.release.state_at(now)
    if state == State.WITHDRAWN:
        raise PreviewUnavailable(_("Diese Pressemitteilung wurde zurückgezogen."), 410)
    if link.purpose == Purpose.EMBARGO and state not in EMBARGO_STATES:
        # Changed after approval and back in review: journalists do not see unapproved text.
        raise PreviewUnavailable(
            _(
                "Diese Pressemitteilung wird gerade überarbeitet; die Vorschau ist vorübergehend nicht verfügbar."
            ),
            404,
        )


def grant_scope(link):
    """The scope of the image grants on ``link``'s page (cityhall.library.renditions): its id."""
    return str(link.pk)


def grant_valid(scope):
    """Whether image grants of the preview link ``scope`` still open images: exactly as long as the link
    shows its release (revoked or expired closes them at once). Handed to the image server by cityhall/urls.py."""
    link = PreviewLink.objects.select_related("release").filter(pk=scope).first() if scope.isdigit() else None
    try:
        if link is None:
            return False
        check(link)
    except PreviewUnavailable:
        return False
    return True


def mark_used(link, now=None):
    PreviewLink.objects.filter(pk=link.pk).update(
        last_used_at=now or timezone.now(), use_count=F("use_count") + 1
    )
