"""The content checks (press.content_checks): alt texts, heading order, vague link texts, readability;
for a stored release, for what the form sends, and on the change form. They warn, never block."""

import json

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from press import content_checks
from press.content_checks import Block, ReleaseText, check, lix
from tests.factories import (
    add_background,
    add_image,
    add_text,
    image_bytes,
    make_image,
    make_release,
    make_user,
)

pytestmark = pytest.mark.django_db
URL = "/admin/press/pressrelease/checks/"


def findings(report, kind):
    return [f.message for f in report.findings if f.kind == kind]


def text(html, **kwargs):
    return ReleaseText(title="T", lead="", blocks=[Block("text", html=html)], **kwargs)


def test_vague_link_texts_are_found_and_good_ones_are_not():
    report = check(
        text(
            '<p>Alles steht <a href="/a/">hier</a>, zum <a href="/b/">Klicken!</a> und <a href="/c/">mehr</a>. '
            'Der <a href="/d/">Haushaltsplan 2026</a> liegt aus.</p>'
        )
    )
    messages = findings(report, "link")
    assert len(messages) == 3
    assert "„hier“" in messages[0] and "„Klicken!“" in messages[1] and "„mehr“" in messages[2]


def test_headings_out_of_order_are_found():
    report = check(text("<h2>Eins</h2><p>a</p><h4>Drei</h4><p>b</p><h3>Zwei</h3><h2>Wieder</h2>"))
    assert findings(report, "heading") == [
        "Die Überschrift „Drei“ (Ebene 4) folgt auf Ebene 2: eine Ebene ist übersprungen."
    ]
    assert findings(check(text("<h3>Zu tief</h3>")), "heading")  # the title is the h1: h2 comes first
    assert not findings(check(text("<h2>A</h2><h3>B</h3><h4>C</h4><h2>D</h2>")), "heading")


def test_a_background_box_counts_as_second_level():
    release = ReleaseText(blocks=[Block("background", title="Hintergrund", html="<h3>Geschichte</h3>")])
    assert not findings(check(release), "heading")


def test_alt_texts_that_are_empty_or_file_names():
    named = make_image(alt_text="IMG_4711.JPG", original_filename="IMG_4711.JPG")
    stem = make_image(alt_text="rathaus-sommer", original_filename="rathaus-sommer.png")
    good = make_image(alt_text="Das Rathaus im Sommer")
    decorative = make_image(alt_text="", decorative=True)
    report = check(
        ReleaseText(
            image=named,
            image_alt=named.alt_text,
            blocks=[
                Block("image", image=stem),
                Block("image", image=good),
                Block("image", image=decorative),
                Block("image", image=good, alt="DSC01234"),
            ],
        )
    )
    messages = findings(report, "alt")
    assert len(messages) == 3, messages
    assert "Aufmacherbild" in messages[0] and "„IMG_4711.JPG“" in messages[0]
    assert "Bild 1 im Text" in messages[1] and "Bild 4 im Text" in messages[2]
    assert findings(check(ReleaseText(image=good, image_alt="")), "alt") == [
        "Kein Alternativtext: Aufmacherbild."
    ]


def test_readability_words_and_reading_time():
    easy = check(ReleaseText(lead="Die Stadt baut. Der Weg ist neu. Alle freuen sich."))
    assert easy.words == 10 and easy.sentences == 3
    assert (
        easy.lix
        == lix(["Die", "Stadt", "baut", "Der", "Weg", "ist", "neu", "Alle", "freuen", "sich"], 3)
        == 3
    )
    assert easy.lix_band == "leicht" and easy.minutes == 1
    assert not findings(easy, "readability")

    hard = check(
        ReleaseText(
            lead="Die Verwaltungsvorschriftenänderungsverordnung bezüglich Grundstücksentwässerungsanlagen "
            "erfordert infolge unterschiedlicher Zuständigkeitsregelungen umfangreiche Abstimmungsprozesse "
            "zwischen kommunalen Aufsichtsbehörden und privatwirtschaftlichen Dienstleistungsunternehmen"
        )
    )
    assert hard.lix >= 60 and hard.lix_band == "sehr schwer"
    assert findings(hard, "readability")

    long = check(ReleaseText(lead="Wort " * 450 + "."))
    assert long.words == 450 and long.minutes == 3


def test_a_stored_release_in_its_block_order():
    release = make_release(lead="Kurz.")
    add_text(release, '<h2>A</h2><p>Mehr <a href="/x/">hier</a>.</p>', ordering=20)
    add_background(release, title="Hintergrund", html="<h4>Tief</h4>", ordering=10)
    add_image(release, make_image(alt_text="foto.jpg"), ordering=30)
    report = check(content_checks.from_release(release))
    assert report.kinds() == ["heading", "link", "alt"]
    assert "„Tief“ (Ebene 4) folgt auf Ebene 2" in report.findings[0].message


def test_the_form_payload_is_read_defensively():
    image = make_image(alt_text="Rathaus", original_filename="rathaus.jpg")
    data = {
        "title": "T",
        "lead": "Ein Satz.",
        "image": str(image.pk),
        "image_alt": "rathaus.jpg",
        "blocks": [
            {"kind": "text", "html": '<p><a href="/y/">klicken</a></p>'},
            {"kind": "script", "html": "<h6>x</h6>"},
            {"kind": "image", "image": "nonsense"},
            "not a block",
        ],
    }
    report = check(content_checks.from_payload(data))
    assert report.kinds() == ["alt", "link"]
    assert check(content_checks.from_payload(["no", "dict"])).words == 0


def test_the_endpoint_answers_staff_with_press_rights_only(client):
    client.force_login(make_user("gast", is_staff=True))
    assert client.post(URL, "{}", content_type="application/json").status_code == 403
    client.force_login(make_user("redaktion", "Redaktion"))
    assert client.get(URL).status_code == 405
    answer = client.post(
        URL,
        json.dumps({"title": "T", "blocks": [{"kind": "text", "html": '<p><a href="/z/">hier</a></p>'}]}),
        content_type="application/json",
    )
    assert answer.status_code == 200
    data = answer.json()
    assert [f["kind"] for f in data["findings"]] == ["link"]
    assert 'data-check="link"' in data["html"]
    assert client.post(URL, "kein json", content_type="application/json").json()["words"] == 0
    client.logout()
    assert client.post(URL, "{}", content_type="application/json").status_code == 302  # to the login


def test_the_change_form_shows_the_findings_on_load_and_saving_still_works(client):
    release = make_release(status="draft", lead="Die Stadt lädt ein.")
    add_text(release, '<h2>Programm</h2><h4>Abends</h4><p>Alles <a href="/p/">hier</a>.</p>')
    client.force_login(make_user("chefin", superuser=True))
    page = client.get(reverse("admin:press_pressrelease_change", args=[release.pk]))
    html = page.content.decode()
    assert 'id="inhaltspruefung"' in html
    assert 'data-check="heading"' in html and 'data-check="link"' in html
    assert "Wörter" in html and "LIX" in html and "Lesedauer" in html
    assert reverse("admin:press_pressrelease_checks") in html
    assert client.get(reverse("admin:press_pressrelease_add")).status_code == 200


def test_a_heic_or_camera_name_counts_as_file_name():
    assert content_checks.looks_like_file_name("PXL_20240101_123456")
    assert content_checks.looks_like_file_name("urlaub.HEIC")
    assert not content_checks.looks_like_file_name("Oberbürgermeister Keller im Gespräch")
    image = make_image(file=ContentFile(image_bytes(), name="x.jpg"), original_filename="Sommerfest.jpg")
    assert content_checks.looks_like_file_name("sommerfest", image)
