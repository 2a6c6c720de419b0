"""Rows are written unsealed and sealed moments later (`audit_seal`): the row number may be empty
until then, and the triggers let the sealing, and only it, update a row (jingmin/audit/triggers.py).

Rows already in the log are sealed (they were chained when written) and verify as before: nothing
is rewritten. On PostgreSQL, dropping NOT NULL changes only the catalogue, however many rows; on
SQLite the table is copied, which drops its triggers, so they are installed again after."""

from django.db import migrations, models

from jingmin.audit import triggers


def install(apps, schema_editor):
    triggers.install(schema_editor.connection)


def uninstall(apps, schema_editor):
    triggers.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only")]

    operations = [
        migrations.RunPython(uninstall, install),
        migrations.AlterField(
            model_name="auditentry",
            name="seq",
            field=models.BigIntegerField(blank=True, null=True, unique=True, verbose_name="row number"),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="prev_hash",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AlterField(
            model_name="auditentry",
            name="hash",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AlterModelOptions(
            name="auditentry",
            options={"ordering": ["-id"], "verbose_name": "audit entry", "verbose_name_plural": "audit entries"},
        ),
        migrations.RunPython(install, uninstall),
    ]
