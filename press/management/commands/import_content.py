from django.core.management.base import BaseCommand, CommandError

from press.interchange import FORMAT, InterchangeError, import_file


class Command(BaseCommand):
    help = (
        f"Importiert Städtepartnerschaften und Pressemitteilungen aus einer JSON-Datei im Format {FORMAT} "
        "(siehe docs/interchange.md). Alles oder nichts; ein zweiter Import derselben Datei ändert nichts."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file", help="Pfad zur JSON-Datei; Bildpfade darin gelten relativ zu ihrem Ordner."
        )

    def handle(self, *args, file, **options):
        def progress(done, total):
            # On stderr, so that the summary on stdout stays one line; \r keeps it to one line on a terminal.
            self.stderr.write(f"\rPressemitteilungen: {done:,} von {total:,}".replace(",", "."), ending="")
            if done == total:
                self.stderr.write("")

        try:
            result = import_file(file, progress=progress)
        except InterchangeError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(result.summary()))
