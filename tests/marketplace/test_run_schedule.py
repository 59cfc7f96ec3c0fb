"""`manage.py run_schedule`: beat's every-minute jobs in one process, as `make run` runs them beside runserver."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from marketplace import serve
from marketplace.celery import app
from marketplace.management.commands.run_schedule import scheduled_jobs
from tests.marketplace.test_serve import database_url

ROOT = Path(__file__).resolve().parents[2]


def test_make_run_starts_the_scheduler_beside_runserver():
    """`make run`'s recipe runs runserver through the launcher with --schedule, which adds `run_schedule`."""
    recipe = subprocess.run(
        [shutil.which("make") or "/usr/bin/make", "--no-print-directory", "-n", "run"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "CELERY_BROKER_URL": ""},
    ).stdout.splitlines()

    served = [line for line in recipe if "runserver" in line]
    assert len(served) == 1
    assert "-m marketplace.serve --schedule " in served[0]


def test_without_a_broker_the_launcher_adds_the_scheduler_only_when_asked(monkeypatch):
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)

    assert serve.schedule_commands(schedule=False) == []
    (command,) = serve.schedule_commands(schedule=True)
    assert command[0] == sys.executable
    assert command[1:] == [str(ROOT / "manage.py"), "run_schedule"]


def test_with_a_broker_the_launcher_runs_celery_beat_rather_than_the_scheduler(monkeypatch):
    monkeypatch.setenv("CELERY_BROKER_URL", "redis://127.0.0.1:6379/12")

    commands = [" ".join(command) for command in serve.schedule_commands(schedule=True)]

    assert any("-A marketplace beat" in command for command in commands)
    assert not any("run_schedule" in command for command in commands)


def test_the_scheduler_runs_the_jobs_beat_runs(settings):
    """The two paths cannot drift apart: the scheduler reads CELERY_BEAT_SCHEDULE itself."""
    assert {task for task, _every in scheduled_jobs().values()} == {
        job["task"] for job in settings.CELERY_BEAT_SCHEDULE.values()
    }


def _children(pid: int) -> dict[int, str]:
    """The command lines of ``pid``'s live child processes."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if fields[0] != "Z" and int(fields[1]) == pid:
                found[int(stat.parent.name)] = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, IndexError, ValueError):
            continue  # It exited while being read.
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


@pytest.mark.django_db(transaction=True)
def test_the_launcher_stops_the_scheduler_when_the_web_server_ends():
    """As under `make run`: the scheduler runs while the web server runs, and is stopped when it ends."""
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": database_url(), "CELERY_BROKER_URL": ""}
    web = [sys.executable, "-c", "import time; time.sleep(6)"]  # stands in for runserver
    launcher = subprocess.Popen([sys.executable, "-m", "marketplace.serve", "--schedule", *web], cwd=ROOT, env=env)
    try:
        deadline = time.monotonic() + 5
        while not (scheduler := [pid for pid, cmd in _children(launcher.pid).items() if "run_schedule" in cmd]):
            assert time.monotonic() < deadline, "the launcher started no scheduler"
            time.sleep(0.1)
        assert launcher.wait(30) != 0  # the web server ended by itself: the launcher says so
        assert not _alive(scheduler[0])
    finally:
        if launcher.poll() is None:
            launcher.send_signal(signal.SIGTERM)
            launcher.wait(30)
        connection.close()


def test_a_failing_job_is_reported_and_the_others_still_run(db, monkeypatch):
    """One job raising does not stop the rest; `--once` then exits non-zero, so cron's mail or log shows it."""
    app.loader.import_default_modules()
    ran = []

    def broken():
        raise RuntimeError("boom")

    for task, _every in scheduled_jobs().values():
        monkeypatch.setitem(app.tasks, task, lambda task=task: ran.append(task) or 0)
    monkeypatch.setitem(app.tasks, "live.end_live_sessions", broken)

    with pytest.raises(CommandError, match="1 job"):
        call_command("run_schedule", "--once")

    assert set(ran) == {task for task, _every in scheduled_jobs().values()} - {"live.end_live_sessions"}
    assert "catalog.process_stale_images" in ran


def test_a_schedule_naming_an_unknown_task_is_refused_at_start(settings):
    settings.CELERY_BEAT_SCHEDULE = {"typo": {"task": "orders.expire_unpaid_ordrs", "schedule": 60.0}}

    with pytest.raises(CommandError, match=r"orders\.expire_unpaid_ordrs"):
        call_command("run_schedule", "--once")
