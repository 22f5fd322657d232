"""Search over published releases and partnerships.

Each release has one ``SearchEntry``: its title, lead, body blocks (text, quotes with their speakers,
image captions, background boxes), tags and partnerships as plain text. The entry is rebuilt once per
transaction, after the release, a block, a tag or a partnership changed (``schedule_rebuild``).

On PostgreSQL the entry carries a weighted ``tsvector`` (configuration ``german``: "Partnerstädte" finds
"Partnerstadt", "ämter" finds "Ämter") searched with ``websearch_to_tsquery``; German compounds, which the
stemmer does not split, are found as substrings of the case-folded text ("Partnerschaft" finds
"Städtepartnerschaft"). Both use GIN indexes (tsvector; pg_trgm for LIKE), see migration 0002. Trigram word
similarity was measured too and was 20–100 times slower (docs/search.md).
Elsewhere (SQLite) every word must occur in the case-folded text ("ämter" finds "Ämter").

The user's words only ever reach the database as query parameters; the query is capped in length and
words, and normalised first as stored text is (``normalise_text``: no control characters, soft hyphens or
zero-width spaces), so a pasted "Jugend\u00adzentrum" finds "Jugendzentrum". The indexed text goes through
the same normaliser: new text is stored normalised, but blocks saved before the normaliser existed may
still hold soft hyphens until they are saved again.
"""

import html as html_module
import re
from dataclasses import dataclass, field

from content_editor.contents import contents_for_item
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
)
from django.db import connection, transaction
from django.db.models import F, FloatField, Q, Value
from django.db.models.functions import Coalesce
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe

from cityhall.library.models import Image, Person
from cityhall.library.text import normalise_text
from partnerships.models import Partnership
from partnerships.templatetags.partnership_tags import country_name

from .models import (
    BLOCK_MODELS,
    BackgroundBlock,
    ImageBlock,
    PressRelease,
    QuoteBlock,
    SearchEntry,
    TextBlock,
)

MAX_QUERY_LENGTH = 200
MAX_TERMS = 10
# Words shorter than this take part in full-text search only: as substrings they match too much ("rat").
MIN_COMPOUND_WORD = 4
SNIPPET_CHARS = 240
# A search ranks (and counts) at most this many of the newest matches (PostgreSQL).
RANK_CANDIDATES = 200
# ts_headline marks matches with these private-use characters; they are removed from every indexed text,
# so the snippet is escaped first and the markers are turned into <mark> afterwards.
MARK_START, MARK_END = "\ue000", "\ue001"
_MARKERS = str.maketrans({MARK_START: None, MARK_END: None})
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(-?)([^\s"]+)')
_WORD = re.compile(r"\w+")


def clean_text(text):
    return " ".join(normalise_text(text).translate(_MARKERS).split())


def html_to_text(markup):
    return clean_text(html_module.unescape(strip_tags(str(markup or "").replace("<", " <"))))


# --- Building the entry ---------------------------------------------------------------------------------


def document_parts(release, blocks):
    """The release's text by weight: A title, B summary and assignment, C body."""
    head = [release.title, release.subtitle]
    summary = [release.kicker, release.lead, release.lead_image_caption]
    summary += [tag.name for tag in release.tags.all()]
    summary += [
        " ".join(filter(None, [p.partner_city, getattr(p, "native_name", "")]))
        for p in release.partnerships.all()
    ]
    body = []
    for block in blocks:
        if isinstance(block, TextBlock):
            body.append(html_to_text(block.html))
        elif isinstance(block, QuoteBlock):
            body += [block.text, block.attribution]
        elif isinstance(block, ImageBlock):
            body.append(block.effective_caption)
        elif isinstance(block, BackgroundBlock):
            body += [block.title, html_to_text(block.html)]
    return {weight: clean_text(" \n ".join(filter(None, map(str, parts)))) for weight, parts in
            (("A", head), ("B", summary), ("C", body))}  # fmt: skip


def rebuild(release_pk):
    """Write the search entry of one release (or remove it when the release is gone)."""
    release = (
        PressRelease.objects.select_related("image")
        .prefetch_related("tags", "partnerships")
        .filter(pk=release_pk)
        .first()
    )
    if release is None:
        SearchEntry.objects.filter(release_id=release_pk).delete()
        return
    parts = document_parts(release, contents_for_item(release, BLOCK_MODELS))
    text = "\n".join(part for part in parts.values() if part)
    SearchEntry.objects.update_or_create(release=release, defaults={"text": text, "folded": text.casefold()})
    if connection.vendor == "postgresql":
        vector = None
        for weight, part in parts.items():
            piece = SearchVector(Value(part), config="german", weight=weight)
            vector = piece if vector is None else vector + piece
        SearchEntry.objects.filter(release=release).update(vector=vector)


def rebuild_all():
    for pk in PressRelease.objects.values_list("pk", flat=True).iterator():
        rebuild(pk)


class _Rebuild:
    """An on-commit callback that rebuilds one release's entry; knows whether it has run."""

    def __init__(self, release_pk):
        self.release_pk = release_pk
        self.done = False

    def __call__(self):
        self.done = True
        rebuild(self.release_pk)


def schedule_rebuild(release_pk):
    """Rebuild once, when the current transaction commits (at once outside a transaction), so a release
    saved with ten blocks in the admin is read once, complete."""
    if release_pk is None:
        return
    for entry in transaction.get_connection().run_on_commit:
        callback = entry[1]
        if isinstance(callback, _Rebuild) and callback.release_pk == release_pk and not callback.done:
            return
    transaction.on_commit(_Rebuild(release_pk))


def _release_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        schedule_rebuild(instance.pk)


def _deleted_with_release(origin):
    model = getattr(origin, "model", type(origin))
    return model is PressRelease


def _block_changed(sender, instance, raw=False, origin=None, **kwargs):
    # A block deleted because its release is deleted needs no new entry.
    if raw or (origin is not None and _deleted_with_release(origin)):
        return
    schedule_rebuild(instance.parent_id)


def _assignment_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if isinstance(instance, PressRelease):
        schedule_rebuild(instance.pk)
    elif isinstance(instance, Partnership) and pk_set:
        for pk in pk_set:
            schedule_rebuild(pk)


def _partnership_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        for pk in instance.press_releases.values_list("pk", flat=True):
            schedule_rebuild(pk)


def _image_saved(sender, instance, raw=False, created=False, **kwargs):
    if raw or created:
        return
    pks = set(instance.lead_for_releases.values_list("pk", flat=True))
    pks |= set(ImageBlock.objects.filter(image=instance).values_list("parent_id", flat=True))
    for pk in pks:
        schedule_rebuild(pk)


def _person_saved(sender, instance, raw=False, created=False, **kwargs):
    if raw or created:
        return
    for pk in set(QuoteBlock.objects.filter(speaker=instance).values_list("parent_id", flat=True)):
        schedule_rebuild(pk)


def connect_signals():
    post_save.connect(_release_saved, sender=PressRelease, dispatch_uid="press_search_release")
    for model in BLOCK_MODELS:
        post_save.connect(_block_changed, sender=model, dispatch_uid=f"press_search_{model.__name__}_save")
        post_delete.connect(_block_changed, sender=model, dispatch_uid=f"press_search_{model.__name__}_del")
    m2m_changed.connect(
        _assignment_changed, sender=PressRelease.partnerships.through, dispatch_uid="press_search_partners"
    )
    # taggit announces tag changes as m2m_changed of its through model, shared by every tagged model.
    m2m_changed.connect(
        _assignment_changed, sender=PressRelease.tags.through, dispatch_uid="press_search_tags"
    )
    post_save.connect(_partnership_saved, sender=Partnership, dispatch_uid="press_search_partnership")
    post_save.connect(_image_saved, sender=Image, dispatch_uid="press_search_image")
    post_save.connect(_person_saved, sender=Person, dispatch_uid="press_search_person")


# --- Searching ---------------------------------------------------------------------------------------------


@dataclass
class Terms:
    """The user's query, cleaned and capped: words and phrases to find, words to leave out."""

    text: str
    include: list = field(default_factory=list)
    exclude: list = field(default_factory=list)

    @classmethod
    def parse(cls, raw):
        text = clean_text(raw)[:MAX_QUERY_LENGTH]
        terms = cls(text=text)
        for quote_minus, phrase, word_minus, word in _TOKEN.findall(text):
            value = " ".join((phrase or word).split()).casefold()
            if not _WORD.search(value):
                continue
            target = terms.exclude if (quote_minus or word_minus) else terms.include
            if len(terms.include) + len(terms.exclude) < MAX_TERMS:
                target.append(value)
        return terms

    @property
    def websearch(self):
        """The capped query for websearch_to_tsquery: as typed, limited to MAX_TERMS terms."""
        parts = [f'"{term}"' if " " in term else term for term in self.include]
        parts += [f'-"{term}"' if " " in term else f"-{term}" for term in self.exclude]
        return " ".join(parts)

    @property
    def compound_words(self):
        return [w for term in self.include for w in _WORD.findall(term) if len(w) >= MIN_COMPOUND_WORD]

    @property
    def highlight_words(self):
        return [w for term in self.include for w in _WORD.findall(term)]

    def __bool__(self):
        return bool(self.include)


def search_releases(terms, queryset=None):
    """Published releases matching ``terms``, best first; each has ``rank`` and, on PostgreSQL, ``headline``
    (escaped HTML with <mark>, or "" when only a compound matched)."""
    queryset = PressRelease.objects.published() if queryset is None else queryset
    if not terms:
        return queryset.none()
    if connection.vendor == "postgresql":
        return _search_postgresql(terms, queryset)
    return _search_casefolded(terms, queryset)


def _search_postgresql(terms, queryset):
    """Full text (GIN on the stored tsvector) or every compound word in the folded text (GIN trigram);
    of the matches only the newest ``RANK_CANDIDATES`` are ranked and counted, so a word found in
    every other release costs what a rare one does."""
    query = SearchQuery(terms.websearch, config="german", search_type="websearch")
    match = Q(search_entry__vector=query)
    compounds = terms.compound_words
    if compounds:
        # German compounds: every word inside the case-folded text (LIKE, served by the trigram index).
        compound_match = Q()
        for word in compounds:
            compound_match &= Q(search_entry__folded__contains=word)
        for term in terms.exclude:
            compound_match &= ~Q(search_entry__folded__contains=term)
        match |= compound_match
    # Walking the releases newest first (index), each checked against its entry, stops after
    # RANK_CANDIDATES for a common word; a rare one is found through the GIN index. The ids are read
    # once, so that the count and the page do not search again.
    candidates = queryset.filter(match).order_by("-published_at", "-pk").values_list("pk", flat=True)
    return (
        queryset.model.objects.filter(pk__in=list(candidates[:RANK_CANDIDATES]))
        .annotate(
            rank=Coalesce(SearchRank(F("search_entry__vector"), query), 0.0, output_field=FloatField()),
            headline=SearchHeadline(
                "search_entry__text",
                query,
                config="german",
                start_sel=MARK_START,
                stop_sel=MARK_END,
                max_words=35,
                min_words=15,
                max_fragments=2,
                fragment_delimiter=" … ",
            ),
        )
        .order_by("-rank", "-published_at", "-pk")
    )


def _search_casefolded(terms, queryset):
    for term in terms.include:
        queryset = queryset.filter(search_entry__folded__contains=term)
    for term in terms.exclude:
        queryset = queryset.exclude(search_entry__folded__contains=term)
    return queryset.annotate(rank=Value(0.0, output_field=FloatField())).order_by("-published_at", "-pk")


def snippet(release, terms):
    """The release's text around the first match, escaped, with the matches in <mark>."""
    headline = getattr(release, "headline", "") or ""
    if MARK_START in headline:
        marked = escape(headline).replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
        return mark_safe(marked)  # noqa: S308 - escaped above; only our own markers become tags
    entry = getattr(release, "search_entry", None)
    text = entry.text if entry else release.lead
    return highlight(text, terms.highlight_words)


def highlight(text, words):
    """An excerpt of ``text`` around the first of ``words`` (matched ignoring case, also inside
    compounds), escaped, with every occurrence marked."""
    text = " ".join(str(text or "").split())
    words = sorted({w for w in words if w}, key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE) if words else None
    start = 0
    first = pattern.search(text) if pattern else None
    if first and first.start() > SNIPPET_CHARS // 3:
        start = text.rfind(" ", 0, first.start() - SNIPPET_CHARS // 3) + 1
    end = min(len(text), start + SNIPPET_CHARS)
    if end < len(text):
        end = text.rfind(" ", start, end) if text.rfind(" ", start, end) > start else end
    excerpt = text[start:end]
    pieces, last = [], 0
    for match in pattern.finditer(excerpt) if pattern else ():
        pieces += [escape(excerpt[last : match.start()]), "<mark>", escape(match.group()), "</mark>"]
        last = match.end()
    pieces.append(escape(excerpt[last:]))
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(prefix + "".join(pieces) + suffix)  # noqa: S308 - every piece of text is escaped


def search_partnerships(terms, partnerships):
    """Partnerships (few, already loaded) whose names, country or summary contain every word."""
    if not terms:
        return []
    found = []
    for partnership in partnerships:
        haystack = " ".join(
            str(value or "")
            for value in (
                partnership.partner_city,
                getattr(partnership, "native_name", ""),
                country_name(partnership.country),
                partnership.summary,
            )
        ).casefold()
        if all(term in haystack for term in terms.include) and not any(t in haystack for t in terms.exclude):
            found.append(partnership)
    return found
