from django.db import migrations

# Lines sold at a live session's flash price before order lines recorded their item: the order's session
# features the line's variant, and the line's unit price is that item's flash price.
BACKFILL = """
UPDATE orders_orderline AS line
   SET live_item_id = item.id
  FROM orders_order AS placed, live_livesessionitem AS item
 WHERE line.order_id = placed.id
   AND line.live_item_id IS NULL
   AND placed.live_session_id = item.session_id
   AND item.variant_id = line.variant_id
   AND line.unit_price = item.flash_price
"""


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0005_orderline_live_item"),
        ("live", "0004_commission_rate_message"),
    ]

    operations = [migrations.RunSQL(BACKFILL, migrations.RunSQL.noop)]
