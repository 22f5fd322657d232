"""Create (or reset) the local admin login that `make run` prints."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Creates the superuser 'admin' with a random password (or gives it a new one) and prints the login."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")
        parser.add_argument(
            "--url",
            default="http://127.0.0.1:8000/",
            help="Address the site is served at (make run: HOST, PORT).",
        )

    def handle(self, *args, username, url, **options):
        User = get_user_model()
        password = secrets.token_urlsafe(12)
        user, created = User.objects.get_or_create(
            username=username, defaults={"is_staff": True, "is_superuser": True}
        )
        user.is_staff = user.is_superuser = user.is_active = True
        user.set_password(password)
        user.save()
        state = "created" if created else "password renewed"
        self.stdout.write(
            self.style.SUCCESS(
                f"\nAdmin login ({state}): {url.rstrip('/')}/admin/\n"
                f"  user:     {username}\n  password: {password}\n"
            )
        )
        if getattr(settings, "CITYHALL_REQUIRE_2FA", False):
            self.stdout.write(
                "  At the first login you set up an authenticator app (two-factor, required for admins);\n"
                "  CITYHALL_REQUIRE_2FA=0 make run turns that off on your own machine.\n"
            )
