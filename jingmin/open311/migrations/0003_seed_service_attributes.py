from django.db import migrations

from jingmin.open311.defaults import seed_attributes


def seed(apps, schema_editor):
    seed_attributes(apps.get_model("appeals", "Category"), apps.get_model("open311", "ServiceAttribute"))


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0002_seed_and_search"),
        ("open311", "0002_service_attributes_and_requests"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
