# A variant's price is more than 0: a price of 0 put a product on sale for nothing. A variant priced 0
# before this is taken off sale and given the smallest price (one fen), so that its producer sets a real
# price before putting it back on sale.

from decimal import Decimal

import django.core.validators
from django.db import migrations, models

import marketplace.validators


def take_free_variants_off_sale(apps, schema_editor):
    Variant = apps.get_model("catalog", "Variant")
    Variant.objects.filter(price__lte=0).update(price=Decimal("0.01"), is_active=False)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0009_variant_units_sold"),
    ]

    operations = [
        migrations.RunPython(take_free_variants_off_sale, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name="variant",
            name="variant_price_not_negative",
        ),
        migrations.AlterField(
            model_name="variant",
            name="price",
            field=models.DecimalField(
                decimal_places=2,
                max_digits=10,
                validators=[
                    marketplace.validators.validate_price_above_zero,
                    django.core.validators.MaxValueValidator(Decimal("100000.00")),
                ],
                verbose_name="price (CNY)",
            ),
        ),
        migrations.AddConstraint(
            model_name="variant",
            constraint=models.CheckConstraint(condition=models.Q(("price__gt", 0)), name="variant_price_above_zero"),
        ),
    ]
