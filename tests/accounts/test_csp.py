"""Finding 8: a Content-Security-Policy on every HTML page (nonces for inline scripts, no framing, no
plugins, no foreign base) and a Permissions-Policy. The browser tests prove that pages work under it."""

import re

import pytest
from django.contrib.auth.models import User

from tests.factories import make_release

pytestmark = pytest.mark.django_db


def directives(response):
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def test_public_pages_have_a_strict_policy(client):
    release = make_release()
    for url in ("/", release.get_absolute_url(), "/barrierefreiheit/"):
        response = client.get(url)
        assert response.status_code == 200
        csp = directives(response)
        assert csp["default-src"] == ["'self'"]
        assert csp["object-src"] == ["'none'"]
        assert csp["base-uri"] == ["'self'"]
        assert csp["frame-ancestors"] == ["'none'"]
        assert "'unsafe-inline'" not in csp["style-src"] and "'unsafe-inline'" not in csp["script-src"]
        assert "camera=()" in response["Permissions-Policy"]
        assert "geolocation=()" in response["Permissions-Policy"]


def test_the_admin_allows_inline_styles_and_gives_the_editors_import_map_its_nonce(client):
    client.force_login(User.objects.create_superuser("admin", "admin@example.org", "x"))
    release = make_release()
    response = client.get(f"/admin/press/pressrelease/{release.pk}/change/")
    assert response.status_code == 200
    csp = directives(response)
    assert "'unsafe-inline'" in csp["style-src"]
    assert "'unsafe-inline'" not in csp["script-src"]
    nonces = [value for value in csp["script-src"] if value.startswith("'nonce-")]
    assert len(nonces) == 1
    nonce = nonces[0][len("'nonce-") : -1]
    html = response.content.decode()
    importmap = re.search(r"<script[^>]*type=\"importmap\"[^>]*>", html)
    assert importmap is not None and f'nonce="{nonce}"' in importmap.group(0)
    # Every other script is a file of this site; none is inline without the nonce.
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag or f'nonce="{nonce}"' in tag or "application/json" in tag or "ld+json" in tag, (
            tag
        )
    assert not re.search(r"\son[a-z]+=\"", html), "inline event handler"


def test_no_template_has_an_inline_script_or_event_handler():
    """Scripts go into static files (or carry the nonce): the policy would block them silently."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent.parent
    offenders = []
    for folder in ("templates", "cityhall", "press", "partnerships"):
        for path in (root / folder).rglob("*.html"):
            text = path.read_text(encoding="utf-8")
            for tag in re.findall(r"<script\b[^>]*>", text):
                if "src=" not in tag and "nonce" not in tag and "json" not in tag:
                    offenders.append(f"{path.relative_to(root)}: {tag}")
            for handler in re.findall(r"<[a-z][^>]*\son[a-z]+\s*=", text):
                offenders.append(f"{path.relative_to(root)}: {handler}")
    assert offenders == []
