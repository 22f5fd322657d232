"""Partnership pages: median and p95 time and SQL queries, on Düsseldorf's demo partnerships with many
projects and releases; and the cost of drawing the map (cold: coastlines read and simplified; warm: cached).

Usage: .venv/bin/python bench/partnerships.py [--projects N] [--releases N] [--requests N]
Uses a fresh temporary SQLite database unless BENCH_DATABASE_URL names another one
(for PostgreSQL: BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/cityhall_bench).
"""

import argparse
import statistics
import time

from benchenv import ROOT, prepare


def timed(function, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), sorted(times)[max(int(len(times) * 0.95) - 1, 0)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=40, help="projects per partnership")
    parser.add_argument("--releases", type=int, default=200, help="releases naming Chemnitz")
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()

    prepare()
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test import Client
    from django.urls import reverse

    call_command("import_content", str(ROOT / "demo" / "content.json"), verbosity=0)
    call_command("import_content", str(ROOT / "demo" / "partnerships.json"), verbosity=0)

    from partnerships import map as partner_map
    from partnerships.models import Partnership, Theme
    from tests import factories as f

    t0 = time.perf_counter()
    themes = [Theme.objects.get_or_create(name=name)[0] for name in ("Jugend", "Sport", "Kultur", "Bildung")]
    partnerships = list(Partnership.objects.all())
    for partnership in partnerships:
        for n in range(args.projects):
            f.make_project(partnership, title=f"Projekt {n}", year=1990 + n % 35).themes.add(
                *themes[: n % 4 + 1]
            )
    chemnitz = Partnership.objects.get(slug="chemnitz")
    for n in range(args.releases):
        f.make_release(title=f"Meldung {n}", tags=["Chemnitz", f"Thema {n % 7}"], partnerships=[chemnitz])
    print(
        f"fixture: {len(partnerships)} partnerships × {args.projects} projects, {args.releases} releases "
        f"in {time.perf_counter() - t0:.1f}s on {connection.vendor}"
    )

    partner_map._land_path.cache_clear()
    partner_map._land_rings.cache_clear()
    start = time.perf_counter()
    partner_map.build_map(partnerships)
    cold = (time.perf_counter() - start) * 1000
    warm, warm_p95 = timed(lambda: partner_map.build_map(partnerships), args.requests)
    drawn = partner_map.build_map(partnerships)
    print(
        f"map: cold {cold:.1f} ms, warm median {warm:.2f} ms (p95 {warm_p95:.2f}), land path {len(drawn.land)} bytes"
    )

    client = Client()
    pages = {
        "overview": "/partnerstaedte/",
        "chemnitz": chemnitz.get_absolute_url(),
        "chemnitz p.5": chemnitz.get_absolute_url() + "?page=5",
        "moskau": "/partnerstaedte/moskau/",
        "themes": "/partnerstaedte/themen/",
        "atom feed": reverse("press:partnership_feed_atom", args=[chemnitz.slug]),
    }
    print(f"{'page':<14} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'KiB':>6}")
    for name, url in pages.items():
        sizes = []

        def fetch(url=url, sizes=sizes):
            reset_queries()
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            sizes.append(len(response.content))

        median, p95 = timed(fetch, args.requests)
        print(f"{name:<14} {median:>10.1f} {p95:>8.1f} {len(connection.queries):>8} {sizes[-1] / 1024:>6.1f}")


if __name__ == "__main__":
    main()
