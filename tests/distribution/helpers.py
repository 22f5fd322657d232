"""Helpers of the Presseverteiler tests: subscribers, releases going through the workflow, links out
of the mails as a recipient would follow them."""

import re
from datetime import timedelta

from django.utils import timezone

from distribution import subscriptions
from distribution.models import MailingList, Subscriber
from press import workflow
from press.models import PressRelease
from tests.factories import (
    add_quote,
    add_text,
    make_contact,
    make_image,
    make_person,
    make_release,
    make_user,
)

LINK = re.compile(r"https?://\S+")


def default_list(slug):
    """A list the data migration makes (made again where a transactional test emptied the database)."""
    from importlib import import_module

    lists = import_module("distribution.migrations.0002_default_lists").LISTS
    _slug, name, kind, public, position = next(row for row in lists if row[0] == slug)
    defaults = {"name": name, "kind": kind, "public": public, "position": position}
    return MailingList.objects.get_or_create(slug=slug, defaults=defaults)[0]


def all_list():
    return default_list("alle")


def accredited_list():
    return default_list("akkreditiert")


def subscriber(email, *lists, frequency=Subscriber.Frequency.IMMEDIATE, accredited=False, **fields):
    """A confirmed address (consent documented by the office)."""
    person = subscriptions.add_confirmed(
        email, list(lists) or [all_list()], frequency, source="Test: schriftliche Einwilligung", **fields
    )
    if accredited:
        person.accredited_at = timezone.now()
        person.save(update_fields=["accredited_at"])
        person.lists.add(accredited_list())
    return person


def people():
    return {
        "editor": make_user("redakteurin", "Redaktion"),
        "speaker": make_user("sprecherin", "Pressesprecher/in"),
        "speaker2": make_user("sprecher", "Pressesprecher/in"),
    }


def approved_release(team, *, published_at=None, title="Neue Radwege am Rhein", **kwargs):
    """An approved release with a lead image (caption and credit), text, a quote and a contact."""
    image = make_image(credit="Foto: Max Mustermann", caption="Der neue Radweg an der Rheinuferpromenade")
    release = make_release(
        status=PressRelease.Status.DRAFT,
        title=title,
        kicker="Verkehr",
        lead="Die Stadt baut zwölf Kilometer Radweg.",
        contact=make_contact(),
        published_at=published_at or timezone.now() - timedelta(minutes=5),
        image=image,
        image_alt="Radweg am Rhein",
        image_caption="Der neue Radweg an der Rheinuferpromenade",
        **kwargs,
    )
    add_text(release, "<p>Der erste Abschnitt wird im Frühjahr fertig.</p>")
    from cityhall.library.models import Person

    mayor = Person.objects.filter(name="Dr. Stephan Keller").first() or make_person(
        name="Dr. Stephan Keller", office={"role": "Oberbürgermeister"}
    )
    add_quote(release, mayor, text="Radfahren wird sicherer.")
    workflow.transition(release, "submit", team["editor"])
    workflow.transition(release, "approve", team["speaker"])
    release.refresh_from_db()
    return release


def publish(release, team):
    workflow.transition(release, "publish", team["speaker2"])
    release.refresh_from_db()
    return release


def links(text):
    return LINK.findall(text)


def link_with(text, part):
    return next(link for link in links(text) if part in link)


def path_of(url):
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def work():
    """Run the worker until the queue is empty; no task of it may fail."""
    from django_tasks_db.models import DBTaskResult

    from tests.mailserver import run_worker

    run_worker()
    failed = [(result.task_path, result.traceback) for result in DBTaskResult.objects.filter(status="FAILED")]
    assert not failed, failed[0][1]
