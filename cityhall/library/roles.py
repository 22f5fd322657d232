"""For the role migrations of every app: give the editorial groups permissions on an app's models.

On a fresh database Django creates permissions only after all migrations, so they are created here first."""


def _permissions(apps, using, app_label, codenames):
    from django.contrib.auth.management import create_permissions

    config = apps.get_app_config(app_label)
    config.models_module = True
    create_permissions(config, verbosity=0, using=using, apps=apps)
    config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    return list(
        Permission.objects.using(using).filter(content_type__app_label=app_label, codename__in=codenames)
    )


def grant_and_revoke(app_label, grants, *, create_groups=False):
    """(grant, revoke) for RunPython; ``grants`` maps a group name to permission codenames of ``app_label``.
    ``create_groups``: make a group that does not exist yet (when the order against press's role migration
    must not matter)."""

    def apply(apps, schema_editor, add):
        using = schema_editor.connection.alias
        Group = apps.get_model("auth", "Group")
        for name, codenames in grants.items():
            if add and create_groups:
                groups = [Group.objects.using(using).get_or_create(name=name)[0]]
            else:
                groups = Group.objects.using(using).filter(name=name)
            for group in groups:
                permissions = _permissions(apps, using, app_label, codenames)
                (group.permissions.add if add else group.permissions.remove)(*permissions)

    def grant(apps, schema_editor):
        apply(apps, schema_editor, True)

    def revoke(apps, schema_editor):
        apply(apps, schema_editor, False)

    return grant, revoke
