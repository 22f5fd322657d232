"""XSS payloads × text fields × sinks: every payload in every text field an editor, a partnership
editor or the import can fill, read back from every page and feed that shows it (public pages,
search, RSS and Atom, the admin's lists and change forms), parsed as HTML (tests/htmltree.py).
A (payload, field, sink) check counts where the field's text reaches the sink, and holds when no
payload became markup that runs. A sample runs in chromium (tests/browser/test_xss_in_browser.py)."""

import feedparser
import pytest
from django.urls import reverse

from press.models import Correction, PressRelease
from tests.factories import (
    add_background,
    add_image,
    add_quote,
    add_text,
    make_contact,
    make_image,
    make_partnership,
    make_person,
    make_release,
    make_user,
)
from tests.security.xss import PAYLOADS, injections

pytestmark = pytest.mark.django_db
FIELDS = [
    "title", "kicker", "subtitle", "lead", "text", "background_title", "background", "quote", "quote_role",
    "person", "caption", "credit", "alt", "lead_caption", "tag", "partner_city", "partnership_summary",
    "correction", "contact",
]  # fmt: skip


def release_with(payload_index):
    payload = PAYLOADS[payload_index]

    def p(field):
        return payload.format(mark=f"xss{payload_index}-{field}")

    partnership = make_partnership(partner_city=p("partner_city")[:100], summary=p("partnership_summary"))
    release = make_release(
        title=p("title"),
        kicker=p("kicker")[:120],
        subtitle=p("subtitle"),
        lead=p("lead"),
        contact=make_contact(name=p("contact")),
        image=make_image(caption=p("lead_caption"), credit=p("credit"), alt_text=p("alt")),
        partnerships=[partnership],
    )
    release.tags.add(p("tag")[:100])
    add_text(release, f"<p>{p('text')}</p>")
    add_background(release, title=p("background_title")[:200], html=f"<p>{p('background')}</p>")
    add_quote(release, make_person(name=p("person")), text=p("quote"), role=p("quote_role")[:200])
    add_image(release, make_image(caption=p("caption")))
    Correction.objects.create(release=release, text=p("correction"))
    release.partnership = partnership
    return release


def sinks(release):
    tag = release.tags.get()
    partnership = release.partnership
    return {
        "detail": ("html", release.get_absolute_url()),
        "home": ("html", reverse("press:home")),
        "list": ("html", reverse("press:list")),
        "tag_page": ("html", reverse("press:tag", args=[tag.slug])),
        "partnership_page": ("html", reverse("partnerships:detail", args=[partnership.slug])),
        "partnership_list": ("html", reverse("partnerships:list")),
        "search": ("html", reverse("press:search") + "?q=xss"),
        "credits": ("html", reverse("press:credits")),
        "feed_rss": ("feed", reverse("press:feed_rss")),
        "feed_atom": ("feed", reverse("press:feed_atom")),
        "feed_tag_rss": ("feed", reverse("press:tag_feed_rss", args=[tag.slug])),
        "feed_partnership_rss": ("feed", reverse("press:partnership_feed_rss", args=[partnership.slug])),
        "admin_release_list": ("admin", reverse("admin:press_pressrelease_changelist")),
        "admin_release_form": ("admin", reverse("admin:press_pressrelease_change", args=[release.pk])),
        "admin_image_list": ("admin", reverse("admin:cityhall_image_changelist")),
        "admin_person_list": ("admin", reverse("admin:cityhall_person_changelist")),
        "admin_tag_list": ("admin", reverse("admin:taggit_tag_changelist")),
        "admin_partnership_list": ("admin", reverse("admin:partnerships_partnership_changelist")),
        "admin_audit_log": ("admin", reverse("admin:press_auditentry_changelist")),
        "admin_history": ("admin", reverse("admin:press_pressrelease_history", args=[release.pk])),
    }


def feed_fragments(content):
    """The HTML a feed reader renders: channel description, each entry's summary, content and
    titles it reads as HTML."""
    feed = feedparser.parse(content, sanitize_html=False)
    fragments = [feed.feed.get("description", "") or feed.feed.get("subtitle", "")]
    for entry in feed.entries:
        fragments.append(entry.get("summary", ""))
        fragments += [part.value for part in entry.get("content", [])]
        if entry.get("title_detail", {}).get("type") == "text/html":
            fragments.append(entry.title)
    return fragments


@pytest.mark.parametrize("index", range(len(PAYLOADS)))
def test_payloads_stay_text_in_every_sink(client, tally, index):
    release = release_with(index)
    client.force_login(make_user("chefin", superuser=True))
    for sink, (kind, path) in sinks(release).items():
        client_for = client if kind == "admin" else client_without_login(client)
        response = client_for.get(path)
        tally.check("xss: sinks answer", response.status_code == 200, f"{sink}: {response.status_code}")
        content = response.content.decode()
        found = set()
        for fragment in feed_fragments(response.content) if kind == "feed" else [content]:
            found |= injections(fragment)
        for field in FIELDS:
            mark = f"xss{index}-{field}"
            if mark not in content:
                continue  # this field does not reach this sink
            hits = [hit for hit in found if mark in hit]
            tally.check("xss: payload × field × sink", not hits, f"{sink} × {field}: {hits}")
        unnamed = [hit for hit in found if f"xss{index}-" not in hit]
        tally.check("xss: payload × field × sink", not unnamed, f"{sink}: {unnamed}")
    tally.assert_held()


_anonymous = {}


def client_without_login(client):
    from django.test import Client

    return _anonymous.setdefault(id(client), Client())


def test_the_check_sees_an_injection():
    assert injections("<p>x</p><script>alert('xss0-title')</script>") == {"alert('xss0-title')"}
    assert injections('<img src=x onerror="alert(1)">') == {"alert(1)"}
    assert injections("<p>&lt;script&gt;alert('x')&lt;/script&gt;</p>") == set()
    assert PressRelease.objects.count() == 0
