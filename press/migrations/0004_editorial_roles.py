"""The editorial roles: "Redaktion" writes drafts, uploads images and submits them for review;
"Pressesprecher/in" also reviews, approves, schedules, publishes, withdraws, corrects, sends embargo
links and reads the audit log. The workflow rules themselves live in press/workflow.py."""

from django.db import migrations

EDITORS = "Redaktion"
SPOKESPEOPLE = "Pressesprecher/in"
BLOCKS = ("textblock", "quoteblock", "imageblock", "backgroundblock")
ALL = ("add", "change", "delete", "view")

EDITOR_PERMISSIONS = [
    ("press", "pressrelease", ("add", "change", "view", "submit")),
    *[("press", block, ALL) for block in BLOCKS],
    ("press", "correction", ("view",)),
    # What the release form picks from (autocomplete needs the view permission).
    ("cityhall", "image", ("add", "change", "view")),
    ("cityhall", "license", ("view",)),
    ("cityhall", "person", ("add", "change", "view")),
    ("cityhall", "office", ("add", "change", "view")),
    ("cityhall", "contact", ("view",)),
    ("partnerships", "partnership", ("view",)),
    ("partnerships", "project", ("view",)),
    ("taggit", "tag", ("view",)),
]
SPOKESPERSON_PERMISSIONS = [
    *EDITOR_PERMISSIONS,
    ("press", "pressrelease", ("delete", "approve", "publish")),
    ("press", "correction", ALL),
    ("press", "previewlink", ALL),
    ("press", "auditentry", ("view",)),
    ("cityhall", "contact", ("add", "change")),
]


def _permissions(apps, using, spec):
    Permission = apps.get_model("auth", "Permission")
    return [
        Permission.objects.using(using).get(
            content_type__app_label=app, content_type__model=model, codename=f"{action}_{model}"
        )
        for app, model, actions in spec
        for action in actions
    ]


def create_roles(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    using = schema_editor.connection.alias
    # On a fresh database the permissions are only created after all migrations; create them now.
    for label in ("press", "cityhall", "partnerships", "taggit"):
        config = apps.get_app_config(label)
        config.models_module = True
        create_permissions(config, verbosity=0, using=using, apps=apps)
        config.models_module = None

    Group = apps.get_model("auth", "Group")
    for name, spec in ((EDITORS, EDITOR_PERMISSIONS), (SPOKESPEOPLE, SPOKESPERSON_PERMISSIONS)):
        group, _ = Group.objects.using(using).get_or_create(name=name)
        group.permissions.set(_permissions(apps, using, spec))


def remove_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(name__in=[EDITORS, SPOKESPEOPLE]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("cityhall", "0001_initial"),
        ("partnerships", "0001_initial"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("press", "0003_workflow"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
