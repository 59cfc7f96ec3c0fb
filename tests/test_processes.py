"""The check that fails a test run leaving processes running (tests/conftest.py) finds what it should, and only that."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from tests import processes
from tests.processes import ProcessWatch

ROOT = Path(__file__).resolve().parents[1]
SLEEP = shutil.which("sleep") or "/bin/sleep"


def watch(**kwargs) -> ProcessWatch:
    """A watch with this session's mark, which every program a test starts inherits."""
    return ProcessWatch(mark=os.environ[processes.MARK], **kwargs)


def daemon(env: dict[str, str]) -> int:
    """``sleep`` started by a shell that exits at once: it leaves the test run's process tree. Returns its pid."""
    done = subprocess.run(
        ["/bin/sh", "-c", "sleep 300 >/dev/null 2>&1 </dev/null & echo $!"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return int(done.stdout)


def kill(pid: int) -> None:
    os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while (process := processes.processes().get(pid)) and process.state not in {"Z", "X"}:
        assert time.monotonic() < deadline, f"{pid} did not stop"
        time.sleep(0.05)


def test_a_child_process_left_running_is_found_and_not_once_it_has_stopped():
    session = watch()
    child = subprocess.Popen([SLEEP, "300"])
    try:
        left = session.left_running()
        deadline = time.monotonic() + 5
        # On a loaded machine /proc may show the child's command line empty for a moment after it started.
        while any(not process.argv for process in left) and time.monotonic() < deadline:
            time.sleep(0.05)
            left = session.left_running()

        assert [(process.pid, process.argv) for process in left] == [(child.pid, (SLEEP, "300"))]
        assert processes.report(left) == f"  pid {child.pid}: {SLEEP} 300"
    finally:
        child.kill()
        child.wait()
    assert session.left_running() == []


def test_a_process_that_left_the_tree_is_found_by_the_mark_it_inherited_and_another_sessions_is_not():
    """A daemon is no longer the run's descendant; the environment it inherited still names the run. A process
    without the mark (another engineer's test run, a program started before the run) is none of its business."""
    session = watch()
    ours = daemon(dict(os.environ))
    theirs = daemon({key: value for key, value in os.environ.items() if key != processes.MARK})
    try:
        left = session.left_running()

        assert [process.pid for process in left] == [ours]
        assert processes.processes()[ours].parent != os.getpid()
    finally:
        kill(ours)
        kill(theirs)
    assert session.left_running() == []


def test_stop_ends_what_was_left_and_says_what_it_could_not(tmp_path):
    session = watch()
    child = subprocess.Popen([SLEEP, "300"])
    left = session.left_running()

    assert processes.stop(left, servers_under=tmp_path, seconds=5) == []
    assert child.wait(5) == -signal.SIGTERM


@pytest.fixture
def server_folder():
    """A folder for a PostgreSQL server's data outside pytest's temporary root: run as root, the server runs as a
    user of its own, and every pytest session starting meanwhile makes that root private again (0700)."""
    folder = Path(tempfile.mkdtemp(prefix="oasis-test-processes-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def embedded_db(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "marketplace.embedded_db", *args], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_an_embedded_postgresql_server_left_running_is_found_with_its_data_folder_unless_it_is_allowed(
    server_folder,
):
    """The server that ``pg_ctl`` starts leaves the tree; it is found, reported with its data folder as one line
    (not its own processes), and ignored where the run expects it: the run's own ``.pgdata/``."""
    data = server_folder / "pgdata"
    session = watch()
    expecting_it = watch(allowed_data_dirs=[data])
    embedded_db("url", str(data))
    try:
        left = session.left_running()
        servers = [process for process in left if process.data_dir is not None]

        assert [server.data_dir for server in servers] == [data.resolve()]
        (line,) = processes.report(left).splitlines()
        assert line.startswith(f"  pid {servers[0].pid}: ") and f"(PostgreSQL server of {data.resolve()})" in line
        assert expecting_it.left_running() == []
    finally:
        embedded_db("stop", str(data))
    assert session.wait_for_exit(10) == []


def test_stop_stops_a_server_of_a_temporary_folder_and_only_reports_one_elsewhere(server_folder):
    data = server_folder / "pgdata"
    session = watch()
    embedded_db("url", str(data))
    try:
        left = session.left_running()

        assert processes.stop(left, servers_under=server_folder / "elsewhere", seconds=1) == left
        assert processes.stop(left, servers_under=server_folder) == []
        assert not (data / "postmaster.pid").exists()
    finally:
        embedded_db("stop", str(data))
