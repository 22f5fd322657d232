"""Presseverteiler: a release to 10,000 subscribers, then a digest of 20 releases to 10,000, each sent by
two worker processes (``manage.py db_worker``) to a local SMTP server (aiosmtpd, started here); one
worker is killed (SIGKILL) halfway through each run.

Usage: .venv/bin/python bench/verteiler.py [--subscribers N] [--releases N]
       (PostgreSQL: BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/cityhall_mail_bench;
       the database is dropped and made again.)

Prints: the publish request's time (it only enqueues), the time until the SMTP server accepted every
mail, mails/s, worker CPU per mail, the workers' peak memory, and the check: every subscriber got
exactly one mail (distinct Message-IDs and recipients) although a worker died."""

import argparse
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

os.environ.setdefault("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/cityhall_mail_bench")
os.environ["DISTRIBUTION_LEASE_SECONDS"] = "5"  # a dead worker's rows are taken again after 5 s
os.environ["SITE_URL"] = "https://presse.example.org"

from benchenv import ROOT, TMP, prepare

MESSAGE_ID = re.compile(rb"^Message-ID:\s*(<[^>]+>)", re.IGNORECASE | re.MULTILINE)
CLOCK = os.sysconf("SC_CLK_TCK")


class Counter:
    """The SMTP server's handler: counts accepted messages by Message-ID and recipient, parses nothing else."""

    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        self.total, self.ids, self.recipients, self.last = 0, set(), set(), None

    async def handle_DATA(self, server, session, envelope):
        if not any(address.startswith("leser") for address in envelope.rcpt_tos):
            return "250 OK"  # the staff's own notification mails (published, approved) are not counted
        found = MESSAGE_ID.search(envelope.content)
        with self.lock:
            self.total += 1
            self.ids.add(found.group(1) if found else self.total)
            self.recipients.update(envelope.rcpt_tos)
            self.last = time.perf_counter()
        return "250 OK"


def approved(title, editor, speaker):
    from datetime import timedelta

    from django.utils import timezone

    from press import workflow
    from press.models import PressRelease
    from tests.factories import add_text, make_contact, make_image, make_release

    release = make_release(
        status=PressRelease.Status.DRAFT,
        title=title,
        lead="Die Stadt baut zwölf Kilometer Radweg.",
        contact=make_contact(),
        image=make_image(credit="Foto: Max Mustermann"),
        published_at=timezone.now() - timedelta(minutes=1),
    )
    add_text(release, "<p>Der erste Abschnitt wird im Frühjahr fertig.</p>" * 5)
    workflow.transition(release, "submit", editor)
    workflow.transition(release, "approve", speaker)
    return release


def fresh_database(url):
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


def cpu_seconds(pid):
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK  # utime + stime


def peak_rss_mb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Workers:
    started = []

    def __init__(self, env, count=2):
        Workers.started.append(self)
        command = [
            sys.executable,
            "manage.py",
            "db_worker",
            "--interval",
            "0.1",
            "--no-startup-delay",
            "--verbosity",
            "0",
        ]
        self.processes = [subprocess.Popen(command, cwd=ROOT, env=env) for _ in range(count)]  # noqa: S603
        self.cpu = {}
        self.peak = {}

    def sample(self):
        for process in self.processes:
            if process.poll() is None:
                self.cpu[process.pid] = cpu_seconds(process.pid)
                self.peak[process.pid] = max(self.peak.get(process.pid, 0), peak_rss_mb(process.pid))

    def settle(self, timeout=30):
        """Wait until the workers are started and only poll (their CPU time hardly grows)."""
        time.sleep(1)
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            before = {pid: cpu_seconds(pid) for pid in (p.pid for p in self.processes)}
            time.sleep(0.5)
            if all(cpu_seconds(pid) - used < 0.1 for pid, used in before.items()):
                break
        self.sample()

    def kill_one(self):
        victim = self.processes[0]
        self.sample()
        victim.send_signal(signal.SIGKILL)
        victim.wait()
        return victim.pid

    def stop(self):
        if all(process.poll() is not None for process in self.processes):
            return
        self.sample()
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            process.wait(timeout=30)


def watch(counter, workers, expected, started, timeout=180):
    """Wait until ``expected`` mails arrived; kill a worker at half. Returns (seconds, killed pid)."""
    killed = None
    baseline = dict(workers.cpu)
    while time.perf_counter() - started < timeout:
        workers.sample()
        if killed is None and counter.total >= expected // 2:
            killed = workers.kill_one()
        if len(counter.recipients) >= expected:
            break
        time.sleep(0.05)
    time.sleep(1.0)  # a late duplicate would arrive now
    workers.sample()
    seconds = (counter.last or time.perf_counter()) - started
    used = sum(workers.cpu[pid] - baseline.get(pid, 0) for pid in workers.cpu)
    return seconds, killed, used


def report(title, counter, expected, seconds, used, workers, killed):
    print(f"\n{title}")
    print(
        f"  accepted by the SMTP server: {counter.total} mails, {len(counter.ids)} distinct Message-IDs, "
        f"{len(counter.recipients)} distinct recipients (expected {expected})"
    )
    print(f"  duplicates: {counter.total - len(counter.ids)}; worker killed halfway (SIGKILL): pid {killed}")
    print(f"  time to the last accepted mail: {seconds:.1f} s  ->  {counter.total / seconds:.0f} mails/s")
    print(f"  worker CPU: {used:.1f} s in all, {used / max(counter.total, 1) * 1000:.2f} ms per mail")
    print("  worker peak memory (VmHWM): " + ", ".join(f"{mb:.0f} MB" for mb in workers.peak.values()))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--releases", type=int, default=20)
    args = parser.parse_args()
    url = os.environ["BENCH_DATABASE_URL"]
    if url.startswith("postgres"):
        fresh_database(url)

    from aiosmtpd.controller import Controller

    from tests.mailserver import free_port

    counter = Counter()
    controller = Controller(counter, hostname="127.0.0.1", port=free_port())
    controller.start()
    os.environ["EMAIL_URL"] = f"smtp://127.0.0.1:{controller.port}"
    prepare(record_queries=False)

    from django.conf import settings
    from django.contrib.auth.models import User
    from django.test import Client
    from django.utils import timezone

    from distribution.models import MailingList, Subscriber

    settings.MEDIA_ROOT = TMP
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    everything = MailingList.objects.get(slug="alle")
    subscribers = Subscriber.objects.bulk_create(
        Subscriber(
            email=f"leser{n}@example.org", state=Subscriber.State.CONFIRMED, confirmed_at=timezone.now()
        )
        for n in range(args.subscribers)
    )
    Through = Subscriber.lists.through
    Through.objects.bulk_create(
        Through(subscriber_id=s.pk, mailinglist_id=everything.pk) for s in subscribers
    )
    editor, speaker, speaker2 = (
        User.objects.create_superuser(name, f"{name}@example.org", "x")
        for name in ("redakteurin", "sprecherin", "sprecher")
    )
    release, twin = (approved(title, editor, speaker) for title in ("Neue Radwege am Rhein", "Stadtfest"))
    client = Client()
    client.force_login(speaker2)
    client.get("/admin/press/pressrelease/")  # warm up: the first request loads templates and URLs

    env = {**os.environ, "DATABASE_URL": url}
    try:
        run(args, counter, client, release, twin, env, url)
    finally:
        for workers in Workers.started:
            workers.stop()
        controller.stop()


def publish(client, release):
    """The publish action of the release list, as a spokesperson's browser sends it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    data = {"action": "publish_selected", "_selected_action": [release.pk], "index": 0}
    data[f"_version_{release.pk}"] = release.version
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        response = client.post("/admin/press/pressrelease/", data)
        ms = (time.perf_counter() - started) * 1000
    ours = sum("distribution" in query["sql"] for query in captured.captured_queries)
    return response, ms, len(captured.captured_queries), ours, started


def run(args, counter, client, release, twin, env, url):
    from datetime import timedelta

    from django.conf import settings
    from django.utils import timezone

    # The same step on a twin release with the Presseverteiler's receivers disconnected: what press's
    # publish step costs by itself on this machine now.
    from distribution import receivers
    from distribution.models import Delivery, Mailing, Subscriber
    from distribution.tasks import enqueue_digest
    from press.models import PressRelease
    from press.signals import release_published
    from tests.factories import add_text, make_release

    workers = Workers(env)
    workers.settle()
    release_published.disconnect(sender=PressRelease, dispatch_uid="distribution_published")
    _response, baseline_ms, baseline_queries, _ours, _started = publish(client, twin)
    receivers.connect_signals()
    workers.settle()
    response, request_ms, queries, ours, started = publish(client, release)
    assert response.status_code == 302, response.status_code
    release.refresh_from_db()
    assert release.state == PressRelease.State.PUBLISHED, release.state
    assert counter.total == 0, "mails were sent inside the request"
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[1]
    print(
        f"Presseverteiler on {engine}, {args.subscribers} subscribers, two workers; load average {os.getloadavg()[0]:.1f}"
    )
    print(
        f"\npublish request (admin action, only enqueues): {request_ms:.0f} ms, {queries} queries, "
        f"{ours} of them the Presseverteiler's (plan the mailing, enqueue its start)"
    )
    print(f"  the same step without the Presseverteiler: {baseline_ms:.0f} ms, {baseline_queries} queries")
    seconds, killed, used = watch(counter, workers, args.subscribers, started)
    workers.stop()
    sent = Delivery.objects.filter(mailing__release=release, state=Delivery.State.SENT).count()
    report(
        f"release to {args.subscribers} subscribers ({sent} delivery rows sent)",
        counter,
        args.subscribers,
        seconds,
        used,
        workers,
        killed,
    )

    # Digest: the same subscribers read daily; 20 releases of the last day, each rendered once.
    counter.reset()
    Subscriber.objects.update(frequency=Subscriber.Frequency.DAILY)
    for n in range(args.releases):
        item = make_release(
            title=f"Meldung {n + 1}",
            lead=f"Vorspann {n + 1}",
            published_at=timezone.now() - timedelta(hours=n + 1),
        )
        add_text(item, "<p>Text.</p>")
    workers = Workers(env)
    workers.settle()
    started = time.perf_counter()
    enqueue_digest(Mailing.Kind.DAILY, timezone.now())
    seconds, killed, used = watch(counter, workers, args.subscribers, started)
    workers.stop()
    digest = Mailing.objects.get(kind=Mailing.Kind.DAILY)
    report(
        f"daily digest of {digest.releases.count()} releases to {args.subscribers} subscribers "
        f"({digest.deliveries.filter(state=Delivery.State.SENT).count()} delivery rows sent)",
        counter,
        args.subscribers,
        seconds,
        used,
        workers,
        killed,
    )


if __name__ == "__main__":
    main()
