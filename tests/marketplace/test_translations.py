"""Every string a person reads is marked for translation and translated into Chinese, Uyghur and English."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.template.base import Lexer, TokenType

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ("zh_Hans", "ug", "en")
# Attributes whose text a person reads (or hears from a screen reader).
READ_ATTRIBUTES = {"alt", "title", "placeholder", "aria-label", "aria-description", "label"}
LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)
# Tags whose contents are code, not words for people.
CODE_TAGS = {"script", "style"}


class _Literals(HTMLParser):
    """Collect text and readable attribute values that are written into the HTML itself."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in CODE_TAGS:
            self._skip += 1
        for name, value in attrs:
            if name in READ_ATTRIBUTES and value and LETTERS.search(value):
                self.found.append(f'{name}="{value}"')

    def handle_endtag(self, tag):
        if tag in CODE_TAGS and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and LETTERS.search(data):
            self.found.append(data.strip())


def untranslated_literals(source: str) -> list[str]:
    """Words in a template that do not come from a translation tag or a variable."""
    html = []
    closing = None  # inside {% blocktranslate %} or {% comment %}: text there is not literal HTML
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            tag = token.contents.split()[0]
            if closing is None and tag in {"blocktranslate", "blocktrans", "comment"}:
                closing = {"comment": "endcomment"}.get(tag, "end" + tag)
            elif tag == closing:
                closing = None
        if token.token_type == TokenType.TEXT and closing is None:
            html.append(token.contents)
        else:
            # Keep the template's shape (attribute quotes) with a neutral placeholder.
            html.append("0")
    parser = _Literals()
    parser.feed("".join(html))
    return parser.found


def project_templates() -> list[Path]:
    return sorted((ROOT / "templates").rglob("*.html"))


def test_the_literal_check_catches_an_unmarked_string():
    """The checker below would notice a forgotten {% translate %}."""
    assert untranslated_literals("<p>{% translate 'Hello' %} {{ name }}</p>") == []
    assert untranslated_literals('<img alt="{% translate "Grapes" %}" src="{{ url }}">') == []
    assert untranslated_literals("<p>Sold out</p>") == ["Sold out"]
    assert untranslated_literals('<img alt="A melon" src="x.jpg">') == ['alt="A melon"']
    assert untranslated_literals("{% blocktranslate %}Only {{ n }} left{% endblocktranslate %}") == []
    assert untranslated_literals("{% blocktranslate %}x{% endblocktranslate %}<b>Left</b>") == ["Left"]


@pytest.mark.parametrize("template", project_templates(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_template_string_is_marked_for_translation(template):
    assert untranslated_literals(template.read_text(encoding="utf-8")) == []


def test_catalogs_are_complete_with_nothing_fuzzy():
    """compiletranslations --check fails on any fuzzy or untranslated entry in any language."""
    call_command("compiletranslations", check=True)
    for language in LANGUAGES:
        assert (ROOT / "locale" / language / "LC_MESSAGES" / "django.po").exists()


def test_catalogs_hold_every_marked_string(tmp_path):
    """makemessages over a copy of the code adds no entry the committed catalogs lack."""
    assert shutil.which("xgettext"), "makemessages needs GNU gettext: apt-get install gettext"
    copy = tmp_path / "project"
    ignore = shutil.ignore_patterns(".venv", ".git", "media", "staticfiles", ".pgdata", "__pycache__", "*.mo")
    shutil.copytree(ROOT, copy, ignore=ignore)
    # As `make` runs it on a fresh machine: without DATABASE_URL the settings name the copy's embedded server, which
    # starts only on a first connection, and makemessages never connects.
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"} | {"DEBUG": "1"}
    command = [sys.executable, "manage.py", "makemessages", "--no-location", "--ignore=tests"]
    command += [f"--locale={language}" for language in LANGUAGES]
    subprocess.run(command, cwd=copy, env=env, check=True, capture_output=True)
    assert not (copy / ".pgdata").exists(), "makemessages started a PostgreSQL server in the copy"

    missing = []
    for language in LANGUAGES:
        committed = {e.msgid for e in polib.pofile(str(ROOT / f"locale/{language}/LC_MESSAGES/django.po"))}
        extracted = {e.msgid for e in polib.pofile(str(copy / f"locale/{language}/LC_MESSAGES/django.po"))}
        missing += [f"{language}: {msgid!r}" for msgid in sorted(extracted - committed)]
    assert missing == [], "run `manage.py makemessages` and translate:\n" + "\n".join(missing)
