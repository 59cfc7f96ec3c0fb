"""Run the every-minute jobs without a broker: what Celery beat does, in one process.

    python manage.py run_schedule            # until SIGTERM or Ctrl-C (`make run` starts it beside runserver)
    python manage.py run_schedule --once     # each job once, then exit (a cron line every minute)

The jobs are ``CELERY_BEAT_SCHEDULE``'s, looked up by task name in the Celery app and run in this process,
so beat and this command run the same services and cannot drift apart. A job that fails is logged and the
others still run; a signal lets the job in hand finish, then the command exits.
"""

from __future__ import annotations

import logging
import signal
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from marketplace.celery import app

logger = logging.getLogger("oasis.schedule")

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
# How often a sleeping loop looks at the stop flag: a signal ends the command within this.
NAP_SECONDS = 0.2


def scheduled_jobs() -> dict[str, tuple[str, float]]:
    """Beat's schedule as {entry: (task name, seconds between runs)}; only intervals in seconds are supported."""
    jobs: dict[str, tuple[str, float]] = {}
    for entry, job in settings.CELERY_BEAT_SCHEDULE.items():
        every = job["schedule"]
        if not isinstance(every, int | float):
            raise CommandError(f"{entry}: run_schedule runs jobs every N seconds, not on {every!r}.")
        jobs[entry] = (str(job["task"]), float(every))
    return jobs


class Command(BaseCommand):
    help = "Run CELERY_BEAT_SCHEDULE's jobs in this process, each at its interval, until stopped (or --once)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Run every job once, then exit.")
        parser.add_argument(
            "--every",
            type=float,
            default=None,
            metavar="SECONDS",
            help="Run every job at this interval instead of the schedule's (tests, demos).",
        )

    def handle(self, *args, once: bool = False, every: float | None = None, **options):
        if every is not None and every <= 0:
            raise CommandError("--every must be a positive number of seconds.")
        app.loader.import_default_modules()  # registers each app's tasks.py
        jobs = scheduled_jobs()
        if not jobs:
            raise CommandError("CELERY_BEAT_SCHEDULE names no job.")
        missing = sorted(task for task, _every in jobs.values() if task not in app.tasks)
        if missing:
            raise CommandError(f"No task registered for {', '.join(missing)}.")
        if once:
            failures = sum(not self._run(entry, task) for entry, (task, _every) in jobs.items())
            if failures:
                raise CommandError(f"{failures} job(s) failed; see the log.")
            return

        stopping: list[int] = []
        for signum in STOP_SIGNALS:
            signal.signal(signum, lambda signum, frame: stopping.append(signum))
        logger.info("run_schedule: %d job(s): %s", len(jobs), ", ".join(jobs))
        due = dict.fromkeys(jobs, time.monotonic())
        while not stopping:
            for entry, (task, interval) in jobs.items():
                if stopping:
                    break
                if time.monotonic() >= due[entry]:
                    # A connection broken since the last run (the database restarted) is dropped, not reused.
                    close_old_connections()
                    self._run(entry, task)
                    due[entry] = time.monotonic() + (every or interval)
            while not stopping and time.monotonic() < min(due.values()):
                time.sleep(min(NAP_SECONDS, max(min(due.values()) - time.monotonic(), 0)))
        logger.info("run_schedule: stopped")

    def _run(self, entry: str, task: str) -> bool:
        """One job, in this process; a failure is logged, never raised, so the other jobs keep running."""
        try:
            result = app.tasks[task]()
        except Exception:
            logger.exception("run_schedule: %s (%s) failed", entry, task)
            return False
        # Runs that found nothing to do stay out of the log at INFO.
        logger.log(logging.INFO if result else logging.DEBUG, "run_schedule: %s (%s) -> %s", entry, task, result)
        return True
