"""Release the stock of unpaid online orders whose payment time is up. Run every minute (docs/operations.md)."""

from django.core.management.base import BaseCommand

from orders.services import orders_expire_unpaid


class Command(BaseCommand):
    help = "Expire unpaid online orders past their payment time and give their stock back."

    def handle(self, *args, **options):
        total = 0
        while expired := orders_expire_unpaid():
            total += expired
        self.stdout.write(f"Expired {total} unpaid order(s).")
