"""The geometry of the producer's sales charts: where every bar, label and line of their SVG goes.

The back office's sales page (``orders.back_office.sales``) draws two bar charts from a
``orders.selectors.SalesReport``: revenue by day and by product. Coordinates are written as plain
strings in the SVG's own units, whatever the page's language formats numbers as, and are
mirrored for right-to-left pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from catalog.models import Product
from orders.selectors import SalesReport

CHART_WIDTH = 420
CHART_PAD = 16
DAY_CHART_HEIGHT = 200
DAY_CHART_TOP = 28
DAY_CHART_BOTTOM = 28
PRODUCT_ROW = 46
PRODUCT_BAR = 16
PRODUCT_VALUE_ROOM = 130  # beside the longest bar, for its amount


def _n(value: float) -> str:
    """A coordinate for the SVG: plain digits with a point, whatever the page's language formats numbers as."""
    return f"{value:.1f}"


@dataclass(frozen=True)
class DayBar:
    day: date
    revenue: Decimal
    units: int
    x: str
    y: str
    width: str
    height: str
    label_x: str
    labelled: bool


@dataclass(frozen=True)
class ProductBar:
    product: Product
    revenue: Decimal
    units: int
    x: str
    y: str
    width: str
    name_x: str
    name_y: str
    value_x: str
    value_y: str
    value_anchor: str


@dataclass(frozen=True)
class SalesChart:
    """Where every mark of the sales charts goes, in the SVG's own units, mirrored for right-to-left pages."""

    rtl: bool
    width: int
    day_height: int
    plot_start: str
    plot_end: str
    label_y: str
    baseline: str
    top: str
    max_label_x: str
    max_label_anchor: str
    max_revenue: Decimal
    day_bars: list[DayBar]
    product_height: int
    product_bar: int
    product_bars: list[ProductBar]


def sales_chart(report: SalesReport, *, rtl: bool) -> SalesChart:
    """Bars of revenue by day (oldest first in reading order, so on the right on a right-to-left page) and by product.

    Bars are scaled to the largest amount of their chart; the figures themselves are written in the
    bars' titles and in the table beside the chart.
    """
    plot_width = CHART_WIDTH - 2 * CHART_PAD
    plot_height = DAY_CHART_HEIGHT - DAY_CHART_TOP - DAY_CHART_BOTTOM
    baseline = DAY_CHART_TOP + plot_height

    def across(x: float, width: float) -> float:
        """``x`` of a mark ``width`` wide, counted from the start of the line: from the right on an RTL page."""
        return CHART_WIDTH - x - width if rtl else x

    count = len(report.days)
    slot = plot_width / max(count, 1)
    bar_width = slot * 0.7
    top_day = max((day.revenue for day in report.days), default=Decimal("0"))
    day_bars = []
    for index, day in enumerate(report.days):
        height = float(day.revenue / top_day) * plot_height if top_day else 0.0
        x = across(CHART_PAD + index * slot + (slot - bar_width) / 2, bar_width)
        day_bars.append(
            DayBar(
                day=day.day,
                revenue=day.revenue,
                units=day.units,
                x=_n(x),
                y=_n(baseline - height),
                width=_n(bar_width),
                height=_n(height),
                label_x=_n(x + bar_width / 2),
                # A date under every seventh bar, counted back from the last day, so the latest is always named.
                labelled=(count - 1 - index) % 7 == 0,
            )
        )

    top_product = max((row.revenue for row in report.products), default=Decimal("0"))
    room = plot_width - PRODUCT_VALUE_ROOM
    product_bars = []
    for index, row in enumerate(report.products):
        row_top = CHART_PAD + index * PRODUCT_ROW
        width = float(row.revenue / top_product) * room if top_product else 0.0
        x = across(CHART_PAD, width)
        product_bars.append(
            ProductBar(
                product=row.product,
                revenue=row.revenue,
                units=row.units,
                x=_n(x),
                y=_n(row_top + 22),
                width=_n(width),
                name_x=_n(CHART_WIDTH - CHART_PAD if rtl else CHART_PAD),
                name_y=_n(row_top + 16),
                value_x=_n(x - 6 if rtl else x + width + 6),
                value_y=_n(row_top + 35),
                value_anchor="end" if rtl else "start",
            )
        )
    return SalesChart(
        rtl=rtl,
        width=CHART_WIDTH,
        day_height=DAY_CHART_HEIGHT,
        plot_start=_n(CHART_PAD),
        plot_end=_n(CHART_WIDTH - CHART_PAD),
        label_y=_n(DAY_CHART_HEIGHT - 8),
        baseline=_n(baseline),
        top=_n(DAY_CHART_TOP),
        max_label_x=_n(CHART_WIDTH - CHART_PAD if rtl else CHART_PAD),
        max_label_anchor="end" if rtl else "start",
        max_revenue=top_day,
        day_bars=day_bars,
        product_height=2 * CHART_PAD + len(product_bars) * PRODUCT_ROW,
        product_bar=PRODUCT_BAR,
        product_bars=product_bars,
    )
