"""The sealer's work list: a partial index of the rows not sealed yet, which stays a handful of
entries. On PostgreSQL it is built CONCURRENTLY (so writers are not blocked while a log of
millions of rows is read once to build it), hence a migration of its own, outside a transaction."""

from django.db import migrations, models

INDEX = models.Index(fields=["id"], condition=models.Q(seq__isnull=True), name="audit_entry_unsealed")


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS audit_entry_unsealed ON audit_auditentry (id) "
            "WHERE seq IS NULL"
        )
    else:
        schema_editor.add_index(apps.get_model("audit", "AuditEntry"), INDEX)


def drop(apps, schema_editor):
    schema_editor.execute("DROP INDEX IF EXISTS audit_entry_unsealed")


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("audit", "0003_sealed_later")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AddIndex(model_name="auditentry", index=INDEX)],
            database_operations=[migrations.RunPython(create, drop)],
        ),
    ]
