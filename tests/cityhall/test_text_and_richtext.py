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
