"""A press contact as a vCard 3.0 (RFC 2426), the version every address book imports."""

from django.conf import settings

from .models import Contact


def _escape(value):
    return (
        str(value or "")
        .replace("\\", "\\\\")
        .replace("\n", "\\n")
        .replace("\r", "")
        .replace(",", "\\,")
        .replace(";", "\\;")
    )


def _fold(line):
    """Lines of at most 75 octets, continued with a space (RFC 2425 § 5.8.1), never inside a character."""
    out, current = [], b""
    for char in line:
        encoded = char.encode()
        if len(current) + len(encoded) > 75:
            out.append(current)
            current = b" "
        current += encoded
    out.append(current)
    return b"\r\n".join(out)


def vcard(contact: Contact, organisation=None):
    """The vCard of ``contact`` as bytes (UTF-8, CRLF line ends)."""
    organisation = organisation or " ".join(
        part for part in (settings.CITY_NAME, getattr(settings, "PRESS_OFFICE_NAME", "")) if part
    )
    # The last word is taken as the family name ("Daniel Schwerdt": Schwerdt; Daniel), as address books do.
    given, _, family = contact.name.strip().rpartition(" ")
    lines = [
        "BEGIN:VCARD",
        "VERSION:3.0",
        f"FN:{_escape(contact.name)}",
        f"N:{_escape(family)};{_escape(given)};;;",
        f"ORG:{_escape(organisation)}",
    ]
    if contact.role:
        lines.append(f"TITLE:{_escape(contact.role)}")
    if contact.email:
        lines.append(f"EMAIL;TYPE=INTERNET,WORK:{_escape(contact.email)}")
    if contact.phone:
        lines.append(f"TEL;TYPE=WORK,VOICE:{_escape(contact.phone)}")
    lines.append("END:VCARD")
    return b"\r\n".join(_fold(line) for line in lines) + b"\r\n"
