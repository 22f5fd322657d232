"""What a mailing says, rendered once per mailing (not per recipient) through press's one renderer
(press.rendering, surface "feed": absolute image addresses, captions with credits). Each recipient's
mail then only puts in their own manage and unsubscribe links (distribution/sending.py)."""

import html as html_lib
import re

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import dateformat, timezone, translation

from cityhall.library.mail import admin_link
from press import previews
from press.models import PressRelease
from press.rendering import FEED, load_blocks_of, render_release

MANAGE = "@@manage-link@@"
UNSUBSCRIBE = "@@unsubscribe-link@@"
BREAKS = re.compile(r"<br\s*/?>|</(p|li|h[1-6]|figcaption|blockquote|figure|div|dd|dt|tr)>", re.IGNORECASE)
TAGS = re.compile(r"<[^>]+>")


def plain(markup):
    """Plain text of rendered HTML: block ends become line breaks."""
    text = html_lib.unescape(TAGS.sub("", BREAKS.sub("\n", markup)))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def german_time(moment):
    """ "2. Dezember 2026, 11:00 Uhr" in the city's time zone."""
    with translation.override("de"):
        return dateformat.format(timezone.localtime(moment), "j. F Y, H:i") + " Uhr"


def load_releases(ids):
    return list(
        PressRelease.objects.filter(pk__in=ids)
        .select_related("image__license", "contact")
        .prefetch_related("tags", "partnerships", "corrections")
        .order_by("published_at", "pk")
    )


def compose(mailing):
    """Fill ``subject``, ``text`` and ``html`` (or a digest's ``parts``) of ``mailing``."""
    with translation.override("de"):
        if mailing.is_digest:
            compose_digest(mailing)
        else:
            compose_release(mailing)


def site():
    """The office's and city's names, as the pages' context processor gives them."""
    return {"city_name": settings.CITY_NAME, "office_name": settings.PRESS_OFFICE_NAME}


def release_context(mailing, release):
    Kind = mailing.Kind
    embargo = mailing.kind == Kind.EMBARGO
    grant = previews.grant_scope(mailing.preview_link) if embargo and mailing.preview_link else False
    blocks = load_blocks_of([release])[release]
    rendering = render_release(release, blocks, surface=FEED, preview=embargo, image_grant=grant)
    page = (
        admin_link(previews.path_for(mailing.preview_link))
        if embargo and mailing.preview_link
        else admin_link(release.get_absolute_url())
    )
    return {
        **site(),
        "mailing": mailing,
        "kind": mailing.kind,
        "release": release,
        "rendering": rendering,
        "image_grant": grant,
        "page_url": page,
        "embargo_until": german_time(release.published_at) if embargo else "",
        "correction": mailing.correction,
        "corrections": list(release.corrections.all()),
        "lead_text": plain(rendering.lead_html),
        "blocks_text": "\n\n".join(plain(block.html) for block in rendering.blocks),
        "photos": [(image, caption) for image, caption in rendering.press_photos],
        "manage_link": MANAGE,
        "unsubscribe_link": UNSUBSCRIBE,
    }


def subject_for(mailing, release):
    Kind = mailing.Kind
    if mailing.kind == Kind.EMBARGO:
        return f"Sperrfrist: {german_time(release.published_at)} – {release.title}"
    if mailing.kind == Kind.CORRECTION:
        return f"Korrektur: {release.title}"
    if mailing.kind == Kind.WITHDRAWAL:
        return f"Zurückgezogen: {release.title}"
    return release.title


def compose_release(mailing):
    release = load_releases([mailing.release_id])[0]
    context = release_context(mailing, release)
    mailing.subject = " ".join(subject_for(mailing, release).split())
    context["subject"] = mailing.subject
    mailing.text = render_to_string("mail/distribution/release.txt", context)
    mailing.html = render_to_string("mail/distribution/release.html", context)
    mailing.parts = {"corrections": [correction.pk for correction in context["corrections"]]}


def compose_digest(mailing):
    """One part per release (rendered once), put together per recipient from their lists."""
    releases = load_releases(mailing.releases.values_list("pk", flat=True))
    parts = {}
    for release in releases:
        context = {"release": release, "page_url": admin_link(release.get_absolute_url())}
        parts[str(release.pk)] = {
            "text": render_to_string("mail/distribution/digest_item.txt", context),
            "html": render_to_string("mail/distribution/digest_item.html", context),
            "corrections": [correction.pk for correction in release.corrections.all()],
        }
    period = "Tag" if mailing.kind == mailing.Kind.DAILY else "Woche"
    mailing.subject = f"Pressemitteilungen der {period} bis {german_time(mailing.period_end)}"
    context = {
        "mailing": mailing,
        "subject": mailing.subject,
        "manage_link": MANAGE,
        "unsubscribe_link": UNSUBSCRIBE,
    }
    mailing.text = render_to_string("mail/distribution/digest.txt", {**context, "items": "@@items@@"})
    mailing.html = render_to_string("mail/distribution/digest.html", {**context, "items": "@@items@@"})
    mailing.parts = parts
