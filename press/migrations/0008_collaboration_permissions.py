"""The press roles comment on releases and suggest corrections; the spokespeople also answer the
suggestions (and mark them as done)."""

from django.db import migrations

GRANTS = {
    "Redaktion": [("comment", ("add", "view")), ("correctionsuggestion", ("add", "view"))],
    "Pressesprecher/in": [("comment", ("add", "view")), ("correctionsuggestion", ("add", "change", "view"))],
}


def _permissions(apps, using, spec):
    from django.contrib.auth.management import create_permissions

    # On a fresh database the permissions are only created after all migrations; create them now.
    config = apps.get_app_config("press")
    config.models_module = True
    create_permissions(config, verbosity=0, using=using, apps=apps)
    config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    codenames = [f"{action}_{model}" for model, actions in spec for action in actions]
    return list(
        Permission.objects.using(using).filter(content_type__app_label="press", codename__in=codenames)
    )


def grant(apps, schema_editor):
    using = schema_editor.connection.alias
    Group = apps.get_model("auth", "Group")
    for name, spec in GRANTS.items():
        for group in Group.objects.using(using).filter(name=name):
            group.permissions.add(*_permissions(apps, using, spec))


def revoke(apps, schema_editor):
    using = schema_editor.connection.alias
    Group = apps.get_model("auth", "Group")
    for name, spec in GRANTS.items():
        for group in Group.objects.using(using).filter(name=name):
            group.permissions.remove(*_permissions(apps, using, spec))


class Migration(migrations.Migration):
    dependencies = [("press", "0007_collaboration")]

    operations = [migrations.RunPython(grant, revoke)]
