"""The Düsseldorf–Chemnitz release from the shared seed (../shared/seed), built with the factories."""

import datetime
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from cityhall.library.models import License
from press.models import PressRelease
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
)

BERLIN = ZoneInfo("Europe/Berlin")
SEED_PUBLISHED_AT = datetime.datetime(2021, 1, 28, 14, 0, tzinfo=BERLIN)
SEED_CAPTION = (
    "Videoschalte: Oberbürgermeister Dr. Stephan Keller will mit seinem Chemnitzer Amtskollegen "
    "Sven Schulze (l.) die Städtepartnerschaft weiter ausbauen. Mit dabei: Jessica Breitkopf, "
    "Büro für Internationales"
)
KELLER_QUOTE = (
    "Auch in Zeiten der Pandemie pflegen wir mit unserer Partnerstadt Chemnitz den guten Dialog, "
    "wenn auch nur virtuell."
)
SCHULZE_QUOTE = "Chemnitz ist 2025 die Kulturhauptstadt Europas."


def make_seed_release(**overrides):
    chemnitz = make_partnership(partner_city="Chemnitz", country="DE", since=1988)
    keller = make_person(
        honorific="Dr.",
        name="Stephan Keller",
        office={
            "role": "Oberbürgermeister",
            "organisation": "Landeshauptstadt Düsseldorf",
            "start": datetime.date(2020, 11, 1),
        },
    )
    schulze = make_person(
        name="Sven Schulze",
        office={
            "role": "Oberbürgermeister",
            "organisation": "Stadt Chemnitz",
            "start": datetime.date(2020, 8, 1),
        },
    )
    license = License.objects.create(
        name="Pressefoto, frei zur Berichterstattung", url="https://example.org/lizenz"
    )
    image = make_image(
        alt_text="Bildschirm mit zwei Oberbürgermeistern in einer Videokonferenz",
        caption=SEED_CAPTION,
        credit="© Landeshauptstadt Düsseldorf",
        copyright_holder="Landeshauptstadt Düsseldorf",
        license=license,
    )
    fields = {
        "kicker": "Internationales",
        "title": "Virtuelles Treffen der Partnerstädte Düsseldorf und Chemnitz",
        "subtitle": "Oberbürgermeister tauschen sich aus",
        "lead": (
            "Oberbürgermeister Dr. Stephan Keller bespricht bei einem virtuellen Treffen mit Sven Schulze, "
            "Oberbürgermeister von Chemnitz, die Weiterentwicklung der Städtepartnerschaft"
        ),
        "published_at": SEED_PUBLISHED_AT,
        "image": image,
        "contact": make_contact(
            name="Erika Mustermann",
            role="Pressesprecherin",
            email="presse@example.org",
            phone="0211 89-00000",
        ),
        "tags": ["Internationales", "Chemnitz"],
        "partnerships": [chemnitz],
    }
    fields.update(overrides)
    release = make_release(**fields)
    add_text(
        release,
        "<p>Trotz pandemiebedingter Einschränkungen sind die Partnerstädte <strong>eng</strong> verbunden.</p>",
    )
    add_quote(release, keller, KELLER_QUOTE)
    add_quote(release, schulze, SCHULZE_QUOTE)
    add_image(
        release,
        make_image(decorative=True, alt_text="", caption="Rathaus Chemnitz", credit="© Stadt Chemnitz"),
    )
    add_background(
        release,
        title="Hintergrund Städtepartnerschaft",
        html="<p>Die Städtepartnerschaft zwischen Düsseldorf und Chemnitz besteht seit 1988.</p>",
    )
    return release


def hidden_releases():
    """A draft and a published release whose time has not come yet."""
    return [
        make_release(title="Entwurf Geheim", status=PressRelease.Status.DRAFT, tags=["Internationales"]),
        make_release(
            title="Sperrfrist Geheim",
            published_at=timezone.now() + timedelta(days=1),
            tags=["Internationales"],
        ),
    ]
