"""Compile the project's .po catalogs to .mo files in pure Python.

Django's ``compilemessages`` needs GNU gettext's ``msgfmt`` on the machine;
this command needs only polib, so ``make run`` works on a machine without
gettext. Fuzzy and untranslated entries are left out of the .mo file (they
show in the source language); ``--check`` fails when there are any.
"""

from __future__ import annotations

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Compile locale/*/LC_MESSAGES/*.po to .mo; with --check, fail on fuzzy or untranslated entries."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Fail if an entry is fuzzy or untranslated.")

    def handle(self, *args, check: bool = False, **options):
        catalogs = sorted(path for root in settings.LOCALE_PATHS for path in Path(root).glob("*/LC_MESSAGES/*.po"))
        if not catalogs:
            raise CommandError(f"No .po catalogs under {', '.join(map(str, settings.LOCALE_PATHS))}.")
        problems: list[str] = []
        for path in catalogs:
            catalog = polib.pofile(str(path))
            for entry in catalog.fuzzy_entries():
                problems.append(f"{path}:{entry.linenum}: fuzzy: {entry.msgid!r}")
            for entry in catalog.untranslated_entries():
                problems.append(f"{path}:{entry.linenum}: untranslated: {entry.msgid!r}")
            catalog.save_as_mofile(str(path.with_suffix(".mo")))
            if options["verbosity"] > 1:
                self.stdout.write(f"compiled {path} ({catalog.percent_translated()}% translated)")
        if check and problems:
            raise CommandError("Catalog entries need work:\n" + "\n".join(problems))
