"""The signed links in the Presseverteiler's mails (django.core.signing, the secret key).

- confirmation: names a consent request and the subscriber's key, with a timestamp: it expires after
  DISTRIBUTION_CONFIRM_DAYS; used once (the consent row then has ``confirmed_at``);
- manage and unsubscribe: name the subscriber and its random key, without expiry (they sit in every
  mail); an address that left, or a forged token, resolves to nothing."""

from django.conf import settings
from django.core import signing

from .models import Consent, Subscriber

CONFIRM_SALT = "distribution.confirm"
MANAGE_SALT = "distribution.manage"
UNSUBSCRIBE_SALT = "distribution.unsubscribe"


class LinkProblem(Exception):
    """A link that cannot be used; ``status`` is the HTTP status to answer with."""

    def __init__(self, message, status):
        super().__init__(message)
        self.status = status


def confirm_token(consent, subscriber):
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign_object({"c": consent.pk, "k": subscriber.key})


def resolve_confirm(token):
    """The pending Consent of a confirmation token; LinkProblem if expired, forged or used."""
    signer = signing.TimestampSigner(salt=CONFIRM_SALT)
    try:
        data = signer.unsign_object(token, max_age=settings.DISTRIBUTION_CONFIRM_DAYS * 86400)
    except signing.SignatureExpired as exc:
        raise LinkProblem(
            "Dieser Bestätigungslink ist abgelaufen. Bitte melden Sie sich noch einmal an.", 410
        ) from exc
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise LinkProblem("Dieser Bestätigungslink ist ungültig.", 400) from exc
    try:
        consent_id, key = int(data["c"]), str(data["k"])
    except (KeyError, TypeError, ValueError) as exc:
        raise LinkProblem("Dieser Bestätigungslink ist ungültig.", 400) from exc
    consent = Consent.objects.select_related("subscriber").filter(pk=consent_id, subscriber__key=key).first()
    if consent is None:
        raise LinkProblem("Dieser Bestätigungslink ist ungültig.", 400)
    if consent.confirmed_at is not None:
        raise LinkProblem(
            "Dieser Bestätigungslink wurde bereits verwendet; Ihre Anmeldung ist bestätigt.", 409
        )
    return consent


def personal_token(subscriber, salt):
    return signing.Signer(salt=salt).sign(f"{subscriber.pk}.{subscriber.key}")


def manage_token(subscriber):
    return personal_token(subscriber, MANAGE_SALT)


def unsubscribe_token(subscriber):
    return personal_token(subscriber, UNSUBSCRIBE_SALT)


def resolve_personal(token, salt):
    """The Subscriber a manage or unsubscribe token names, or LinkProblem (404)."""
    try:
        pk, _, key = signing.Signer(salt=salt).unsign(token).partition(".")
        subscriber = Subscriber.objects.filter(pk=int(pk), key=key).first()
    except (signing.BadSignature, ValueError) as exc:
        raise LinkProblem("Dieser Link ist ungültig.", 404) from exc
    if subscriber is None:
        raise LinkProblem("Diese Adresse steht nicht (mehr) im Presseverteiler.", 404)
    return subscriber
