"""A tiny hand-written factory for tests: make_*(**overrides) with sensible defaults."""

import io
import itertools
from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image as PILImage

from cityhall.library.models import Contact, Image, Office, Person
from partnerships.models import Partnership, Project
from press.models import BackgroundBlock, ImageBlock, PressRelease, QuoteBlock, TextBlock

_seq = itertools.count(1)


def image_bytes(fmt="JPEG", size=(64, 48), color=(200, 30, 30)):
    buf = io.BytesIO()
    PILImage.new("RGB", size, color).save(buf, fmt)
    return buf.getvalue()


def make_image(**kwargs):
    n = next(_seq)
    kwargs.setdefault("alt_text", f"Testbild {n}")
    kwargs.setdefault("caption", f"Bildunterschrift {n}")
    kwargs.setdefault("credit", "© Landeshauptstadt Düsseldorf")
    kwargs.setdefault("copyright_holder", "Landeshauptstadt Düsseldorf")
    if "file" not in kwargs:
        kwargs["file"] = ContentFile(image_bytes(), name=f"test-{n}.jpg")
    return Image.objects.create(**kwargs)


def make_person(**kwargs):
    n = next(_seq)
    kwargs.setdefault("name", f"Person {n}")
    office = kwargs.pop("office", None)
    person = Person.objects.create(**kwargs)
    if office:
        Office.objects.create(person=person, **office)
    return person


def make_contact(**kwargs):
    n = next(_seq)
    kwargs.setdefault("name", f"Kontakt {n}")
    kwargs.setdefault("email", f"presse{n}@example.org")
    return Contact.objects.create(**kwargs)


def make_partnership(**kwargs):
    n = next(_seq)
    kwargs.setdefault("partner_city", f"Partnerstadt {n}")
    kwargs.setdefault("country", "DE")
    kwargs.setdefault("since", 1988)
    return Partnership.objects.create(**kwargs)


def make_project(partnership, **kwargs):
    """``year``/``end_year`` (whole years, as before) or ``start``/``end`` dates with their precisions."""
    n = next(_seq)
    kwargs.setdefault("title", f"Projekt {n}")
    year, end_year = kwargs.pop("year", 2020 if "start" not in kwargs else None), kwargs.pop("end_year", None)
    if year is not None:
        kwargs["start"] = date(year, 1, 1)
    if end_year is not None:
        kwargs["end"] = date(end_year, 12, 31)
    return Project.objects.create(partnership=partnership, **kwargs)


def make_release(**kwargs):
    """A published release (one hour old) unless told otherwise."""
    n = next(_seq)
    tags = kwargs.pop("tags", [])
    partnerships = kwargs.pop("partnerships", [])
    kwargs.setdefault("title", f"Pressemitteilung {n}")
    kwargs.setdefault("lead", f"Vorspann {n}")
    kwargs.setdefault("status", PressRelease.Status.PUBLISHED)
    kwargs.setdefault("published_at", timezone.now() - timedelta(hours=1))
    release = PressRelease.objects.create(**kwargs)
    if tags:
        release.tags.add(*tags)
    if partnerships:
        release.partnerships.add(*partnerships)
    return release


def add_text(release, html="<p>Text</p>", ordering=None):
    return TextBlock.objects.create(
        parent=release, region="body", ordering=_order(release, ordering), html=html
    )


def add_quote(release, speaker, text="Ein Zitat.", ordering=None, **kwargs):
    return QuoteBlock.objects.create(
        parent=release,
        region="body",
        ordering=_order(release, ordering),
        speaker=speaker,
        text=text,
        **kwargs,
    )


def add_image(release, image, ordering=None, **kwargs):
    return ImageBlock.objects.create(
        parent=release, region="body", ordering=_order(release, ordering), image=image, **kwargs
    )


def add_background(release, title="Hintergrund", html="<p>Hintergrund</p>", ordering=None):
    return BackgroundBlock.objects.create(
        parent=release, region="body", ordering=_order(release, ordering), title=title, html=html
    )


def _order(release, ordering):
    return ordering if ordering is not None else next(_seq) * 10


def make_user(username, *groups, superuser=False, **kwargs):
    """A staff user in the named groups ("Redaktion", "Pressesprecher/in", … made by migrations)."""
    from django.contrib.auth.models import Group, User

    kwargs.setdefault("is_staff", True)
    if superuser:
        user = User.objects.create_superuser(username, f"{username}@example.org", "x", **kwargs)
    else:
        user = User.objects.create_user(username, f"{username}@example.org", "x", **kwargs)
    for name in groups:
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    return user
