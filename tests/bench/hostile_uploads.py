"""Hostile photo uploads against the production stack: does /healthz/ keep answering?

    .venv/bin/python tests/bench/hostile_uploads.py

Starts the site as `make serve` does (``python -m marketplace.serve``: gunicorn with one gthread worker per core
and four threads each, DEBUG off, beside the Celery worker at nice 10 and beat, Redis as cache and broker),
then, phase by phase, has four uploaders POST photos to the API without pause while another client asks for
/healthz/ every 50 ms:

- idle: no uploads, the health check's own figures;
- the issue's PNG: the 170 KB 6,320 x 6,320 single-colour RGBA PNG that held a web worker for 7 s and 580 MB,
  four at a time;
- the largest accepted: the costliest photos the memory budget lets through (an RGBA PNG, an RGB PNG and a
  progressive JPEG at its edge, and a 40-megapixel JPEG), four at a time, which the worker decodes;
- the heaviest files: 9 MB progressive JPEGs of noise, the most a request reads and the worker decodes per byte.

Each phase prints the health check's p50, p99 and max latency, the uploads' answers, the CPU the web workers
and the Celery pool spent per upload, and the peak memory of each process; after the last phase, how long the
worker took to make the accepted photos ready. The uploaders are four accounts with their throttles raised, so
every upload reaches the code (an attacker with several accounts); each still meets the limit of photos in
flight, which answers 429.

Environment: DATABASE_URL (else the embedded server; the script creates four accounts, a producer and four
draft products in it: never a production database), HOSTILE_PORT (8097), HOSTILE_SECONDS (20 per phase),
HOSTILE_REDIS_URL (redis://127.0.0.1:6379/8; the database after it is the broker; both are emptied).
"""

from __future__ import annotations

import http.client
import io
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from run_bench import server_env  # noqa: E402  (this folder's modules, as run_bench imports its own)
from stack import _children, _redis_command, _with_db, cpu_count, peak_memory_mib  # noqa: E402

PORT = int(os.environ.get("HOSTILE_PORT", "8097"))
SECONDS = float(os.environ.get("HOSTILE_SECONDS", "20"))
REDIS_URL = os.environ.get("HOSTILE_REDIS_URL", "redis://127.0.0.1:6379/8")
UPLOADERS = 4
HEALTH_EVERY = 0.05
HEALTH_GOAL_MS = 200

SETUP = """
import json
from accounts.services import api_token_issue
from catalog.models import Product
from catalog.services import product_create
from tests.factories import CategoryFactory, MembershipFactory, ProducerFactory, UserFactory
from producers.models import Producer, ProducerMembership
producer = Producer.objects.filter(slug="hostile-bench").first() or ProducerFactory(slug="hostile-bench")
category = CategoryFactory()
out = []
for n in range(%(uploaders)d):
    user = UserFactory(username=f"hostile-bench-{n}")
    ProducerMembership.objects.get_or_create(user=user, producer=producer)
    slug = f"hostile-bench-{n}"
    product = Product.objects.filter(slug=slug).first() or product_create(
        producer=producer, category=category, slug=slug, actor=None, name_en=f"Hostile bench {n}"
    )
    out.append({"token": api_token_issue(user=user).key, "slug": product.slug})
print(json.dumps(out))
"""


def photos() -> dict[str, bytes]:
    """The phases' files: the issue's PNG, and the costliest photos the budget accepts."""
    from django.conf import settings

    settings.configure(USE_I18N=False)
    from PIL import Image

    from marketplace import images
    from tests import photo_files

    def fits(data: bytes) -> bool:
        try:
            return images._working_bytes(Image.open(io.BytesIO(data))) <= images.MAX_WORKING_BYTES
        except Exception:
            return False

    rgba = photo_files.largest_side(lambda n: fits(photo_files.png_header(n, n, "RGBA")))
    rgb = photo_files.largest_side(lambda n: fits(photo_files.png_header(n, n, "RGB")))
    side = photo_files.largest_side(lambda n: fits(photo_files.jpeg_declaring(n * 4 // 3, n, progressive=True)))
    noise = io.BytesIO()
    Image.effect_noise((4000, 3000), 64).convert("RGB").save(noise, format="JPEG", quality=95, progressive=True)
    return {
        "issue": photo_files.hostile_png(),
        f"RGBA PNG {rgba}²": photo_files.solid_png(rgba, rgba, "RGBA", (200, 30, 30, 128)),
        f"RGB PNG {rgb}²": photo_files.solid_png(rgb, rgb, "RGB"),
        f"progressive JPEG {side * 4 // 3}x{side}": photo_files.jpeg(side * 4 // 3, side, progressive=True),
        "JPEG 7300x5470": photo_files.jpeg(7300, 5470),
        "noise": noise.getvalue(),
    }


def multipart(data: bytes, name: str) -> tuple[bytes, str]:
    boundary = secrets.token_hex(16)
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="image"; filename="{name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    return head + data + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


@dataclass
class Phase:
    name: str
    health_ms: list[float] = field(default_factory=list)
    health_failures: int = 0
    uploads: list[tuple[int, float]] = field(default_factory=list)
    cpu: dict[str, float] = field(default_factory=dict)


def health_poller(base: str, phase: Phase, stop: threading.Event) -> None:
    host = urllib.parse.urlsplit(base)
    while not stop.is_set():
        started = time.perf_counter()
        try:
            connection = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
            connection.request("GET", "/healthz/")
            answer = connection.getresponse()
            answer.read()
            connection.close()
            if answer.status != 200:
                phase.health_failures += 1
        except OSError:
            phase.health_failures += 1
        took = time.perf_counter() - started
        phase.health_ms.append(took * 1000)
        stop.wait(max(0.0, HEALTH_EVERY - took))


def uploader(base: str, account: dict, files: list[tuple[str, bytes]], phase: Phase, stop: threading.Event) -> None:
    host = urllib.parse.urlsplit(base)
    path = f"/api/v1/products/{account['slug']}/images/"
    n = 0
    while not stop.is_set():
        name, data = files[n % len(files)]
        n += 1
        body, content_type = multipart(data, name)
        started = time.perf_counter()
        try:
            connection = http.client.HTTPConnection(host.hostname, host.port, timeout=60)
            connection.request(
                "POST",
                path,
                body=body,
                headers={"Content-Type": content_type, "Authorization": f"Token {account['token']}"},
            )
            answer = connection.getresponse()
            answer.read()
            connection.close()
            status = answer.status
        except OSError:
            status = 0
        phase.uploads.append((status, (time.perf_counter() - started) * 1000))


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def processes(serve_pid: int) -> dict[str, list[int]]:
    """The stack's processes by role: gunicorn's workers, the Celery pool, the rest (the masters and beat)."""
    roles: dict[str, list[int]] = {"web": [], "pool": [], "other": []}
    for pid in _children(serve_pid):
        line = _cmdline(pid)
        roles["other"].append(pid)
        if "gunicorn" in line:
            roles["web"] += _children(pid)
        elif "celery" in line and " worker" in line:
            roles["pool"] += _children(pid)
    return roles


def cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def db_query(database_url: str, sql: str, params: list) -> list[tuple]:
    import psycopg2

    with psycopg2.connect(database_url) as connection, connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def run_phase(name: str, base: str, serve_pid: int, accounts: list[dict], files: list[tuple[str, bytes]]) -> Phase:
    phase = Phase(name)
    stop = threading.Event()
    cpu_before = {pid: cpu_seconds(pid) for pids in processes(serve_pid).values() for pid in pids}
    threads = [threading.Thread(target=health_poller, args=(base, phase, stop))]
    if files:
        threads += [threading.Thread(target=uploader, args=(base, account, files, phase, stop)) for account in accounts]
    for thread in threads:
        thread.start()
    time.sleep(SECONDS)
    stop.set()
    for thread in threads:
        thread.join()
    roles = processes(serve_pid)
    for role, pids in roles.items():
        phase.cpu[role] = sum(cpu_seconds(pid) - cpu_before.get(pid, 0.0) for pid in pids)
    return phase


def wait_for_worker(database_url: str, slugs: list[str], longest: float = 600) -> float:
    """Seconds until no photo of the bench's products is being processed any more."""
    started = time.monotonic()
    while time.monotonic() - started < longest:
        rows = db_query(
            database_url,
            "SELECT count(*) FROM catalog_productimage i JOIN catalog_product p ON p.id = i.product_id "
            "WHERE p.slug = ANY(%s) AND i.status = 'processing'",
            [slugs],
        )
        if rows[0][0] == 0:
            return time.monotonic() - started
        time.sleep(0.5)
    return float("nan")


def photo_summary(database_url: str, slugs: list[str], *, since: float) -> None:
    """The bench products' photos uploaded in the last ``since`` seconds: how many of each status, how long each
    took from its upload to its last change (ready or failed)."""
    rows = db_query(
        database_url,
        "SELECT i.status, count(*), avg(extract(epoch FROM i.updated_at - i.created_at)), "
        "max(extract(epoch FROM i.updated_at - i.created_at)) FROM catalog_productimage i "
        "JOIN catalog_product p ON p.id = i.product_id WHERE p.slug = ANY(%s) AND i.created_at >= "
        "now() - make_interval(secs => %s) GROUP BY i.status ORDER BY i.status",
        [slugs, since],
    )
    for status, count, average, longest in rows:
        print(f"    {status}: {count}, upload to last change: mean {average:.1f} s, max {longest:.1f} s")


def report(phase: Phase, idle: Phase | None) -> None:
    health = phase.health_ms
    verdict = "within" if percentile(health, 0.99) <= HEALTH_GOAL_MS and phase.health_failures == 0 else "OVER"
    print(f"\n== {phase.name}")
    print(
        f"  /healthz/: {len(health)} answers, p50 {percentile(health, 0.5):.1f} ms, "
        f"p99 {percentile(health, 0.99):.1f} ms, max {max(health, default=float('nan')):.1f} ms, "
        f"failures {phase.health_failures}  ({verdict} the {HEALTH_GOAL_MS} ms goal at p99)"
    )
    if phase.uploads:
        statuses: dict[int, int] = {}
        for status, _ms in phase.uploads:
            statuses[status] = statuses.get(status, 0) + 1
        latencies = [ms for _status, ms in phase.uploads]
        print(
            f"  uploads: {len(phase.uploads)} ({', '.join(f'{s}: {n}' for s, n in sorted(statuses.items()))}), "
            f"answered in p50 {statistics.median(latencies):.0f} ms, p99 {percentile(latencies, 0.99):.0f} ms, "
            f"max {max(latencies):.0f} ms"
        )
        idle_web = idle.cpu.get("web", 0.0) if idle else 0.0
        web = max(0.0, phase.cpu.get("web", 0.0) - idle_web)
        print(
            f"  CPU: web workers {phase.cpu.get('web', 0.0):.2f} s ({web / len(phase.uploads) * 1000:.1f} ms an upload "
            f"beyond the idle phase's health checks), Celery pool {phase.cpu.get('pool', 0.0):.2f} s"
        )
    else:
        print(f"  CPU: web workers {phase.cpu.get('web', 0.0):.2f} s, Celery pool {phase.cpu.get('pool', 0.0):.2f} s")


def main() -> None:
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url:
        from marketplace.embedded_db import database_url as embedded_url

        database_url = embedded_url()
    broker_url = _with_db(REDIS_URL, int(urllib.parse.urlsplit(REDIS_URL).path.strip("/") or "0") + 1)
    for url in (REDIS_URL, broker_url):
        _redis_command(url, ["SELECT", urllib.parse.urlsplit(url).path.strip("/") or "0"], ["FLUSHDB"])
    workdir = Path(tempfile.mkdtemp(prefix="hostile-uploads-"))
    env = server_env(database_url)
    env.update(
        {
            "REDIS_URL": REDIS_URL,
            "CELERY_BROKER_URL": broker_url,
            "MEDIA_ROOT": str(workdir / "media"),
            "CELERY_BEAT_SCHEDULE_FILENAME": str(workdir / "celerybeat-schedule"),
            # Every upload reaches the code: the throttles would otherwise refuse most of them, cheaply.
            "API_THROTTLE_IMAGE_UPLOAD": "1000000/min",
            "API_THROTTLE_USER": "1000000/min",
        }
    )
    env.pop("MEDIA_S3_BUCKET", None)
    python = sys.executable
    print("Preparing as make serve does: migrate, compiletranslations, collectstatic ...", flush=True)
    for command in (["migrate", "--noinput", "-v0"], ["compiletranslations"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run([python, "manage.py", *command], cwd=ROOT, env=env, check=True, capture_output=True)
    setup = subprocess.run(
        [python, "manage.py", "shell", "--no-imports", "-c", SETUP % {"uploaders": UPLOADERS}],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    accounts = json.loads(setup.stdout.strip().splitlines()[-1])
    files = photos()
    sizes = ", ".join(f"{name} ({len(data) // 1024} KB)" for name, data in files.items())
    print(f"Photos: {sizes}", flush=True)

    log = (workdir / "server.log").open("w")
    gunicorn = [
        str(Path(python).with_name("gunicorn")),
        "marketplace.wsgi",
        "--bind",
        f"127.0.0.1:{PORT}",
        "--workers",
        str(cpu_count()),
        "--worker-class",
        "gthread",
        "--threads",
        "4",
        "--access-logfile",
        "-",
        "--graceful-timeout",
        "10",
    ]
    serve = subprocess.Popen([python, "-m", "marketplace.serve", *gunicorn], cwd=ROOT, env=env, stdout=log, stderr=log)
    base = f"http://127.0.0.1:{PORT}"
    try:
        for _attempt in range(300):
            if serve.poll() is not None:
                raise SystemExit(f"make serve's stack exited (code {serve.returncode}); see {workdir / 'server.log'}")
            try:
                urllib.request.urlopen(base + "/healthz/", timeout=1).read()
                if len(processes(serve.pid)["web"]) >= cpu_count() and processes(serve.pid)["pool"]:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        # The worker answers: a small photo is made ready.
        body, content_type = multipart(files["JPEG 7300x5470"], "warm.jpg")
        request = urllib.request.Request(
            f"{base}/api/v1/products/{accounts[0]['slug']}/images/",
            data=body,
            headers={"Content-Type": content_type, "Authorization": f"Token {accounts[0]['token']}"},
        )
        urllib.request.urlopen(request, timeout=30).read()
        slugs = [account["slug"] for account in accounts]
        print(f"Stack up; the worker made a first photo in {wait_for_worker(database_url, slugs, 120):.1f} s.")
        print(
            f"gunicorn {cpu_count()} gthread workers x 4 threads, Celery worker at nice 10 (make serve), "
            f"{UPLOADERS} uploaders, {SECONDS:.0f} s a phase, /healthz/ every {HEALTH_EVERY * 1000:.0f} ms"
        )

        idle = run_phase("idle: /healthz/ alone", base, serve.pid, accounts, [])
        report(idle, None)
        issue = run_phase(
            "the issue's PNG (6,320 x 6,320 RGBA, 170 KB), four at a time",
            base,
            serve.pid,
            accounts,
            [("red.png", files["issue"])],
        )
        report(issue, idle)
        accepted = [(f"{name}.img", data) for name, data in files.items() if name not in ("issue", "noise")]
        started = time.monotonic()
        largest = run_phase(
            "the largest photos the budget accepts, four at a time (" + ", ".join(n for n, _ in accepted) + ")",
            base,
            serve.pid,
            accounts,
            accepted,
        )
        report(largest, idle)
        drained = wait_for_worker(database_url, slugs)
        print(f"  the worker finished {drained:.1f} s after the uploads stopped; photos of this phase:")
        photo_summary(database_url, slugs, since=time.monotonic() - started + 1)
        started = time.monotonic()
        heaviest = run_phase(
            f"the heaviest files: {len(files['noise']) / 2**20:.1f} MB progressive JPEGs of noise (4000 x 3000), "
            "four at a time",
            base,
            serve.pid,
            accounts,
            [("noise.jpg", files["noise"])],
        )
        report(heaviest, idle)
        drained = wait_for_worker(database_url, slugs)
        print(f"  the worker finished {drained:.1f} s after the uploads stopped; photos of this phase:")
        photo_summary(database_url, slugs, since=time.monotonic() - started + 1)
        print("\nPeak memory (VmHWM) of each process of the stack:")
        for role, pids in processes(serve.pid).items():
            for pid in pids:
                mib = peak_memory_mib(pid) or float("nan")
                print(f"  {role:6} {pid:>7} {_cmdline(pid)[:60]:60} {mib:7.1f} MiB")
    finally:
        serve.terminate()
        try:
            serve.wait(30)
        except subprocess.TimeoutExpired:
            serve.kill()
            serve.wait()
        log.close()
    print(f"\nServer log: {workdir / 'server.log'}")


if __name__ == "__main__":
    main()
