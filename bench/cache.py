"""The page cache and more than one app server, measured with real servers: gunicorn (2 sync workers),
Redis, PostgreSQL (BENCH_DATABASE_URL, else a throwaway cluster made here with initdb/pg_ctl), and wrk
on 127.0.0.1. Prints:

1. a cached release page against a bare Django view returning the same bytes through the same
   middleware (the framework's ceiling): requests per second of both and their ratio (goal ≥ 0.8);
2. a spike of 100× the normal rate (10 → 1,000 requests per second, bounded by wrk's delay()) on a
   release published a moment before, while another release is published in the admin: errors
   (goal 0) and latency;
3. a release published in the admin of one instance, visible on the list page of both (goal < 1 s).

    .venv/bin/python bench/cache.py    # BENCH_SECONDS=5 per wrk run, BENCH_ROUNDS=3, BENCH_REDIS_URL
"""

import contextlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.cache.servers import Browser, Cluster, Gunicorn, anonymous_get, manage, shell, site_env  # noqa: E402

SECONDS = int(os.environ.get("BENCH_SECONDS", "5"))
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/3")
RELEASES = 60
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))

SEED = f"""
from press import workflow
from tests.factories import add_text, make_contact, make_release, make_user
speaker = make_user("sprecherin", "Pressesprecher/in")
editor = make_user("redakteurin", "Redaktion")
speaker2 = make_user("sprecher", "Pressesprecher/in")
contact = make_contact()
tags = ["Kultur", "Verkehr", "Umwelt", "Schule", "Sport"]
for n in range({RELEASES}):
    release = make_release(title=f"Mitteilung {{n}}", contact=contact, tags=[tags[n % 5], tags[(n + 2) % 5]])
    for _ in range(4):
        add_text(release, "<p>" + "Der Rat der Stadt hat heute beschlossen, was lange erwartet wurde. " * 8 + "</p>")
ids = []
for title in ("Eilmeldung Hochwasser", "Zweite Eilmeldung", "Dritte Eilmeldung"):
    waiting = make_release(title=title, status="draft", contact=contact, tags=["Umwelt"])
    add_text(waiting, "<p>Der Pegel steigt.</p>")
    workflow.transition(waiting, "submit", editor)
    workflow.transition(waiting, "approve", speaker2)
    ids.append(str(waiting.pk))
print(" ".join(ids))
"""


def wrk(url, *, connections=8, threads=2, seconds=SECONDS, script=None):
    args = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    if script:
        args += ["-s", script]
    out = subprocess.run([*args, url], capture_output=True, text=True, check=True).stdout  # noqa: S603
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    non2xx = int(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0
    sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    socket_errors = sum(int(g) for g in sock.groups()) if sock else 0
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", out)
    p99_ms = float(p99.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[p99.group(2)] if p99 else float("nan")
    return {"rps": rps, "total": total, "errors": non2xx + socket_errors, "p99_ms": p99_ms}


def cpu_seconds(server):
    """CPU time (user + system) of a gunicorn master and its workers so far: the stable figure on a
    shared machine, where requests per second also measure the neighbours."""
    master = server.process.pid
    pids = [master]
    with contextlib.suppress(OSError):
        pids += [int(p) for p in Path(f"/proc/{master}/task/{master}/children").read_text().split()]
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def measured(server, url):
    before = cpu_seconds(server)
    result = wrk(url)
    result["cpu_ms"] = (cpu_seconds(server) - before) / result["total"] * 1000
    return result


def bounded_script(directory, delay_ms):
    path = Path(directory) / f"delay{delay_ms}.lua"
    path.write_text(f"function delay()\n  return {delay_ms}\nend\n")
    return str(path)


def publish(browser, pk):
    changelist = browser.get("/admin/press/pressrelease/")[2]
    version = re.search(rf'name="_version_{pk}" value="(\d+)"', changelist).group(1)
    status, _, _ = browser.post(
        "/admin/press/pressrelease/",
        {"action": "publish_selected", "_selected_action": [pk], f"_version_{pk}": version, "index": "0"},
    )
    assert status == 302, status


def main():
    if not shutil.which("wrk"):
        sys.exit("wrk is missing (apt-get install -y wrk)")
    tmp = Path(tempfile.mkdtemp(prefix="cityhall-bench-cache-"))
    cluster = None
    database_url = os.environ.get("BENCH_DATABASE_URL")
    if not database_url:
        cluster = Cluster()
        cluster.start()
        name = f"bench_{uuid.uuid4().hex[:8]}"
        cluster.create_database(name)
        database_url = cluster.url(name)
    servers = []
    try:
        bare_file = tmp / "page.html"
        env = site_env(
            database_url,
            REDIS_URL,
            f"bench-{uuid.uuid4().hex[:8]}",
            tmp / "media",
            DJANGO_SETTINGS_MODULE="cache_settings",
            PYTHONPATH=f"{ROOT}{os.pathsep}{ROOT / 'bench'}",
            BENCH_BARE_FILE=bare_file,
            CONN_MAX_AGE=60,
        )
        print(
            f"Seeding {RELEASES} releases ({'PostgreSQL, throwaway cluster' if cluster else database_url})…"
        )
        manage(env, "migrate", "--noinput")
        first, second, third = shell(env, SEED).strip().splitlines()[-1].split()
        one, two = Gunicorn(env, workers=2), Gunicorn(env, workers=1)
        servers += [one, two]
        page = "/pressemitteilungen/mitteilung-30/"
        status, headers, body = anonymous_get(one.base, page)
        status, headers, body = anonymous_get(one.base, page)
        assert (status, headers["X-Cache"]) == (200, "HIT"), (status, headers)
        bare_file.write_bytes(body.encode())
        assert anonymous_get(one.base, "/_bench/bare/")[2] == body

        print(
            f"\n1. Cached page against a bare Django view, {len(body.encode()):,} bytes each "
            f"(gunicorn 2 sync workers, wrk -t2 -c8, best of {ROUNDS} interleaved runs of {SECONDS} s)"
        )
        wrk(one.base + page, seconds=2)  # warm-up
        wrk(one.base + "/_bench/bare/", seconds=2)
        # Interleaved rounds, the best of each: the machine is shared, and a slow second hurts either.
        rounds = [
            (measured(one, one.base + "/_bench/bare/"), measured(one, one.base + page)) for _ in range(ROUNDS)
        ]
        bare = max((r[0] for r in rounds), key=lambda r: r["rps"])
        cached = max((r[1] for r in rounds), key=lambda r: r["rps"])
        bare_cpu = min(r[0]["cpu_ms"] for r in rounds)
        cached_cpu = min(r[1]["cpu_ms"] for r in rounds)
        for label, result, cpu in (
            ("bare Django view", bare, bare_cpu),
            ("cached page     ", cached, cached_cpu),
        ):
            print(
                f"   {label} : {cpu:.3f} ms app CPU per request, {result['rps']:6.0f} req/s, p99 {result['p99_ms']:.1f} ms"
            )
        print(
            f"   cached / bare    : CPU per request {cached_cpu / bare_cpu:.2f}× (goal ≤ 1.25×), "
            f"requests per second {cached['rps'] / bare['rps']:.2f} (goal ≥ 0.80)"
        )

        editor = Browser(one.base)
        editor.login("sprecherin", "x")
        publish(editor, first)
        fresh = "/pressemitteilungen/eilmeldung-hochwasser/"
        normal = wrk(one.base + fresh, connections=5, threads=1, seconds=4, script=bounded_script(tmp, 1000))
        print(f"\n2. Spike on a fresh release ({fresh}) while another is published")
        print(f"   normal rate      : {normal['rps']:8.1f} req/s  errors {normal['errors']}")
        result = {}
        spike = threading.Thread(
            target=lambda: result.update(
                wrk(one.base + fresh, connections=500, threads=2, script=bounded_script(tmp, 1000))
            )
        )
        spike.start()
        time.sleep(SECONDS / 3)
        started = time.monotonic()
        publish(editor, second)
        publish_took = time.monotonic() - started
        spike.join()
        print(
            f"   spike (bounded to 500 req/s): {result['rps']:8.1f} req/s = {result['rps'] / normal['rps']:.0f}× "
            f"normal, {result['total']:,} requests, errors {result['errors']} (goal 0), p99 {result['p99_ms']:.1f} ms"
        )
        print(f"   publish in the admin during the spike took {publish_took * 1000:.0f} ms")

        print("\n3. Publish on one instance, visible on both")
        for server in (one, two):
            anonymous_get(server.base, "/pressemitteilungen/")
            assert anonymous_get(server.base, "/pressemitteilungen/")[1]["X-Cache"] == "HIT"
        started = time.monotonic()
        publish(editor, third)
        published = time.monotonic()
        seen = {}
        while len(seen) < 2 and time.monotonic() - published < 10:
            for label, server in (("instance 1", one), ("instance 2", two)):
                if (
                    label not in seen
                    and "Dritte Eilmeldung" in anonymous_get(server.base, "/pressemitteilungen/")[2]
                ):
                    seen[label] = time.monotonic() - published
        print(f"   publishing in the admin (change list and action): {(published - started) * 1000:.0f} ms")
        for label in ("instance 1", "instance 2"):
            print(
                f"   visible on {label} {seen.get(label, float('inf')) * 1000:.0f} ms after it (goal < 1,000 ms)"
            )
    finally:
        for server in servers:
            server.stop()
        if cluster:
            cluster.remove()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
