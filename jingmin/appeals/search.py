"""The appeal table's search index (the search itself is `jingmin.core.search`)."""

from __future__ import annotations

from typing import Any

from jingmin.core.search import create_index_sql


def restore_sqlite_index(schema_editor: Any) -> None:
    """Put back the FTS5 triggers after a migration rebuilt the appeal table, and re-sync.

    SQLite alters a table by copying it into a new one, and dropping the old table drops the
    triggers that keep the FTS5 index in step: every migration that rebuilds it calls this last.
    """
    if schema_editor.connection.vendor == "sqlite":
        for sql in create_index_sql("sqlite", "appeals_appeal"):
            schema_editor.execute(sql)
        schema_editor.execute("INSERT INTO appeals_appeal_fts(appeals_appeal_fts) VALUES ('rebuild')")
