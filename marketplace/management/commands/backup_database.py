"""Back the database up with pg_dump in its custom format (docs/operations.md, "Backup and restore")."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from marketplace import backup


class Command(BaseCommand):
    help = (
        "Dump the database to one file in pg_dump's custom format, read it back, and only then give it its name. "
        "Name the file (--output) or the folder (--dir) that gets oasis-<database>-<UTC time>.dump."
    )

    def add_arguments(self, parser):
        where = parser.add_mutually_exclusive_group(required=True)
        where.add_argument("--output", type=Path, help="The backup file to write.")
        where.add_argument("--dir", dest="folder", type=Path, help="The folder to write a time-stamped file into.")

    def handle(self, *args, output: Path | None = None, folder: Path | None = None, **options):
        try:
            server = backup.server()
            if output is None:
                assert folder is not None  # the parser requires one of the two
                stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
                output = folder / f"oasis-{server.database}-{stamp}.dump"
            if output.exists():
                raise CommandError(f"{output} exists: a backup never replaces another.")
            found = backup.backup(output=output, server=server)
        except backup.BackupError as error:
            raise CommandError(str(error)) from error
        size = output.stat().st_size
        self.stdout.write(f"{output} ({size:,} bytes, {found.tables} tables of {server.database}, {found.created})")
