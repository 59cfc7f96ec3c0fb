"""The bench's verdict: each row against its ceiling measured in the same run, as a table, JSON and a chart."""

from __future__ import annotations

import json
import math
import textwrap
import unicodedata
from dataclasses import asdict, dataclass, field
from pathlib import Path

from loads import Load
from pgbench_checkout import PgbenchLoad
from stock_check import StockCheck

PAGE_P99_MS = 500


@dataclass
class Row:
    label: str
    load: Load | PgbenchLoad
    ceiling: str | None = None  # label of the row this one is divided by
    goal: float | None = None  # the least ratio to that ceiling
    p99_limit: float | None = None
    spec: float | None = None  # for a ceiling: its figure in CEILINGS.md
    stock: StockCheck | None = None
    note: str = ""
    ratio: float | None = field(default=None, init=False)
    verdict: str = field(default="", init=False)

    @property
    def goal_text(self) -> str:
        parts = []
        if self.goal is not None:
            parts.append(f"≥ {self.goal:.2f}")
        if self.p99_limit is not None:
            parts.append(f"p99 ≤ {self.p99_limit:.0f}")
        if self.stock is not None:
            parts.append("oversold 0")
        return ", ".join(parts) or ("ceiling" if self.spec else "")

    @property
    def failures(self) -> str:
        parts = [] if self.load.problems == "none" else [self.load.problems]
        if self.stock is not None:
            parts.insert(0, self.stock.summary)
            parts.append(f"{self.stock.orders} orders")
        if self.note:
            parts.append(self.note)
        return "; ".join(parts) or "none"


def judge(rows: list[Row]) -> None:
    by_label = {row.label: row for row in rows}
    for row in rows:
        misses = []
        if row.ceiling is not None:
            ceiling = by_label[row.ceiling].load.rate
            row.ratio = row.load.rate / ceiling if ceiling else 0.0
            if row.goal is not None and row.ratio < row.goal:
                misses.append(f"ratio {row.ratio:.2f}")
        elif row.spec:
            row.ratio = row.load.rate / row.spec
        if row.p99_limit is not None:
            if row.load.p99 > row.p99_limit:
                misses.append(f"p99 {row.load.p99:.0f} ms")
            # wrk leaves requests it gave up on (2 s) out of its percentiles: they are slow answers too.
            if getattr(row.load, "timeouts", 0):
                misses.append("timeouts")
        if getattr(row.load, "answers_5xx", 0):
            misses.append("5xx")
        if getattr(row.load, "socket_errors", 0) or getattr(row.load, "aborted_clients", 0):
            misses.append("errors")
        if row.stock is not None and not row.stock.ok:
            misses.append("oversold")
        if misses:
            row.verdict = "missed: " + ", ".join(misses)
        elif row.goal is not None or row.p99_limit is not None or row.stock is not None:
            row.verdict = "met"
        else:
            row.verdict = "—"


def _ratio_text(row: Row) -> str:
    if row.ratio is None:
        return ""
    if row.ceiling is not None:
        ratio = f"{row.ratio:.2f}" if row.ratio >= 0.01 else f"{row.ratio:.1e}"
        return f"{ratio} ÷ {row.ceiling.split(' (')[0]}"
    return f"{row.ratio:.2f} of spec {row.spec:,.0f}"


def _pad(text: str, width: int) -> str:
    """Left-aligned in ``width`` terminal columns: a Chinese character takes two."""
    used = sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)
    return text + " " * max(width - used, 0)


def _cached(load: Load | PgbenchLoad) -> str:
    """The share of answers the page cache served, blank where it served none."""
    hits = getattr(load, "cache_hits", 0)
    if not hits or not load.requests:
        return ""
    # Rounded down, so that a page the cache missed now and then never reads 100%.
    return f"{math.floor(hits / load.requests * 1000) / 10:g}%"


def table(rows: list[Row]) -> str:
    header = (
        f"{'row':40} {'req/s':>7} {'p50':>7} {'p95':>7} {'p99':>7} {'cached':>6}  {'ratio to ceiling':28} "
        f"{'goal':26} {'verdict':32} failures"
    )
    lines = [header, "-" * len(header)]
    for row in rows:
        load = row.load
        lines.append(
            f"{_pad(row.label, 40)} {load.rate:7.{0 if load.rate >= 10 else 1}f} "
            f"{load.p50:7.1f} {load.p95:7.1f} {load.p99:7.1f} {_cached(load):>6}  "
            f"{_ratio_text(row):28} {row.goal_text:26} {row.verdict:32} {row.failures}"
        )
    return "\n".join(lines)


def write_json(path: Path, *, rows: list[Row], meta: dict) -> None:
    path.write_text(
        json.dumps(
            {
                **meta,
                "rows": {
                    row.label: {
                        **asdict(row.load),
                        "kind": type(row.load).__name__,
                        "ceiling": row.ceiling,
                        "ratio": row.ratio,
                        "goal": row.goal,
                        "p99_limit_ms": row.p99_limit,
                        "spec_ceiling": row.spec,
                        "verdict": row.verdict,
                        "stock_check": asdict(row.stock) if row.stock else None,
                        "note": row.note,
                    }
                    for row in rows
                },
            },
            indent=2,
            ensure_ascii=False,
        )
    )


def write_chart(path: Path, *, rows: list[Row], title: str) -> None:
    """Each row's ratio to its ceiling as a bar, its goal as a mark across the bar."""
    ceilings = ", ".join(
        f"{row.label.split(' (')[0]} {row.load.rate:,.0f}/s" for row in rows if row.ceiling is None and row.spec
    )
    title = "\n".join(textwrap.wrap(title, 120) + textwrap.wrap(f"ceilings measured in this run: {ceilings}", 120))
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import font_manager
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    installed = {font.name for font in font_manager.fontManager.ttflist}
    # The search row's label is Chinese: fall back to a CJK font where one is installed.
    plt.rcParams["font.family"] = [name for name in ("DejaVu Sans", "Noto Sans CJK SC") if name in installed] or [
        "sans-serif"
    ]
    shown = [row for row in rows if row.ceiling is not None]
    colours = {"met": "#3a8f4b"}
    height = 0.6 + 0.42 * len(shown)
    figure, axes = plt.subplots(figsize=(11, height + 1.2))
    positions = list(range(len(shown)))[::-1]
    top = max([1.0] + [row.ratio or 0 for row in shown] + [row.goal or 0 for row in shown]) * 1.32
    for y, row in zip(positions, shown, strict=True):
        colour = colours.get(row.verdict, "#c8553d")
        axes.barh(y, row.ratio, color=colour, height=0.62)
        if row.goal is not None:
            axes.plot([row.goal, row.goal], [y - 0.42, y + 0.42], color="#1d3557", linewidth=2.4)
        # A ratio far below the goal still shows its size instead of reading 0.00.
        text = f"{row.ratio:.2f}" if row.ratio >= 0.01 else f"{row.ratio:.1e}"
        text += f"  ({row.load.rate:,.1f}/s" if row.load.rate < 10 else f"  ({row.load.rate:,.0f}/s"
        text += f", p99 {row.load.p99:,.0f} ms"
        if row.stock is not None:
            text += f", {row.stock.summary}"
        text += ")"
        # The bar shows a ratio that fell short; name only the other reasons.
        others = [reason for reason in row.verdict.removeprefix("missed: ").split(", ") if reason.startswith("p99")]
        others += [reason for reason in ("timeouts", "5xx", "errors", "oversold") if reason in row.verdict]
        if others:
            text += "  missed: " + ", ".join(others)
        if row.goal is None:
            text += "  (goal: p99 only)"
        axes.text(max(row.ratio, row.goal or 0) + top * 0.01, y, text, va="center", fontsize=8)
    axes.set_yticks(positions, [f"{row.label}  ÷ {row.ceiling.split(' (')[0]}" for row in shown], fontsize=8.5)
    axes.set_xlim(0, top)
    axes.axvline(1.0, color="#555555", linewidth=0.8, linestyle=":")
    axes.set_xlabel("successful answers a second ÷ the ceiling's, measured in the same run (1.0 = the ceiling)")
    # Centred on the figure, not on the axes beside the long row labels, so that it is not cut off.
    figure.suptitle(title, fontsize=10)
    axes.legend(
        handles=[
            Patch(color=colours["met"], label="goal met"),
            Patch(color="#c8553d", label="goal missed"),
            Line2D([0], [0], color="#1d3557", linewidth=2.4, label="goal (least ratio)"),
        ],
        loc="lower right",
        fontsize=8,
    )
    axes.grid(axis="x", alpha=0.3)
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    plt.close(figure)
