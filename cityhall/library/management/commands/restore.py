"""manage.py restore DIR: a backup made by ``manage.py backup``, verified before anything is touched."""

from django.core.management.base import BaseCommand, CommandError

from cityhall.library import backup


class Command(BaseCommand):
    help = (
        "Stellt Datenbank und MEDIA_ROOT aus einem Backup wieder her. Prüft zuerst jede Datei gegen "
        "die Prüfsummen in manifest.json; stimmt eine nicht, wird nichts verändert. Ohne --force nur "
        "in eine leere Datenbank und ein leeres MEDIA_ROOT."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="Verzeichnis eines Backups (mit manifest.json)")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Vorhandene Daten und Mediendateien überschreiben",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Nur die Prüfsummen prüfen, nichts wiederherstellen",
        )

    def handle(self, *args, directory, force, check, **options):
        try:
            if check:
                manifest = backup.verify(directory)
                self.stdout.write(
                    self.style.SUCCESS(f"{directory}: alle {len(manifest['files'])} Dateien unverändert")
                )
                return
            summary = backup.restore(directory, force=force)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Wiederhergestellt aus {directory}: {summary}. "
                "Falls der Code neuer ist als das Backup: manage.py migrate"
            )
        )
