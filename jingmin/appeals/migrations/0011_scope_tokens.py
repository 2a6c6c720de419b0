# The units whose scope holds each appeal, as lexemes of the search vector: "these words, in this
# station" becomes one GIN lookup (bench/appeal_search_bench.py, docs/benchmarks.md).
#
# On PostgreSQL the stored vector is dropped before the tokens are filled in and added back after,
# so that the table is rewritten once (at a million appeals, minutes under an exclusive lock).

from collections import defaultdict

from django.db import migrations, models

from jingmin.appeals.search import restore_sqlite_index
from jingmin.org.scope import scope_tokens

# The text's bigrams through the `simple` configuration, as before (0003); the scope tokens as
# lexemes just as they are, since the parser would drop their mark.
VECTOR = (
    "strip(to_tsvector('simple'::regconfig, search_tokens)) || "
    "array_to_tsvector(string_to_array(scope_tokens, ' '))"
)
OLD_VECTOR = "strip(to_tsvector('simple'::regconfig, search_tokens))"


def _drop_vector(schema_editor):
    schema_editor.execute("DROP INDEX IF EXISTS appeal_search_vector")
    schema_editor.execute("ALTER TABLE appeals_appeal DROP COLUMN IF EXISTS search_vector")


def _add_vector(schema_editor, expression):
    schema_editor.execute(
        f"ALTER TABLE appeals_appeal ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ({expression}) STORED"
    )
    schema_editor.execute("CREATE INDEX appeal_search_vector ON appeals_appeal USING gin (search_vector)")
    schema_editor.execute("ALTER TABLE appeals_appeal ALTER COLUMN search_vector SET STATISTICS 1000")


def fill_scope_tokens(apps, schema_editor):
    appeal = apps.get_model("appeals", "Appeal")
    assist = apps.get_model("appeals", "AppealAssist")
    postgres = schema_editor.connection.vendor == "postgresql"
    if postgres:
        _drop_vector(schema_editor)
    else:
        # Adding a column with a default rebuilds the SQLite table, which drops the FTS5 triggers.
        restore_sqlite_index(schema_editor)
    # Most appeals differ only by their two units: one UPDATE per pair, then the assisted ones.
    pairs = appeal.objects.values_list("unit_path", "intake_unit_path").distinct().order_by()
    for unit_path, intake_path in list(pairs):
        appeal.objects.filter(unit_path=unit_path, intake_unit_path=intake_path).update(
            scope_tokens=" ".join(scope_tokens(unit_path, intake_path))
        )
    assisting = defaultdict(list)
    for appeal_id, path in assist.objects.values_list("appeal_id", "unit_path").iterator(chunk_size=5000):
        assisting[appeal_id].append(path)
    ids = sorted(assisting)
    for n in range(0, len(ids), 2000):
        batch = [
            appeal(pk=pk, scope_tokens=" ".join(scope_tokens(unit_path, intake_path, *assisting[pk])))
            for pk, unit_path, intake_path in appeal.objects.filter(pk__in=ids[n : n + 2000]).values_list(
                "pk", "unit_path", "intake_unit_path"
            )
        ]
        appeal.objects.bulk_update(batch, ["scope_tokens"])
    if postgres:
        _add_vector(schema_editor, VECTOR)


def vector_without_scope(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        _drop_vector(schema_editor)
        _add_vector(schema_editor, OLD_VECTOR)


class Migration(migrations.Migration):
    dependencies = [("appeals", "0010_clock_alerts")]

    operations = [
        migrations.AddField(
            model_name="appeal",
            name="scope_tokens",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill_scope_tokens, vector_without_scope),
    ]
