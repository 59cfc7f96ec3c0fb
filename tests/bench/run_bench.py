"""`make bench`: serve the site with gunicorn on a 100,000-product catalog and load it with wrk.

Every figure is printed beside the ceilings measured in the same run on the
same machine (a plain Django view and a one-query view, served the same way),
and beside the figures of ../shared/spec/CEILINGS.md, since these machines are
noisy. Needs wrk (Debian: apt-get install wrk).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PORT = int(os.environ.get("BENCH_PORT", "8099"))
DURATION = os.environ.get("BENCH_DURATION", "10s")
CONNECTIONS = os.environ.get("BENCH_CONNECTIONS", "16")
PRODUCTS = os.environ.get("BENCH_PRODUCTS", "100000")
# From ../shared/spec/CEILINGS.md (gunicorn, 2 gthread workers × 4 threads).
SPEC = {
    "plain view": 5000,
    "one query": 3200,
    "small template view": 4300,
    "DRF APIView": 3800,
    # PostgreSQL alone: guarded UPDATE + order insert + line insert per transaction.
    "hot row": 1650,
    "1,000 rows": 4300,
}


def manage(*args: str, env: dict) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


# Appended to every wrk script: one parseable line with what a rate alone would hide (errors, timeouts and
# the latency percentiles, in microseconds).
REPORT_LUA = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("OASIS-BENCH %d %d %d %d %d %d %d %d %d %d\\n",
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""
RESULTS = ROOT / "test-artifacts" / "bench"


@dataclass(frozen=True)
class Load:
    """One wrk run: successful requests a second, latency percentiles (ms), and every kind of failure."""

    rate: float
    p50: float
    p95: float
    p99: float
    requests: int
    failed: int  # answered, but not 2xx or 3xx
    timeouts: int
    socket_errors: int  # connect, read and write errors

    @property
    def problems(self) -> str:
        parts = [
            f"{self.failed} failed" if self.failed else "",
            f"{self.timeouts} timed out" if self.timeouts else "",
            f"{self.socket_errors} socket errors" if self.socket_errors else "",
        ]
        return ", ".join(part for part in parts if part) or "none"


def _run_wrk(args: list[str], script: str) -> Load:
    path = RESULTS / f"wrk-{os.getpid()}.lua"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(script + REPORT_LUA)
    out = subprocess.run(
        ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}", "-s", str(path), *args],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found = re.search(r"OASIS-BENCH ([\d ]+)", out)
    if found is None:
        raise SystemExit(f"wrk printed no report:\n{out}")
    requests, duration_us, connect, read, write, status, timeout, p50, p95, p99 = map(int, found[1].split())
    seconds = max(duration_us, 1) / 1_000_000
    # Only answers that succeeded count towards the rate: a page that fails fast must not look fast.
    return Load(
        rate=(requests - status) / seconds,
        p50=p50 / 1000,
        p95=p95 / 1000,
        p99=p99 / 1000,
        requests=requests,
        failed=status,
        timeouts=timeout,
        socket_errors=connect + read + write,
    )


def wrk(url: str) -> Load:
    return _run_wrk([url], "")


def shell(code: str, *, env: dict) -> str:
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


# Prints what the pages and the checkout load need: a product, a live session, a pickup depot, a shopper's
# API token, one hot variant and 1,000 others, each restocked so the run never sells out.
CHECKOUT_SETUP = """
from catalog.models import Product, Variant
from live.models import LiveSession
from marketplace.models import User
from marketplace.services import api_token_issue
from producers.models import Depot
variants = list(Variant.objects.filter(is_active=True, product__status='active').order_by('pk')[:1001])
Variant.objects.filter(pk__in=[v.pk for v in variants]).update(stock=10_000_000)
shopper, _ = User.objects.get_or_create(username='bench-shopper')
print(Product.objects.active().order_by('pk').first().slug, LiveSession.objects.filter(status='live').first().slug,
      Depot.objects.filter(is_active=True).first().slug, api_token_issue(user=shopper).key,
      *[v.pk for v in variants])
"""

# wrk script: every request is a new order (its own Idempotency-Key) for one unit of a variant from VARIANTS.
CHECKOUT_LUA = """
local variants = {%(variants)s}
local n = 0
request = function()
  n = n + 1
  local variant = variants[math.random(#variants)]
  wrk.headers["Idempotency-Key"] = string.format("bench-%%d-%%d-%%d", os.time(), math.random(1e9), n)
  local body = string.format('{"lines":[{"variant":%%d,"quantity":1}],"contact":{"name":"Bench","phone":"13800138000"},'
    .. '"delivery":{"method":"pickup","depot":"%(depot)s"},"payment_method":"cod"}', variant)
  return wrk.format("POST", "/api/v1/orders/", nil, body)
end
"""


def checkout_load(base: str, *, variants: list[str], depot: str, token: str) -> Load:
    return _run_wrk(
        ["-H", f"Authorization: Token {token}", "-H", "Content-Type: application/json", base],
        CHECKOUT_LUA % {"variants": ",".join(variants), "depot": depot},
    )


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
        # One bench client sends thousands of requests a second from one address and one shopper: the
        # throttles, which are measured apart from the load, would refuse them.
        "API_THROTTLE_ANON": "100000000/min",
        "API_THROTTLE_USER": "100000000/min",
        "API_THROTTLE_ORDER_PLACE": "100000000/min",
    }
    if not env.get("DATABASE_URL"):
        sys.path.insert(0, str(ROOT))
        from marketplace.embedded_db import database_url

        env["DATABASE_URL"] = database_url()
    manage("migrate", "--noinput", "-v0", env=env)
    manage("collectstatic", "--noinput", "-v0", env=env)
    manage("seed_demo", "--products", PRODUCTS, env=env)
    slug, live, depot, token, hot, *spread = shell(CHECKOUT_SETUP, env=env).split()
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
            ("API product list", "/api/v1/products/", "DRF APIView"),
            ("API product", f"/api/v1/products/{slug}/", "DRF APIView"),
        ]
        # Warm the workers up (imports, connections) so the first baseline is not measured cold.
        subprocess.run(["wrk", "-t2", f"-c{CONNECTIONS}", "-d3s", base + "/healthz/"], capture_output=True, check=True)
        results = {}
        for label, path, _ in pages:
            urllib.request.urlopen(base + path, timeout=30).read()  # warm up
            results[label] = wrk(base + path)
        checkouts = [
            ("API checkout, one hot variant", [hot], "hot row"),
            ("API checkout, 1,000 variants", spread, "1,000 rows"),
        ]
        for label, variants, spec in checkouts:
            results[label] = checkout_load(base, variants=variants, depot=depot, token=token)
            pages.append((label, None, spec))
    finally:
        server.terminate()
        server.wait()

    plain = results["plain view (/healthz/)"].rate
    one_query = results["one query (/healthz/db/)"].rate
    print(f"\nOasis Market bench: {PRODUCTS} products, wrk -c{CONNECTIONS} -d{DURATION}, gunicorn 2 gthread × 4")
    print("req/s counts successful answers only; latencies in ms; every failure is listed, never hidden.")
    header = f"{'page':32} {'req/s':>8} {'p50':>7} {'p95':>7} {'p99':>7} {'÷ plain':>8} {'÷ 1 query':>9}"
    print(f"{header} {'÷ spec ceiling':>22}  failures")
    for label, _path, spec in pages:
        load = results[label]
        spec_ratio = f"{load.rate / SPEC[spec]:.2f} ({spec})" if spec else ""
        print(
            f"{label:32} {load.rate:8.0f} {load.p50:7.1f} {load.p95:7.1f} {load.p99:7.1f} "
            f"{load.rate / plain:8.3f} {load.rate / one_query:9.3f} {spec_ratio:>22}  {load.problems}"
        )
    print(f"(spec: plain view ~{SPEC['plain view']}, one query ~{SPEC['one query']} req/s on this machine class)")
    RESULTS.mkdir(parents=True, exist_ok=True)
    report = RESULTS / f"bench-{time.strftime('%Y%m%d-%H%M%S')}.json"
    report.write_text(
        json.dumps(
            {
                "products": PRODUCTS,
                "connections": CONNECTIONS,
                "duration": DURATION,
                "results": {
                    label: {
                        **asdict(results[label]),
                        "ratio_to_plain_view": results[label].rate / plain,
                        "ratio_to_one_query": results[label].rate / one_query,
                        "spec_ceiling": spec,
                        "ratio_to_spec_ceiling": results[label].rate / SPEC[spec] if spec else None,
                    }
                    for label, _path, spec in pages
                },
            },
            indent=2,
            ensure_ascii=False,
        )
    )
    print(f"Figures: {report}")


if __name__ == "__main__":
    main()
