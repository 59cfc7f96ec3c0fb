# A variant's price is at most marketplace.validators.MAX_PRICE (100,000.00 CNY), so that no order of it
# overflows the order totals' columns.

from decimal import Decimal

import django.core.validators
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0005_photos_processed_by_the_worker"),
    ]

    operations = [
        migrations.AlterField(
            model_name="variant",
            name="price",
            field=models.DecimalField(
                decimal_places=2,
                max_digits=10,
                validators=[
                    django.core.validators.MinValueValidator(0),
                    django.core.validators.MaxValueValidator(Decimal("100000.00")),
                ],
                verbose_name="price (CNY)",
            ),
        ),
        migrations.AddConstraint(
            model_name="variant",
            constraint=models.CheckConstraint(
                condition=models.Q(("price__lte", Decimal("100000.00"))), name="variant_price_at_most_max"
            ),
        ),
    ]
