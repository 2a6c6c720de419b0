from django.db import migrations


def seed(apps, schema_editor):
    from jingmin.warnings.defaults import seed_words

    seed_words(apps.get_model("warnings", "RiskWord"))


class Migration(migrations.Migration):
    dependencies = [("warnings", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
