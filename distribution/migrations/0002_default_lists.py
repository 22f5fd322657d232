from django.db import migrations

LISTS = [
    # slug, name, kind, public, position
    ("alle", "Alle Pressemitteilungen", "all", True, 0),
    ("akkreditiert", "Akkreditierte Presse (vorab unter Sperrfrist)", "accredited", False, 100),
]


def create_lists(apps, schema_editor):
    MailingList = apps.get_model("distribution", "MailingList")
    for slug, name, kind, public, position in LISTS:
        MailingList.objects.get_or_create(slug=slug, defaults={"name": name, "kind": kind, "public": public, "position": position})


class Migration(migrations.Migration):
    dependencies = [("distribution", "0001_presseverteiler")]
    operations = [migrations.RunPython(create_lists, migrations.RunPython.noop)]
