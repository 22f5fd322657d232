from django.core.management.base import BaseCommand, CommandError

from press.interchange import FORMAT, InterchangeError, export_content


class Command(BaseCommand):
    help = (
        f"Exportiert alle Städtepartnerschaften und Pressemitteilungen im Format {FORMAT} "
        "nach ORDNER/content.json, die Bilder nach ORDNER/images/."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="Zielordner; wird angelegt, falls er fehlt.")

    def handle(self, *args, directory, **options):
        try:
            result = export_content(directory)
        except InterchangeError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(result.summary()))
