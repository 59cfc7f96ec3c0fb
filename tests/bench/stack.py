"""What serves the bench, set up as in production: gunicorn, Redis as cache and broker, a Celery worker."""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

# The bench owns these two Redis databases and empties them at the start of every run: a page cached by an
# earlier run, or a task queued for a worker that is gone, would skew what this run measures.
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/14"
BROKER_DB = 13


def _redis_command(url: str, *commands: list[str]) -> list[bytes]:
    """Send RESP commands to the server of ``url`` and return the first line of each answer.

    Speaks the protocol itself rather than through redis-py, so that the bench can tell whether the server
    answers even when the client library is not installed.
    """
    parts = urllib.parse.urlsplit(url)
    payload = b""
    for command in ([["AUTH", urllib.parse.unquote(parts.password)]] if parts.password else []) + list(commands):
        payload += f"*{len(command)}\r\n".encode()
        for word in command:
            data = str(word).encode()
            payload += b"$%d\r\n%s\r\n" % (len(data), data)
    with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), timeout=2) as conn:
        conn.sendall(payload)
        answers = b""
        expected = len(commands) + (1 if parts.password else 0)
        while answers.count(b"\r\n") < expected:
            chunk = conn.recv(4096)
            if not chunk:
                break
            answers += chunk
    lines = answers.split(b"\r\n")[:expected]
    return lines[1:] if parts.password else lines


def _with_db(url: str, db: int) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{db}"))


@dataclass
class Redis:
    """Redis as the site's cache (and the Celery broker), when it answers."""

    cache_url: str = ""
    broker_url: str = ""
    note: str = ""

    @classmethod
    def probe(cls, url: str) -> Redis:
        try:
            answer = _redis_command(url, ["PING"])
        except OSError as error:
            return cls(note=f"Redis at {url} does not answer ({error}): cache in each process's memory")
        if answer[:1] != [b"+PONG"]:
            return cls(note=f"Redis at {url} answered {answer!r}: cache in each process's memory")
        missing = [name for name in ("redis", "django_redis") if importlib.util.find_spec(name) is None]
        if missing:
            return cls(note=f"{' and '.join(missing)} not installed: cache in each process's memory")
        broker = _with_db(url, BROKER_DB)
        db = urllib.parse.urlsplit(url).path.strip("/") or "0"
        _redis_command(url, ["SELECT", db], ["FLUSHDB"], ["SELECT", str(BROKER_DB)], ["FLUSHDB"])
        return cls(cache_url=url, broker_url=broker, note=f"cache {url} (flushed), broker {broker} (flushed)")


def queued_tasks(broker_url: str) -> int | None:
    """Tasks waiting in Celery's default queue: a worker that falls behind leaves them there."""
    if not broker_url:
        return None
    db = urllib.parse.urlsplit(broker_url).path.strip("/") or "0"
    answers = _redis_command(broker_url, ["SELECT", db], ["LLEN", "celery"])
    return int(answers[1].lstrip(b":")) if len(answers) > 1 and answers[1].startswith(b":") else None


def _children(pid: int) -> list[int]:
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:
            continue
        for line in text.splitlines():
            if line.startswith("PPid:"):
                if int(line.split()[1]) == pid:
                    found.append(int(status.parent.name))
                break
    return sorted(found)


def peak_memory_mib(pid: int) -> float | None:
    """The process's peak resident memory (VmHWM), in MiB."""
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return None


@dataclass
class Celery:
    process: subprocess.Popen | None = None
    note: str = ""

    @classmethod
    def start(cls, *, root: Path, env: dict, log, python: Path) -> Celery:
        """A worker beside gunicorn, when the project has a Celery app (``marketplace/celery.py``)."""
        if not env.get("CELERY_BROKER_URL"):
            return cls(note="no broker: no Celery worker")
        celery = python.parent / "celery"
        if not celery.exists():
            return cls(note="celery is not installed: no Celery worker")
        check = subprocess.run(
            [str(python), "-c", "import marketplace.celery"], cwd=root, env=env, capture_output=True, text=True
        )
        if check.returncode != 0:
            last = (check.stderr.strip().splitlines() or ["?"])[-1]
            return cls(note=f"no Celery app (import marketplace.celery: {last}): no Celery worker")
        process = subprocess.Popen(
            # At the priority make serve gives it (marketplace/serve.py, WORKER_NICENESS).
            [
                "nice",
                "-n",
                "10",
                str(celery),
                "-A",
                "marketplace",
                "worker",
                "--concurrency",
                "1",
                "--loglevel",
                "warning",
            ],
            cwd=root,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        # The worker is ready to take tasks once its pool process exists.
        for _ in range(150):
            if process.poll() is not None:
                return cls(note=f"the Celery worker exited at start (code {process.returncode}); see the server log")
            if _children(process.pid):
                return cls(process=process, note="Celery worker, concurrency 1, nice 10")
            time.sleep(0.1)
        return cls(process=process, note="Celery worker started, but no pool process after 15 s")

    def drain(self, broker_url: str, *, longest: float = 240.0) -> float:
        """Wait until the worker has nothing queued and has used no CPU for a second (the tasks it had already
        taken run to their end): the seconds waited. A measurement "on an idle server" starts after it."""
        started = time.monotonic()
        if self.process is None:
            return 0.0
        deadline = started + longest
        before = self._cpu_ticks()
        while time.monotonic() < deadline:
            time.sleep(1.0)
            now = self._cpu_ticks()
            if now == before and not queued_tasks(broker_url):
                break
            before = now
        return time.monotonic() - started

    def _cpu_ticks(self) -> int:
        """User and system CPU ticks of the worker and its pool processes so far."""
        assert self.process is not None
        ticks = 0
        for pid in [self.process.pid, *_children(self.process.pid)]:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            ticks += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of proc(5))
        return ticks

    def memory(self) -> dict[str, float | None]:
        if self.process is None or self.process.poll() is not None:
            return {}
        figures = {f"celery worker {self.process.pid}": peak_memory_mib(self.process.pid)}
        for pid in _children(self.process.pid):
            figures[f"celery pool process {pid}"] = peak_memory_mib(pid)
        return figures

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@dataclass
class Gunicorn:
    """``make serve``'s server: one gthread worker per core with four threads each."""

    port: int
    workers: int
    process: subprocess.Popen | None = None
    base: str = field(init=False)

    def __post_init__(self) -> None:
        self.base = f"http://127.0.0.1:{self.port}"

    def start(self, *, root: Path, env: dict, log, python: Path) -> None:
        self.process = subprocess.Popen(
            [
                str(python.parent / "gunicorn"),
                "marketplace.wsgi",
                "--worker-class",
                "gthread",
                "--workers",
                str(self.workers),
                "--threads",
                "4",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--log-level",
                "warning",
            ],
            cwd=root,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        for _ in range(150):
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited at start (code {self.process.returncode}); see the server log")
            try:
                urllib.request.urlopen(self.base + "/healthz/", timeout=1).read()
            except OSError:
                time.sleep(0.2)
            else:
                # Every worker up, not only the first to answer.
                if len(_children(self.process.pid)) >= self.workers:
                    return
                time.sleep(0.2)
        raise SystemExit("gunicorn did not answer within 30 s; see the server log")

    def memory(self) -> dict[str, float | None]:
        if self.process is None or self.process.poll() is not None:
            return {}
        return {f"gunicorn worker {pid}": peak_memory_mib(pid) for pid in _children(self.process.pid)}

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def cpu_count() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 2)
