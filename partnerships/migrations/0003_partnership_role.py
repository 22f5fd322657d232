"""The role "Partnerschaften": staff who look after the twin-city partnerships, their projects and
pictures, without access to press releases."""

from django.db import migrations

ROLE = "Partnerschaften"
PERMISSIONS = [
    ("partnerships", "partnership", ("add", "change", "delete", "view")),
    ("partnerships", "project", ("add", "change", "delete", "view")),
    ("partnerships", "theme", ("add", "change", "delete", "view")),
    # The city-wide image library, for a partnership's picture.
    ("cityhall", "image", ("add", "change", "view")),
    ("cityhall", "license", ("view",)),
    # To name the office's contact person on a partnership.
    ("cityhall", "contact", ("add", "view")),
]


def create_role(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    using = schema_editor.connection.alias
    # On a fresh database the permissions are only created after all migrations; create them now.
    for label in {app for app, _, _ in PERMISSIONS}:
        config = apps.get_app_config(label)
        config.models_module = True
        create_permissions(config, verbosity=0, using=using, apps=apps)
        config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    wanted = [
        Permission.objects.using(using).get(
            content_type__app_label=app, content_type__model=model, codename=f"{action}_{model}"
        )
        for app, model, actions in PERMISSIONS
        for action in actions
    ]
    group, _ = Group.objects.using(using).get_or_create(name=ROLE)
    group.permissions.set(wanted)


def remove_role(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(name=ROLE).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("cityhall", "0001_initial"),
        ("partnerships", "0002_partnership_details_and_project_dates"),
    ]

    operations = [migrations.RunPython(create_role, remove_role)]
