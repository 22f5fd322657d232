"""The rules of the editorial workflow, without writing anything: the steps and who may take them,
who may change a release at all, what must be true before it goes out, and the fingerprint of its
content (what a reader sees)."""

import hashlib
import json
import re
from dataclasses import dataclass
from datetime import UTC

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from press.models import BLOCK_MODELS, AuditEntry, ImageBlock, PressRelease, QuoteBlock, TextBlock

State = PressRelease.State
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
        "number",  # given by the workflow at publication
        "number_year",
        "created_at",
        "updated_at",
    }
)


# Metadata: who to ask, where it is filed, when and under which address it appears. Changing it
# never resets an approval (the approval is of the content), so the approver's fingerprint
# (``approval_fingerprint``) leaves it out; what readers see as a whole (``fingerprint``) has it.
METADATA_FIELDS = frozenset({"contact", "published_at", "slug"})
METADATA_RELATIONS = frozenset({"tags", "partnerships", "projects"})

# Steps that the change form offers as one button: each part is checked and carried out in turn,
# all or nothing.
COMBINED_STEPS = {"approve_publish": ("approve", "publish")}

# Steps that need a reason, which goes into the audit note and to the author.
STEPS_WITH_REASON = frozenset({"return"})


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
    sources: frozenset  # of PressRelease.State
    target: str  # a PressRelease.Status
    permission: str
    action: str


TRANSITIONS = {
    t.name: t
    for t in (
        Transition(
            "submit",
            gettext_lazy("Zur Prüfung einreichen"),
            frozenset({State.DRAFT}),
            Status.IN_REVIEW,
            "press.submit_pressrelease",
            Action.SUBMITTED,
        ),
        Transition(
            "approve",
            gettext_lazy("Freigeben"),
            frozenset({State.IN_REVIEW}),
            Status.APPROVED,
            "press.approve_pressrelease",
            Action.APPROVED,
        ),
        Transition(
            "return",
            gettext_lazy("Zurück an die Redaktion"),
            frozenset({State.IN_REVIEW, State.APPROVED}),
            Status.DRAFT,
            "press.approve_pressrelease",
            Action.RETURNED,
        ),
        Transition(
            "publish",
            gettext_lazy("Veröffentlichen bzw. zum eingetragenen Zeitpunkt planen"),
            frozenset({State.APPROVED}),
            Status.PUBLISHED,
            "press.publish_pressrelease",
            Action.PUBLISHED,
        ),
        Transition(
            "unschedule",
            gettext_lazy("Planung aufheben"),
            frozenset({State.SCHEDULED}),
            Status.APPROVED,
            "press.publish_pressrelease",
            Action.UNSCHEDULED,
        ),
        Transition(
            "withdraw",
            gettext_lazy("Zurückziehen"),
            frozenset({State.PUBLISHED}),
            Status.WITHDRAWN,
            "press.publish_pressrelease",
            Action.WITHDRAWN,
        ),
    )
}


def state_text(release, now=None):
    """The state as the admin shows it: its label, with the time for a scheduled release."""
    current = release.state_at(now or timezone.now()) if release.pk else State.DRAFT
    if current == State.SCHEDULED:
        return _("Geplant für %(when)s Uhr") % {
            "when": date_format(timezone.localtime(release.published_at), "j. F Y, H:i")
        }
    return str(current.label)


STATE_PHRASES = {
    State.DRAFT: gettext_lazy("ist ein Entwurf"),
    State.IN_REVIEW: gettext_lazy("wartet auf die Freigabe"),
    State.APPROVED: gettext_lazy("ist freigegeben"),
    State.PUBLISHED: gettext_lazy("ist veröffentlicht"),
    State.WITHDRAWN: gettext_lazy("ist zurückgezogen"),
}


def state_phrase(release, now=None):
    """The state inside a sentence ("„…“ ist freigegeben."), not a label in lower case."""
    current = release.state_at(now or timezone.now()) if release.pk else State.DRAFT
    if current == State.SCHEDULED:
        return _("ist für %(when)s Uhr geplant") % {"when": _local(release.published_at)}
    return str(STATE_PHRASES[current])


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
    current = release.state_at(now or timezone.now())
    if current in (State.PUBLISHED, State.WITHDRAWN) and not user.has_perm("press.publish_pressrelease"):
        return _(
            "„%(title)s“ ist %(state)s; ändern darf sie nur die Pressesprecherin bzw. der "
            "Pressesprecher. Für Fehler im veröffentlichten Text bitte eine Korrektur anregen."
        ) % {
            "title": release.title,
            "state": _("zurückgezogen") if current == State.WITHDRAWN else _("veröffentlicht"),
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


def time_lapses_approval(user, release, old_published_at):
    """Moving the time of an approved release decides when the public sees it: the approval covers
    the time it was given for, unless the mover may publish (and so could schedule it anyway)."""
    return (
        release.pk is not None
        and release.status == Status.APPROVED
        and release.published_at != old_published_at
        and not (user is not None and user.has_perm("press.publish_pressrelease"))
    )


def shared_change_problem(user, obj, releases):
    """Why ``user`` may not change what readers see of the library object ``obj`` (an image, a
    quoted person), shown by ``releases`` (approved, scheduled or published ones), or None. Such a
    change alters those releases without review, so it needs the right to change them: the publish
    right. No user (the import, a command) is the operator. Titles are named only to those who may
    see releases; others learn how many."""
    if user is None or not releases or user.has_perm("press.publish_pressrelease"):
        return None
    if user.has_perm("press.view_pressrelease"):
        names = ", ".join(f"„{release.title}“" for release in releases[:5])
        if len(releases) > 5:
            names += " " + _("und %(n)d weiteren") % {"n": len(releases) - 5}
        where = _("in %(names)s") % {"names": names}
    else:
        where = _("in %(n)d Pressemitteilung(en)") % {"n": len(releases)}
    kind = obj._meta.verbose_name
    return _(
        "%(kind)s „%(name)s“ wird %(where)s gezeigt, die freigegeben oder veröffentlicht sind. "
        "Eine Änderung würde dort ohne erneute Prüfung erscheinen; ändern darf sie nur die "
        "Pressesprecherin bzw. der Pressesprecher. Für eine andere Fassung bitte ein neues Objekt "
        "anlegen und in der Mitteilung austauschen (das geht dann durch die Prüfung)."
    ) % {"kind": kind, "name": obj, "where": where}


def accepts_corrections(release):
    """Public corrections go under a published (public or scheduled) release."""
    return release.status == Status.PUBLISHED


def available(user, release, now=None):
    """The transitions ``user`` can start from the release's current state (the rules are checked
    again when one is carried out)."""
    current = release.state_at(now or timezone.now())
    return [t for t in TRANSITIONS.values() if current in t.sources and user.has_perm(t.permission)]


def label(transition, release, now=None, published_at=None):
    """The button's words: what the step will do with ``published_at`` (the time in the form;
    the stored one if not given)."""
    when = published_at or release.published_at
    if transition.name in ("publish", "approve_publish"):
        later = when > (now or timezone.now())
        if transition.name == "approve_publish":
            if later:
                return _("Freigeben und für %(when)s Uhr planen") % {"when": _local(when)}
            return _("Freigeben und veröffentlichen")
        if later:
            return _("Für %(when)s Uhr planen") % {"when": _local(when)}
        return _("Jetzt veröffentlichen")
    return str(transition.label)


@dataclass(frozen=True)
class Combined:
    """Several steps behind one button (``COMBINED_STEPS``)."""

    name: str
    label: str
    parts: tuple


def combined(name):
    return Combined(name, str(_("Freigeben und veröffentlichen")), COMBINED_STEPS[name])


def offered(user, release, now=None):
    """The steps the change form offers ``user`` (transitions and combined steps): an approver who
    may also publish gets "Freigeben und veröffentlichen" as one step beside "Freigeben"."""
    steps = available(user, release, now)
    names = {step.name for step in steps}
    if (
        "approve" in names
        and user.has_perm(TRANSITIONS["publish"].permission)
        and not (release.submitted_by_id is not None and release.submitted_by_id == user.pk)
    ):
        at = next(i for i, step in enumerate(steps) if step.name == "approve")
        steps.insert(at, combined("approve_publish"))
    return steps


def _local(moment):
    return date_format(timezone.localtime(moment), "j. F Y, H:i")


def publish_intent(published_at, now=None):
    """What a publish button promises for ``published_at``, as the form sends it along: "now" or
    the local minute it schedules for ("2026-05-04 10:00")."""
    if published_at is None or published_at <= (now or timezone.now()):
        return "now"
    return timezone.localtime(published_at).strftime("%Y-%m-%d %H:%M")


def intent_problem(step_name, intent, published_at, now=None):
    """Why a publish step must not run although it was clicked: the button promised something else
    than the time in the form would do (e.g. "Jetzt veröffentlichen" with a later time typed in and
    no script to update the button). None when it matches or nothing was promised."""
    if not intent or step_name not in ("publish", "approve_publish"):
        return None
    actual = publish_intent(published_at, now)
    if actual == intent:
        return None
    if intent == "now":
        return _(
            "Nicht veröffentlicht: Sie haben „Jetzt veröffentlichen“ gewählt, im Formular steht aber "
            "der %(when)s Uhr. Bitte den Zeitpunkt prüfen und erneut wählen; die Schaltfläche heißt "
            "jetzt „Für %(when)s Uhr planen“."
        ) % {"when": _local(published_at)}
    return _(
        "Nicht veröffentlicht: Die Schaltfläche versprach einen anderen Zeitpunkt als den im "
        "Formular (%(when)s). Bitte den Zeitpunkt prüfen und erneut wählen."
    ) % {"when": _("jetzt") if actual == "now" else _local(published_at) + " Uhr"}


def reason_problem(step_name, note):
    """A reason is required for some steps ("Zurück an die Redaktion"): the author learns why."""
    if step_name in STEPS_WITH_REASON and not (note or "").strip():
        return _(
            "Für „Zurück an die Redaktion“ bitte einen Grund angeben: Die Redaktion erfährt ihn "
            "mit der Mitteilung."
        )
    return None


def approval_survives(release, user):
    """A change to approved content keeps the approval only when the approver makes it (a
    correction on the way out, recorded and reported to the author); anyone else's change sends
    the release back to review."""
    return release.approved_by_id is not None and user is not None and release.approved_by_id == user.pk


def step_problem(step, release, user, now, note=""):
    """Why ``user`` may not take ``step`` on the (locked) ``release`` now, or None."""
    if not user.has_perm(step.permission):
        return _("„%(title)s“: Für „%(step)s“ fehlt Ihnen die Berechtigung.") % {
            "title": release.title,
            "step": step.label,
        }
    current = release.state_at(now)
    if current not in step.sources:
        return _("„%(title)s“ ist im Stand „%(state)s“; „%(step)s“ geht von dort aus nicht.") % {
            "title": release.title,
            "state": current.label,
            "step": step.label,
        }
    problem = reason_problem(step.name, note)
    if problem:
        return problem
    if step.name in ("submit", "approve", "publish"):
        problems = content_problems(release)
        if problems:
            return _("„%(title)s“: Für „%(step)s“ fehlt noch etwas. %(problems)s") % {
                "title": release.title,
                "step": step.label,
                "problems": " ".join(problems),
            }
    if step.name == "approve" and release.submitted_by_id is not None and release.submitted_by_id == user.pk:
        return _(
            "„%(title)s“: Sie haben die Mitteilung selbst zur Prüfung eingereicht. "
            "Freigeben muss eine andere Person (Vier-Augen-Prinzip)."
        ) % {"title": release.title}
    if step.name == "publish":
        problems = publish_problems(release)
        if problems:
            return _("„%(title)s“ kann noch nicht veröffentlicht werden: %(problems)s") % {
                "title": release.title,
                "problems": " ".join(problems),
            }
        if release.approved_fingerprint != approval_fingerprint(release):
            return _("„%(title)s“ wurde nach der Freigabe geändert und muss erneut geprüft werden.") % {
                "title": release.title
            }
    return None


# --- what must be true before a release goes out ---------------------------------------------------


_TAGS = re.compile(r"<[^>]*>")


def content_problems(release):
    """What a release lacks before it can be submitted (and so approved and published): a lead and
    at least one text block with text. German sentences; empty when nothing is missing."""
    problems = []
    if not (release.lead or "").strip():
        problems.append(_("Der Vorspann fehlt."))
    texts = TextBlock.objects.filter(parent=release).values_list("html", flat=True) if release.pk else []
    if not any(_TAGS.sub("", html or "").replace("&nbsp;", " ").strip() for html in texts):
        problems.append(_("Es fehlt ein Textblock mit Text."))
    return problems


def checklist(release):
    """What is still missing, step by step, for the change form to show before anyone clicks:
    ``{"submit": [...], "publish": [...]}`` (German sentences; empty lists when ready)."""
    submit = content_problems(release)
    publish = publish_problems(release) if release.pk else [_("Es ist kein Pressekontakt angegeben.")]
    return {"submit": submit, "publish": publish}


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


# --- content ---------------------------------------------------------------------------------------


def same_text(value):
    """Text as compared and fingerprinted: browsers send textareas with CRLF, so line ends count as
    LF whatever the form sent (an unchanged save is no change)."""
    return value.replace("\r\n", "\n").replace("\r", "\n")


def _plain(value):
    if isinstance(value, str):
        return same_text(value)
    if value is None or isinstance(value, (bool, int)):
        return value
    return str(value)


# What a block shows of a library object (an image, a quoted person): loaded with the block.
SHOWN_RELATIONS = {ImageBlock: ("image",), QuoteBlock: ("speaker",)}


def _image_seen(image):
    """What a reader sees of a library image: its file (by content), alt text, caption, credit
    (``Image.reader_fields``), so a change in the library is a change of every release showing it."""
    return {
        name: image.content_hash if name == "file" else _plain(getattr(image, name))
        for name in image.reader_fields
    }


def _person_seen(person):
    return {name: _plain(getattr(person, name)) for name in person.reader_fields}


def approval_fingerprint(release):
    """The fingerprint an approval is of: the content (head, lead image, blocks in order) without
    the metadata (``METADATA_FIELDS``, ``METADATA_RELATIONS``)."""
    return fingerprint(release, metadata=False)


def fingerprint(release, *, metadata=True, library=True):
    """A hash of everything a reader sees (head, lead image, tags, partnerships, projects, blocks in
    order, and what the images and quoted people from the library show: file, alt text, caption,
    credit; name), so a change is noticed however it was made, also one made in the library
    (``library=False``: as before that was covered, for the migration that moves approvals over); ``metadata=False`` leaves out what an
    approval is not about (see ``approval_fingerprint``)."""
    head = {
        field.attname: _plain(getattr(release, field.attname))
        for field in PressRelease._meta.concrete_fields
        if field.name not in WORKFLOW_FIELDS and (metadata or field.name not in METADATA_FIELDS)
    }
    if library and release.image_id is not None:
        head["image"] = _image_seen(release.image)
    blocks = []
    for model in BLOCK_MODELS:
        for block in model.objects.filter(parent=release).select_related(*SHOWN_RELATIONS.get(model, ())):
            values = {
                field.attname: _plain(getattr(block, field.attname))
                for field in model._meta.concrete_fields
                if field.attname not in ("id", "parent_id", "ordering")
            }
            if not library:
                pass
            elif model is ImageBlock:
                values["image"] = _image_seen(block.image)
            elif model is QuoteBlock:
                values["speaker"] = _person_seen(block.speaker)
            blocks.append((block.ordering, model._meta.model_name, block.pk, values))
    blocks.sort(key=lambda item: item[:3])
    data = {"head": head, "blocks": [(kind, values) for _order, kind, _pk, values in blocks]}
    if metadata:
        data["tags"] = sorted(name.casefold() for name in release.tags.names())
        data["partnerships"] = sorted(release.partnerships.values_list("pk", flat=True))
        data["projects"] = sorted(release.projects.values_list("pk", flat=True))
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


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
