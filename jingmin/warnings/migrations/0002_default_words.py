from django.db import migrations


def seed(apps, schema_editor):
    from jingmin.warnings.defaults import DEFAULT_WORDS

    RiskWord = apps.get_model("warnings", "RiskWord")
    RiskWord.objects.bulk_create(
        [RiskWord(theme=theme, word=word) for theme, words in DEFAULT_WORDS.items() for word in words],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [("warnings", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
