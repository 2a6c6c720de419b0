from django.db import migrations, models

from jingmin.appeals.search import restore_sqlite_index


def restore_sqlite_triggers(apps, schema_editor):
    # Adding and removing columns rebuilds the SQLite table, which drops the FTS5 triggers.
    restore_sqlite_index(schema_editor)


def partner_to_source(apps, schema_editor):
    """Each appeal keeps the name of the partner that brought it in; the partner itself is known
    from the Open311 adapter's own record of the request, made here for an appeal that has none."""
    import secrets

    Appeal = apps.get_model("appeals", "Appeal")
    ServiceRequest = apps.get_model("open311", "ServiceRequest")
    recorded = set(ServiceRequest.objects.values_list("appeal_id", flat=True))
    for appeal in Appeal.objects.filter(partner__isnull=False).select_related("partner").iterator():
        Appeal.objects.filter(pk=appeal.pk).update(source=appeal.partner.name[:80])
        if appeal.pk not in recorded:
            ServiceRequest.objects.create(
                appeal_id=appeal.pk, partner_id=appeal.partner_id, token=secrets.token_urlsafe(16)
            )


def source_to_partner(apps, schema_editor):
    Appeal = apps.get_model("appeals", "Appeal")
    ServiceRequest = apps.get_model("open311", "ServiceRequest")
    for appeal_id, partner_id in ServiceRequest.objects.values_list("appeal_id", "partner_id"):
        Appeal.objects.filter(pk=appeal_id).update(partner_id=partner_id)


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0008_merge_intake_search_indicators"),
        ("open311", "0004_servicerequest_partner_requests"),
    ]

    operations = [
        # Backwards, the columns change again and rebuild the table: restore after it.
        migrations.RunPython(migrations.RunPython.noop, restore_sqlite_triggers),
        migrations.AddField(
            model_name="appeal",
            name="source",
            field=models.CharField(blank=True, max_length=80, verbose_name="partner"),
        ),
        migrations.RunPython(partner_to_source, source_to_partner),
        migrations.RemoveField(model_name="appeal", name="partner"),
        migrations.RunPython(restore_sqlite_triggers, migrations.RunPython.noop),
    ]
