"""Ids taken before the rows are written, for bulk inserts whose rows need their own id.

An address's materialised path ends with its own id; a household names its head, who is inserted
after it. Taking the ids first lets one `bulk_create` write such rows whole, instead of inserting
and then rewriting every row with `bulk_update` (whose CASE expressions cost more than the
inserts themselves, measured on the demo ledger).
"""

from __future__ import annotations

from django.db import connection, models


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` ids no other row has or will get. Call inside the transaction that inserts them:
    on SQLite the transaction's write lock (taken at BEGIN, see settings) keeps them ours."""
    if count <= 0:
        return []
    if not connection.in_atomic_block:
        raise RuntimeError("reserve_ids must run inside the transaction that uses the ids")
    table = model._meta.db_table
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, column, count],
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f'SELECT COALESCE(MAX("{column}"), 0) FROM "{table}"')  # noqa: S608 - names from the model
        highest = cursor.fetchone()[0]
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
        start = max(highest, row[0] if row else 0) + 1
    ids = list(range(start, start + count))
    # Moving the sequence past the ids keeps the next plain insert from taking one of them.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [ids[-1], table])
        if cursor.rowcount == 0:
            cursor.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, ids[-1]])
    return ids
