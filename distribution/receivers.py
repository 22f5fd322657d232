"""What the Presseverteiler does on press's events (press/signals.py, sent after the commit):

- published (now or scheduled): the release's mailing is planned for ``published_at``;
- updated: a planned mailing follows a moved time; a new correction goes to everyone who got it;
- withdrawn (or unscheduled, or back in review): a planned mailing is cancelled; when the release is
  withdrawn, who got it is told.
An import of releases that are public already mails nobody (they are old news)."""

from press.models import Correction, PressRelease

from . import fanout
from .models import Mailing

Kind = Mailing.Kind


def published(sender, release, via=None, **kwargs):
    if via == "import" and release.is_public:
        return
    fanout.plan(Kind.RELEASE, release, when=release.published_at)


def updated(sender, release, via=None, **kwargs):
    plan_corrections(release)
    if Mailing.objects.filter(release=release, kind=Kind.RELEASE, state=Mailing.State.SCHEDULED).exists():
        fanout.plan(Kind.RELEASE, release, when=release.published_at)


def withdrawn(sender, release, **kwargs):
    fanout.cancel(release)
    # Withdrawn, not merely unscheduled or back in review: who got it (also under embargo) is told.
    if release.status == PressRelease.Status.WITHDRAWN and fanout.got_release(release.pk):
        fanout.plan(Kind.WITHDRAWAL, release)


def plan_corrections(release):
    if not fanout.got_release(release.pk):
        return  # not sent yet: the mailing, rendered when it goes out, shows the correction
    mailed = Mailing.objects.filter(kind=Kind.CORRECTION, release=release).values_list(
        "correction_id", flat=True
    )
    for correction in Correction.objects.filter(release=release).exclude(pk__in=list(mailed)):
        fanout.plan(Kind.CORRECTION, release, correction=correction)


def connect_signals():
    from press.signals import release_published, release_updated, release_withdrawn

    release_published.connect(published, sender=PressRelease, dispatch_uid="distribution_published")
    release_updated.connect(updated, sender=PressRelease, dispatch_uid="distribution_updated")
    release_withdrawn.connect(withdrawn, sender=PressRelease, dispatch_uid="distribution_withdrawn")
