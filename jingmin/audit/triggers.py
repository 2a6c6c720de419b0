"""The database triggers that make the audit log append-only.

UPDATE is refused always but for one: the sealing of an unsealed row, which sets its number and
hashes (`seq`, `prev_hash`, `hash`) once and changes nothing else. DELETE is refused for rows
younger than 180 days (the purge command's job). The application never needs more, so nobody can
edit the log through the product, and the hash chain shows anything done around these triggers.
Migration 0002 installed the first version; 0003 replaced it with this one.
"""

from __future__ import annotations

from typing import Any

# What a row says, which sealing may not change (the number and hashes are what it sets).
CONTENT = (
    "id",
    "at",
    "actor_id",
    "actor_username",
    "unit_id",
    "unit_path",
    "action",
    "target_type",
    "target_id",
    "target_repr",
    "detail",
    "ip",
)

_SQLITE_CHANGED = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in CONTENT)
_POSTGRES_KEPT = " AND ".join(f"NEW.{c} IS NOT DISTINCT FROM OLD.{c}" for c in CONTENT)

SQLITE = [
    f"""CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_auditentry
       WHEN OLD.seq IS NOT NULL OR NEW.seq IS NULL OR {_SQLITE_CHANGED}
       BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;""",
    """CREATE TRIGGER audit_entry_no_young_delete BEFORE DELETE ON audit_auditentry
       WHEN OLD.at > strftime('%Y-%m-%d %H:%M:%f', 'now', '-180 days')
       BEGIN SELECT RAISE(ABORT, 'audit rows younger than 180 days cannot be deleted'); END;""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_entry_no_update;",
    "DROP TRIGGER IF EXISTS audit_entry_no_young_delete;",
]

POSTGRES = [
    f"""CREATE OR REPLACE FUNCTION audit_entry_guard() RETURNS trigger AS $$
       BEGIN
         IF TG_OP = 'UPDATE' THEN
           IF OLD.seq IS NULL AND NEW.seq IS NOT NULL AND {_POSTGRES_KEPT} THEN
             RETURN NEW;
           END IF;
           RAISE EXCEPTION 'the audit log is append-only';
         END IF;
         IF TG_OP = 'TRUNCATE' THEN
           RAISE EXCEPTION 'the audit log is append-only';
         END IF;
         IF OLD.at > now() - interval '180 days' THEN
           RAISE EXCEPTION 'audit rows younger than 180 days cannot be deleted';
         END IF;
         RETURN OLD;
       END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER audit_entry_guard BEFORE UPDATE OR DELETE ON audit_auditentry
       FOR EACH ROW EXECUTE FUNCTION audit_entry_guard();""",
    "CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_auditentry "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_guard();",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_entry_no_truncate ON audit_auditentry;",
    "DROP TRIGGER IF EXISTS audit_entry_guard ON audit_auditentry;",
    "DROP FUNCTION IF EXISTS audit_entry_guard();",
]


def _execute(connection: Any, *, postgres: list[str], sqlite: list[str]) -> None:
    with connection.cursor() as cursor:
        for sql in postgres if connection.vendor == "postgresql" else sqlite:
            cursor.execute(sql)


def install(connection: Any) -> None:
    _execute(connection, postgres=POSTGRES, sqlite=SQLITE)


def uninstall(connection: Any) -> None:
    _execute(connection, postgres=POSTGRES_REVERSE, sqlite=SQLITE_REVERSE)
