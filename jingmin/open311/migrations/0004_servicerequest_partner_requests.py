import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    # The partner of an appeal is the adapter's record (`ServiceRequest.partner`), counted from the
    # partner's side as its requests.
    dependencies = [
        ("open311", "0003_seed_service_attributes"),
    ]

    operations = [
        migrations.AlterField(
            model_name="servicerequest",
            name="partner",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="requests",
                to="open311.partner",
            ),
        ),
    ]
