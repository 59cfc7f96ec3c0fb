"""The database's own ceiling for a checkout: pgbench running the checkout's SQL, with no Python in between.

Each pgbench transaction writes what ``orders.services.order_place`` writes for a one-line pickup order paid
in cash, in the same statements: the order, its parcel, its line, the payment, the audit event and the
outbox message in one statement, then the guarded stock update last, so that the variant's row stays locked
only until the commit. The variant is read first, outside the transaction, as the checkout reads it. Its
rows carry the contact name ``pgbench`` and a ``PGB`` order number, by which ``clean`` deletes them (with
their outbox messages) and gives their units back.
"""

from __future__ import annotations

import re
import statistics
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

MARKER = "pgbench"

SCRIPT = r"""
\set i random(1, %(count)d)
SELECT v.id AS variant, v.sku, v.name_zh AS variant_name, v.price, p.name_zh AS product_name, p.is_perishable,
       p.producer_id AS producer, r.name_zh AS producer_name,
       jsonb_build_object(
         'product', jsonb_build_object('zh', p.name_zh, 'ug', p.name_ug, 'en', p.name_en,
                                       'original', p.original_language),
         'variant', jsonb_build_object('zh', v.name_zh, 'ug', v.name_ug, 'en', v.name_en),
         'producer', jsonb_build_object('zh', r.name_zh, 'ug', r.name_ug, 'en', r.name_en,
                                        'original', r.original_language)
       )::text AS names
  FROM catalog_variant v JOIN catalog_product p ON p.id = v.product_id JOIN producers_producer r ON r.id = p.producer_id
 WHERE v.id = ('{%(ids)s}'::bigint[])[:i] \gset
BEGIN;
WITH o AS (
  INSERT INTO orders_order (
    created_at, updated_at, number, guest_token, contact_name, contact_phone, contact_email, delivery_method,
    ship_recipient, ship_phone, ship_province, ship_city, ship_district, ship_street, ship_postcode, pickup_depot_id,
    payment_method, status, currency, subtotal, shipping, total, idempotency_key, request_fingerprint, shopper_id,
    language, pickup_code
  ) VALUES (
    now(), now(), 'PGB' || txid_current(), md5(random()::text) || md5(random()::text), '%(marker)s', '13800138000', '',
    'pickup', '', '', '', '', '', '', '', :depot,
    'cod', 'confirmed', 'CNY', :price, 0, :price, 'pgbench-' || txid_current(),
    md5(random()::text) || md5(random()::text), :shopper, 'zh-hans',
    lpad((floor(random() * 1000000))::int::text, 6, '0')
  ) RETURNING id
), f AS (
  INSERT INTO orders_fulfilment (
    created_at, updated_at, order_id, producer_id, depot_id, status, needs_cold_chain, shipping_fee, carrier,
    tracking_number
  ) SELECT now(), now(), o.id, :producer, :depot, 'new', :is_perishable, 0, '', '' FROM o
  RETURNING id
), l AS (
  INSERT INTO orders_orderline (
    order_id, fulfilment_id, variant_id, producer_id, product_name, variant_name, sku, producer_name, unit_price,
    quantity, line_total, is_perishable, names
  ) SELECT o.id, f.id, :variant, :producer, :product_name, :variant_name, :sku, :producer_name, :price,
    1, :price, :is_perishable, :names::jsonb FROM o, f
  RETURNING id
), pay AS (
  INSERT INTO orders_payment (created_at, updated_at, order_id, method, provider, amount, status)
  SELECT now(), now(), o.id, 'cod', 'cod', :price, 'pending' FROM o RETURNING id
), e AS (
  INSERT INTO orders_orderevent (order_id, actor_id, from_status, to_status, note, created_at)
  SELECT o.id, :shopper, '', 'confirmed', '', now() FROM o RETURNING id
), m AS (
  INSERT INTO notifications_outboxmessage (handler, payload, created_at, next_attempt_at, attempts, last_error)
  SELECT 'orders.notifications.send_order_emails',
         jsonb_build_object('order_id', o.id, 'event', 'placed', 'fulfilment_id', NULL), now(),
         now() + interval '30 seconds', 0, ''
    FROM o RETURNING id
) SELECT id AS order_id FROM o \gset
WITH locked AS (SELECT id FROM catalog_variant WHERE id = :variant ORDER BY id FOR UPDATE), taken AS (
  UPDATE catalog_variant SET stock = catalog_variant.stock - 1, updated_at = now()
    FROM locked WHERE catalog_variant.id = locked.id AND catalog_variant.stock >= 1 RETURNING 1
) SELECT count(*) AS taken FROM taken \gset
\if :taken
COMMIT;
\else
ROLLBACK;
\endif
"""

# The marker's rows, oldest last so that foreign keys never stop a delete.
CLEAN_SQL = """
WITH lines AS (
  SELECT l.variant_id, sum(l.quantity) AS n FROM orders_orderline l JOIN orders_order o ON o.id = l.order_id
  WHERE o.contact_name = %(marker)s AND o.number LIKE 'PGB%%' GROUP BY l.variant_id
)
UPDATE catalog_variant v SET stock = v.stock + lines.n FROM lines WHERE v.id = lines.variant_id;
CREATE TEMPORARY TABLE bench_pgbench_orders ON COMMIT DROP AS
  SELECT id FROM orders_order WHERE contact_name = %(marker)s AND number LIKE 'PGB%%';
DELETE FROM notifications_outboxmessage
 WHERE payload->>'event' = 'placed' AND (payload->>'order_id')::bigint IN (SELECT id FROM bench_pgbench_orders);
DELETE FROM orders_orderevent WHERE order_id IN (SELECT id FROM bench_pgbench_orders);
DELETE FROM orders_payment WHERE order_id IN (SELECT id FROM bench_pgbench_orders);
DELETE FROM orders_orderline WHERE order_id IN (SELECT id FROM bench_pgbench_orders);
DELETE FROM orders_fulfilment WHERE order_id IN (SELECT id FROM bench_pgbench_orders);
DELETE FROM orders_order WHERE id IN (SELECT id FROM bench_pgbench_orders);
"""


@dataclass(frozen=True)
class PgbenchLoad:
    """One pgbench run, in the shape of a wrk load so that the two sit in one table."""

    rate: float
    p50: float
    p95: float
    p99: float
    requests: int
    seconds: float
    failed: int
    aborted_clients: int

    @property
    def problems(self) -> str:
        parts = [
            f"{self.failed} failed transactions" if self.failed else "",
            f"{self.aborted_clients} clients aborted" if self.aborted_clients else "",
        ]
        return ", ".join(part for part in parts if part) or "none"


def clean(connection) -> int:
    """Delete the orders pgbench placed and give their units back; the number of orders deleted."""
    with connection, connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM orders_order WHERE contact_name = %s AND number LIKE 'PGB%%'", [MARKER])
        count = cursor.fetchone()[0]
        if count:
            cursor.execute(CLEAN_SQL, {"marker": MARKER})
    return count


def run(
    *,
    database_url: str,
    variants: list[int],
    depot: int,
    shopper: int,
    seconds: int,
    clients: int = 8,
) -> PgbenchLoad:
    with tempfile.TemporaryDirectory(prefix="oasis-pgbench-") as folder:
        script = Path(folder) / "checkout.sql"
        script.write_text(SCRIPT % {"count": len(variants), "ids": ",".join(map(str, variants)), "marker": MARKER})
        completed = subprocess.run(
            [
                "pgbench",
                "--no-vacuum",
                "--protocol=prepared",
                f"--client={clients}",
                "--jobs=2",
                f"--time={seconds}",
                f"--file={script}",
                f"--define=depot={depot}",
                f"--define=shopper={shopper}",
                "--log",
                f"--log-prefix={folder}/tx",
                database_url,
            ],
            capture_output=True,
            text=True,
        )
        out = completed.stdout + completed.stderr
        found = re.search(r"tps = ([\d.]+) \(without initial connection time\)", out)
        if completed.returncode not in (0, 2) or found is None:
            raise SystemExit(f"pgbench failed:\n{out}")
        # One line per transaction: client, number, latency (µs), script, epoch, µs.
        latencies = sorted(
            int(line.split()[2]) / 1000 for log in Path(folder).glob("tx.*") for line in log.read_text().splitlines()
        )
    processed = re.search(r"number of transactions actually processed: (\d+)", out)
    failed = re.search(r"number of failed transactions: (\d+)", out)
    duration = re.search(r"duration: (\d+) s", out)
    cuts = statistics.quantiles(latencies, n=100, method="inclusive") if len(latencies) > 1 else [0.0] * 99
    return PgbenchLoad(
        rate=float(found[1]),
        p50=cuts[49],
        p95=cuts[94],
        p99=cuts[98],
        requests=int(processed[1]) if processed else len(latencies),
        seconds=float(duration[1]) if duration else float(seconds),
        failed=int(failed[1]) if failed else 0,
        aborted_clients=len(re.findall(r"client \d+ aborted", out)),
    )
