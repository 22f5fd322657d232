"""Trigram indexes for the release admin's search (``icontains`` is ``UPPER(field) LIKE UPPER('%…%')``
on PostgreSQL, which these serve); other databases search without them."""

from django.db import migrations

FIELDS = ["title", "kicker", "subtitle", "lead", "slug"]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in FIELDS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS press_release_{name}_trgm ON press_pressrelease "
            f"USING gin (UPPER({name}::text) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in FIELDS:
        schema_editor.execute(f"DROP INDEX IF EXISTS press_release_{name}_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("press", "0015_archive_months"),
    ]

    operations = [migrations.RunPython(create, drop)]
