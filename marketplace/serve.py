"""The launcher of `make serve` and `make run`: the web server and what runs beside it, started and stopped together.

    python -m marketplace.serve gunicorn marketplace.wsgi --bind ...
    python -m marketplace.serve --schedule python manage.py runserver ...

Runs the command it is given (the web server). When ``CELERY_BROKER_URL`` is set it
also runs ``celery -A marketplace worker`` (which sends the outbox, at a lower priority than the
web server: ``CELERY_WORKER_NICENESS``) and ``celery -A marketplace beat`` (the every-minute
jobs). Without a broker, ``--schedule`` (``make run``) runs ``manage.py run_schedule`` beside
it, which runs beat's jobs in one process. SIGTERM or SIGINT stops all of them; when
any one of them exits, the others are stopped too and the launcher exits with its
status, so a supervisor sees one service that is either whole or down, never a site
whose emails silently stopped.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
# gunicorn's --graceful-timeout is 10 s; a worker finishing an email gets as long.
GRACE_SECONDS = 15
# Sharing a machine with the web server, the worker yields the CPU to it: in a burst shoppers are answered
# first and the emails follow when the web processes are idle. 0 runs the worker at the web's priority.
WORKER_NICENESS = int(os.environ.get("CELERY_WORKER_NICENESS") or 10)


def celery_commands() -> list[list[str]]:
    if not os.environ.get("CELERY_BROKER_URL"):
        return []
    celery = str(Path(sys.executable).with_name("celery"))
    return [
        ["nice", "-n", str(WORKER_NICENESS), celery, "-A", "marketplace", "worker", "--loglevel", "INFO"],
        [celery, "-A", "marketplace", "beat", "--loglevel", "INFO"],
    ]


def schedule_commands(*, schedule: bool) -> list[list[str]]:
    """The processes beside the web server: Celery's worker and beat with a broker, else the every-minute jobs'
    own loop when asked (``--schedule``), else none."""
    if os.environ.get("CELERY_BROKER_URL"):
        return celery_commands()
    if schedule:
        return [[sys.executable, str(Path(__file__).resolve().parents[1] / "manage.py"), "run_schedule"]]
    return []


def _stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            process.terminate()
    deadline = time.monotonic() + GRACE_SECONDS
    for process in processes:
        try:
            process.wait(max(deadline - time.monotonic(), 0.1))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def main(command: list[str]) -> int:
    schedule = command[:1] == ["--schedule"]
    command = command[1:] if schedule else command
    if not command:
        print("usage: python -m marketplace.serve [--schedule] <web server command>", file=sys.stderr)
        return 2
    stopping: list[int] = []

    def on_signal(signum, frame):
        stopping.append(signum)

    for signum in STOP_SIGNALS:
        signal.signal(signum, on_signal)
    processes = [subprocess.Popen(command)]  # noqa: S603 - the Makefile's own command line
    processes += [subprocess.Popen(extra) for extra in schedule_commands(schedule=schedule)]  # noqa: S603
    try:
        while not stopping:
            exited = [process for process in processes if process.poll() is not None]
            if exited:
                others = ", ".join(" ".join(process.args[:4]) for process in exited)
                print(f"serve: {others} exited; stopping the rest", file=sys.stderr)
                _stop(processes)
                return exited[0].returncode or 1
            time.sleep(0.5)
    finally:
        _stop(processes)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
