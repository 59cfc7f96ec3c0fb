from django.db import migrations, models

# Units every variant sold so far: order lines of orders placed and not cancelled or expired, the units their
# stock still misses. From now on catalog/stock.py keeps the count as it takes and gives back stock.
BACKFILL = """
UPDATE catalog_variant SET units_sold = sold.units
FROM (
    SELECT line.variant_id, SUM(line.quantity) AS units
    FROM orders_orderline line JOIN orders_order ord ON ord.id = line.order_id
    WHERE ord.status NOT IN ('cancelled', 'expired')
    GROUP BY line.variant_id
) AS sold
WHERE catalog_variant.id = sold.variant_id
"""


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0008_photo_renditions"),
        # The order tables the count is read from.
        ("orders", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="variant",
            name="units_sold",
            field=models.IntegerField(db_default=0, default=0, editable=False, verbose_name="units sold"),
        ),
        migrations.RunSQL(BACKFILL, migrations.RunSQL.noop),
    ]
