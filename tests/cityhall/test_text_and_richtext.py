import pytest

from cityhall.library.richtext import sanitize_html
from cityhall.library.slugs import german_slugify


class TestGermanSlugify:
    def test_transliterates_umlauts_and_sharp_s(self):
        assert (
            german_slugify("Grüße aus Düsseldorf: Straße, Öl, Äpfel")
            == "gruesse-aus-duesseldorf-strasse-oel-aepfel"
        )

    def test_never_empty(self):
        assert german_slugify("„…“ — !!!", fallback="pressemitteilung") == "pressemitteilung"
        assert german_slugify("", fallback="x") == "x"

    def test_long_titles_cut_at_word_boundary(self):
        title = " ".join(["Städtepartnerschaftsjubiläumsveranstaltung"] * 10)
        slug = german_slugify(title, max_length=120)
        assert len(slug) <= 120
        assert not slug.endswith("-")
        assert slug.startswith("staedtepartnerschaftsjubilaeumsveranstaltung-")


class TestSanitizeHtml:
    @pytest.mark.parametrize(
        "dirty, forbidden",
        [
            ("<p>Hallo<script>alert(1)</script></p>", "<script"),
            ('<p onclick="alert(1)">Hallo</p>', "onclick"),
            ('<a href="javascript:alert(1)">x</a>', "javascript:"),
            ('<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>', "data:"),
            ('<p style="color:red">x</p>', "style"),
            ('<img src="x" onerror="alert(1)">', "<img"),
            ('<iframe src="https://example.org"></iframe>', "<iframe"),
        ],
    )
    def test_removes_dangerous_markup(self, dirty, forbidden):
        assert forbidden not in sanitize_html(dirty)

    def test_keeps_allowed_markup_and_text_exactly(self):
        html = '<p>„Zitat“ – <strong>fett</strong> <a href="https://www.duesseldorf.de/">Link</a></p><ul><li>eins</li></ul>'
        assert sanitize_html(html) == html

    def test_empty_editor_output_becomes_empty(self):
        assert sanitize_html("<p></p>") == ""


class TestNormaliseText:
    """One normaliser for everything stored: what Word pastes along is removed or made plain."""

    def test_invisible_characters_are_removed(self):
        from cityhall.library.text import normalise_text

        pasted = "Jugend\u00adzentrum Schüler\u200binnen Wort\u2060verbinder \ufeffBOM"
        assert normalise_text(pasted) == "Jugendzentrum Schülerinnen Wortverbinder BOM"

    def test_line_ends_become_lf_and_control_characters_go(self):
        from cityhall.library.text import normalise_text

        assert normalise_text("eins\r\nzwei\rdrei\x0bvier\x00") == "eins\nzwei\ndrei vier"

    def test_no_break_spaces_become_spaces_only_in_single_line_fields(self):
        from cityhall.library.text import normalise_text

        assert normalise_text("Dr.\u00a0Keller\u202fkommt", single_line=True) == "Dr. Keller kommt"
        assert normalise_text("5\u00a0km") == "5\u00a0km"

    def test_zero_width_non_joiner_kept_where_a_script_needs_it(self):
        from cityhall.library.text import normalise_text

        persian = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"  # "mi-khaham" needs its ZWNJ
        assert normalise_text(persian) == persian
        assert normalise_text("Auf\u200clage") == "Auflage"


class TestRichTextNormalised:
    def test_soft_hyphens_and_entities_are_removed_after_parsing(self):
        assert (
            sanitize_html("<p>Jugend&shy;zentrum Schüler\u200binnen</p>")
            == "<p>Jugendzentrum Schülerinnen</p>"
        )

    def test_word_bullet_paragraphs_become_one_list(self):
        pasted = (
            "<p>Das Programm:</p>\r\n<p>·&nbsp;&nbsp;&nbsp;&nbsp;&nbsp; Führungen</p>"
            "<p>\u00b7\tLesungen</p><p>• Konzerte</p><p>Danach · Empfang</p>"
        )
        assert sanitize_html(pasted) == (
            "<p>Das Programm:</p>\n<ul><li><p>Führungen</p></li><li><p>Lesungen</p></li>"
            "<li><p>Konzerte</p></li></ul><p>Danach · Empfang</p>"
        )

    def test_a_middle_dot_inside_a_paragraph_stays(self):
        assert sanitize_html("<p>Altstadt · Hafen · Rhein</p>") == "<p>Altstadt · Hafen · Rhein</p>"


@pytest.mark.django_db
def test_admin_speaks_german_for_tags_and_the_editor(admin_client):
    index = admin_client.get("/admin/").content.decode()
    assert "Taggit" not in index and ">Tags<" not in index
    assert "Schlagwörter" in index
    catalogue = admin_client.get("/admin/jsi18n/").content.decode()
    assert "Abbrechen" in catalogue  # django-prose-editor's German strings
    assert "Speichern" in catalogue or "Filter" in catalogue  # and the admin's own
    from django.contrib import admin

    assert admin.site.empty_value_display == "–"
