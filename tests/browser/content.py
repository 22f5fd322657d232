"""The content the browser tests look at: the seed release (with a real photo), a second release on the same
partnership, a page in Leichte Sprache, the demo's site pages (BITV § 4 pages in Leichte Sprache, Impressum,
Datenschutzerklärung) and a published press appointment."""

from datetime import timedelta
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from cityhall.library.models import EasyLanguagePage, Person
from press.models import Appointment
from tests.factories import add_text, make_image, make_person, make_release
from tests.press.seed import make_seed_release

ROOT = Path(__file__).resolve().parent.parent.parent
PHOTO = ROOT / "demo" / "images" / "videoschalte.jpg"


def make_site_content(all_partnerships=False):
    """``all_partnerships``: also the city's partnerships from demo/partnerships.json (map, names in their
    own languages and scripts), where that file exists."""
    photo = make_image(
        alt_text="Bildschirm mit zwei Oberbürgermeistern in einer Videokonferenz",
        caption="Videoschalte: Oberbürgermeister Dr. Stephan Keller mit seinem Chemnitzer Amtskollegen Sven Schulze",
        credit="© Landeshauptstadt Düsseldorf",
        file=ContentFile(PHOTO.read_bytes(), name="videoschalte.jpg"),
    )
    release = make_seed_release(image=photo)
    partnership = release.partnerships.get()
    other = make_release(
        title="Bürgerbegegnung mit Chemnitz",
        kicker="Internationales",
        lead="Dreißig Düsseldorferinnen und Düsseldorfer besuchen die Partnerstadt.",
        tags=["Chemnitz"],
        partnerships=[partnership],
    )
    add_text(other, "<p>Die Begegnung stärkt die Städtepartnerschaft.</p>")
    EasyLanguagePage.objects.create(
        title="Was macht die Presse-Stelle?",
        body="<p>Die Presse-Stelle schreibt Nachrichten über die Stadt.</p><p>Die Nachrichten heißen Presse-Mitteilungen.</p>",
    )
    call_command("load_site_pages", str(ROOT / "demo" / "site_pages.json"), verbosity=0)
    make_appointment(release, partnership)
    demo = ROOT / "demo" / "partnerships.json"
    if all_partnerships and demo.is_file():
        call_command("import_content", str(demo), verbosity=0)
    return release, partnership


def make_appointment(release, partnership):
    """A published photo call with the mayor, followed by the release."""
    # The seed release quotes him already.
    mayor = Person.objects.filter(name="Stephan Keller").first() or make_person(
        name="Stephan Keller",
        honorific="Dr.",
        office={"role": "Oberbürgermeister", "organisation": "Landeshauptstadt Düsseldorf"},
    )
    appointment = Appointment.objects.create(
        kind=Appointment.Kind.PHOTO_CALL,
        title=f"Fototermin: Partnerschaft mit {partnership.partner_city}",
        starts_at=timezone.now() + timedelta(days=7),
        place="Rathaus, Jan-Wellem-Saal",
        address="Marktplatz 2, 40213 Düsseldorf",
        description="Der Oberbürgermeister empfängt eine Delegation aus der Partnerstadt.",
        accreditation="Bitte melden Sie sich bis zum Vortag bei der Pressestelle an.",
        contact=release.contact,
        release=release,
        published=True,
    )
    appointment.attendees.add(mayor)
    return appointment


def public_pages(release, partnership):
    """(name, path) of every public page type."""
    return [
        ("startseite", "/"),
        ("liste", "/pressemitteilungen/"),
        ("archiv-monat", "/pressemitteilungen/archiv/2021/01/"),
        ("schlagwort", "/pressemitteilungen/schlagwort/chemnitz/"),
        ("mitteilung", release.get_absolute_url()),
        ("partnerschaften", "/partnerstaedte/"),
        ("partnerschaft", partnership.get_absolute_url()),
        ("suche-treffer", "/suche/?q=Partnerschaft"),
        ("suche-leer", "/suche/?q=Gibtesnicht"),
        ("suche-formular", "/suche/"),
        ("nicht-gefunden", "/gibt-es-nicht/"),
        ("barrierefreiheit", "/barrierefreiheit/"),
        ("leichte-sprache", "/leichte-sprache/was-macht-die-presse-stelle/"),
        ("leichte-sprache-bitv", "/leichte-sprache/wie-benutze-ich-diese-website/"),
        ("impressum", "/impressum/"),
        ("datenschutz", "/datenschutz/"),
        ("pressetermine", "/pressetermine/"),
        ("pressetermin", Appointment.objects.get().get_absolute_url()),
    ]
