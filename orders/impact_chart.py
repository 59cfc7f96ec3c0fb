"""The geometry of the staff impact report's chart: two bars a month, all producers' sales and those of
low-income households, in the SVG's own units, mirrored for right-to-left pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from orders.sales_chart import _n
from orders.selectors import ImpactReport

CHART_WIDTH = 480
CHART_HEIGHT = 220
CHART_PAD = 16
CHART_TOP = 28
CHART_BOTTOM = 28


@dataclass(frozen=True)
class MonthBars:
    month: date
    sales: Decimal
    household_sales: Decimal
    all_x: str
    all_y: str
    all_height: str
    household_x: str
    household_y: str
    household_height: str
    bar_width: str
    label_x: str


@dataclass(frozen=True)
class ImpactChart:
    width: int
    height: int
    plot_start: str
    plot_end: str
    baseline: str
    top: str
    label_y: str
    max_label_x: str
    max_label_anchor: str
    max_sales: Decimal
    months: list[MonthBars]


def impact_chart(report: ImpactReport, *, rtl: bool) -> ImpactChart:
    """Twelve pairs of bars, January first in reading order (on the right on a right-to-left page), scaled to
    the month with the most sales; the figures themselves are in the bars' titles and the table."""
    plot_width = CHART_WIDTH - 2 * CHART_PAD
    plot_height = CHART_HEIGHT - CHART_TOP - CHART_BOTTOM
    baseline = CHART_TOP + plot_height
    slot = plot_width / len(report.months)
    bar = slot * 0.36
    top = max((month.totals.sales for month in report.months), default=Decimal("0"))

    def across(x: float, width: float) -> float:
        return CHART_WIDTH - x - width if rtl else x

    def height(amount: Decimal) -> float:
        return float(amount / top) * plot_height if top else 0.0

    months = []
    for index, month in enumerate(report.months):
        start = CHART_PAD + index * slot + (slot - 2 * bar) / 2
        all_height, household_height = height(month.totals.sales), height(month.totals.household_sales)
        months.append(
            MonthBars(
                month=month.month,
                sales=month.totals.sales,
                household_sales=month.totals.household_sales,
                all_x=_n(across(start, bar)),
                all_y=_n(baseline - all_height),
                all_height=_n(all_height),
                household_x=_n(across(start + bar, bar)),
                household_y=_n(baseline - household_height),
                household_height=_n(household_height),
                bar_width=_n(bar),
                label_x=_n(across(CHART_PAD + index * slot, slot) + slot / 2),
            )
        )
    return ImpactChart(
        width=CHART_WIDTH,
        height=CHART_HEIGHT,
        plot_start=_n(CHART_PAD),
        plot_end=_n(CHART_WIDTH - CHART_PAD),
        baseline=_n(baseline),
        top=_n(CHART_TOP),
        label_y=_n(CHART_HEIGHT - 8),
        max_label_x=_n(CHART_WIDTH - CHART_PAD if rtl else CHART_PAD),
        max_label_anchor="end" if rtl else "start",
        max_sales=top,
        months=months,
    )
