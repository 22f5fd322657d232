"""Every public page type, in a real browser: axe-core finds no WCAG 2.1 A/AA violation on a desktop and a
mobile viewport, and the Nu Html Checker finds no error (one Java run over all pages)."""

import subprocess

import pytest

from tests.browser.conftest import DESKTOP, MOBILE
from tests.browser.content import make_site_content, public_pages

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                      targets: v.nodes.slice(0, 5).map(n => n.target.join(" "))}));
}"""


def test_no_axe_violations_on_desktop_and_mobile(page, site, axe_source):
    pages = public_pages(*make_site_content(all_partnerships=True))
    problems = []
    for viewport_name, viewport in (("desktop", DESKTOP), ("mobil", MOBILE)):
        page.set_viewport_size(viewport)
        for name, path in pages:
            page.goto(site + path)
            page.evaluate(axe_source)
            for violation in page.evaluate(RUN_AXE, AXE_TAGS):
                problems.append(f"{viewport_name} {name} {path}: {violation}")
    assert problems == [], "\n".join(problems)


def test_nu_html_checker_finds_no_errors(page, site, vnu_command, tmp_path):
    pages = public_pages(*make_site_content(all_partnerships=True))
    files = []
    for name, path in pages:
        response = page.request.get(site + path)
        assert response.status in (200, 404), (path, response.status)
        file = tmp_path / f"{name}.html"
        file.write_bytes(response.body())
        files.append(str(file))
    result = subprocess.run([*vnu_command, *files], capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_leichte_sprache_pages_follow_their_layout_rules(page, site):
    make_site_content()
    page.goto(site + "/leichte-sprache/wie-benutze-ich-diese-website/")
    style = page.locator(".easy-language p").first.evaluate(
        """p => { const s = getComputedStyle(p);
                  return {size: parseFloat(s.fontSize), hyphens: s.hyphens, align: s.textAlign,
                          width: p.getBoundingClientRect().width, ch: parseFloat(s.fontSize)}; }"""
    )
    base = page.locator("main").evaluate("m => parseFloat(getComputedStyle(document.body).fontSize)")
    assert style["size"] >= 1.2 * base  # larger type
    assert style["hyphens"] == "none" and style["align"] in ("left", "start")
    assert style["width"] <= 36 * style["ch"]  # short lines
