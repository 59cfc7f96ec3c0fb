"""Queue again the product photos the worker never finished, and make the WebP renditions of photos stored
without them (``--all-renditions``: all of them, after an upgrade). Run every minute (docs/operations.md).

Beat runs the same job (``catalog.process_stale_images``) where there is a broker; without one, cron runs this.
"""

from django.core.management.base import BaseCommand

from catalog.services import STALE_BATCH, product_images_make_renditions, product_images_process_stale
from marketplace.images import photos_make_missing_renditions


class Command(BaseCommand):
    help = (
        "Process again the product photos left being processed, or mark failed those tried too often; "
        "make the WebP renditions missing from ready photos."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--all-renditions",
            action="store_true",
            help=f"Make every missing rendition, not only the next {STALE_BATCH} photos' (after an upgrade).",
        )

    def handle(self, *args, **options):
        count = product_images_process_stale(actor=None)
        self.stdout.write(f"Looked again at {count} photo(s) left being processed.")
        total = made = self._renditions()
        while options["all_renditions"] and made:
            made = self._renditions()
            total += made
        self.stdout.write(f"Made the WebP renditions of {total} photo(s).")

    def _renditions(self) -> int:
        """Product photos first, then the other photos that keep renditions (producers', villages', covers)."""
        return product_images_make_renditions(actor=None) + photos_make_missing_renditions(limit=STALE_BATCH)
