"""Search entries for releases, with GIN indexes on PostgreSQL (full text and pg_trgm).

The indexes are part of the model state everywhere, but created only on PostgreSQL; SQLite searches the
case-folded text without them. Fill the entries of existing releases with ``manage.py rebuild_search_index``.
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
import django.db.models.deletion
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations, models


class AddIndexOnPostgreSQL(migrations.AddIndex):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [
        ("press", "0001_initial"),
    ]

    operations = [
        TrigramExtension(),  # does nothing on other databases
        migrations.CreateModel(
            name="SearchEntry",
            fields=[
                (
                    "release",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search_entry",
                        serialize=False,
                        to="press.pressrelease",
                    ),
                ),
                ("text", models.TextField(blank=True, verbose_name="Suchtext")),
                ("folded", models.TextField(blank=True, verbose_name="Suchtext (Kleinschreibung)")),
                ("vector", django.contrib.postgres.search.SearchVectorField(editable=False, null=True)),
            ],
            options={
                "verbose_name": "Sucheintrag",
                "verbose_name_plural": "Sucheinträge",
            },
        ),
        AddIndexOnPostgreSQL(
            model_name="searchentry",
            index=django.contrib.postgres.indexes.GinIndex(fields=["vector"], name="press_search_vector_gin"),
        ),
        AddIndexOnPostgreSQL(
            model_name="searchentry",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["folded"], name="press_search_folded_trgm", opclasses=["gin_trgm_ops"]
            ),
        ),
    ]
