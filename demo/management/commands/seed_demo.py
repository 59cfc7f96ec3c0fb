"""``manage.py seed_demo``: the demo marketplace, with one account per role (see demo/data/)."""

from __future__ import annotations

import argparse
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from demo.data.accounts import DEMO_PASSWORD
from demo.seeding import seed_demo
from demo.seeding.bulk import MAX_BULK_PRODUCTS


def product_total(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = -1
    if not 0 <= number <= MAX_BULK_PRODUCTS:
        raise argparse.ArgumentTypeError(f"expected a whole number from 0 to {MAX_BULK_PRODUCTS:,}, got {value!r}")
    return number


class Command(BaseCommand):
    help = (
        "Create or refresh the demo marketplace: the region's villages, depots, producers, products with photos, "
        "live sessions and one account per role. Safe to run again; it adds nothing the second time."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--products",
            type=product_total,
            metavar="N",
            help=(
                f"Grow the catalogue to N products in total (at most {MAX_BULK_PRODUCTS:,}) with numbered copies "
                "of the demo products, for benchmarks."
            ),
        )

    def handle(self, *args: Any, products: int | None = None, **options: Any) -> None:
        started = time.monotonic()
        verbose = options["verbosity"] > 1
        # argparse checks the command line; call_command(products=...) skips it, so check here too.
        if products is not None and not 0 <= products <= MAX_BULK_PRODUCTS:
            raise CommandError(f"--products must be a whole number from 0 to {MAX_BULK_PRODUCTS:,}.")
        summary = seed_demo(products=products, log=self._progress if verbose else lambda message: None)
        elapsed = time.monotonic() - started

        self.stdout.write(self.style.SUCCESS(f"Demo data ready in {elapsed:.1f} s."))
        if products is not None:
            self.stdout.write(f"Benchmark products added this run: {summary.bulk_created:,}")
        width = max(len(label) for label in summary.counts)
        for label, count in summary.counts.items():
            self.stdout.write(f"  {label:<{width}}  {count:>8,}")
        self.stdout.write(f"Demo accounts (password: {DEMO_PASSWORD}):")
        for account in summary.accounts:
            self.stdout.write(f"  {account.username:<14} {account.role}")

    def _progress(self, message: str) -> None:
        self.stdout.write(f"  … {message}")
