import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0007_order_pickup_code"),
        ("producers", "0008_producer_rejection"),
    ]

    operations = [
        migrations.AddField(
            model_name="orderevent",
            name="depot",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="order_events",
                to="producers.depot",
                verbose_name="for the depot",
            ),
        ),
    ]
