"""The press roles manage redirects (cityhall.Redirect): both add, change, delete and view them, and
import them from a CSV file (which needs add and change)."""

from django.db import migrations

ROLES = ("Redaktion", "Pressesprecher/in")
ACTIONS = ("add", "change", "delete", "view")


def _redirect_permissions(apps, using):
    from django.contrib.auth.management import create_permissions

    # On a fresh database the permissions are only created after all migrations; create them now.
    config = apps.get_app_config("cityhall")
    config.models_module = True
    create_permissions(config, verbosity=0, using=using, apps=apps)
    config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.using(using).filter(
        content_type__app_label="cityhall", codename__in=[f"{action}_redirect" for action in ACTIONS]
    )


def grant(apps, schema_editor):
    using = schema_editor.connection.alias
    permissions = list(_redirect_permissions(apps, using))
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.using(using).filter(name__in=ROLES):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    using = schema_editor.connection.alias
    permissions = list(_redirect_permissions(apps, using))
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.using(using).filter(name__in=ROLES):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("cityhall", "0005_redirect"),
        ("press", "0005_slug_validator"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
