"""Colours people must read or find: text at least 4.5:1 against its background, focus outlines at least 3:1.

Read from the stylesheets as served, with WCAG's relative luminance.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

CSS = Path(__file__).resolve().parents[2] / "static" / "css"


def variables() -> dict[str, str]:
    return dict(re.findall(r"(--[\w-]+):\s*(#[0-9a-fA-F]{6})", (CSS / "site.css").read_text()))


def rule(sheet: str, selector: str, prop: str) -> str:
    """The value of ``prop`` in the rule of ``sheet`` whose selector list ends with ``selector``."""
    for selectors, body in re.findall(r"([^{}]+)\{([^}]*)\}", (CSS / sheet).read_text()):
        if selectors.strip().endswith(selector):
            value = re.search(rf"(?:^|;|\s){prop}:\s*([^;]+)", body)
            if value:
                found = value.group(1).strip()
                name = re.fullmatch(r"var\((--[\w-]+)\)", found)
                return variables()[name.group(1)] if name else found
    raise AssertionError(f"no {prop} for {selector} in {sheet}")


def luminance(colour: str) -> float:
    channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize(("sheet", "selector"), [("depot.css", ".depot-cash"), ("back_office.css", ".bo-behalf-note")])
def test_warning_text_reads_at_4_5_to_1_on_the_page(sheet, selector):
    page = variables()["--sand"]
    assert contrast(rule(sheet, selector, "color"), page) >= 4.5
    assert contrast(rule(sheet, selector, "color"), "#ffffff") >= 4.5


def test_the_focus_outline_stands_out_at_3_to_1_on_the_page_and_on_the_header():
    colours = variables()
    assert contrast(colours["--apricot"], colours["--sand"]) >= 3
    assert contrast(rule("site.css", ".site-header input:focus-visible", "outline-color"), colours["--grape"]) >= 3
