"""Write "ended" on live sessions past their scheduled end. Run every minute (docs/operations.md).

Flash prices already stop at the scheduled end without it (``LiveSession.is_on_air``); this records the end
so that hosts' lists, the API and reports show the session as ended.
"""

from django.core.management.base import BaseCommand

from live.services import sessions_end_overdue


class Command(BaseCommand):
    help = "End live sessions whose scheduled end has passed."

    def handle(self, *args, **options):
        ended = sessions_end_overdue()
        self.stdout.write(f"Ended {ended} live session(s).")
