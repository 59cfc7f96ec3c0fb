"""Reclaim the dead rows that 0014's rewrite of every search row left, and renew the planner's statistics.

After an UPDATE of every row, the table and its indexes hold each row twice until a VACUUM: the searches'
plans read twice the pages, and price sorts chose other plans, until autovacuum came by. VACUUM cannot run in a
transaction, so this migration is not atomic; on a new database it takes no time.
"""

from django.db import migrations


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("catalog", "0016_perishables")]

    operations = [migrations.RunSQL("VACUUM ANALYZE catalog_productsearch", reverse_sql=migrations.RunSQL.noop)]
