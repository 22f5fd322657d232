"""manage.py backup DIR: the database and every media file, with a manifest of checksums."""

from django.core.management.base import BaseCommand, CommandError

from cityhall.library import backup


class Command(BaseCommand):
    help = (
        "Sichert die Datenbank (PostgreSQL: pg_dump, SQLite: Backup-API) und alle Dateien unter "
        "MEDIA_ROOT in ein neues Verzeichnis, mit SHA-256-Prüfsummen in manifest.json."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="Neues oder leeres Verzeichnis für das Backup")

    def handle(self, *args, directory, **options):
        try:
            summary = backup.backup(directory)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Gesichert nach {directory}: {summary}"))
