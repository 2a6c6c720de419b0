"""Backup and restore of the database and the uploaded files, as one directory with a manifest.

A backup directory holds
- `database.dump` (PostgreSQL: `pg_dump --format=custom`) or `database.sqlite3` (SQLite: the online
  backup API), a consistent copy of the whole database;
- `media/`: every file of the media storage (attachments, visit photos, ledger workbooks and
  reports), read through Django's storage API, so a directory, an NFS mount or an object store alike;
- `manifest.json`: the engine, the applied migrations, the row count of every table (counted in
  the same snapshot as the dump), the size and SHA-256 of every file, and an HMAC over all of it
  keyed by the installation's SECRET_KEY, so that an edited backup, or one of another
  installation, is refused rather than restored.

Restore refuses a database that already has tables (unless told to replace it), a backup whose
checksums or signature do not match, and one made by a newer version of the code; after restoring
it compares every table's row count with the manifest and walks the audit chain.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone
from django.utils.crypto import salted_hmac

FORMAT = 1
MANIFEST = "manifest.json"
MEDIA = "media"
DUMPS = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
_SALT = "jingmin.core.backup.manifest"
_CHUNK = 1024 * 1024


class BackupError(Exception):
    """A backup that cannot be made, or one that must not be restored; the message says why."""


@dataclass(frozen=True)
class Summary:
    path: Path
    tables: int
    rows: int
    files: int
    bytes: int


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _signature(body: dict[str, Any], secret: str) -> str:
    payload = json.dumps(body, sort_keys=True, ensure_ascii=False).encode()
    return salted_hmac(_SALT, payload, secret=secret, algorithm="sha256").hexdigest()


def _connection() -> BaseDatabaseWrapper:
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor not in DUMPS:
        raise BackupError(f"backups of a {connection.vendor} database are not supported")
    return connection


def _counts(cursor: Any, connection: BaseDatabaseWrapper) -> dict[str, int]:
    counts = {}
    for table in sorted(connection.introspection.table_names(cursor)):
        cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 (a table name of the database itself, quoted)
        counts[table] = cursor.fetchone()[0]
    return counts


def _applied(cursor: Any) -> list[list[str]]:
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    return [[app, name] for app, name in cursor.fetchall()]


def _pg_env(connection: BaseDatabaseWrapper) -> dict[str, str]:
    """The connection's parameters as libpq's variables: a password never appears in argv."""
    params = connection.settings_dict
    env = dict(os.environ)
    for variable, key in (
        ("PGHOST", "HOST"),
        ("PGPORT", "PORT"),
        ("PGUSER", "USER"),
        ("PGPASSWORD", "PASSWORD"),
    ):
        if params.get(key):
            env[variable] = str(params[key])
    env["PGDATABASE"] = str(params["NAME"])
    if params.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = str(params["OPTIONS"]["sslmode"])
    return env


def _run(command: list[str], env: dict[str, str]) -> None:
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603 (fixed programs, arguments from the settings)
    except FileNotFoundError as error:
        raise BackupError(
            f"{command[0]} is not installed (PostgreSQL's client programs are needed)"
        ) from error
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip() or result.stdout.strip()}")


def _dump_postgresql(connection: BaseDatabaseWrapper, target: Path) -> tuple[dict[str, int], list[list[str]]]:
    # The counts and the dump see one snapshot: the transaction exports it and pg_dump reads it while
    # the transaction is still open, so writes going on meanwhile are in neither.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counts = _counts(cursor, connection)
        applied = _applied(cursor)
        _run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot}",
                f"--file={target}",
            ],
            _pg_env(connection),
        )
    return counts, applied


def _dump_sqlite(connection: BaseDatabaseWrapper, target: Path) -> tuple[dict[str, int], list[list[str]]]:
    connection.ensure_connection()
    copy = sqlite3.connect(target)
    try:
        connection.connection.backup(copy)
        cursor = copy.cursor()
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
        counts = {}
        for (table,) in cursor.fetchall():
            cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 (a table name of the copy itself, quoted)
            counts[table] = cursor.fetchone()[0]
        return counts, _applied(cursor)
    finally:
        copy.close()


def _walk(storage: Storage, prefix: str = "") -> Iterator[str]:
    try:
        directories, files = storage.listdir(prefix)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{prefix}{name}"
    for directory in sorted(directories):
        yield from _walk(storage, f"{prefix}{directory}/")


def backup_create(*, target: Path) -> Summary:
    """Write a backup of the database and the media storage into the directory `target` (made
    here; an existing, non-empty directory is refused)."""
    connection = _connection()
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} exists and is not empty")
    target.mkdir(parents=True, exist_ok=True)
    dump = target / DUMPS[connection.vendor]
    if connection.vendor == "postgresql":
        counts, applied = _dump_postgresql(connection, dump)
    else:
        counts, applied = _dump_sqlite(connection, dump)
    # Files after the database: a file whose row is in the dump was stored before the snapshot.
    files: list[dict[str, Any]] = []
    for name in _walk(default_storage):
        destination = target / MEDIA / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        with default_storage.open(name, "rb") as source, destination.open("wb") as out:
            shutil.copyfileobj(source, out, _CHUNK)
        files.append({"name": name, "bytes": destination.stat().st_size, "sha256": _sha256(destination)})
    body = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "engine": connection.vendor,
        "database": {"file": dump.name, "bytes": dump.stat().st_size, "sha256": _sha256(dump)},
        "migrations": applied,
        "tables": counts,
        "files": files,
    }
    manifest = {**body, "signature": _signature(body, settings.SECRET_KEY)}
    (target / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return Summary(target, len(counts), sum(counts.values()), len(files), sum(int(f["bytes"]) for f in files))


def backup_verify(source: Path, *, check_signature: bool = True) -> dict[str, Any]:
    """The backup's manifest, once every check passed; BackupError names the first that failed."""
    try:
        manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise BackupError(f"{source} has no {MANIFEST}: not a backup") from error
    except json.JSONDecodeError as error:
        raise BackupError(f"{MANIFEST} is not valid JSON: the backup is damaged") from error
    if manifest.get("format") != FORMAT:
        raise BackupError(f"backup format {manifest.get('format')!r} is not {FORMAT}")
    body = {k: v for k, v in manifest.items() if k != "signature"}
    if check_signature:
        secrets = [str(key) for key in (settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS)]
        if not any(
            hmac.compare_digest(str(manifest.get("signature", "")), _signature(body, s)) for s in secrets
        ):
            raise BackupError(
                "the manifest's signature does not match: the backup was changed, or made by an "
                "installation with another SECRET_KEY"
            )
    database = manifest["database"]
    dump = source / database["file"]
    if database["file"] not in DUMPS.values() or not dump.is_file():
        raise BackupError(f"the database copy {database['file']} is missing")
    if _sha256(dump) != database["sha256"]:
        raise BackupError(f"the database copy {database['file']} does not match its checksum")
    listed = {f["name"]: f for f in manifest["files"]}
    media = source / MEDIA
    present = (
        {p.relative_to(media).as_posix() for p in media.rglob("*") if p.is_file()}
        if media.is_dir()
        else set()
    )
    if present - set(listed):
        raise BackupError(f"files not in the manifest: {', '.join(sorted(present - set(listed))[:5])}")
    for name, entry in listed.items():
        path = media / name
        if name not in present:
            raise BackupError(f"file {name} is missing")
        if path.stat().st_size != entry["bytes"] or _sha256(path) != entry["sha256"]:
            raise BackupError(f"file {name} does not match its checksum")
    return manifest


def _unknown_migrations(applied: list[list[str]]) -> list[str]:
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    return [f"{app}.{name}" for app, name in applied if (app, name) not in known]


def _restore_postgresql(connection: BaseDatabaseWrapper, dump: Path, replace: bool, tables: set[str]) -> None:
    command = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
    if replace:
        # Objects of the backup are dropped and made again; tables that only the present
        # database has are dropped first.
        with connection.cursor() as cursor:
            for table in set(connection.introspection.table_names(cursor)) - tables:
                cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(table)} CASCADE")
        command += ["--clean", "--if-exists"]
    connection.close()
    env = _pg_env(connection)
    _run([*command, f"--dbname={env['PGDATABASE']}", str(dump)], env)


def _restore_sqlite(connection: BaseDatabaseWrapper, dump: Path) -> None:
    connection.ensure_connection()
    source = sqlite3.connect(dump)
    try:
        # The backup API writes the whole database, pages and schema, over the target.
        source.backup(connection.connection)
    finally:
        source.close()
    connection.close()


def _restore_files(media: Path, manifest: dict[str, Any], replace: bool) -> None:
    for entry in manifest["files"]:
        name = entry["name"]
        if default_storage.exists(name):
            with default_storage.open(name, "rb") as present:
                same = hashlib.file_digest(present, "sha256").hexdigest() == entry["sha256"]
            if same:
                continue
            if not replace:
                raise BackupError(f"the media storage already holds a different {name}")
            default_storage.delete(name)
        with (media / name).open("rb") as handle:
            stored = default_storage.save(name, File(handle, name=name))
        if stored != name:
            raise BackupError(f"the media storage stored {name} as {stored}")


@dataclass(frozen=True)
class RestoreReport:
    tables: int
    rows: int
    files: int
    unapplied: list[str]


def backup_restore(*, source: Path, replace: bool = False, check_signature: bool = True) -> RestoreReport:
    """Restore a verified backup into the (empty) database and the media storage. The caller then
    verifies the audit chain (`audit_verify`)."""
    manifest = backup_verify(source, check_signature=check_signature)
    connection = _connection()
    if manifest["engine"] != connection.vendor:
        raise BackupError(f"a {manifest['engine']} backup cannot be restored into {connection.vendor}")
    unknown = _unknown_migrations(manifest["migrations"])
    if unknown:
        raise BackupError(
            f"the backup was made by a newer version of the code (migrations {', '.join(unknown[:5])}): "
            "install that version first"
        )
    present = connection.introspection.table_names()
    if present and not replace:
        raise BackupError(
            f"the database is not empty ({len(present)} tables): restore into an empty database, "
            "or pass --replace to overwrite this one"
        )
    dump = source / manifest["database"]["file"]
    if connection.vendor == "postgresql":
        _restore_postgresql(connection, dump, replace, set(manifest["tables"]))
    else:
        _restore_sqlite(connection, dump)
    _restore_files(source / MEDIA, manifest, replace)
    with connection.cursor() as cursor:
        counts = _counts(cursor, connection)
    wrong = {t: (counts.get(t), n) for t, n in manifest["tables"].items() if counts.get(t) != n}
    if wrong:
        detail = ", ".join(
            f"{t}: {got} rows, {want} expected" for t, (got, want) in sorted(wrong.items())[:5]
        )
        raise BackupError(f"the restored database does not match the manifest ({detail})")
    applied_now = MigrationLoader(connection).applied_migrations or {}
    unapplied = sorted(
        f"{app}.{name}"
        for app, name in MigrationLoader(None, ignore_no_migrations=True).disk_migrations
        if (app, name) not in applied_now
    )
    return RestoreReport(len(counts), sum(counts.values()), len(manifest["files"]), unapplied)
