"""Shared by the role migrations: give the editorial groups permissions on the press app's models.
(Modules starting with an underscore are not migrations; the loader skips them.)"""


def _permissions(apps, using, codenames):
    from django.contrib.auth.management import create_permissions

    # On a fresh database the permissions are only created after all migrations; create them now.
    config = apps.get_app_config("press")
    config.models_module = True
    create_permissions(config, verbosity=0, using=using, apps=apps)
    config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return list(
        Permission.objects.using(using).filter(content_type__app_label="press", codename__in=codenames)
    )


def grant_and_revoke(grants):
    """(grant, revoke) functions for RunPython; ``grants`` maps a group name to permission codenames."""

    def apply(apps, schema_editor, add):
        using = schema_editor.connection.alias
        Group = apps.get_model("auth", "Group")
        for name, codenames in grants.items():
            for group in Group.objects.using(using).filter(name=name):
                permissions = _permissions(apps, using, codenames)
                (group.permissions.add if add else group.permissions.remove)(*permissions)

    def grant(apps, schema_editor):
        apply(apps, schema_editor, True)

    def revoke(apps, schema_editor):
        apply(apps, schema_editor, False)

    return grant, revoke
