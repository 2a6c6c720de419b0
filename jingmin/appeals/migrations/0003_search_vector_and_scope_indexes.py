# What keeps the worklists and search fast at a million appeals (bench/appeals_bench.py,
# docs/benchmarks.md): scope paths with the pattern operator class, the supervision list's whole
# ORDER BY, open appeals by intake unit, the rule that only open appeals have a due time, and on
# PostgreSQL a stored bigram tsvector in place of the expression index.

from django.db import migrations, models

from jingmin.appeals.search import restore_sqlite_index

# Stored, so that checking a row costs no tokenising, and stripped of positions, which a query
# made of ANDed bigrams does not use. The larger statistics target lets ANALYZE keep thousands of
# bigrams, so that a rare one is not taken for a common one.
PG_FORWARD = [
    "ALTER TABLE appeals_appeal ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS (strip(to_tsvector('simple'::regconfig, search_tokens))) STORED",
    "CREATE INDEX appeal_search_vector ON appeals_appeal USING gin (search_vector)",
    "ALTER TABLE appeals_appeal ALTER COLUMN search_vector SET STATISTICS 1000",
    "DROP INDEX IF EXISTS appeals_appeal_search_gin",
]
PG_BACKWARD = [
    "CREATE INDEX IF NOT EXISTS appeals_appeal_search_gin ON appeals_appeal "
    "USING gin (to_tsvector('simple'::regconfig, search_tokens))",
    "DROP INDEX IF EXISTS appeal_search_vector",
    "ALTER TABLE appeals_appeal DROP COLUMN IF EXISTS search_vector",
]


def search_vector(apps, schema_editor):
    # SQLite keeps its FTS5 table (0002).
    if schema_editor.connection.vendor == "postgresql":
        for sql in PG_FORWARD:
            schema_editor.execute(sql)


def no_search_vector(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in PG_BACKWARD:
            schema_editor.execute(sql)


def restore_sqlite_triggers(apps, schema_editor):
    # Adding a check constraint rebuilds the SQLite table, which drops the FTS5 triggers (0002).
    restore_sqlite_index(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("appeals", "0002_seed_and_search")]

    operations = [
        migrations.RunPython(search_vector, no_search_vector),
        migrations.RemoveIndex(model_name="appeal", name="appeal_open_unit_due"),
        migrations.RemoveIndex(model_name="appeal", name="appeal_open_due"),
        migrations.RemoveIndex(model_name="appeal", name="appeal_unit_received"),
        migrations.RemoveIndex(model_name="appeal", name="appeal_intake_received"),
        migrations.RemoveIndex(model_name="appealassist", name="appeal_assist_path"),
        migrations.AddIndex(
            model_name="appeal",
            index=models.Index(
                condition=models.Q(("due_at__isnull", False)),
                fields=["due_at", "id"],
                name="appeal_open_due_id",
            ),
        ),
        migrations.AddIndex(
            model_name="appeal",
            index=models.Index(
                condition=models.Q(("due_at__isnull", False)),
                fields=["unit_path", "due_at"],
                name="appeal_open_unit_due",
                opclasses=["varchar_pattern_ops", "timestamptz_ops"],
            ),
        ),
        migrations.AddIndex(
            model_name="appeal",
            index=models.Index(
                condition=models.Q(("due_at__isnull", False)),
                fields=["intake_unit_path", "due_at"],
                name="appeal_open_intake_due",
                opclasses=["varchar_pattern_ops", "timestamptz_ops"],
            ),
        ),
        migrations.AddIndex(
            model_name="appeal",
            index=models.Index(
                condition=models.Q(("is_open", True)),
                fields=["unit_path", "received_at"],
                name="appeal_open_unit",
                opclasses=["varchar_pattern_ops", "timestamptz_ops"],
            ),
        ),
        migrations.AddIndex(
            model_name="appeal",
            index=models.Index(
                condition=models.Q(("is_open", True)),
                fields=["intake_unit_path", "received_at"],
                name="appeal_open_intake",
                opclasses=["varchar_pattern_ops", "timestamptz_ops"],
            ),
        ),
        migrations.AddIndex(
            model_name="appeal",
            index=models.Index(
                fields=["unit_path", "received_at"],
                name="appeal_unit_received",
                opclasses=["varchar_pattern_ops", "timestamptz_ops"],
            ),
        ),
        migrations.AddIndex(
            model_name="appeal",
            index=models.Index(
                fields=["intake_unit_path", "received_at"],
                name="appeal_intake_received",
                opclasses=["varchar_pattern_ops", "timestamptz_ops"],
            ),
        ),
        migrations.AddIndex(
            model_name="appealassist",
            index=models.Index(
                fields=["unit_path", "appeal"],
                name="appeal_assist_path",
                opclasses=["varchar_pattern_ops", "int8_ops"],
            ),
        ),
        # Backwards, removing the constraint rebuilds the SQLite table again: restore after it.
        migrations.RunPython(migrations.RunPython.noop, restore_sqlite_triggers),
        migrations.AddConstraint(
            model_name="appeal",
            constraint=models.CheckConstraint(
                condition=models.Q(("due_at__isnull", True), ("is_open", True), _connector="OR"),
                name="appeal_due_only_when_open",
            ),
        ),
        migrations.RunPython(restore_sqlite_triggers, migrations.RunPython.noop),
    ]
