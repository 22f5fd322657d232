"""Load the site's own pages (Leichte Sprache, Impressum, Datenschutzerklärung) from a JSON file, e.g. the
demo's ``demo/site_pages.json``. Pages are matched by slug or kind and updated in place, so the command can run
again; every page is validated by its model and nothing is written when one is refused."""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cityhall.library.models import EasyLanguagePage, LegalPage


def _upsert(model, key, row):
    page = model.objects.filter(**{key: row[key]}).first() or model(**{key: row[key]})
    for field, value in row.items():
        setattr(page, field, value)
    page.full_clean()
    page.save()
    return page


class Command(BaseCommand):
    help = "Load pages in Leichte Sprache and the legal pages from a JSON file (updated in place)."

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, path, **options):
        try:
            with open(path, encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, ValueError) as exc:
            raise CommandError(f"{path}: {exc}") from exc
        if not isinstance(data, dict):
            raise CommandError(f"{path}: expected an object with easy_language_pages and legal_pages")
        try:
            with transaction.atomic():
                easy = [_upsert(EasyLanguagePage, "slug", row) for row in data.get("easy_language_pages", [])]
                legal = [_upsert(LegalPage, "kind", row) for row in data.get("legal_pages", [])]
        except ValidationError as exc:
            raise CommandError(f"{path}: {'; '.join(exc.messages)}") from exc
        except (KeyError, TypeError) as exc:
            raise CommandError(f"{path}: malformed page entry ({exc})") from exc
        self.stdout.write(f"{len(easy)} Seiten in Leichter Sprache, {len(legal)} rechtliche Seiten geladen.")
