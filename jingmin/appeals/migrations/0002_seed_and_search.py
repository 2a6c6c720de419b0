from django.db import migrations

from jingmin.core.search import create_index_sql, drop_index_sql
from jingmin.appeals.taxonomy import seed_defaults


def seed(apps, schema_editor):
    seed_defaults(apps.get_model("appeals", "Category"), apps.get_model("appeals", "DeadlinePolicy"))


def create_search_index(apps, schema_editor):
    for sql in create_index_sql(schema_editor.connection.vendor, "appeals_appeal"):
        schema_editor.execute(sql)


def drop_search_index(apps, schema_editor):
    for sql in drop_index_sql(schema_editor.connection.vendor, "appeals_appeal"):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("appeals", "0001_initial")]

    operations = [
        migrations.RunPython(seed, migrations.RunPython.noop),
        migrations.RunPython(create_search_index, drop_search_index),
    ]
