from django.core.management.base import BaseCommand

from distribution.tasks import ensure_digest_schedule


class Command(BaseCommand):
    help = "Startet die tägliche und wöchentliche Zusammenfassung des Presseverteilers im Worker (falls keine wartet)."

    def handle(self, *args, **options):
        started = ensure_digest_schedule()
        self.stdout.write(f"Zusammenfassungen eingeplant: {', '.join(started) or 'keine neuen'}")
