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


def checkout_load(base: str, *, variants: list[str], depot: str, token: str) -> tuple[float, str]:
    script = ROOT / "test-artifacts" / "bench-checkout.lua"
    script.parent.mkdir(exist_ok=True)
    script.write_text(CHECKOUT_LUA % {"variants": ",".join(variants), "depot": depot})
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{CONNECTIONS}",
            f"-d{DURATION}",
            "--latency",
            "-s",
            str(script),
            "-H",
            f"Authorization: Token {token}",
            "-H",
            "Content-Type: application/json",
            base,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise SystemExit(f"checkout: {errors[1]} error responses under load")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1]), re.search(r"99%\s+(\S+)", out)[1]


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
