"""The backup procedure of docs/operations.md, run as written: orders survive a backup and a restore row for row."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import psycopg2
import pytest
from django.db import connection

from catalog.models import Variant
from marketplace import backup
from orders import payments
from orders.models import Fulfilment
from orders.services import (
    Address,
    Contact,
    Delivery,
    LineRequest,
    fulfilment_transition,
    order_cancel,
    order_place,
    payment_record_result,
)
from tests.factories import DepotFactory, MembershipFactory, ProducerFactory, ProductFactory, VariantFactory

ROOT = Path(__file__).resolve().parents[2]
OPERATIONS = ROOT / "docs" / "operations.md"
# What a restore must bring back exactly: the orders with their lines, payments and parcels, and the stock.
COMPARED = {
    "orders_order": "*",
    "orders_orderline": "*",
    "orders_payment": "*",
    "orders_fulfilment": "*",
    "orders_orderevent": "*",
    "catalog_variant": "id, sku, stock, price, updated_at",
}
# pg_dump reads what was committed, from its own session.
committed = pytest.mark.django_db(transaction=True)


def section(title: str) -> str:
    text = OPERATIONS.read_text(encoding="utf-8")
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else None]


def database_url(name: str) -> str:
    """DATABASE_URL for database ``name`` on the test database's server (the embedded one by its socket folder)."""
    db = connection.settings_dict
    user, password = quote(db["USER"] or ""), quote(db["PASSWORD"] or "")
    host = db["HOST"] or db["OPTIONS"].get("host", "")
    if not host or host.startswith("/"):
        return f"postgresql://{user}:{password}@/{name}?host={quote(host, safe='/')}"
    return f"postgresql://{user}:{password}@{host}:{db['PORT'] or 5432}/{name}"


def manage(*args: str) -> str:
    """``.venv/bin/python manage.py …`` as the operator runs it, with DATABASE_URL naming the test database."""
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": database_url(connection.settings_dict["NAME"])}
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def rows(database: str, table: str, columns: str) -> list[tuple]:
    parameters = {**connection.get_connection_params(), "dbname": database}
    parameters = {k: v for k, v in parameters.items() if k in {"dbname", "user", "password", "host", "port"}}
    with psycopg2.connect(**parameters) as db, db.cursor() as cursor:
        cursor.execute(f"SELECT {columns} FROM {table} ORDER BY id")  # noqa: S608 - the test's own table names
        found = cursor.fetchall()
    db.close()
    return found


@pytest.fixture
def orders_of_a_day(transactional_db):
    """Orders in every state a backup must keep: paid and shipped to an address, a pickup parcel packed, cancelled
    (its stock given back), awaiting payment after a failed attempt; stock taken and returned."""
    producer = ProducerFactory()
    member = MembershipFactory(producer=producer).user
    grapes = VariantFactory(product=ProductFactory(producer=producer), price=Decimal("59.90"), stock=40)
    melon = VariantFactory(product=ProductFactory(producer=producer), price=Decimal("38.00"), stock=12)
    depot = DepotFactory()
    contact = Contact(name="Ayşe Yılmaz", phone="13800138000", email="ayse@example.com")
    address = Address(recipient="Li Wei", phone="13900001111", province="浙江省", city="杭州市", street="文三路 1 号")

    def place(lines, payment, delivery):
        return order_place(
            shopper=None,
            contact=contact,
            lines=[LineRequest(variant_id=variant.pk, quantity=n) for variant, n in lines.items()],
            delivery=delivery,
            payment_method=payment,
        )

    def notify(order, succeeded):
        payment = order.payments.get(status="pending")
        body = payments.simulated_notification_body(
            reference=payment.provider_reference, amount=payment.amount, succeeded=succeeded
        )
        notification = payments.verify_notification(body=body, signature=payments.sign(body))
        payment_record_result(provider=payments.SIMULATED_PROVIDER, **vars(notification))

    paid = place({grapes: 3, melon: 2}, "online", Delivery(method="ship", address=address))
    notify(paid, succeeded=True)
    fulfilment_transition(fulfilment=paid.fulfilments.get(), to=Fulfilment.Status.PACKED, actor=member)
    fulfilment_transition(
        fulfilment=paid.fulfilments.get(), to=Fulfilment.Status.SHIPPED, actor=member, tracking_number="SF1234567890"
    )
    pickup = place({grapes: 1}, "cod", Delivery(method="pickup", depot_slug=depot.slug))
    fulfilment_transition(fulfilment=pickup.fulfilments.get(), to=Fulfilment.Status.PACKED, actor=member)
    cancelled = place({melon: 4}, "cod", Delivery(method="pickup", depot_slug=depot.slug))
    order_cancel(order=cancelled, actor=None, reason="Changed her mind")
    unpaid = place({grapes: 2, melon: 1}, "online", Delivery(method="ship", address=address))
    notify(unpaid, succeeded=False)
    return grapes, melon


@committed
def test_the_documented_backup_restores_into_a_fresh_database_with_every_order_line_payment_parcel_and_stock(
    orders_of_a_day, tmp_path
):
    """backup_database and restore_database as docs/operations.md runs them (pg_dump's custom format, pg_restore
    into a new database): the restored orders, lines, payments, parcels, events and variants' stock equal the
    originals row for row. The restored database is dropped at the end."""
    grapes, melon = orders_of_a_day
    assert [variant.stock for variant in Variant.objects.filter(pk__in=[grapes.pk, melon.pk]).order_by("pk")] == [34, 9]
    folder = tmp_path / "backups"
    source = connection.settings_dict["NAME"]
    restored = f"{source}_restored"

    printed = manage("backup_database", "--dir", str(folder))
    (dump,) = folder.glob("oasis-*.dump")
    try:
        restore_printed = manage("restore_database", str(dump), "--database", restored)

        for table, columns in COMPARED.items():
            original = rows(source, table, columns)
            assert original, f"{table} is empty: the test proves nothing about it"
            assert rows(restored, table, columns) == original, table
        assert re.search(r"^orders_order 4$", restore_printed, re.MULTILINE)
        assert str(dump) in printed and dump.read_bytes().startswith(b"PGDMP")  # the custom format's signature
        assert not list(folder.glob("*.partial"))
    finally:
        backup.drop(restored)
    assert not backup.database_exists(restored)


@committed
def test_a_backup_is_checked_by_restoring_it_into_a_scratch_database_that_is_dropped(orders_of_a_day, tmp_path):
    folder = tmp_path / "backups"
    manage("backup_database", "--dir", str(folder))
    (dump,) = folder.glob("oasis-*.dump")
    before = scratch_databases()

    printed = manage("restore_database", str(dump), "--check")

    assert re.search(r"^orders_orderline 6$", printed, re.MULTILINE)
    assert "restores:" in printed.splitlines()[-1]
    assert scratch_databases() == before


def scratch_databases() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", ["%\\_restore\\_check\\_%"])
        return {name for (name,) in cursor.fetchall()}


@committed
def test_a_restore_never_writes_into_an_existing_database_nor_accepts_a_file_that_is_not_a_backup(
    orders_of_a_day, tmp_path
):
    folder = tmp_path / "backups"
    manage("backup_database", "--dir", str(folder))
    (dump,) = folder.glob("oasis-*.dump")
    not_a_backup = tmp_path / "notes.dump"
    not_a_backup.write_bytes(b"PGDMP but cut short")
    env = {**os.environ, "DEBUG": "1", "DATABASE_URL": database_url(connection.settings_dict["NAME"])}

    def refused(*args: str) -> str:
        done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)
        assert done.returncode != 0
        return done.stderr

    assert "exists: restore into a new one" in refused(
        "restore_database", str(dump), "--database", connection.settings_dict["NAME"]
    )
    assert "Reading the backup failed" in refused("restore_database", str(not_a_backup), "--check")


@pytest.mark.django_db
def test_the_client_programs_match_the_server_they_back_up():
    """pg_dump refuses a server newer than itself: the one chosen is of the server's major version or newer (the
    embedded server's own programs when the system's are older)."""
    server = backup.server()
    for program in ("pg_dump", "pg_restore"):
        found = backup.client_program(program, major=server.major)
        version = subprocess.run([found, "--version"], capture_output=True, text=True, check=True).stdout
        assert int(re.search(r"\(PostgreSQL\) (\d+)", version)[1]) >= server.major


def test_the_documented_commands_are_the_ones_the_commands_run():
    """docs/operations.md shows the pg_dump and pg_restore lines the commands run, and the commands this test runs."""
    text = section("Backup and restore")

    assert f"pg_dump {' '.join(backup.DUMP_OPTIONS)} " in text
    assert f"pg_restore {' '.join(backup.RESTORE_OPTIONS)} " in text
    assert "manage.py backup_database --dir " in text
    assert re.search(r"manage\.py restore_database \S+ --check", text)
    assert re.search(r"manage\.py restore_database \S+ --database \S+", text)
