"""Ids taken before the rows are written, for bulk inserts whose rows need their own id.

An address's materialised path ends with its own id; a household names its head, who is inserted
after it. Taking the ids first lets one `bulk_create` write such rows whole, instead of inserting
and then rewriting every row with `bulk_update` (whose CASE expressions cost more than the
inserts themselves, measured on the demo ledger).

`insert_rows` writes new rows by COPY on PostgreSQL (a large import's rows), with the values
`bulk_create` would write.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from operator import attrgetter
from typing import Any, TypeVar

from django.conf import settings
from django.db import connection, models
from django.db.models.base import ModelState

from jingmin.core.crypto import EncryptedTextField, encrypt

M = TypeVar("M", bound=models.Model)


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


@cache
def _layout(model: type[models.Model]) -> tuple[tuple[str, models.Field[Any, Any]], ...]:
    return tuple((f.attname, f) for f in model._meta.concrete_fields)


def built(model: type[M], **values: Any) -> M:
    """A new instance from attribute values (foreign keys by their `_id`), the others taking
    their defaults, made as `Model.__init__` makes one from positional values but without going
    through each field's descriptor and the init signals (which no ledger model listens to): for
    the many records of an import, where the keyword constructor costs more than writing them."""
    args = [values.pop(name) if name in values else field.get_default() for name, field in _layout(model)]
    if values:
        raise TypeError(f"{model.__name__} has no fields {sorted(values)}")
    obj = model.__new__(model)
    obj._state = ModelState()
    obj.__dict__.update(zip([name for name, _field in _layout(model)], args, strict=True))
    return obj


def by_copy() -> bool:
    """Whether new rows go in by COPY: on PostgreSQL, unless the setting turns it off."""
    return connection.vendor == "postgresql" and settings.LEDGER_IMPORT_COPY


def insert_rows(
    model: type[M],
    objs: Sequence[M],
    *,
    sealed: Mapping[str, str] | None = None,
    with_ids: bool = True,
) -> None:
    """Insert new rows as `bulk_create` would. On PostgreSQL by COPY, which returns nothing: rows
    without an id are given one from the sequence first when `with_ids`, and written without one
    (the column's default) when not. Encrypted fields take their token from `sealed` (plain value
    to token, encrypted beforehand, elsewhere) or are encrypted here."""
    if not objs:
        return
    if not by_copy():
        model._default_manager.bulk_create(objs, batch_size=1000)
        return
    pk = model._meta.pk
    if with_ids:
        missing = [obj for obj in objs if obj.pk is None]
        for obj, new_id in zip(missing, reserve_ids(model, len(missing)), strict=True):
            obj.pk = new_id
    fields = [
        f
        for f in model._meta.concrete_fields
        if not getattr(f, "generated", False) and (with_ids or f is not pk)
    ]
    prepare = [_preparer(f, sealed or {}) for f in fields]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    statement = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.copy(statement) as copy:
        for obj in objs:
            copy.write_row([p(obj) for p in prepare])
    for obj in objs:
        obj._state.adding, obj._state.db = False, connection.alias


def insert_values(model: type[M], attnames: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Insert new rows given as values of `attnames` (the other fields take their defaults),
    without an instance each: by COPY on PostgreSQL, and through `bulk_create` elsewhere. Ids are
    not returned."""
    if not rows:
        return
    if not by_copy():
        model._default_manager.bulk_create(
            [model(**dict(zip(attnames, row, strict=True))) for row in rows], batch_size=1000
        )
        return
    fields = {f.attname: f for f in model._meta.concrete_fields}
    documents = [
        (i, fields[name].encoder)  # type: ignore[attr-defined]
        for i, name in enumerate(attnames)
        if isinstance(fields[name], models.JSONField)
    ]
    columns = ", ".join(connection.ops.quote_name(fields[name].column) for name in attnames)
    statement = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.copy(statement) as copy:
        for row in rows:
            if documents:
                row = list(row)
                for i, encoder in documents:
                    if row[i] is not None:
                        row[i] = json.dumps(row[i], cls=encoder)
            copy.write_row(row)


# Fields whose attribute is already the value the column takes.
_PLAIN_FIELDS = (
    models.CharField,
    models.TextField,
    models.BooleanField,
    models.IntegerField,
    models.AutoField,
    models.BigAutoField,
)


def _preparer(field: models.Field[Any, Any], sealed: Mapping[str, str]) -> Callable[[Any], Any]:
    attname = field.attname
    if isinstance(field, EncryptedTextField):

        def sealed_value(obj: Any) -> Any:
            value = getattr(obj, attname)
            if value is None or value == "":
                return value
            return sealed.get(value) or encrypt(str(value))

        return sealed_value
    if isinstance(field, models.ForeignKey):

        def key(obj: Any) -> Any:
            value = getattr(obj, attname)
            if value is None and field.is_cached(obj):
                related = field.get_cached_value(obj)
                value = related.pk if related is not None else None
            return value

        return key
    if isinstance(field, models.JSONField):
        encoder = field.encoder

        def document(obj: Any) -> Any:
            value = getattr(obj, attname)
            return None if value is None else json.dumps(value, cls=encoder)

        return document
    if isinstance(field, _PLAIN_FIELDS) or (
        isinstance(field, models.DateField | models.DecimalField)
        and not getattr(field, "auto_now", False)
        and not getattr(field, "auto_now_add", False)
    ):
        # Dates, aware datetimes and decimals as they are: psycopg writes them as they would be.
        return attrgetter(attname)

    def prepared(obj: Any) -> Any:
        return field.get_db_prep_save(field.pre_save(obj, True), connection)

    return prepared
