"""Every write of a release: admin saves (change form with its blocks, ``list_editable``), workflow
steps, public corrections, deletion, restoring a revision, recovering a deleted release and the
import's report. Each runs in one transaction and one revision, applies the rules of
``press.services.rules``, writes the audit log, and sends the signals of press/signals.py on commit
(``press.services.events``)."""

from dataclasses import dataclass, field

import reversion
from django.contrib import messages
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from cityhall.library.models import Contact, Image, Person
from partnerships.models import Partnership, Project
from press import history, rendering, signals
from press.models import BLOCK_MODELS, AuditEntry, ImageBlock, PressRelease, QuoteBlock
from press.models.numbers import give_number

from . import events
from .rules import (
    COMBINED_STEPS,
    TRANSITIONS,
    WORKFLOW_FIELDS,
    ConflictError,
    WorkflowError,
    approval_fingerprint,
    approval_survives,
    edit_problem,
    intent_problem,
    state_phrase,
    step_problem,
    time_lapses_approval,
)

State = PressRelease.State
Status = PressRelease.Status
Action = AuditEntry.Action

# Not brought back by a restore: the address stays, so links already sent out keep working.
NOT_RESTORED = frozenset({"slug"})


class RestoreError(WorkflowError):
    pass


# --- versions and the log --------------------------------------------------------------------------


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
    history.record(release)
    if user is not None and user.is_authenticated and reversion.get_user() is None:
        reversion.set_user(user)
    history.add_to_comment(comment)


def _when(moment):
    return date_format(timezone.localtime(moment), "j. F Y, H:i")


# --- workflow steps --------------------------------------------------------------------------------


def transition(release, name, user, *, expected_version=None, note="", now=None):
    """Carry out transition ``name`` on ``release`` for ``user``, or raise WorkflowError saying why
    not. ``expected_version`` is the version the user saw; None skips the check (only for steps the
    server itself starts). Updates ``release`` in place and returns it."""
    if name not in TRANSITIONS:
        raise WorkflowError(_("Unbekannter Arbeitsschritt: %(name)s") % {"name": name})
    step = TRANSITIONS[name]
    now = now or timezone.now()
    with transaction.atomic(), reversion.create_revision(), events.tracked(release, user, "transition"):
        locked = (
            PressRelease.objects.select_for_update(of=("self",)).select_related("image").get(pk=release.pk)
        )
        if expected_version is not None and locked.version != expected_version:
            raise ConflictError(locked, expected_version)
        problem = step_problem(step, locked, user, now, note)
        if problem:
            raise WorkflowError(problem)
        before = locked.status
        action = step.action
        fields = ["status", "version", "updated_at"]
        if name == "submit":
            locked.submitted_by, locked.submitted_at = user, now
            fields += ["submitted_by", "submitted_at"]
        elif name == "approve":
            locked.approved_by, locked.approved_at = user, now
            locked.approved_fingerprint = approval_fingerprint(locked)
            fields += ["approved_by", "approved_at", "approved_fingerprint"]
        elif name == "return":
            locked.approved_by = locked.approved_at = None
            locked.approved_fingerprint = ""
            fields += ["approved_by", "approved_at", "approved_fingerprint"]
        elif name == "publish":
            if locked.published_at <= now:
                locked.published_at = now  # published now, not back-dated to when the draft was begun
            else:
                action = Action.SCHEDULED
            fields.append("published_at")
            fields += give_number(locked)
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
            when = _("für %(when)s Uhr") % {"when": _when(locked.published_at)}
        audit(locked, action, user, from_status=before, to_status=locked.status, note=note or when, at=now)
        _record(locked, user, str(AuditEntry.Action(action).label))
        for name_ in [*fields, "withdrawal_note"]:
            setattr(release, name_, getattr(locked, name_))
        transaction.on_commit(
            lambda: signals.release_step.send(
                sender=PressRelease, release=locked, user=user, step=name, note=note
            )
        )
    return release


def step_taken(release, user, name, note=""):
    """Announce, on commit, what else than a transition made it someone's turn (``release_step``
    with ``step`` "approver_correction" or "back_to_review", see press/signals.py)."""
    transaction.on_commit(
        lambda: signals.release_step.send(
            sender=PressRelease, release=release, user=user, step=name, note=note
        )
    )


def content_saved(release, user, *, was_live, old_published_at, now=None, before=None, what=None):
    """Apply the rules after a release's content was saved (form with blocks, list_editable, restore):
    a change to approved or scheduled content by anyone but the approver sends it back to review;
    the approver's own change (a correction on the way out) keeps the approval, is logged with what
    changed and reported to the author; metadata (contact, tags, time, partnerships) never resets an
    approval; a change to a live release (only someone who may publish can make it) is logged.
    Redaktion moving the time of an approved release is a change the approval did not cover.
    ``before``: the history state before the write, to name what changed; ``what``: says it
    instead (a change made in the library). Returns the audit entry written, if any."""
    now = now or timezone.now()
    if release.status == Status.WITHDRAWN:
        return None
    content = approval_fingerprint(release)
    changed = content != release.approved_fingerprint
    moved = time_lapses_approval(user, release, old_published_at)
    if release.status == Status.PUBLISHED and was_live:
        if not changed and release.published_at == old_published_at and not _changed(before, release):
            return None
        release.approved_fingerprint = content
        release.save(update_fields=["approved_fingerprint"])
        if release.published_at != old_published_at:
            return audit(
                release, Action.RESCHEDULED, user, from_status=release.status, to_status=release.status
            )
        return audit(
            release,
            Action.EDITED_LIVE,
            user,
            from_status=release.status,
            to_status=release.status,
            note=what or _what_changed(before, release),
        )
    if release.status in (Status.APPROVED, Status.PUBLISHED):
        if changed and approval_survives(release, user):
            release.approved_fingerprint, release.approved_at = content, now
            release.save(update_fields=["approved_fingerprint", "approved_at"])
            note = _("Bei der Freigabe korrigiert: %(what)s") % {
                "what": what or _what_changed(before, release)
            }
            step_taken(release, user, "approver_correction", note)
            return audit(
                release,
                Action.APPROVED,
                user,
                from_status=release.status,
                to_status=release.status,
                note=note,
            )
        if changed or moved:
            before_status = release.status
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
            if what:
                note = _("Nach der Freigabe geändert: %(what)s") % {"what": what}
            elif changed:
                note = _("Inhalt nach der Freigabe geändert")
            else:
                note = _("Zeitpunkt nach der Freigabe geändert")
            step_taken(release, user, "back_to_review", note)
            return audit(
                release,
                Action.BACK_TO_REVIEW,
                user,
                from_status=before_status,
                to_status=release.status,
                note=note,
            )
        if release.status == Status.PUBLISHED and release.published_at != old_published_at:
            return audit(
                release, Action.RESCHEDULED, user, from_status=release.status, to_status=release.status
            )
    return None


def shared_object_changed(obj, fields, user, now=None):
    """What readers see of the library object ``obj`` (an image, a quoted person) changed
    (``fields``; cityhall.library.shared sends ``changed`` after the save): every approved, scheduled
    or published release showing it changed with it, so each gets the rules of a content change by
    ``user`` (None: the import or a command): a live one's change is logged, an approved or scheduled
    one goes back to review unless its approver made the change; the audit log of each says what
    changed in the library. Returns the audit entries written."""
    now = now or timezone.now()
    what = _("%(kind)s „%(name)s“ in der Bibliothek geändert (%(fields)s)") % {
        "kind": obj._meta.verbose_name,
        "name": obj,
        "fields": ", ".join(str(type(obj)._meta.get_field(name).verbose_name) for name in fields),
    }
    entries = []
    pks = list(PressRelease.objects.showing(obj).under_approval().order_by("pk").values_list("pk", flat=True))
    for pk in pks:
        with transaction.atomic(), reversion.create_revision():
            release = PressRelease.objects.select_for_update(of=("self",)).select_related("image").get(pk=pk)
            with events.tracked(release, user, "library", content_changed=True):
                PressRelease.objects.filter(pk=pk).update(version=F("version") + 1)
                release.version += 1
                was_live = release.state_at(now) == State.PUBLISHED
                entry = content_saved(
                    release,
                    user,
                    was_live=was_live,
                    old_published_at=release.published_at,
                    now=now,
                    what=what,
                )
                if entry is not None:
                    entries.append(entry)
                _record(release, user, what)
    return entries


def _changed(before, release):
    return before is not None and bool(history.diff(before, history.current_state(release)))


def _what_changed(before, release):
    """The labels of what changed since ``before`` (a history state), e.g. "Vorspann, 2. Text"."""
    if before is None:
        return _("Inhalt")
    labels = [change["label"] for change in history.diff(before, history.current_state(release))]
    return ", ".join(map(str, labels)) or _("Inhalt")


# --- saving what an editor typed -------------------------------------------------------------------


@dataclass
class Outcome:
    """What a save did, for the editor: messages as (level, text), level from django.contrib.messages."""

    release: PressRelease
    messages: list = field(default_factory=list)


def save(release, user, *, write, expected_version=None, step=None, note="", intent="", now=None):
    """Save ``release`` as an editor changed it. ``write()`` stores what the form collected (the
    release, its relations and blocks); around it this claims the next version (ConflictError if
    someone saved meanwhile; nothing is written then), applies the rules to the changed content,
    then carries out the workflow step ``step`` if one was asked for (a transition or one of
    ``COMBINED_STEPS``, all or nothing; ``note``: its reason; ``intent``: what a publish button
    promised, see ``rules.publish_intent``). A refused step leaves the saved content. The outcome
    holds one message saying what happened. New releases get version 1."""
    outcome = Outcome(release)
    notes = []
    entry = None
    with transaction.atomic(), reversion.create_revision(), events.tracked(release, user, "admin"):
        stored = before = None
        if release.pk is None:
            release.version = 1
        else:
            stored = PressRelease.objects.get(pk=release.pk)
            if stored.status in (Status.APPROVED, Status.PUBLISHED):
                before = history.current_state(stored)
            claim_version(release, expected_version)
        write()
        if stored is not None:
            entry = content_saved(
                release,
                user,
                was_live=stored.state_at(now or timezone.now()) == State.PUBLISHED,
                old_published_at=stored.published_at,
                now=now,
                before=before,
            )
            if entry:
                notes.append(entry.note if entry.action == Action.APPROVED else entry.get_action_display())
        problem = None
        if step:
            problem = intent_problem(step, intent, release.published_at, now)
            if problem is None:
                try:
                    with transaction.atomic():
                        for part in COMBINED_STEPS.get(step, (step,)):
                            transition(
                                release, part, user, expected_version=release.version, note=note, now=now
                            )
                except WorkflowError as exc:
                    problem = str(exc)
                    release.refresh_from_db()
        outcome.messages.append(_outcome_message(release, entry, step, problem))
        _record(release, user, "; ".join(map(str, notes)))
        rendering.store_body(release)  # the body rendered once, as saved
    return outcome


def _outcome_message(release, entry, step, problem):
    """One message for one save: what was saved, what the step did or why it did not, and where
    the release stands now (a phrase, not a label in lower case)."""
    title = {"title": release.title, "state": state_phrase(release)}
    parts = [_("„%(title)s“ ist gespeichert.") % title]
    if entry and entry.action == Action.BACK_TO_REVIEW:
        parts.append(
            _("Weil der Inhalt nach der Freigabe geändert wurde, muss er erneut freigegeben werden.")
        )
    elif entry and entry.action == Action.APPROVED:
        parts.append(_("Ihre Korrektur gehört zur Freigabe; die Redaktion wird darüber informiert."))
    level = messages.SUCCESS
    if problem:
        parts.append(problem)
        level = messages.ERROR
    elif entry and entry.action == Action.BACK_TO_REVIEW:
        level = messages.WARNING
    parts.append(_("Die Mitteilung %(state)s.") % title)
    return level, " ".join(str(part) for part in parts)


def add_correction(correction, user):
    """Publish a dated correction under its (published) release and log it."""
    release = correction.release
    with transaction.atomic(), events.tracked(release, user, "correction"):
        new = correction.pk is None
        if new:
            correction.created_by = user
        correction.save()
        if new:
            audit(release, Action.CORRECTED, user, note=correction.text[:500])
    return correction


def remove_correction(correction, user):
    with transaction.atomic(), events.tracked(correction.release, user, "correction"):
        correction.delete()


def delete_problem(release):
    """Why ``release`` may not be deleted, or None: a scheduled or public release is withdrawn, not
    deleted, so the audit trail and the "withdrawn" page stay; a withdrawn one is kept for that page
    (an administrator may empty it, ``anonymise``)."""
    if release.status == Status.PUBLISHED:
        return _(
            "„%(title)s“ ist veröffentlicht oder geplant und kann nicht gelöscht werden; bitte zurückziehen."
        ) % {"title": release.title}
    if release.status == Status.WITHDRAWN:
        return _(
            "„%(title)s“ ist zurückgezogen und bleibt erhalten: Unter ihrer Adresse steht der Hinweis auf "
            "den Rückzug. Eine Administratorin bzw. ein Administrator kann ihren Inhalt entfernen "
            "(anonymisieren); der Hinweis bleibt."
        ) % {"title": release.title}
    return None


def delete(release, user):
    problem = delete_problem(release)
    if problem:
        raise WorkflowError(problem)
    with transaction.atomic():
        audit(release, Action.DELETED, user, from_status=release.status)
        release.delete()


def anonymise_problem(release, user):
    """Why ``user`` may not anonymise ``release``, or None: only an administrator, only a withdrawn
    release (its content is no longer public; the notice stays)."""
    if not (user is not None and user.is_superuser):
        return _("Anonymisieren dürfen nur Administratorinnen und Administratoren.")
    if release.status != Status.WITHDRAWN:
        return _(
            "„%(title)s“ ist nicht zurückgezogen; anonymisiert werden nur zurückgezogene Mitteilungen."
        ) % {"title": release.title}
    return None


# Emptied by ``anonymise``: the content. Kept: title, times, address and the withdrawal note, which
# the "withdrawn" page shows.
ANONYMISED_FIELDS = {
    "kicker": "",
    "subtitle": "",
    "lead": "",
    "image": None,
    "image_alt": "",
    "image_caption": "",
}


def anonymise(release, user):
    """Remove the content of a withdrawn release (head texts, lead image, every block, corrections,
    preview links, tags and assignments, and the history that holds earlier texts), keeping what
    its "withdrawn" page shows. Logged; raises WorkflowError if not allowed."""
    with transaction.atomic():
        locked = PressRelease.objects.select_for_update().get(pk=release.pk)
        problem = anonymise_problem(locked, user)
        if problem:
            raise WorkflowError(problem)
        for name, value in ANONYMISED_FIELDS.items():
            setattr(locked, name, value)
        locked.version += 1
        locked.save(update_fields=[*ANONYMISED_FIELDS, "version", "updated_at"])
        for model in BLOCK_MODELS:
            model.objects.filter(parent=locked).delete()
        locked.corrections.all().delete()
        locked.preview_links.all().delete()
        locked.tags.clear()
        locked.partnerships.clear()
        locked.projects.clear()
        history.forget(locked)
        audit(locked, Action.ANONYMISED, user, from_status=locked.status, to_status=locked.status)
    release.refresh_from_db()
    return release


# --- restoring from the history --------------------------------------------------------------------


def _restore_into(release, state, names):
    """Write the content of ``state`` into ``release`` (saved) and return warnings about parts that
    could not come back because what they pointed to has been deleted since."""
    warnings = []
    old = state.release
    for model_field in PressRelease._meta.concrete_fields:
        if model_field.name in WORKFLOW_FIELDS or model_field.name in NOT_RESTORED:
            continue
        setattr(release, model_field.attname, getattr(old, model_field.attname))
    if not names.exists(Image, release.image_id):
        warnings.append(_("Das Aufmacherbild gibt es nicht mehr; die Mitteilung hat nun keines."))
        release.image_id, release.image_alt, release.image_caption = None, "", ""
    if not names.exists(Contact, release.contact_id):
        warnings.append(_("Der Pressekontakt wurde inzwischen gelöscht; bitte neu wählen."))
        release.contact_id = None
    release.save()
    release.partnerships.set([pk for pk in state.partnership_ids if names.exists(Partnership, pk)])
    release.projects.set([pk for pk in state.project_ids if names.exists(Project, pk)])
    if state.tags is not None:
        release.tags.set(state.tags)
    for model in BLOCK_MODELS:
        model.objects.filter(parent=release).delete()
    for block in state.blocks:
        if isinstance(block, ImageBlock) and not names.exists(Image, block.image_id):
            warnings.append(_("Ein Bild im Text gibt es nicht mehr; der Block fehlt."))
            continue
        if isinstance(block, QuoteBlock) and not names.exists(Person, block.speaker_id):
            warnings.append(_("Eine zitierte Person gibt es nicht mehr; das Zitat fehlt."))
            continue
        block.pk = None
        block.parent_id = release.pk
        block._state.adding = True
        block.save()
    return warnings


def restore(release, revision, user, *, expected_version):
    """Bring ``release``'s content back to what ``revision`` holds, as a new revision by ``user``.
    Returns warnings (parts that could not come back). Raises WorkflowError/ConflictError."""
    with transaction.atomic(), reversion.create_revision(), events.tracked(release, user, "restore"):
        locked = PressRelease.objects.select_for_update().get(pk=release.pk)
        if locked.version != expected_version:
            raise ConflictError(locked, expected_version)
        problem = edit_problem(user, locked)
        if problem:
            raise RestoreError(problem)
        state = history.revision_state(revision, locked.pk)
        was_live = locked.state == State.PUBLISHED
        old_published_at = locked.published_at
        locked.version += 1
        warnings = _restore_into(locked, state, history.Names([state]))
        content_saved(locked, user, was_live=was_live, old_published_at=old_published_at)
        note = _("Fassung vom %(when)s") % {"when": _when(revision.date_created)}
        audit(locked, Action.RESTORED, user, from_status=locked.status, to_status=locked.status, note=note)
        reversion.set_user(user)
        reversion.set_comment(_("Wiederhergestellt: %(note)s") % {"note": note})
        history.record(locked)
        rendering.store_body(locked)
        release.refresh_from_db()
    return warnings


def recover(version, user):
    """Bring a deleted release back, as a draft with its blocks, under its old number (so its
    history continues). Returns (release, warnings)."""
    state = history.revision_state(version.revision, int(version.object_id))
    with transaction.atomic(), reversion.create_revision():
        old = state.release
        release = PressRelease(pk=old.pk, title=old.title, published_at=old.published_at)
        release.version = (old.version or 0) + 1
        if PressRelease.objects.filter(slug=old.slug).exists():
            release.slug = ""  # taken meanwhile: a new one from the title
        else:
            release.slug = old.slug
        warnings = _restore_into(release, state, history.Names([state]))
        note = _("Gelöschte Mitteilung wiederhergestellt (Fassung vom %(when)s)") % {
            "when": _when(version.revision.date_created)
        }
        audit(release, Action.RESTORED, user, to_status=release.status, note=note)
        reversion.set_user(user)
        reversion.set_comment(note)
        history.record(release)
        rendering.store_body(release)
    return release, warnings


# --- the import ------------------------------------------------------------------------------------


def _seen_before_import(release):
    """What the history recorded last of ``release`` (before this import), as the signals compare it."""
    data = history.last_recorded(release.pk)
    if data is None:
        return None
    status, published_at = data.get("status"), data.get("published_at")
    if status != Status.PUBLISHED:
        return events.Seen(status, False)
    corrections = tuple(release.corrections.order_by("pk").values_list("pk", "noted_at", "text"))
    return events.Seen(
        status,
        published_at is not None and published_at <= timezone.now(),
        published_at,
        data.get("approved_fingerprint", ""),
        corrections,
    )


def record_import(release, created):
    """An imported release lands in the state its file gives, also "published" with gaps (an archive
    published elsewhere); the press desk lists what is missing. Editors who have it open get a
    version conflict instead of silently overwriting the import. Called by the import after it
    wrote ``release`` (inside its transaction)."""
    previous = None if created else _seen_before_import(release)
    if not created:
        PressRelease.objects.filter(pk=release.pk).update(version=F("version") + 1)
        release.refresh_from_db(fields=["version"])
    if release.status in (Status.APPROVED, Status.PUBLISHED):
        release.approved_fingerprint = approval_fingerprint(release)
        PressRelease.objects.filter(pk=release.pk).update(approved_fingerprint=release.approved_fingerprint)
    if release.status == Status.WITHDRAWN and release.withdrawn_at is None:
        release.withdrawn_at = timezone.now()
        PressRelease.objects.filter(pk=release.pk).update(withdrawn_at=release.withdrawn_at)
    audit(release, Action.IMPORTED, None, to_status=release.status)
    rendering.store_body(release)
    with reversion.create_revision():
        _record(release, None, str(Action.IMPORTED.label))
    events.send_after_import(release, created, previous)
