"""Search: time and recall of the ways to find German compounds, on a generated corpus.

Usage: .venv/bin/python bench/search.py [--releases N] [--repeat N]
       (PostgreSQL: BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/cityhall_bench; on SQLite only the
       case-folded substring search runs.)

Variants, each over the same published releases and queries:
  fts         websearch_to_tsquery('german') on the weighted tsvector (GIN index): stems, but no compound parts
  fts+substr  fts OR every word as a substring of the case-folded text (GIN gin_trgm_ops index serves the
              LIKE) — what press.search does, with rank and ts_headline snippets
  fts+trgm    fts OR pg_trgm word similarity (<%) of every word (GIN gin_trgm_ops index on the text)
Recall: share of the releases that contain the word (also inside a compound, any case) that are found.
"""

import argparse
import random
import statistics
import time

from benchenv import prepare

WORDS = [
    "der",
    "die",
    "das",
    "und",
    "mit",
    "für",
    "von",
    "zu",
    "im",
    "auf",
    "dem",
    "den",
    "eine",
    "ein",
    "Stadt",
    "Rat",
    "Verwaltung",
    "Bürgerinnen",
    "Bürger",
    "Projekt",
    "Jugend",
    "Schule",
    "Kultur",
    "Sport",
    "Verkehr",
    "Haushalt",
    "Sitzung",
    "Beschluss",
    "Ausschuss",
    "Straße",
    "Brücke",
    "Rhein",
    "Park",
    "Kinder",
    "Familien",
    "Wohnungen",
    "Bau",
    "Förderung",
    "Gespräch",
    "Besuch",
    "Austausch",
    "Treffen",
    "Delegation",
    "Ausstellung",
    "Konzert",
    "Fest",
]
COMPOUNDS = [
    "Städtepartnerschaft",
    "Partnerstadt",
    "Partnerstädte",
    "Kulturhauptstadt",
    "Oberbürgermeister",
    "Bürgerbegegnung",
    "Jugendaustausch",
    "Radwegenetz",
    "Haushaltsplan",
    "Schulneubau",
    "Stadtratssitzung",
    "Sportstättenförderung",
    "Rheinufer",
]
QUERIES = ["Partnerschaft", "Kultur", "Begegnung", "Radweg", "Austausch", "Partnerstädte", "Haushalt"]


def make_text(rng, words):
    return " ".join(rng.choice(WORDS) if rng.random() > 0.08 else rng.choice(COMPOUNDS) for _ in range(words))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--releases", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()

    prepare(record_queries=False)
    from django.db import connection
    from django.db.models import Q

    from press.models import PressRelease, TextBlock
    from press.search import Terms, rebuild_all, search_releases

    rng = random.Random(6)  # noqa: S311 - a reproducible corpus, not secrets
    t0 = time.perf_counter()
    releases = PressRelease.objects.bulk_create(
        PressRelease(title=make_text(rng, 8), lead=make_text(rng, 30), slug=f"m-{i}", status="published")
        for i in range(args.releases)
    )
    TextBlock.objects.bulk_create(
        TextBlock(parent=r, region="body", ordering=10 * b, html=f"<p>{make_text(rng, 60)}</p>")
        for r in releases
        for b in range(3)
    )
    rebuild_all()
    print(
        f"corpus: {args.releases} releases, ~210 words each, on {connection.vendor} ({time.perf_counter() - t0:.0f}s)"
    )

    def _query(terms):
        from django.contrib.postgres.search import SearchQuery

        return SearchQuery(terms.websearch, config="german", search_type="websearch")

    def fts_variant(terms, queryset):
        return queryset.filter(search_entry__vector=_query(terms))

    def trigram_variant(terms, queryset):
        words = Q()
        for word in terms.compound_words:
            words &= Q(search_entry__text__trigram_word_similar=word)
        return queryset.filter(Q(search_entry__vector=_query(terms)) | words)

    variants = {"fts+substr": search_releases}
    if connection.vendor == "postgresql":
        # The trigram variant needs a trigram index on ``text`` (the shipped one is on ``folded``).
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE INDEX IF NOT EXISTS bench_text_trgm ON press_searchentry USING gin (text gin_trgm_ops)"
            )
        variants = {"fts": fts_variant, "fts+substr": search_releases, "fts+trgm": trigram_variant}

    published = PressRelease.objects.published()
    print(
        f"{'query':<14} {'variant':<11} {'found':>6} {'relevant':>9} {'recall':>7} {'median ms':>10} {'p95 ms':>8}"
    )
    for raw in QUERIES:
        terms = Terms.parse(raw)
        relevant = published.filter(search_entry__folded__contains=raw.casefold()).count()
        for name, variant in variants.items():
            times = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                found = variant(terms, published)
                count = found.count()
                list(found.order_by("-published_at")[:20]) if name != "fts+substr" else list(found[:20])
                times.append((time.perf_counter() - start) * 1000)
            recall = (
                found.filter(search_entry__folded__contains=raw.casefold()).count() / relevant
                if relevant
                else 1
            )
            p95 = sorted(times)[max(0, int(len(times) * 0.95) - 1)]
            print(
                f"{raw:<14} {name:<11} {count:>6} {relevant:>9} {recall:>7.0%} "
                f"{statistics.median(times):>10.1f} {p95:>8.1f}"
            )


if __name__ == "__main__":
    main()
