from django.db import migrations, models

import orders.models

# Orders placed before pickup codes existed get a code of their own, so their parcels can be handed over too.
BACKFILL = """
UPDATE orders_order
   SET pickup_code = lpad((floor(random() * 1000000))::int::text, 6, '0')
"""


class Migration(migrations.Migration):
    dependencies = [("orders", "0006_orderline_live_item_backfill")]

    operations = [
        migrations.AddField(
            model_name="order",
            name="pickup_code",
            field=models.CharField(default=orders.models.new_pickup_code, max_length=6, verbose_name="pickup code"),
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop),
    ]
