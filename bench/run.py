"""Speed figures for the public pages: median and p95 time and SQL queries per page.

Usage: make bench   (or: .venv/bin/python bench/run.py [--releases N] [--requests N])
Uses a fresh temporary SQLite database unless BENCH_DATABASE_URL names another one
(for PostgreSQL: BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/cityhall_bench).
"""

import argparse
import statistics
import time

from benchenv import prepare


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--releases", type=int, default=300)
    parser.add_argument("--blocks", type=int, default=12)
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()

    prepare()
    from django.db import connection, reset_queries
    from django.test import Client
    from django.urls import reverse

    from tests import factories as f

    t0 = time.perf_counter()
    person = f.make_person(name="Stephan Keller", honorific="Dr.")
    image = f.make_image()
    partnership = f.make_partnership(partner_city="Chemnitz")
    releases = []
    for i in range(args.releases):
        r = f.make_release(
            tags=[f"Thema {i % 17}", "Internationales"], image=image, partnerships=[partnership]
        )
        for b in range(args.blocks):
            kind = b % 4
            if kind == 0:
                f.add_text(r, html=f"<p>Absatz {b} " + "Text " * 60 + "</p>")
            elif kind == 1:
                f.add_quote(r, person, text="Ein Zitat " * 20)
            elif kind == 2:
                f.add_image(r, image)
            else:
                f.add_background(r)
        releases.append(r)
    print(
        f"fixture: {args.releases} releases × {args.blocks} blocks in {time.perf_counter() - t0:.1f}s "
        f"on {connection.vendor}"
    )

    client = Client()
    pages = {
        "home": reverse("press:home"),
        "list": reverse("press:list"),
        "list p.5": reverse("press:list") + "?page=5",
        "detail": releases[len(releases) // 2].get_absolute_url(),
        "atom feed": reverse("press:feed_atom"),
        "sitemap": reverse("press:sitemap"),
        "partnership": partnership.get_absolute_url(),
    }
    print(f"{'page':<12} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for name, url in pages.items():
        times = []
        for _ in range(args.requests):
            reset_queries()
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        queries = len(connection.queries)
        p95 = sorted(times)[int(len(times) * 0.95) - 1]
        print(f"{name:<12} {statistics.median(times):>10.1f} {p95:>8.1f} {queries:>8}")


if __name__ == "__main__":
    main()
