"""Queue again the product photos the worker never finished. Run every minute (docs/operations.md).

Beat runs the same job (``catalog.process_stale_images``) where there is a broker; without one, cron runs this.
"""

from django.core.management.base import BaseCommand

from catalog.services import product_images_process_stale


class Command(BaseCommand):
    help = "Process again the product photos left being processed, or mark failed those tried too often."

    def handle(self, *args, **options):
        count = product_images_process_stale(actor=None)
        self.stdout.write(f"Looked again at {count} photo(s) left being processed.")
