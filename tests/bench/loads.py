"""wrk runs and what each one says: successful answers a second, latency percentiles and every failure."""

from __future__ import annotations

import re
import subprocess
import tempfile
from dataclasses import dataclass

# Appended to every wrk script. wrk's own count of "status errors" lumps a 409 (a legitimate "sold out")
# together with a 500, so each thread counts 4xx and 5xx apart and `done` adds them up. The last line is
# parsed: requests, duration (µs), errors, then p50, p95 and p99 in µs.
REPORT_LUA = """
local threads = {}
setup = function(thread)
  table.insert(threads, thread)
  thread:set("thread_id", #threads)
end
answers_4xx = 0
answers_5xx = 0
cache_hits = 0
response = function(status, headers, body)
  if status >= 500 then answers_5xx = answers_5xx + 1 elseif status >= 400 then answers_4xx = answers_4xx + 1 end
  if (headers["X-Page-Cache"] or headers["x-page-cache"]) == "hit" then cache_hits = cache_hits + 1 end
end
done = function(summary, latency, requests)
  local e = summary.errors
  local c4, c5, hits = 0, 0, 0
  for _, thread in ipairs(threads) do
    c4 = c4 + thread:get("answers_4xx")
    c5 = c5 + thread:get("answers_5xx")
    hits = hits + thread:get("cache_hits")
  end
  io.write(string.format("OASIS-BENCH %d %d %d %d %d %d %d %d %d %d %d %d %d\\n",
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout, c4, c5, hits,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""

# Every request a new query string (a parameter the page ignores), so that none is answered from the page
# cache: what a search costs at the catalog's size, not what a popular search costs once it is cached.
CACHE_MISS_LUA = """
local n = 0
request = function()
  n = n + 1
  return wrk.format(nil, string.format("%s&bench=%d-%d", wrk.path, thread_id, n))
end
"""


# wrk leaves an answer slower than its timeout out of the percentiles (and counts it as a timeout), which
# at its default of 2 s left a slow search with no latency at all: wait longer, so that p99 is the truth.
TIMEOUT = "10s"


@dataclass(frozen=True)
class Load:
    """One load: successful answers a second, latency percentiles (ms), and every kind of failure."""

    rate: float
    p50: float
    p95: float
    p99: float
    requests: int
    seconds: float
    answers_4xx: int
    answers_5xx: int
    cache_hits: int  # answers the page cache served (X-Page-Cache: hit)
    timeouts: int
    socket_errors: int  # connect, read and write errors

    @property
    def problems(self) -> str:
        parts = [
            f"{self.answers_4xx} 4xx" if self.answers_4xx else "",
            f"{self.answers_5xx} 5xx" if self.answers_5xx else "",
            f"{self.timeouts} timed out" if self.timeouts else "",
            f"{self.socket_errors} socket errors" if self.socket_errors else "",
        ]
        return ", ".join(part for part in parts if part) or "none"


class Wrk:
    def __init__(self, *, connections: str, duration: str) -> None:
        self.connections = connections
        self.duration = duration

    def run(self, args: list[str], script: str = "", *, duration: str | None = None) -> Load:
        with tempfile.NamedTemporaryFile("w", prefix="oasis-wrk-", suffix=".lua") as lua:
            lua.write(script + REPORT_LUA)
            lua.flush()
            command = [
                "wrk",
                "-t2",
                f"-c{self.connections}",
                f"-d{duration or self.duration}",
                f"--timeout={TIMEOUT}",
                "-s",
                lua.name,
                *args,
            ]
            out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        found = re.search(r"OASIS-BENCH ([\d ]+)", out)
        if found is None:
            raise SystemExit(f"wrk printed no report:\n{out}")
        fields = map(int, found[1].split())
        requests, duration_us, connect, read, write, status, timeout, c4, c5, hits, p50, p95, p99 = fields
        seconds = max(duration_us, 1) / 1_000_000
        # Only answers that succeeded count towards the rate: a page that fails fast must not look fast.
        return Load(
            rate=(requests - status) / seconds,
            p50=p50 / 1000,
            p95=p95 / 1000,
            p99=p99 / 1000,
            requests=requests,
            seconds=seconds,
            answers_4xx=c4,
            answers_5xx=c5,
            cache_hits=hits,
            timeouts=timeout,
            socket_errors=connect + read + write,
        )

    def get(self, url: str, *, cached: bool = True) -> Load:
        return self.run([url], "" if cached else CACHE_MISS_LUA)

    def warm_up(self, url: str, seconds: int = 3) -> None:
        subprocess.run(["wrk", "-t2", f"-c{self.connections}", f"-d{seconds}s", url], capture_output=True, check=True)


# Every request is a new order (its own Idempotency-Key) for one unit of a variant drawn from VARIANTS.
# LuaJIT seeds every thread's generator alike: without a seed and the thread's number in the key, two
# threads would send the same keys and bodies, and the second answer would be a replay of the first order.
CHECKOUT_LUA = """
local variants = {%(variants)s}
local tokens = {%(tokens)s}
local n = 0
local started = 0
init = function(args)
  started = os.time()
  math.randomseed(started * 64 + thread_id)
end
request = function()
  n = n + 1
  local variant = variants[math.random(#variants)]
  wrk.headers["Authorization"] = "Token " .. tokens[math.random(#tokens)]
  wrk.headers["Idempotency-Key"] = string.format("bench-%%d-%%d-%%d", started, thread_id, n)
  local body = string.format('{"lines":[{"variant":%%d,"quantity":1}],"contact":{"name":"%(contact)s",'
    .. '"phone":"13800138000"},"delivery":{"method":"pickup","depot":"%(depot)s"},"payment_method":"cod"}',
    variant)
  return wrk.format("POST", "/api/v1/orders/", nil, body)
end
"""


def checkout(
    wrk: Wrk,
    base: str,
    *,
    variants: list[int],
    depot: str,
    tokens: list[str],
    contact: str,
    duration: str | None = None,
) -> Load:
    """Orders from many shoppers at once: each request signs in with one of ``tokens``, drawn at random."""
    return wrk.run(
        ["-H", "Content-Type: application/json", base],
        CHECKOUT_LUA
        % {
            "variants": ",".join(map(str, variants)),
            "tokens": ",".join(f'"{token}"' for token in tokens),
            "depot": depot,
            "contact": contact,
        },
        duration=duration,
    )
