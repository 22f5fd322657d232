"""The editorial workflow, in one place: who may move a release from which state to which, what
must be true before it goes out, and the version check that keeps two editors from overwriting each
other. The admin's change form, its actions, ``list_editable``, restores and the import all go
through here; nothing else changes a release's status.

States: draft → in review → approved → published → withdrawn. "Scheduled" is a published release
whose ``published_at`` lies ahead; whether it shows is decided when a page is asked for
(``PressRelease.objects.published()``), so no job has to flip it.
"""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC

import reversion
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import BLOCK_MODELS, AuditEntry, ImageBlock, PressRelease

Status = PressRelease.Status
Action = AuditEntry.Action

# Fields that are not the release's content: changing them does not send it back to review,
# a restore leaves them alone, and the fingerprint of approved content ignores them.
WORKFLOW_FIELDS = frozenset(
    {
        "id",
        "status",
        "version",
        "published_at",
        "submitted_by",
        "submitted_at",
        "approved_by",
        "approved_at",
        "approved_fingerprint",
        "withdrawn_at",
        "withdrawal_note",
        "created_at",
        "updated_at",
    }
)


class WorkflowError(Exception):
    """A step the rules do not allow; the message (German) says why."""


class ConflictError(WorkflowError):
    """Someone else saved the release after the editor opened it."""

    def __init__(self, release, expected):
        self.current_version = release.version
        self.expected_version = expected
        super().__init__(
            _(
                "„%(title)s“ wurde inzwischen von jemand anderem geändert (Fassung %(current)s, "
                "Sie hatten Fassung %(expected)s geöffnet). Es wurde nichts gespeichert."
            )
            % {"title": release.title, "current": release.version, "expected": expected}
        )


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset
    target: str
    permission: str
    action: str


TRANSITIONS = {
    t.name: t
    for t in (
        Transition(
            "submit",
            gettext_lazy("Zur Prüfung einreichen"),
            frozenset({"draft"}),
            Status.IN_REVIEW,
            "press.submit_pressrelease",
            Action.SUBMITTED,
        ),
        Transition(
            "approve",
            gettext_lazy("Freigeben"),
            frozenset({"in_review"}),
            Status.APPROVED,
            "press.approve_pressrelease",
            Action.APPROVED,
        ),
        Transition(
            "return",
            gettext_lazy("Zurück an die Redaktion"),
            frozenset({"in_review", "approved"}),
            Status.DRAFT,
            "press.approve_pressrelease",
            Action.RETURNED,
        ),
        Transition(
            "publish",
            gettext_lazy("Veröffentlichen bzw. zum eingetragenen Zeitpunkt planen"),
            frozenset({"approved"}),
            Status.PUBLISHED,
            "press.publish_pressrelease",
            Action.PUBLISHED,
        ),
        Transition(
            "unschedule",
            gettext_lazy("Planung aufheben"),
            frozenset({"scheduled"}),
            Status.APPROVED,
            "press.publish_pressrelease",
            Action.UNSCHEDULED,
        ),
        Transition(
            "withdraw",
            gettext_lazy("Zurückziehen"),
            frozenset({"published"}),
            Status.WITHDRAWN,
            "press.publish_pressrelease",
            Action.WITHDRAWN,
        ),
    )
}


def state(release, now=None):
    """The status, with "scheduled" and "published" told apart by the time."""
    if release.status == Status.PUBLISHED:
        return "published" if release.published_at <= (now or timezone.now()) else "scheduled"
    return release.status


def is_live(release, now=None):
    return state(release, now) == "published"


# --- who may do what -------------------------------------------------------------------------------


def may_edit(user, release, now=None):
    return edit_problem(user, release, now) is None


def edit_problem(user, release, now=None):
    """Why ``user`` may not change ``release`` at all, or None. A release that is public or withdrawn
    is changed only by someone who may publish: its text is out in the world."""
    if not user.has_perm("press.change_pressrelease"):
        return _("Sie dürfen Pressemitteilungen nicht bearbeiten.")
    if release.pk is None:
        return None
    closed = release.status == Status.WITHDRAWN or is_live(release, now)
    if closed and not user.has_perm("press.publish_pressrelease"):
        return _(
            "„%(title)s“ ist %(state)s; ändern darf sie nur die Pressesprecherin bzw. der "
            "Pressesprecher. Für Fehler im veröffentlichten Text bitte eine Korrektur anregen."
        ) % {
            "title": release.title,
            "state": _("zurückgezogen") if release.status == Status.WITHDRAWN else _("veröffentlicht"),
        }
    return None


def time_problem(user, release, new_published_at, now=None):
    """Moving the time of a scheduled or published release decides when the public sees it: only for
    those who may publish."""
    if release.pk is None or release.status != Status.PUBLISHED or new_published_at == release.published_at:
        return None
    if not user.has_perm("press.publish_pressrelease"):
        return _(
            "Den Zeitpunkt einer geplanten oder veröffentlichten Mitteilung ändert nur die "
            "Pressesprecherin bzw. der Pressesprecher."
        )
    return None


def available(user, release, now=None):
    """The transitions ``user`` can start from the release's current state (the rules are checked
    again when one is carried out)."""
    current = state(release, now)
    return [t for t in TRANSITIONS.values() if current in t.sources and user.has_perm(t.permission)]


def label(transition, release, now=None):
    if transition.name == "publish":
        if release.published_at > (now or timezone.now()):
            local = timezone.localtime(release.published_at)
            return _("Für %(when)s Uhr planen") % {"when": date_format(local, "j. F Y, H:i")}
        return _("Jetzt veröffentlichen")
    return str(transition.label)


# --- what must be true before a release goes out ---------------------------------------------------


def _image_problems(image, alt_override, where):
    problems = []
    if not image.decorative and not (alt_override or image.alt_text):
        problems.append(
            _("%(where)s „%(image)s“ hat keinen Alternativtext und ist nicht als dekorativ markiert.")
            % {"where": where, "image": image}
        )
    if not image.credit:
        problems.append(
            _("%(where)s „%(image)s“ hat keinen Bildnachweis.") % {"where": where, "image": image}
        )
    return problems


def publish_problems(release, image_blocks=None):
    """What stops ``release`` from being published (German sentences); empty when nothing does.
    Releases imported as already published may have such gaps; the press desk lists them.
    ``image_blocks``: the release's image blocks with their images, if already fetched."""
    problems = []
    if release.contact_id is None:
        problems.append(_("Es ist kein Pressekontakt angegeben."))
    if release.image_id:
        problems += _image_problems(release.image, release.image_alt, _("Das Aufmacherbild"))
    if image_blocks is None:
        image_blocks = ImageBlock.objects.filter(parent=release).select_related("image")
    for block in image_blocks:
        problems += _image_problems(block.image, block.alt_text, _("Das Bild im Text"))
    return problems


# --- content and versions --------------------------------------------------------------------------


def _plain(value):
    if value is None or isinstance(value, (bool, int, str)):
        return value
    return str(value)


def fingerprint(release):
    """A hash of everything a reader sees (head, lead image, tags, partnerships, projects, blocks in
    order), so a change after approval is noticed however it was made."""
    head = {
        field.attname: _plain(getattr(release, field.attname))
        for field in PressRelease._meta.concrete_fields
        if field.name not in WORKFLOW_FIELDS
    }
    blocks = []
    for model in BLOCK_MODELS:
        for block in model.objects.filter(parent=release):
            values = {
                field.attname: _plain(getattr(block, field.attname))
                for field in model._meta.concrete_fields
                if field.attname not in ("id", "parent_id", "ordering")
            }
            blocks.append((block.ordering, model._meta.model_name, block.pk, values))
    blocks.sort(key=lambda item: item[:3])
    data = {
        "head": head,
        "tags": sorted(name.casefold() for name in release.tags.names()),
        "partnerships": sorted(release.partnerships.values_list("pk", flat=True)),
        "projects": sorted(release.projects.values_list("pk", flat=True)),
        "blocks": [(kind, values) for _order, kind, _pk, values in blocks],
    }
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def check_version(release, expected):
    """Raise ConflictError unless the stored release still has version ``expected`` (locks the row
    on PostgreSQL until the end of the transaction)."""
    current = PressRelease.objects.select_for_update().filter(pk=release.pk).values_list("version", flat=True)
    current = current.first()
    if current is None or current != expected:
        stored = PressRelease.objects.filter(pk=release.pk).first() or release
        raise ConflictError(stored, expected)


def claim_version(release, expected):
    """Take the next version number, but only if nobody else has taken it since ``expected``:
    one conditional UPDATE, so of two concurrent saves exactly one wins."""
    claimed = PressRelease.objects.filter(pk=release.pk, version=expected).update(version=F("version") + 1)
    if not claimed:
        stored = PressRelease.objects.filter(pk=release.pk).first() or release
        raise ConflictError(stored, expected)
    release.version = expected + 1


def audit(release, action, user=None, *, from_status="", to_status="", note="", at=None):
    return AuditEntry.objects.create(
        release=release,
        release_title=release.title[:300],
        action=action,
        from_status=from_status,
        to_status=to_status,
        user=user if user is not None and user.is_authenticated else None,
        user_name=user.get_username() if user is not None and user.is_authenticated else "",
        at=at or timezone.now(),
        note=note,
    )


def _record(release, user, comment):
    from .history import record

    record(release)
    if user is not None and user.is_authenticated and reversion.get_user() is None:
        reversion.set_user(user)
    reversion.set_comment("; ".join(part for part in (reversion.get_comment(), comment) if part))


# --- carrying out a step ---------------------------------------------------------------------------


def transition(release, name, user, *, expected_version=None, note="", now=None):
    """Carry out transition ``name`` on ``release`` for ``user``, or raise WorkflowError saying why
    not. ``expected_version`` is the version the user saw; None skips the check (only for steps the
    server itself starts). Updates ``release`` in place and returns it."""
    if name not in TRANSITIONS:
        raise WorkflowError(_("Unbekannter Arbeitsschritt: %(name)s") % {"name": name})
    step = TRANSITIONS[name]
    now = now or timezone.now()
    with transaction.atomic(), reversion.create_revision():
        locked = (
            PressRelease.objects.select_for_update(of=("self",)).select_related("image").get(pk=release.pk)
        )
        if expected_version is not None and locked.version != expected_version:
            raise ConflictError(locked, expected_version)
        if not user.has_perm(step.permission):
            raise WorkflowError(
                _("„%(title)s“: Für „%(step)s“ fehlt Ihnen die Berechtigung.")
                % {"title": locked.title, "step": step.label}
            )
        current = state(locked, now)
        if current not in step.sources:
            raise WorkflowError(
                _("„%(title)s“ ist %(state)s; „%(step)s“ geht von dort aus nicht.")
                % {"title": locked.title, "state": state_label(locked, now), "step": step.label}
            )
        before = locked.status
        action = step.action
        fields = ["status", "version", "updated_at"]
        if name == "submit":
            locked.submitted_by, locked.submitted_at = user, now
            fields += ["submitted_by", "submitted_at"]
        elif name == "approve":
            if locked.submitted_by_id is not None and locked.submitted_by_id == user.pk:
                raise WorkflowError(
                    _(
                        "„%(title)s“: Sie haben die Mitteilung selbst zur Prüfung eingereicht. "
                        "Freigeben muss eine andere Person (Vier-Augen-Prinzip)."
                    )
                    % {"title": locked.title}
                )
            locked.approved_by, locked.approved_at = user, now
            locked.approved_fingerprint = fingerprint(locked)
            fields += ["approved_by", "approved_at", "approved_fingerprint"]
        elif name == "return":
            locked.approved_by = locked.approved_at = None
            locked.approved_fingerprint = ""
            fields += ["approved_by", "approved_at", "approved_fingerprint"]
        elif name == "publish":
            problems = publish_problems(locked)
            if problems:
                raise WorkflowError(
                    _("„%(title)s“ kann noch nicht veröffentlicht werden: %(problems)s")
                    % {"title": locked.title, "problems": " ".join(problems)}
                )
            if locked.approved_fingerprint != fingerprint(locked):
                raise WorkflowError(
                    _("„%(title)s“ wurde nach der Freigabe geändert und muss erneut geprüft werden.")
                    % {"title": locked.title}
                )
            if locked.published_at <= now:
                locked.published_at = now  # published now, not back-dated to when the draft was begun
            else:
                action = Action.SCHEDULED
            fields.append("published_at")
        elif name == "withdraw":
            locked.withdrawn_at = now
            fields.append("withdrawn_at")
            if note:
                locked.withdrawal_note = note
                fields.append("withdrawal_note")
        locked.status = step.target
        locked.version += 1
        locked.save(update_fields=fields)
        when = ""
        if action == Action.SCHEDULED:
            when = _("für %(when)s Uhr") % {
                "when": date_format(timezone.localtime(locked.published_at), "j. F Y, H:i")
            }
        audit(locked, action, user, from_status=before, to_status=locked.status, note=note or when, at=now)
        _record(locked, user, str(AuditEntry.Action(action).label))
    for field in [*fields, "withdrawal_note"]:
        setattr(release, field, getattr(locked, field))
    return release


def state_label(release, now=None):
    current = state(release, now)
    if current == "scheduled":
        return _("geplant")
    return str(Status(release.status).label).lower()


def content_saved(release, user, *, was_live, old_published_at, now=None):
    """Apply the rules after a release's content was saved (form with blocks, list_editable, restore):
    a change to approved or scheduled content sends it back to review; a change to a live release
    (only someone who may publish can make it) is logged. Returns the audit entry written, if any."""
    now = now or timezone.now()
    if release.status == Status.WITHDRAWN:
        return None
    if release.status == Status.PUBLISHED and was_live:
        release.approved_fingerprint = fingerprint(release)
        release.save(update_fields=["approved_fingerprint"])
        if release.published_at != old_published_at:
            return audit(
                release, Action.RESCHEDULED, user, from_status=release.status, to_status=release.status
            )
        return audit(release, Action.EDITED_LIVE, user, from_status=release.status, to_status=release.status)
    if release.status in (Status.APPROVED, Status.PUBLISHED):
        if fingerprint(release) != release.approved_fingerprint:
            before = release.status
            release.status = Status.IN_REVIEW
            release.submitted_by, release.submitted_at = user, now
            release.approved_by = release.approved_at = None
            release.approved_fingerprint = ""
            release.save(
                update_fields=[
                    "status",
                    "submitted_by",
                    "submitted_at",
                    "approved_by",
                    "approved_at",
                    "approved_fingerprint",
                ]
            )
            return audit(
                release,
                Action.BACK_TO_REVIEW,
                user,
                from_status=before,
                to_status=release.status,
                note=_("Inhalt nach der Freigabe geändert"),
            )
        if release.status == Status.PUBLISHED and release.published_at != old_published_at:
            return audit(
                release, Action.RESCHEDULED, user, from_status=release.status, to_status=release.status
            )
    return None


def record_import(release, created):
    """An imported release lands in the state its file gives, also "published" with gaps (an archive
    published elsewhere); the press desk lists what is missing. Editors who have it open get a
    version conflict instead of silently overwriting the import."""
    if not created:
        PressRelease.objects.filter(pk=release.pk).update(version=F("version") + 1)
        release.refresh_from_db(fields=["version"])
    if release.status in (Status.APPROVED, Status.PUBLISHED):
        release.approved_fingerprint = fingerprint(release)
        PressRelease.objects.filter(pk=release.pk).update(approved_fingerprint=release.approved_fingerprint)
    if release.status == Status.WITHDRAWN and release.withdrawn_at is None:
        release.withdrawn_at = timezone.now()
        PressRelease.objects.filter(pk=release.pk).update(withdrawn_at=release.withdrawn_at)
    audit(release, Action.IMPORTED, None, to_status=release.status)
    with reversion.create_revision():
        _record(release, None, str(Action.IMPORTED.label))


# --- times -----------------------------------------------------------------------------------------


def local_time_problem(naive, tz=None):
    """A German hint when the wall-clock time ``naive`` does not exist or exists twice in the
    current time zone (the changes to and from summer time), else None."""
    tz = tz or timezone.get_current_timezone()
    first, second = naive.replace(tzinfo=tz, fold=0), naive.replace(tzinfo=tz, fold=1)
    if first.utcoffset() == second.utcoffset():
        return None
    day = date_format(naive.date(), "j. F Y")
    shown = naive.strftime("%H:%M")
    roundtrip = first.astimezone(UTC).astimezone(tz).replace(tzinfo=None)
    if roundtrip != naive:
        return _(
            "%(time)s Uhr gibt es am %(day)s nicht: In dieser Nacht werden die Uhren auf Sommerzeit "
            "vorgestellt. Bitte eine Uhrzeit nach der Umstellung wählen, z. B. %(suggestion)s Uhr."
        ) % {"time": shown, "day": day, "suggestion": roundtrip.strftime("%H:%M")}
    return _(
        "%(time)s Uhr gibt es am %(day)s zweimal: In dieser Nacht werden die Uhren von Sommer- auf "
        "Winterzeit zurückgestellt, daher ist nicht eindeutig, welche gemeint ist. Bitte eine Uhrzeit "
        "außerhalb der doppelten Stunde wählen."
    ) % {"time": shown, "day": day}
