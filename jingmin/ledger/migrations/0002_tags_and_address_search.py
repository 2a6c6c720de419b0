# The default care tags, and the full-text index of addresses: on PostgreSQL a stored bigram
# tsvector with a GIN index, on SQLite an FTS5 table (the same layout as appeals, so that
# jingmin.core.search serves both).

from django.db import migrations

from jingmin.core.search import create_index_sql, drop_index_sql
from jingmin.ledger.tags import seed_tags

PG_FORWARD = [
    "ALTER TABLE ledger_address ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS (strip(to_tsvector('simple'::regconfig, search_tokens))) STORED",
    "CREATE INDEX address_search_vector ON ledger_address USING gin (search_vector)",
    "ALTER TABLE ledger_address ALTER COLUMN search_vector SET STATISTICS 1000",
]
PG_BACKWARD = [
    "DROP INDEX IF EXISTS address_search_vector",
    "ALTER TABLE ledger_address DROP COLUMN IF EXISTS search_vector",
]


def seed(apps, schema_editor):
    seed_tags(apps.get_model("ledger", "Tag"))


def create_search_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = PG_FORWARD if vendor == "postgresql" else create_index_sql(vendor, "ledger_address")
    for sql in statements:
        schema_editor.execute(sql)


def drop_search_index(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = PG_BACKWARD if vendor == "postgresql" else drop_index_sql(vendor, "ledger_address")
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        migrations.RunPython(create_search_index, drop_search_index),
    ]
