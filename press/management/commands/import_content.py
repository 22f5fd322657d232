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
        try:
            result = import_file(file)
        except InterchangeError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(result.summary()))
