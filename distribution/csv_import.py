"""Import of an existing distribution list from CSV: columns ``email``, ``name``, ``outlet``, ``lists``
(list slugs, separated by ";" or ","), optionally ``consent_source``. Each row is checked by the
model (full_clean); good rows are kept, each bad row is named with its line and reason. Without a
recorded consent source, the address is "to be confirmed" and gets the confirmation mail."""

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from . import subscriptions
from .models import Consent, MailingList, Subscriber

REQUIRED = {"email"}


@dataclass
class Report:
    confirmed: list = field(default_factory=list)
    to_confirm: list = field(default_factory=list)
    skipped: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # (line, reason)


def label(name):
    return str(Subscriber._meta.get_field(name).verbose_name) if name != "__all__" else ""


def messages_of(exc):
    if hasattr(exc, "message_dict"):
        return "; ".join(f"{label(name)}: {' '.join(texts)}" for name, texts in exc.message_dict.items())
    return " ".join(exc.messages)


def read(upload):
    """Rows of an uploaded file (UTF-8, with or without BOM; comma or semicolon)."""
    raw = upload.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError("Die Datei ist nicht in UTF-8 gespeichert.") from exc
    try:
        dialect = csv.Sniffer().sniff(text[:2048], delimiters=",;")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    names = {(name or "").strip().lower() for name in reader.fieldnames or []}
    if not names >= REQUIRED:
        raise ValueError("Die erste Zeile muss die Spalten email, name, outlet, lists nennen.")
    return reader


def import_rows(reader, default_lists=()):
    report = Report()
    lists_by_slug = {item.slug: item for item in MailingList.objects.all()}
    for line, row in enumerate(reader, start=2):
        row = {(key or "").strip().lower(): (value or "").strip() for key, value in row.items() if key}
        email = row.get("email", "").lower()
        slugs = [slug.strip() for slug in row.get("lists", "").replace(";", ",").split(",") if slug.strip()]
        unknown = [slug for slug in slugs if slug not in lists_by_slug]
        if unknown:
            report.errors.append((line, f"{email or '–'}: unbekannte Liste {', '.join(unknown)}"))
            continue
        lists = [lists_by_slug[slug] for slug in slugs] or list(default_lists)
        if not lists:
            report.errors.append((line, f"{email or '–'}: keine Liste angegeben"))
            continue
        if email and Subscriber.objects.filter(email=email).exists():
            report.skipped.append((line, email))
            continue
        fields = {"name": row.get("name", ""), "outlet": row.get("outlet", "")}
        source = row.get("consent_source", "")
        try:
            with transaction.atomic():
                if source:
                    subscriptions.add_confirmed(
                        email, lists, Subscriber.Frequency.IMMEDIATE, source=source, **fields
                    )
                    report.confirmed.append(email)
                else:
                    Subscriber(email=email, **fields).full_clean()
                    subscriptions.request_signup(
                        email,
                        lists,
                        Subscriber.Frequency.IMMEDIATE,
                        method=Consent.Method.IMPORT_DOUBLE_OPT_IN,
                        **fields,
                    )
                    report.to_confirm.append(email)
        except ValidationError as exc:
            report.errors.append((line, f"{email or '–'}: {messages_of(exc)}"))
    return report
