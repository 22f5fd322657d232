"""The editorial roles for browser tests. Their live server makes them transactional tests, whose
database is emptied after each one (and serialized rollback does not restore it in every order), so
the groups that migrations made may be gone: make them again with the same migration code."""

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations.special import RunPython

ROLE_MIGRATIONS = {
    ("press", "0004_editorial_roles"),
    ("press", "0006_redirect_permissions"),
    ("press", "0008_collaboration_permissions"),
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
        for key in sorted(ROLE_MIGRATIONS & set(loader.disk_migrations)):
            for operation in loader.disk_migrations[key].operations:
                if isinstance(operation, RunPython):
                    operation.code(state_apps, editor)
