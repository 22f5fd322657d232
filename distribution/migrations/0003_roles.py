"""The spokespeople run the Presseverteiler (lists, subscribers and their accreditation, the CSV
import, the embargo pre-send, the reports); the editors see the mailings' reports."""

from django.db import migrations

GRANTS = {
    "Pressesprecher/in": [
        ("mailinglist", ("add", "change", "delete", "view")),
        ("subscriber", ("add", "change", "delete", "view")),
        ("consent", ("view",)),
        ("mailing", ("view",)),
    ],
    "Redaktion": [("mailing", ("view",))],
}


def _permissions(apps, using, spec):
    from django.contrib.auth.management import create_permissions

    # On a fresh database the permissions are only created after all migrations; create them now.
    config = apps.get_app_config("distribution")
    config.models_module = True
    create_permissions(config, verbosity=0, using=using, apps=apps)
    config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    codenames = [f"{action}_{model}" for model, actions in spec for action in actions]
    return list(
        Permission.objects.using(using).filter(content_type__app_label="distribution", codename__in=codenames)
    )


def grant(apps, schema_editor):
    using = schema_editor.connection.alias
    Group = apps.get_model("auth", "Group")
    for name, spec in GRANTS.items():
        # get_or_create, as press's role migration does: the order of the two does not matter.
        group, _ = Group.objects.using(using).get_or_create(name=name)
        group.permissions.add(*_permissions(apps, using, spec))


def revoke(apps, schema_editor):
    using = schema_editor.connection.alias
    Group = apps.get_model("auth", "Group")
    for name, spec in GRANTS.items():
        for group in Group.objects.using(using).filter(name=name):
            group.permissions.remove(*_permissions(apps, using, spec))


class Migration(migrations.Migration):
    dependencies = [("distribution", "0002_default_lists"), ("press", "0004_editorial_roles")]

    operations = [migrations.RunPython(grant, revoke)]
