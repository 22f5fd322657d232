"""XSS payloads and the check of a rendered page: did a payload become markup that runs?"""

import json

from tests.htmltree import parse

# Each carries a mark ({mark}) so a hit names the field it came from.
PAYLOADS = [
    "<script>alert('{mark}')</script>",
    '"><img src=x onerror="alert(\'{mark}\')">',
    "'><svg onload=alert('{mark}')>",
    "</script><script>alert('{mark}')</script>",
    "<a href=\"javascript:alert('{mark}')\">klick {mark}</a>",
    "<iframe src=\"javascript:alert('{mark}')\"></iframe>{mark}",
    '<p style="x" onmouseover="alert(\'{mark}\')">{mark}</p>',
]
DATA_SCRIPTS = {"application/ld+json", "application/json"}


def injections(html):
    """The marks of payloads that became markup: a script of its own, an event handler, a
    javascript: address; a data script that no longer parses as JSON counts too. (Text is fine.)"""
    try:
        tree = parse(html)
    except AssertionError as exc:  # markup broken open
        return {f"broken markup: {exc}"}
    found = set()
    for element in tree.iter():
        if element.tag == "script":
            kind = element.attrs.get("type") or ""
            if kind in DATA_SCRIPTS:
                try:
                    json.loads(element.text or "null")
                except ValueError:
                    found.add(f"data script broken: {element.text[:80]}")
            elif "alert(" in element.text:
                found.add(element.text)
        for name, value in element.attrs.items():
            value = value or ""
            if name.startswith("on") and "alert(" in value:
                found.add(value)
            if name in ("href", "src", "action", "formaction") and value.strip().lower().startswith(
                "javascript:"
            ):
                found.add(value)
    return found
