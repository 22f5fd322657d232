"""The spokespeople run the Presseverteiler (lists, subscribers and their accreditation, the CSV
import, the embargo pre-send, the reports); the editors see the mailings' reports."""

from django.db import migrations

from cityhall.library.roles import grant_and_revoke

GRANTS = {
    "Pressesprecher/in": [
        *[f"{action}_{model}" for model in ("mailinglist", "subscriber") for action in ("add", "change", "delete", "view")],
        "view_consent",
        "view_mailing",
    ],
    "Redaktion": ["view_mailing"],
}

# The groups are made if missing, as press's role migration does: the order of the two does not matter.
grant, revoke = grant_and_revoke("distribution", GRANTS, create_groups=True)


class Migration(migrations.Migration):
    dependencies = [("distribution", "0002_default_lists"), ("press", "0004_editorial_roles")]

    operations = [migrations.RunPython(grant, revoke)]
