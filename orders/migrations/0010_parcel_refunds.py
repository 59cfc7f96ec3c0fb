"""The refunds ledger; each payment refunded before it existed becomes one refund of its whole amount."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def refunds_from_payments(apps, schema_editor):
    Payment = apps.get_model("orders", "Payment")
    Refund = apps.get_model("orders", "Refund")
    Refund.objects.bulk_create(
        Refund(order_id=payment.order_id, amount=payment.amount, created_at=payment.updated_at)
        for payment in Payment.objects.filter(status="refunded", amount__gt=0).iterator()
    )


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0009_orderline_names_orderevent_note_phrase"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Refund",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("amount", models.DecimalField(decimal_places=2, max_digits=12, verbose_name="amount")),
                ("reason", models.TextField(blank=True, verbose_name="reason")),
                ("returned_stock", models.BooleanField(default=False, verbose_name="parcel cancelled, stock returned")),
                (
                    "created_at",
                    models.DateTimeField(default=django.utils.timezone.now, editable=False, verbose_name="time"),
                ),
                (
                    "actor",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="order_refunds",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="actor",
                    ),
                ),
                (
                    "fulfilment",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="refunds",
                        to="orders.fulfilment",
                        verbose_name="parcel",
                    ),
                ),
                (
                    "order",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="refunds",
                        to="orders.order",
                        verbose_name="order",
                    ),
                ),
            ],
            options={
                "verbose_name": "refund",
                "verbose_name_plural": "refunds",
                "ordering": ["created_at", "id"],
                "indexes": [models.Index(fields=["order", "created_at"], name="refund_order_time_idx")],
                "constraints": [
                    models.CheckConstraint(condition=models.Q(("amount__gt", 0)), name="refund_amount_positive")
                ],
            },
        ),
        migrations.RunPython(refunds_from_payments, migrations.RunPython.noop),
    ]
