"""The producer's back office exports: its orders' lines as rows for ``marketplace.spreadsheets.csv_download``."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from orders import selectors
from orders.models import OrderLine
from producers.models import Producer


def order_lines_rows(*, producer: Producer, language: str) -> Iterator[list[object]]:
    """The header, then a row for every line of ``producer``'s orders (``selectors.producer_order_lines``).

    Headers and statuses are in ``language``; times in the back office's zone. The cash to collect for a
    parcel (its lines and shipping fee, for an order paid cash on delivery and not paid yet) stands on the
    parcel's first line only, so that adding up the column counts each parcel once; its other lines leave it
    blank, and a parcel with nothing to collect says 0.00.
    """
    with translation.override(language):
        yield [
            _("Order number"),
            _("Date"),
            _("Order status"),
            _("Parcel status"),
            _("SKU"),
            _("Product"),
            _("Variant"),
            _("Quantity"),
            _("Unit price (CNY)"),
            _("Line total (CNY)"),
            _("Delivery"),
            _("City or pickup depot"),
            _("Tracking number"),
            _("Payment method"),
            _("Cash to collect for the parcel (CNY)"),
        ]
        line: OrderLine
        for line in selectors.producer_order_lines(producer=producer).iterator(chunk_size=500):
            order, parcel = line.order, line.fulfilment
            place = order.pickup_depot.name if order.pickup_depot_id else order.ship_city
            to_collect = ""
            if line.parcel_line == 1:
                to_collect = line.parcel_goods + parcel.shipping_fee if order.collects_cash else Decimal("0.00")
            yield [
                order.number,
                timezone.localtime(order.created_at, selectors.BACK_OFFICE_ZONE).strftime("%Y-%m-%d %H:%M"),
                order.get_status_display(),
                parcel.get_status_display(),
                line.sku,
                line.localized_product_name,
                line.localized_variant_name,
                line.quantity,
                line.unit_price,
                line.line_total,
                order.get_delivery_method_display(),
                place,
                parcel.tracking_number,
                order.get_payment_method_display(),
                to_collect,
            ]


def impact_csv_rows(report: selectors.ImpactReport) -> Iterator[list[object]]:
    """The staff impact report as rows, in the request's language: a row per month and county with sales,
    then a row per county for the whole year, then the year's totals."""
    yield [
        _("Period"),
        _("Prefecture"),
        _("County"),
        _("All producers' sales (CNY)"),
        _("Producers who sold"),
        _("Low-income households' sales (CNY)"),
        _("Households who sold"),
        _("Households' share (%)"),
    ]

    def row(period: str, prefecture: str, county: str, figures: selectors.ImpactFigures) -> list[object]:
        share = "" if figures.share is None else figures.share
        return [
            period,
            prefecture,
            county,
            figures.sales,
            figures.sellers,
            figures.household_sales,
            figures.households,
            share,
        ]

    for month in report.months:
        for line in month.rows:
            yield row(f"{month.month:%Y-%m}", line.prefecture.name, line.county.name, line.figures)
    for line in report.counties:
        yield row(str(report.year), line.prefecture.name, line.county.name, line.figures)
    yield row(str(report.year), _("All prefectures"), _("All counties"), report.totals)
