"""Restore a backup into a fresh database, or check that a backup restores (docs/operations.md)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from marketplace import backup as _backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by backup_database into a new database on the server the settings name (--database), "
        "never over an existing one; or, with --check, restore it into a scratch database, count its rows and "
        "drop it. Prints every table with its number of rows."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup", type=Path, help="The backup file.")
        what = parser.add_mutually_exclusive_group(required=True)
        what.add_argument("--database", help="The name of the new database to restore into.")
        what.add_argument("--check", action="store_true", help="Restore into a scratch database, then drop it.")

    def handle(self, *args, backup: Path, database: str | None = None, check: bool = False, **options):
        if not backup.is_file():
            raise CommandError(f"No backup file at {backup}.")
        try:
            server = _backup.server()
            contents = _backup.contents(backup, server)
            # Within PostgreSQL's 63 characters of a name, which it would otherwise cut short.
            scratch = f"{server.database[:40]}_restore_check_{datetime.now(UTC):%Y%m%d%H%M%S}"
            target = scratch if check else database
            assert target is not None  # the parser requires --database or --check
            try:
                counts = _backup.restore(path=backup, database=target, server=server)
            finally:
                if check:
                    _backup.drop(scratch)
        except _backup.BackupError as error:
            raise CommandError(str(error)) from error
        for table, rows in counts.items():
            self.stdout.write(f"{table} {rows}")
        made = f"made {contents.created} of database {contents.database or '?'}"
        if check:
            self.stdout.write(f"{backup} ({made}) restores: {len(counts)} tables, {sum(counts.values())} rows.")
        else:
            self.stdout.write(
                f"Restored {backup} ({made}) into database {target}: {len(counts)} tables, "
                f"{sum(counts.values())} rows. Point DATABASE_URL at it to use it."
            )
