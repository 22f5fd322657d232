"""The public site and the admin at a city's scale: CPU per request of the app plus PostgreSQL.

Usage: .venv/bin/python bench/scale.py [--sizes 10000,100000] [--requests 200]
       BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/cityhall_perf_bench (the default)

Builds the releases once per size in that database (bulk writes: releases, text, quote and image
blocks, three tags each, search entries; kept between runs and grown when a larger size is asked),
then for each page runs the requests in this process through Django's test client (DEBUG off, no
page cache) and prints, per request:

- CPU: app (``time.process_time()`` of this process, Django and the client) plus database (user and
  system time of this connection's PostgreSQL backend, from /proc/<pg_backend_pid()>/stat, read
  before and after the batch; the database runs on this machine), divided by the requests;
- wall time p50/p95/p99 and the SQL queries of one request;
- the ceiling: a bare Django view returning the same bytes, measured the same way.

And the import rate of ``manage.py import_content`` over a generated file (``--import-releases``).
"""

import argparse
import datetime
import os
import random
import shutil
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cityhall_perf_bench")

os.environ.setdefault("CONN_MAX_AGE", "600")  # one connection, as a gunicorn worker keeps it

import benchenv  # noqa: F401 - points Django at the database and the settings

WORDS = [
    "Rathaus",
    "Bürgerinnen",
    "Verkehr",
    "Radweg",
    "Schule",
    "Kita",
    "Sanierung",
    "Haushalt",
    "Partnerschaft",
    "Kultur",
    "Museum",
    "Theater",
    "Sport",
    "Stadion",
    "Park",
    "Baum",
    "Umwelt",
    "Klima",
    "Energie",
    "Wohnung",
    "Quartier",
    "Brücke",
    "Straße",
    "Hafen",
    "Markt",
    "Festival",
    "Konzert",
    "Ausstellung",
    "Bibliothek",
    "Feuerwehr",
    "Polizei",
    "Ordnung",
    "Gesundheit",
    "Senioren",
    "Jugend",
    "Integration",
    "Wirtschaft",
    "Handwerk",
    "Innovation",
    "Digitalisierung",
    "Verwaltung",
    "Rat",
    "Ausschuss",
    "Beschluss",
    "Delegation",
    "Besuch",
    "Austausch",
    "Projekt",
    "Förderung",
    "Millionen",
    "Euro",
    "Jahr",
    "Woche",
    "Eröffnung",
    "Baustelle",
]
COMMON = "Stadt"  # in every release
RARE = "Zeppelinlandeplatz"  # in one release of 5,000
TAGS = [f"Thema {i}" for i in range(60)]


def paragraph(rng, words=60):
    return " ".join(rng.choice(WORDS) for _ in range(words))


def build(size):
    """Grow the archive to ``size`` published releases with bulk writes; returns seconds taken."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.files.base import ContentFile
    from django.db import connection, transaction
    from django.utils import timezone
    from taggit.models import Tag, TaggedItem

    from cityhall.library.models import Contact, Image, Person
    from press.models import (
        ArchiveMonth,
        ImageBlock,
        PressRelease,
        QuoteBlock,
        RenderedBody,
        SearchEntry,
        TextBlock,
    )
    from press.rendering import body_parts
    from press.search import document_parts
    from tests import factories as f

    have = PressRelease.objects.count()
    if have >= size:
        fill_bodies()
        return 0.0
    start = time.perf_counter()
    rng = random.Random(have)  # noqa: S311 - test data
    images = list(Image.objects.all()[:5]) or [
        f.make_image(file=ContentFile(f.image_bytes(size=(1200, 800)), name=f"bild{i}.jpg")) for i in range(5)
    ]
    person = Person.objects.filter(name="Stephan Keller").first() or f.make_person(
        name="Stephan Keller", office={"role": "Oberbürgermeister", "organisation": "Stadt"}
    )
    contact = Contact.objects.filter(name="Presseamt").first() or f.make_contact(name="Presseamt")
    tags = [
        Tag.objects.get_or_create(name=name, defaults={"slug": name.lower().replace(" ", "-")})[0]
        for name in TAGS
    ]
    content_type = ContentType.objects.get_for_model(PressRelease)
    now = timezone.now()
    span = datetime.timedelta(days=20 * 365)
    batch = 2000
    for first in range(have, size, batch):
        n = min(batch, size - first)
        with transaction.atomic():
            releases = []
            for i in range(first, first + n):
                rare = f" {RARE}" if i % 5000 == 17 else ""
                releases.append(
                    PressRelease(
                        title=f"{COMMON} {rng.choice(WORDS)} {rng.choice(WORDS)} {i}",
                        slug=f"mitteilung-{i}",
                        kicker=rng.choice(WORDS),
                        lead=f"Die {COMMON} meldet: {paragraph(rng, 25)}{rare}.",
                        status=PressRelease.Status.PUBLISHED,
                        published_at=now - span * rng.random() - datetime.timedelta(hours=1),
                        image=rng.choice(images),
                        contact=contact,
                    )
                )
            PressRelease.objects.bulk_create(releases)
            texts, quotes, pictures, tagged = [], [], [], []
            for release in releases:
                texts += [
                    TextBlock(parent=release, region="body", ordering=10 * k, html=f"<p>{paragraph(rng)}</p>")
                    for k in (1, 3)
                ]
                quotes.append(
                    QuoteBlock(
                        parent=release,
                        region="body",
                        ordering=20,
                        speaker=person,
                        text=paragraph(rng, 20),
                        role="Oberbürgermeister",
                        organisation="Stadt",
                    )
                )
                pictures.append(
                    ImageBlock(parent=release, region="body", ordering=40, image=rng.choice(images))
                )
                tagged += [
                    TaggedItem(content_type=content_type, object_id=release.pk, tag=tag)
                    for tag in rng.sample(tags, 3)
                ]
            TextBlock.objects.bulk_create(texts)
            QuoteBlock.objects.bulk_create(quotes)
            ImageBlock.objects.bulk_create(pictures)
            TaggedItem.objects.bulk_create(tagged)
            blocks = {}
            for block in texts + quotes + pictures:
                blocks.setdefault(block.parent_id, []).append(block)
            entries = []
            for release in (
                PressRelease.objects.filter(pk__in=[r.pk for r in releases])
                .prefetch_related("tags", "partnerships")
                .select_related("image")
            ):
                parts = document_parts(release, sorted(blocks[release.pk], key=lambda b: b.ordering))
                text = "\n".join(part for part in parts.values() if part)
                entries.append(SearchEntry(release=release, text=text, folded=text.casefold()))
            SearchEntry.objects.bulk_create(entries)
            RenderedBody.objects.bulk_create(
                RenderedBody(
                    release=release,
                    parts=body_parts(release, sorted(blocks[release.pk], key=lambda b: b.ordering)),
                )
                for release in releases
            )
            with connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE press_searchentry SET vector = to_tsvector('german', text) "
                    "WHERE release_id = ANY(%s)",
                    [[r.pk for r in releases]],
                )
        print(f"  built {first + n:,} releases ({time.perf_counter() - start:.0f} s)", flush=True)
    ArchiveMonth.objects.rebuild()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return time.perf_counter() - start


def fill_bodies():
    """Render the bodies not kept yet (releases built before bodies were kept), as the write path would."""
    from content_editor.contents import contents_for_items

    from press.models import BLOCK_MODELS, PressRelease, RenderedBody
    from press.rendering import body_parts

    while True:
        releases = list(PressRelease.objects.filter(rendered_body__parts__isnull=True)[:2000])
        releases += list(PressRelease.objects.filter(rendered_body__isnull=True)[:2000])
        if not releases:
            return
        contents = contents_for_items(releases, BLOCK_MODELS)
        RenderedBody.objects.filter(release__in=releases).delete()
        RenderedBody.objects.bulk_create(
            RenderedBody(release=release, parts=body_parts(release, list(contents[release])))
            for release in releases
        )
        print(f"  kept the bodies of {len(releases):,} releases", flush=True)


def backend_cpu(connection):
    """User plus system CPU seconds of this connection's PostgreSQL backend so far."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class App:
    """The WSGI application as gunicorn calls it (no test client instrumentation), with a session."""

    def __init__(self, cookie=""):
        from django.core.handlers.wsgi import WSGIHandler

        self.handler = WSGIHandler()
        self.cookie = cookie

    def get(self, url):
        from django.test.client import RequestFactory

        path, _, query = url.partition("?")
        environ = RequestFactory()._base_environ(PATH_INFO=path, QUERY_STRING=query, HTTP_COOKIE=self.cookie)
        result = {}

        def start_response(status, headers):
            result["status"], result["headers"] = int(status.split()[0]), dict(headers)

        body = b"".join(self.handler(environ, start_response))
        return result["status"], result["headers"], body


def measure(app, url, requests, connection):
    for _ in range(5):
        app.get(url)
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        status, headers, body = app.get(url)
    assert status == 200, (url, status)
    walls = []
    db_before, app_before = backend_cpu(connection), time.process_time()
    for _ in range(requests):
        start = time.perf_counter()
        app.get(url)
        walls.append((time.perf_counter() - start) * 1000)
    app_cpu = (time.process_time() - app_before) * 1000 / requests
    db = (backend_cpu(connection) - db_before) * 1000 / requests
    walls.sort()

    def pct(p):
        return walls[min(len(walls) - 1, int(len(walls) * p))]

    return {
        "cpu": app_cpu + db,
        "app": app_cpu,
        "db": db,
        "p50": statistics.median(walls),
        "p95": pct(0.95),
        "p99": pct(0.99),
        "queries": len(queries),
        "bytes": body,
        "type": headers["Content-Type"],
    }


def pages(size):
    from django.urls import reverse

    from press.models import PressRelease

    last_page = min(5000, (size + 19) // 20)
    middle = PressRelease.objects.order_by("pk").values_list("slug", flat=True)[size // 2]
    return {
        "release detail": reverse("press:detail", args=[middle]),
        "list page 1": reverse("press:list"),
        f"list page {last_page:,}": reverse("press:list") + f"?page={last_page}",
        "Atom feed": reverse("press:feed_atom"),
        "search common word": reverse("press:search") + f"?q={COMMON}",
        "search rare word": reverse("press:search") + f"?q={RARE}",
        "admin change list": reverse("admin:press_pressrelease_changelist"),
        "admin search": reverse("admin:press_pressrelease_changelist") + f"?q={WORDS[3]}",
    }


def import_rate(count):
    """Releases per second of the import (``press.interchange.import_file``) of a file holding ``count``
    copies of the demo release (blocks, quotes, tags, lead image), each under its own slug; removed after."""
    import json
    import tempfile

    from press.interchange import import_file
    from press.models import PressRelease

    demo = Path(__file__).resolve().parent.parent / "demo"
    data = json.loads((demo / "content.json").read_text(encoding="utf-8"))
    template = data["releases"][0]
    run = int(time.time())
    data["releases"] = [
        {**template, "slug": f"import-{run}-{i}", "title": f"{template['title']} ({i})"} for i in range(count)
    ]
    directory = Path(tempfile.mkdtemp(prefix="cityhall-import-"))
    shutil.copytree(demo / "images", directory / "images")  # the import refuses symbolic links
    (directory / "content.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    start = time.perf_counter()
    import_file(directory / "content.json")
    took = time.perf_counter() - start
    PressRelease.objects.filter(slug__startswith=f"import-{run}-").delete()
    return count / took


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000", help="release counts, comma-separated")
    parser.add_argument("--requests", type=int, default=200, help="requests per page and size")
    parser.add_argument("--import-releases", type=int, default=0, help="also time an import of N releases")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.WHITENOISE_AUTOREFRESH = False  # as in production: static files indexed once
    call_command("migrate", verbosity=0, interactive=False)
    import bare_urls
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import override_settings

    settings.MEDIA_ROOT = str(Path(settings.MEDIA_ROOT))
    assert connection.vendor == "postgresql", "bench/scale.py measures PostgreSQL (BENCH_DATABASE_URL)"
    admin = User.objects.filter(username="bench").first() or User.objects.create_superuser("bench", "", "x")
    results = {}
    for size in [int(s) for s in args.sizes.split(",") if s]:  # --sizes "": the import rate only
        took = build(size)
        if took:
            print(f"generated {size:,} releases in {took:.0f} s ({size / took:.0f}/s, bulk writes)")
        client = Client()
        client.force_login(admin)
        staff = App(cookie=f"sessionid={client.cookies['sessionid'].value}")
        public = App()
        print(f"\n{size:,} releases, {args.requests} requests each; CPU per request in ms (app + database)")
        print(
            f"{'page':<22}{'CPU':>7}{'app':>7}{'db':>7}{'p50':>7}{'p95':>7}{'p99':>7}{'SQL':>5}{'bare CPU':>10}"
        )
        for name, url in pages(size).items():
            result = measure(staff if name.startswith("admin") else public, url, args.requests, connection)
            bare_urls.BODY.update(content=result["bytes"], content_type=result["type"])
            with override_settings(ROOT_URLCONF="bare_urls"):
                bare = measure(public, "/bare/", args.requests, connection)
            results[(size, name)] = result
            print(
                f"{name:<22}{result['cpu']:>7.2f}{result['app']:>7.2f}{result['db']:>7.2f}"
                f"{result['p50']:>7.1f}{result['p95']:>7.1f}{result['p99']:>7.1f}{result['queries']:>5}"
                f"{bare['cpu']:>10.2f}",
                flush=True,
            )
    if args.import_releases:
        rate = import_rate(args.import_releases)
        print(f"\nimport of {args.import_releases:,} releases: {rate:.1f} releases/s")


if __name__ == "__main__":
    main()
