"""`make bench`: serve the site with gunicorn on a 100,000-product catalog and load it with wrk.

Every figure is printed beside the ceilings measured in the same run on the
same machine (a plain Django view and a one-query view, served the same way),
and beside the figures of ../shared/spec/CEILINGS.md, since these machines are
noisy. Needs wrk (Debian: apt-get install wrk).
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PORT = int(os.environ.get("BENCH_PORT", "8099"))
DURATION = os.environ.get("BENCH_DURATION", "10s")
CONNECTIONS = os.environ.get("BENCH_CONNECTIONS", "16")
PRODUCTS = os.environ.get("BENCH_PRODUCTS", "100000")
# From ../shared/spec/CEILINGS.md (gunicorn, 2 gthread workers × 4 threads).
SPEC = {"plain view": 5000, "one query": 3200, "small template view": 4300}


def manage(*args: str, env: dict) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def wrk(url: str) -> tuple[float, str]:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])
    p99 = re.search(r"99%\s+(\S+)", out)[1]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise SystemExit(f"{url}: {errors[1]} error responses under load")
    return rate, p99


def main() -> None:
    if shutil.which("wrk") is None:
        raise SystemExit("make bench needs wrk: apt-get install wrk")
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "PAYMENT_WEBHOOK_SECRET": secrets.token_urlsafe(32),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "SECURE_HSTS_SECONDS": "0",
        "SERVE_MEDIA": "0",
        "LOG_LEVEL": "WARNING",
    }
    if not env.get("DATABASE_URL"):
        sys.path.insert(0, str(ROOT))
        from marketplace.embedded_db import database_url

        env["DATABASE_URL"] = database_url()
    manage("migrate", "--noinput", "-v0", env=env)
    manage("collectstatic", "--noinput", "-v0", env=env)
    manage("seed_demo", "--products", PRODUCTS, env=env)
    slug = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "--no-imports",
            "-c",
            "from catalog.models import Product; print(Product.objects.active().order_by('pk').first().slug)",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    live = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "--no-imports",
            "-c",
            "from live.models import LiveSession; print(LiveSession.objects.filter(status='live').first().slug)",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()

    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "marketplace.wsgi",
            "-k",
            "gthread",
            "-w",
            "2",
            "--threads",
            "4",
            "-b",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{PORT}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz/", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        pages = [
            ("plain view (/healthz/)", "/healthz/", None),
            ("one query (/healthz/db/)", "/healthz/db/", None),
            ("home", "/", "small template view"),
            ("product list", "/products/", "small template view"),
            ("search 葡萄", "/products/?q=" + urllib.parse.quote("葡萄"), "small template view"),
            ("search with a typo: grpes", "/products/?q=grpes", "small template view"),
            ("product page", f"/products/{slug}/", "small template view"),
            ("live stock (polled)", f"/live/{live}/stock/", "one query"),
        ]
        # Warm the workers up (imports, connections) so the first baseline is not measured cold.
        subprocess.run(["wrk", "-t2", f"-c{CONNECTIONS}", "-d3s", base + "/healthz/"], capture_output=True, check=True)
        results = {}
        for label, path, _ in pages:
            urllib.request.urlopen(base + path, timeout=30).read()  # warm up
            results[label] = wrk(base + path)
    finally:
        server.terminate()
        server.wait()

    plain = results["plain view (/healthz/)"][0]
    one_query = results["one query (/healthz/db/)"][0]
    print(f"\nOasis Market bench: {PRODUCTS} products, wrk -c{CONNECTIONS} -d{DURATION}, gunicorn 2 gthread × 4")
    print(f"{'page':32} {'req/s':>9} {'p99':>9} {'÷ plain view':>13} {'÷ one query':>12} {'÷ spec ceiling':>15}")
    for label, _path, spec in pages:
        rate, p99 = results[label]
        spec_ratio = f"{rate / SPEC[spec]:.2f} ({spec})" if spec else ""
        print(f"{label:32} {rate:9.0f} {p99:>9} {rate / plain:13.2f} {rate / one_query:12.2f} {spec_ratio:>15}")
    print(f"(spec: plain view ~{SPEC['plain view']}, one query ~{SPEC['one query']} req/s on this machine class)")


if __name__ == "__main__":
    main()
