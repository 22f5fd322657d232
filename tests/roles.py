"""What the data migrations put into the database (the editorial roles with their permissions, the managed
licences), made again for transactional tests: the database is emptied after each of them (and serialized
rollback does not restore it in every order), so a later one would find the groups gone. Used by the
autouse fixture in tests/conftest.py, with the migrations' own code."""

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations.special import RunPython

ROLE_MIGRATIONS = {
    ("cityhall", "0004_licences_and_image_hashes"),
    ("partnerships", "0003_partnership_role"),
    ("press", "0004_editorial_roles"),
    ("press", "0006_redirect_permissions"),
    ("press", "0008_collaboration_permissions"),
    ("press", "0010_appointments"),
    ("press", "0011_featured_releases"),
    ("distribution", "0003_roles"),
}


def ensure_roles():
    group = Group.objects.filter(name="Redaktion").first()
    if group is not None and group.permissions.exists():
        return
    ContentType.objects.clear_cache()
    emit_post_migrate_signal(0, False, connection.alias)  # content types and permissions
    loader = MigrationLoader(connection)
    state_apps = loader.project_state().apps
    with connection.schema_editor(atomic=False) as editor:
        # In dependency order (a later grant may extend a group an earlier one made).
        keys = ROLE_MIGRATIONS & set(loader.disk_migrations)
        for key in sorted(keys, key=lambda key: (len(loader.graph.forwards_plan(key)), key)):
            for operation in loader.disk_migrations[key].operations:
                if isinstance(operation, RunPython):
                    operation.code(state_apps, editor)
