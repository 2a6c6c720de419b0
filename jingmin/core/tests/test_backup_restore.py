"""`manage.py backup` and `manage.py restore`: a restore into a fresh database reproduces every row of
every table and every uploaded file, and the audit chain verifies; a backup that was changed, made
by another installation or by newer code, or a database that is not empty, is refused; a restored
audit chain that does not verify fails the restore loudly."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection

from conftest import signed_in
from jingmin.appeals import services as appeals
from jingmin.appeals.tests.conftest import appeal_input
from jingmin.audit import triggers
from jingmin.audit.models import AuditEntry
from jingmin.core.backup import MANIFEST, _signature
from jingmin.ledger.models import Person
from jingmin.ledger.tests.conftest import make_id, person_row, write_workbook

ROOT = Path(__file__).resolve().parents[3]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x01" * 64
PDF = b"%PDF-1.4\n" + b"0" * 300

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def bureau_data(persona, reference_data, audit_guard_lifted, media, tmp_path, import_through_pages):
    """Appeals with attachments, ledger persons from an imported workbook (with its report), and
    the audit rows all of that wrote."""
    for n in range(3):
        appeals.appeal_register(
            actor=persona.clara,
            data=appeal_input(title=f"夜间施工噪音{n}"),
            files=[
                SimpleUploadedFile("现场.png", PNG + bytes([n]), content_type="image/png"),
                SimpleUploadedFile("材料.pdf", PDF + bytes([n]), content_type="application/pdf"),
            ],
        )
    # No care tags: their reference rows, seeded by a migration, are gone after an earlier
    # transactional test emptied the tables.
    rows = [
        person_row(name=f"居民{n}", id_number=make_id(seq=100 + n), household=str(n + 1), tags="")
        for n in range(5)
    ]
    book = write_workbook(tmp_path / "ledger.xlsx", {"人口": rows})
    import_through_pages(signed_in(persona.chen), book, "all-or-nothing")
    assert Person.objects.count() == 5
    assert AuditEntry.objects.count() > 10
    return media


def _pg(dbname: str):
    import psycopg

    params = connection.settings_dict
    return psycopg.connect(
        host=params["HOST"] or None,
        port=params["PORT"] or None,
        user=params["USER"],
        password=params["PASSWORD"] or None,
        dbname=dbname,
        autocommit=True,
    )


def _sorted_rows(cursor, table: str) -> list[str]:
    cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 (a table of the test database)
    return sorted(map(repr, cursor.fetchall()))


class Fresh:
    """An empty database of the same engine, and the environment that points a process at it."""

    def __init__(self, tmp_path: Path) -> None:
        self.media = tmp_path / "restored-media"
        params = connection.settings_dict
        if connection.vendor == "postgresql":
            self.name = f"{params['NAME']}_restore_{uuid.uuid4().hex[:6]}"
            self._admin(f'CREATE DATABASE "{self.name}"')
            auth = params["USER"] + (f":{params['PASSWORD']}" if params["PASSWORD"] else "")
            self.url = (
                f"postgres://{auth}@{params['HOST'] or '127.0.0.1'}:{params['PORT'] or 5432}/{self.name}"
            )
        else:
            self.name = str(tmp_path / "restored.sqlite3")
            self.url = f"sqlite:///{self.name}"

    def _admin(self, sql: str) -> None:
        with _pg("postgres") as admin:
            admin.execute(sql)

    def drop(self) -> None:
        if connection.vendor == "postgresql":
            self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def restore(self, backup: Path, *extra: str) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "DATABASE_URL": self.url, "JINGMIN_MEDIA_ROOT": str(self.media)}
        return subprocess.run(
            [sys.executable, "manage.py", "restore", str(backup), *extra],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    def rows(self, table: str) -> list[str]:
        if connection.vendor == "postgresql":
            with _pg(self.name) as restored:
                return _sorted_rows(restored.cursor(), table)
        with sqlite3.connect(
            self.name, detect_types=sqlite3.PARSE_DECLTYPES | sqlite3.PARSE_COLNAMES
        ) as restored:
            return _sorted_rows(restored.cursor(), table)


@pytest.fixture
def fresh(tmp_path):
    database = Fresh(tmp_path)
    yield database
    database.drop()


def original_rows(table: str) -> list[str]:
    if connection.vendor == "postgresql":
        with _pg(connection.settings_dict["NAME"]) as original:
            return _sorted_rows(original.cursor(), table)
    with connection.cursor() as cursor:
        return _sorted_rows(cursor, table)


def files_under(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_a_restore_into_a_fresh_database_reproduces_every_row_and_file(bureau_data, fresh, tmp_path):
    backup = tmp_path / "backup"
    call_command("backup", str(backup), stdout=open(os.devnull, "w"))  # noqa: SIM115
    manifest = json.loads((backup / MANIFEST).read_text())
    assert manifest["engine"] == connection.vendor
    assert len(manifest["files"]) == 3 * 2 + 2  # the attachments, the workbook and its report

    result = fresh.restore(backup)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "audit chain intact" in result.stdout

    tables = connection.introspection.table_names()
    assert {"appeals_appeal", "appeals_attachment", "ledger_person", "audit_auditentry"} <= set(tables)
    for table in tables:
        assert fresh.rows(table) == original_rows(table), f"table {table} differs after the restore"
    original_files = files_under(bureau_data)
    assert len(original_files) == 8
    assert files_under(fresh.media) == original_files

    # Restoring again over the restored database is refused: it is not empty.
    again = fresh.restore(backup)
    assert again.returncode != 0
    assert "not empty" in again.stderr


def test_a_restored_chain_that_does_not_verify_fails_the_restore(bureau_data, fresh, tmp_path):
    triggers.uninstall(connection)
    try:
        entry = AuditEntry.objects.filter(seq__isnull=False).order_by("seq")[3]
        AuditEntry.objects.filter(pk=entry.pk).update(detail={"edited": True})
    finally:
        triggers.install(connection)
    backup = tmp_path / "backup"
    call_command("backup", str(backup), stdout=open(os.devnull, "w"))  # noqa: SIM115
    result = fresh.restore(backup)
    assert result.returncode != 0
    assert "RESTORE FAILED VERIFICATION" in result.stderr
    assert f"broken at row {entry.seq}" in result.stderr


@pytest.fixture
def backup(persona, reference_data, audit_guard_lifted, media, tmp_path):
    appeals.appeal_register(
        actor=persona.clara,
        data=appeal_input(),
        files=[SimpleUploadedFile("现场.png", PNG, content_type="image/png")],
    )
    target = tmp_path / "backup"
    call_command("backup", str(target), stdout=open(os.devnull, "w"))  # noqa: SIM115
    return target


def _resign(backup: Path, change) -> None:
    from django.conf import settings

    manifest = json.loads((backup / MANIFEST).read_text())
    change(manifest)
    body = {k: v for k, v in manifest.items() if k != "signature"}
    manifest["signature"] = _signature(body, settings.SECRET_KEY)
    (backup / MANIFEST).write_text(json.dumps(manifest))


def _refused(backup: Path, *args: str) -> str:
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(backup), *args)
    return str(refused.value)


def _one_file(backup: Path) -> Path:
    return next(p for p in (backup / "media").rglob("*") if p.is_file())


def test_a_changed_file_is_refused(backup):
    path = _one_file(backup)
    path.write_bytes(path.read_bytes()[:-1] + b"\x00")
    assert "does not match its checksum" in _refused(backup)


def test_a_changed_database_copy_is_refused(backup):
    dump = next(backup.glob("database.*"))
    with dump.open("r+b") as handle:
        handle.seek(dump.stat().st_size // 2)
        byte = handle.read(1)
        handle.seek(-1, 1)
        handle.write(bytes([byte[0] ^ 0xFF]))
    assert "database copy" in _refused(backup)


def test_a_manifest_edited_to_match_a_changed_file_is_refused_by_its_signature(backup):
    import hashlib

    path = _one_file(backup)
    path.write_bytes(b"replaced")
    manifest = json.loads((backup / MANIFEST).read_text())
    for entry in manifest["files"]:
        entry.update(bytes=8, sha256=hashlib.sha256(b"replaced").hexdigest())
    (backup / MANIFEST).write_text(json.dumps(manifest))
    assert "signature does not match" in _refused(backup)


def test_an_added_or_a_missing_file_is_refused(backup):
    (backup / "media" / "planted.txt").write_text("x")
    assert "files not in the manifest: planted.txt" in _refused(backup)
    (backup / "media" / "planted.txt").unlink()
    _one_file(backup).unlink()
    assert "is missing" in _refused(backup)


def test_another_installations_backup_needs_to_be_accepted_explicitly(backup, settings):
    settings.SECRET_KEY = "another-installation-secret-key-0123456789-abcdefghijklmnop"
    assert "another SECRET_KEY" in _refused(backup)
    # Accepted with the flag (the checksums still hold), then refused for the non-empty database.
    assert "not empty" in _refused(backup, "--ignore-signature")


def test_a_backup_of_newer_code_is_refused(backup):
    _resign(backup, lambda m: m["migrations"].append(["appeals", "9999_from_the_future"]))
    assert "newer version" in _refused(backup)


def test_a_database_that_is_not_empty_is_refused(backup):
    assert "not empty" in _refused(backup)
    assert AuditEntry.objects.exists()  # nothing was touched


def test_a_backup_into_a_directory_that_is_not_empty_is_refused(persona, tmp_path):
    (tmp_path / "occupied").mkdir()
    (tmp_path / "occupied" / "file").write_text("x")
    with pytest.raises(CommandError, match="not empty"):
        call_command("backup", str(tmp_path / "occupied"))
