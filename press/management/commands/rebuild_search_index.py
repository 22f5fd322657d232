from django.core.management.base import BaseCommand

from press.models import PressRelease
from press.search import rebuild_all


class Command(BaseCommand):
    help = "Schreibt den Suchindex aller Pressemitteilungen neu (z. B. nach einer Migration)."

    def handle(self, *args, **options):
        rebuild_all()
        self.stdout.write(f"Suchindex für {PressRelease.objects.count()} Pressemitteilungen geschrieben.")
