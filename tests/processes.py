"""Which processes a test session started and left running, read from ``/proc`` (Linux).

A process counts as the session's when it descends from the pytest process, or when its environment carries
the session's mark (``MARK``, set in ``os.environ`` when the session starts, so every program a test starts
inherits it): the second finds what left the tree, such as a PostgreSQL server that ``pg_ctl`` started, or a
program that daemonised itself. Processes running when the session started are never counted, nor zombies
(exited, waiting to be reaped), nor the PostgreSQL servers of allowed data folders with their own processes.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

MARK = "OASIS_TEST_SESSION"
PROC = Path("/proc")


@dataclass(frozen=True)
class Process:
    pid: int
    parent: int
    started: int  # clock ticks after boot: with the pid, names one process even when pids are reused
    state: str
    argv: tuple[str, ...]

    @property
    def key(self) -> tuple[int, int]:
        return self.pid, self.started

    @property
    def command(self) -> str:
        return " ".join(self.argv)[:300]

    @property
    def data_dir(self) -> Path | None:
        """The data folder of a PostgreSQL server (``postgres -D <folder>``), else None."""
        if not self.argv or Path(self.argv[0]).name != "postgres" or "-D" not in self.argv[:-1]:
            return None
        return Path(self.argv[self.argv.index("-D") + 1]).resolve()

    def describe(self) -> str:
        server = f" (PostgreSQL server of {self.data_dir})" if self.data_dir else ""
        return f"pid {self.pid}: {self.command}{server}"


def _read(pid_dir: Path) -> Process | None:
    try:
        stat = (pid_dir / "stat").read_text()
        argv = (pid_dir / "cmdline").read_bytes().rstrip(b"\0").split(b"\0")
    except OSError:
        return None  # It exited while being read.
    # The command name, in parentheses, may hold spaces and parentheses: the fields follow the last ")".
    fields = stat.rsplit(")", 1)[1].split()
    return Process(
        pid=int(pid_dir.name),
        parent=int(fields[1]),
        started=int(fields[19]),
        state=fields[0],
        argv=tuple(part.decode(errors="replace") for part in argv if part),
    )


def processes() -> dict[int, Process]:
    """Every process now, by pid."""
    found = (_read(pid_dir) for pid_dir in PROC.iterdir() if pid_dir.name.isdigit())
    return {process.pid: process for process in found if process is not None}


def _carries(pid: int, mark: str) -> bool:
    try:
        environ = (PROC / str(pid) / "environ").read_bytes()
    except OSError:
        return False  # Another user's process, or gone.
    return f"{MARK}={mark}".encode() in environ.split(b"\0")


def _descendants(table: dict[int, Process], roots: Iterable[int]) -> set[int]:
    children: dict[int, list[int]] = {}
    for process in table.values():
        children.setdefault(process.parent, []).append(process.pid)
    found: set[int] = set()
    waiting = list(roots)
    while waiting:
        for child in children.get(waiting.pop(), []):
            if child not in found:
                found.add(child)
                waiting.append(child)
    return found


class ProcessWatch:
    """The processes running now, to compare with those running later (``left_running``)."""

    def __init__(self, *, mark: str, allowed_data_dirs: Iterable[Path] = ()) -> None:
        self.pid = os.getpid()
        self.mark = mark
        self.allowed_data_dirs = {Path(folder).resolve() for folder in allowed_data_dirs}
        self.before = {process.key for process in processes().values()}

    def left_running(self) -> list[Process]:
        """Processes started since the watch began, by this process or with its mark, that still run."""
        table = processes()
        ours = _descendants(table, [self.pid])
        ours |= {pid for pid in table if pid != self.pid and pid not in ours and _carries(pid, self.mark)}
        allowed = [p.pid for p in table.values() if p.data_dir is not None and p.data_dir in self.allowed_data_dirs]
        ours -= {*allowed, *_descendants(table, allowed)}
        left = [table[pid] for pid in ours if table[pid].state not in {"Z", "X"} and table[pid].key not in self.before]
        return sorted(left, key=lambda process: process.pid)

    def wait_for_exit(self, seconds: float) -> list[Process]:
        """``left_running`` once those still stopping (a server given SIGTERM a moment ago) had ``seconds`` to."""
        deadline = time.monotonic() + seconds
        left = self.left_running()
        while left and time.monotonic() < deadline:
            time.sleep(0.2)
            left = self.left_running()
        return left


def report(left: list[Process]) -> str:
    """One line per process that no other of ``left`` started, with how many it started itself."""
    pids = {process.pid for process in left}
    table = {process.pid: process for process in left}
    lines = []
    for process in left:
        if process.parent not in pids:
            started = len(_descendants(table, [process.pid]))
            lines.append(f"  {process.describe()}" + (f", and {started} processes it started" if started else ""))
    return "\n".join(lines)


def stop(left: list[Process], *, servers_under: Path, seconds: float = 15) -> list[Process]:
    """Stop what a session left running and return what could not be stopped.

    A PostgreSQL server is stopped only when its data folder is under ``servers_under`` (the session's
    temporary folders), by a fast shutdown (SIGINT), never killed, and it stops its own processes; a server
    elsewhere, such as the project's own ``.pgdata/``, may be in use by another command, so it is only
    reported. Other processes get SIGTERM, then SIGKILL.
    """
    servers_under = servers_under.resolve()
    table = {process.pid: process for process in left}
    servers = [p.pid for p in left if p.data_dir is not None]
    of_servers = _descendants(table, servers)
    stoppable = [
        p for p in left if p.pid not in of_servers and (p.data_dir is None or p.data_dir.is_relative_to(servers_under))
    ]
    for process in stoppable:
        _signal(process.pid, signal.SIGINT if process.data_dir else signal.SIGTERM)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and any(_runs(p) for p in stoppable):
        time.sleep(0.2)
    for process in stoppable:
        if process.data_dir is None and _runs(process):
            _signal(process.pid, signal.SIGKILL)
    return [p for p in left if _runs(p)]


def _signal(pid: int, number: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, number)


def _runs(process: Process) -> bool:
    now = _read(PROC / str(process.pid))
    return now is not None and now.key == process.key and now.state not in {"Z", "X"}
