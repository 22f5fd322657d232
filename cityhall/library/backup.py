"""A whole backup: the database and every file below ``MEDIA_ROOT``, with a manifest of SHA-256
checksums that a restore verifies before it touches anything.

A backup folder holds ``manifest.json``, the database (``database.dump``: PostgreSQL's custom format
written by ``pg_dump``; or ``database.sqlite3``: a copy made with SQLite's backup API) and ``media/``.
The connection settings are those of the default database; a password goes to ``pg_dump`` and
``pg_restore`` as ``PGPASSWORD`` in their environment, never on their command line.

Unlike the interchange format (moving content between systems), this is everything: users, history,
audit log, preview links, corrections, feedback, every page and every image. It knows no app above the
library: it copies tables and files, whatever they hold.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

FORMAT = "cityhall-backup/1"
MANIFEST = "manifest.json"
MEDIA = "media"
DATABASE_FILES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
# Rows that a fresh database has after ``migrate`` (or ``flush``) without anyone's content: Django's
# bookkeeping, the roles the migrations make and the managed licence list. A database with rows in
# any other table is not empty, and a restore into it needs --force.
BOOKKEEPING_TABLES = {
    "django_migrations",
    "django_content_type",
    "auth_permission",
    "auth_group",
    "auth_group_permissions",
    "django_session",
    "cityhall_license",
}
_CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message is one line saying why."""


@dataclass
class Summary:
    engine: str
    media_files: int
    created: str

    def __str__(self):
        return f"Datenbank ({self.engine}) und {self.media_files} Mediendateien, Stand {self.created}"


# --- backup ----------------------------------------------------------------------------------------


def backup(directory, alias=DEFAULT_DB_ALIAS):
    """Write a backup into ``directory`` (new or empty). It is made in a sibling folder and renamed
    into place at the end, so a folder with a manifest is always a whole backup."""
    target = Path(directory)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise BackupError(f"{target} existiert und ist nicht leer; bitte ein neues Verzeichnis angeben")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.parent / f".{target.name}.unfertig-{os.getpid()}"
    if partial.exists():
        shutil.rmtree(partial)
    partial.mkdir()
    try:
        engine = _engine(alias)
        database_file = partial / DATABASE_FILES[engine]
        # The database first: files it names were written before their rows were committed.
        if engine == "postgresql":
            _pg_dump(connections[alias].settings_dict, database_file)
        else:
            _sqlite_copy(connections[alias], database_file)
        _copy_tree(Path(settings.MEDIA_ROOT), partial / MEDIA)
        files = {_relative(path, partial): _sha256(path) for path in _files(partial)}
        manifest = {
            "format": FORMAT,
            "created": timezone.now().isoformat(timespec="seconds"),
            "engine": engine,
            "database": DATABASE_FILES[engine],
            "migrations": _migrations(alias),
            "files": dict(sorted(files.items())),
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
        os.replace(partial, target)  # an empty folder of that name is replaced
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return _summary(manifest)


def _pg_dump(settings_dict, path):
    _run(["pg_dump", "--format=custom", f"--file={path}", *_pg_connection(settings_dict)], settings_dict)


def _sqlite_copy(connection, path):
    """SQLite's online backup: a consistent copy even while others write (WAL included)."""
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        connection.connection.backup(target)
    finally:
        target.close()


# --- restore ---------------------------------------------------------------------------------------


def verify(directory):
    """The manifest of a backup whose every file is present and unchanged, and nothing else there;
    else BackupError naming the first file that is not."""
    source = Path(directory)
    manifest_path = source / MANIFEST
    if not manifest_path.is_file():
        raise BackupError(f"{manifest_path} fehlt: kein (vollständiges) Backup")
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BackupError(f"{manifest_path} ist kein lesbares Manifest ({exc})") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{manifest_path}: Format {FORMAT} erwartet")
    files = manifest.get("files")
    if manifest.get("engine") not in DATABASE_FILES or not isinstance(files, dict):
        raise BackupError(f"{manifest_path}: Datenbank oder Dateiliste fehlt")
    if manifest.get("database") not in files:
        raise BackupError(f"{manifest_path}: die Datenbankdatei ist nicht verzeichnet")
    for name, checksum in files.items():
        path = source / name
        if ".." in Path(name).parts or Path(name).is_absolute():
            raise BackupError(f"{name}: kein Pfad innerhalb des Backups")
        if not path.is_file() or path.is_symlink():
            raise BackupError(f"{name} fehlt im Backup")
        if _sha256(path) != checksum:
            raise BackupError(f"{name} wurde verändert (Prüfsumme stimmt nicht)")
    for path in _files(source):
        name = _relative(path, source)
        if name != MANIFEST and name not in files:
            raise BackupError(f"{name} steht nicht im Manifest")
    return manifest


def restore(directory, *, force=False, alias=DEFAULT_DB_ALIAS):
    """Put the database and the media files of a verified backup in place. Without ``force`` the
    database and ``MEDIA_ROOT`` must be empty."""
    source = Path(directory)
    manifest = verify(source)
    engine = _engine(alias)
    if manifest["engine"] != engine:
        raise BackupError(f"Das Backup ist von {manifest['engine']}, die Datenbank hier ist {engine}")
    media_root = Path(settings.MEDIA_ROOT)
    if not force:
        if media_root.exists() and any(_files(media_root)):
            raise BackupError(f"MEDIA_ROOT ({media_root}) ist nicht leer; zum Überschreiben --force angeben")
        if tables := _tables_with_rows(alias):
            shown = ", ".join(tables[:5]) + (" …" if len(tables) > 5 else "")
            raise BackupError(
                f"Die Datenbank enthält schon Daten ({shown}); zum Überschreiben --force angeben"
            )
    database_file = source / manifest["database"]
    if engine == "postgresql":
        connections[alias].close()
        _pg_restore(connections[alias].settings_dict, database_file)
    else:
        _sqlite_restore(connections[alias], database_file)
    _replace_media(source / MEDIA, media_root)
    for cache in caches.all(initialized_only=True):
        cache.clear()  # pages and fragments cached from the database before
    return _summary(manifest)


def _pg_restore(settings_dict, path):
    _run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            *_pg_connection(settings_dict),
            str(path),
        ],
        settings_dict,
    )


def _sqlite_restore(connection, path):
    """Copy the backup back into the database (SQLite's backup API the other way round, so a
    journal or another open connection sees one consistent change)."""
    connection.ensure_connection()
    source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        source.backup(connection.connection)
    finally:
        source.close()


def _replace_media(source, media_root):
    media_root.mkdir(parents=True, exist_ok=True)
    for child in list(media_root.iterdir()):
        shutil.rmtree(child) if child.is_dir() and not child.is_symlink() else child.unlink()
    if source.is_dir():
        _copy_tree(source, media_root)


# --- helpers ---------------------------------------------------------------------------------------


def _engine(alias):
    vendor = connections[alias].vendor
    if vendor not in DATABASE_FILES:
        raise BackupError(f"Datenbank {vendor} wird nicht unterstützt (PostgreSQL oder SQLite)")
    return vendor


def _pg_connection(settings_dict):
    """Host, port, user and database as options; the password is never among them."""
    options = []
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings_dict.get(key):
            options.append(f"{option}={settings_dict[key]}")
    options.append(f"--dbname={settings_dict['NAME']}")
    return options


def _pg_environment(settings_dict):
    environment = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        environment["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    for option, variable in (("sslmode", "PGSSLMODE"), ("sslrootcert", "PGSSLROOTCERT")):
        if value := (settings_dict.get("OPTIONS") or {}).get(option):
            environment[variable] = str(value)
    return environment


def _run(command, settings_dict):
    try:
        result = subprocess.run(  # noqa: S603 (fixed program, options built here)
            command, env=_pg_environment(settings_dict), capture_output=True, text=True, check=False
        )
    except FileNotFoundError as exc:
        raise BackupError(f"{command[0]} nicht gefunden (Paket postgresql-client installieren)") from exc
    if result.returncode != 0:
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        raise BackupError(f"{command[0]} ist gescheitert: {lines[0] if lines else result.returncode}")


def _tables_with_rows(alias):
    connection = connections[alias]
    found = []
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            if table in BOOKKEEPING_TABLES:
                continue
            cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")  # noqa: S608
            if cursor.fetchone():
                found.append(table)
    return found


def _migrations(alias):
    """The last migration applied per app: what the restored database will need."""
    latest = {}
    for app, name in MigrationRecorder(connections[alias]).migration_qs.values_list("app", "name"):
        latest[app] = max(latest.get(app, name), name)
    return dict(sorted(latest.items()))


def _copy_tree(source, target):
    """Regular files only (no symlinks followed), with their times."""
    target.mkdir(parents=True, exist_ok=True)
    if not source.is_dir():
        return
    for path in _files(source):
        destination = target / path.relative_to(source)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, destination)


def _files(root):
    return sorted(path for path in root.rglob("*") if path.is_file() and not path.is_symlink())


def _relative(path, root):
    return path.relative_to(root).as_posix()


def _sha256(path):
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _summary(manifest):
    media = [name for name in manifest["files"] if name.startswith(f"{MEDIA}/")]
    return Summary(manifest["engine"], len(media), str(manifest.get("created", "")))
