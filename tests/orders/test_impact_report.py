"""The staff impact report: sales reaching producers registered as low-income households, beside all producers',
by month, prefecture and county, with a chart and a CSV; staff only, and its figures never reach a public page or
the API."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from orders import selectors
from orders.models import Fulfilment, Order
from tests.factories import (
    CountyFactory,
    OrderLineFactory,
    ProducerFactory,
    ProductFactory,
    UserFactory,
    VillageFactory,
)

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
REPORT = reverse("admin:orders_order_impact")
CSV = reverse("admin:orders_order_impact_csv")
YEAR = timezone.localtime(timezone.now(), SHANGHAI).year
EN = {"accept-language": "en"}
# An amount no other figure of the pages shows by chance.
HOUSEHOLD_AMOUNT = Decimal("8765.43")


def sale(producer, amount: str | Decimal, *, at: datetime, status=Order.Status.PAID, parcel=Fulfilment.Status.NEW):
    line = OrderLineFactory(
        fulfilment__producer=producer,
        fulfilment__status=parcel,
        fulfilment__order__status=status,
        unit_price=Decimal(amount),
        line_total=Decimal(amount),
    )
    Order.objects.filter(pk=line.order_id).update(created_at=at)
    return line


def when(month: int, day: int = 10, hour: int = 12, year: int = YEAR) -> datetime:
    return datetime(year, month, day, hour, tzinfo=SHANGHAI)


@pytest.fixture
def places():
    """Turpan (Toksun county) and Hotan (Qira county), each with a village."""
    toksun = CountyFactory(
        name_en="Toksun", prefecture__name_en="Turpan", prefecture__slug="turpan", name_zh="托克逊县", slug="toksun"
    )
    qira = CountyFactory(
        name_en="Qira", prefecture__name_en="Hotan", prefecture__slug="hotan", name_zh="策勒县", slug="qira"
    )
    return VillageFactory(county=toksun), VillageFactory(county=qira)


@pytest.fixture
def sales(places):
    """Ayxem's household (Toksun) sells in January and March, Mehmet's household (Qira) in March, a larger farm
    (Toksun) in January; orders not paid, cancelled, refunded or of last year do not count."""
    toksun, qira = places
    ayxem = ProducerFactory(name_en="Ayxem", village=toksun, is_low_income_household=True)
    mehmet = ProducerFactory(name_en="Mehmet", village=qira, is_low_income_household=True)
    farm = ProducerFactory(name_en="Big farm", village=toksun)
    sale(ayxem, "100.00", at=when(1))
    sale(farm, "200.00", at=when(1, 20))
    sale(ayxem, "50.00", at=when(3), status=Order.Status.COMPLETED)
    sale(mehmet, "30.00", at=when(3, 5), status=Order.Status.CONFIRMED)
    # 31 January 20:00 UTC is 1 February in Beijing.
    sale(farm, "7.00", at=datetime(YEAR, 1, 31, 20, tzinfo=ZoneInfo("UTC")))
    for status in (Order.Status.AWAITING_PAYMENT, Order.Status.CANCELLED, Order.Status.EXPIRED, Order.Status.REFUNDED):
        sale(ayxem, "900.00", at=when(1), status=status)
    sale(ayxem, "900.00", at=when(1), parcel=Fulfilment.Status.CANCELLED)
    sale(ayxem, "900.00", at=when(12, year=YEAR - 1))
    return ayxem, mehmet, farm


def figures(row) -> tuple:
    f = row.figures if hasattr(row, "figures") else row
    return (f.sales, f.sellers, f.household_sales, f.households, f.share)


def test_the_report_adds_up_sales_by_month_and_county_counting_each_seller_once(sales):
    report = selectors.impact_report(year=YEAR)

    january, february, march = report.months[0], report.months[1], report.months[2]
    assert [row.county.name_en for row in january.rows] == ["Toksun"]
    assert figures(january.rows[0]) == (Decimal("300.00"), 2, Decimal("100.00"), 1, Decimal("33.3"))
    assert figures(february.totals) == (Decimal("7.00"), 1, Decimal("0.00"), 0, Decimal("0.0"))
    # By prefecture, then county: Hotan's Qira before Turpan's Toksun.
    assert [(row.prefecture.name_en, row.county.name_en) for row in march.rows] == [
        ("Hotan", "Qira"),
        ("Turpan", "Toksun"),
    ]
    assert figures(march.totals) == (Decimal("80.00"), 2, Decimal("80.00"), 2, Decimal("100.0"))
    assert [month.rows for month in report.months[3:]] == [[]] * 9
    # Ayxem sold in January and March: one household of Toksun in the year, not two.
    assert [(row.county.name_en, *figures(row)) for row in report.counties] == [
        ("Qira", Decimal("30.00"), 1, Decimal("30.00"), 1, Decimal("100.0")),
        ("Toksun", Decimal("357.00"), 2, Decimal("150.00"), 1, Decimal("42.0")),
    ]
    assert figures(report.totals) == (Decimal("387.00"), 3, Decimal("180.00"), 2, Decimal("46.5"))
    assert selectors.impact_years() == [YEAR, YEAR - 1]


def test_a_year_without_sales_reports_zeros_and_no_share():
    report = selectors.impact_report(year=YEAR)

    assert report.counties == [] and all(not month.rows for month in report.months)
    assert figures(report.totals) == (Decimal("0.00"), 0, Decimal("0.00"), 0, None)


def test_staff_read_the_report_with_its_chart_and_tables(admin_client, sales):
    response = admin_client.get(REPORT, headers=EN)
    html = response.content.decode()

    assert response.status_code == 200
    assert f"In {YEAR}, 2 low-income households sold ¥180.00 of the ¥387.00 all producers sold." in html
    bars = re.findall(r'<g data-month="([\d-]+)" data-sales="([\d.]+)" data-household-sales="([\d.]+)">', html)
    assert len(bars) == 12
    assert bars[0] == (f"{YEAR}-01", "300.00", "100.00") and bars[2] == (f"{YEAR}-03", "80.00", "80.00")
    assert 'id="impact-counties"' in html and 'id="impact-months"' in html
    assert "42.0 %" in html and "Qira" in html and "Toksun" in html


def test_the_chart_reads_right_to_left_in_uyghur(admin_client, sales):
    """January stands on the right of a Uyghur page, December on the left."""
    html = admin_client.get(REPORT, headers={"accept-language": "ug"}).content.decode()
    january = re.search(
        r'data-month="[\d]+-01"[^>]*>\s*<title>[^<]*</title>\s*<rect class="impact-all" x="([\d.]+)"', html
    )
    december = re.search(
        r'data-month="[\d]+-12"[^>]*>\s*<title>[^<]*</title>\s*<rect class="impact-all" x="([\d.]+)"', html
    )

    assert 'dir="rtl"' in html
    assert float(january.group(1)) > float(december.group(1))


def test_the_csv_holds_a_row_per_month_and_county_then_the_year(admin_client, sales):
    response = admin_client.get(CSV, {"year": YEAR}, headers=EN)
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="oasis-impact-{YEAR}.csv"'
    assert rows[0][:4] == ["Period", "Prefecture", "County", "All producers' sales (CNY)"]
    assert rows[1] == [f"{YEAR}-01", "Turpan", "Toksun", "300.00", "2", "100.00", "1", "33.3"]
    assert rows[-1] == [str(YEAR), "All prefectures", "All counties", "387.00", "3", "180.00", "2", "46.5"]
    assert len(rows) == 1 + 4 + 2 + 1


@pytest.mark.parametrize("year", ["1999", "20x6", "-1", "٢٠٢٦"])
def test_a_year_without_sales_or_not_a_year_shows_the_current_one_with_a_note(admin_client, sales, year):
    response = admin_client.get(REPORT, {"year": year}, headers=EN)
    html = response.content.decode()

    assert response.status_code == 200
    assert response.context["report"].year == YEAR
    assert f"There are no sales in “{year}”, so here is {YEAR}." in html


def test_an_earlier_year_is_chosen_from_the_list(admin_client, sales):
    report = admin_client.get(REPORT, {"year": YEAR - 1}).context["report"]

    assert report.year == YEAR - 1 and report.totals.sales == Decimal("900.00")


def test_only_staff_who_may_see_orders_and_producers_read_it(client, sales):
    shopper = UserFactory()
    clerk = UserFactory(is_staff=True)
    client.force_login(shopper)
    assert client.get(REPORT).status_code == 302  # to the admin's sign-in
    client.force_login(clerk)
    assert client.get(REPORT).status_code == 403
    assert client.get(CSV).status_code == 403
    clerk.user_permissions.add(Permission.objects.get(codename="view_order"))
    assert client.get(REPORT).status_code == 403
    clerk.user_permissions.add(Permission.objects.get(codename="view_producer"))
    clerk = type(clerk).objects.get(pk=clerk.pk)  # permissions are cached on the instance
    client.force_login(clerk)
    assert client.get(REPORT).status_code == 200
    assert (
        "Sales reaching low-income households"
        in client.get(reverse("admin:orders_order_changelist"), headers=EN).content.decode()
    )


def test_no_public_page_or_api_answer_carries_the_flag_or_the_figures(client, places):
    """The household's sales and the flag stay in the back office: its producer, village and product pages, the
    catalogue and the API show neither, in any language."""
    household = ProducerFactory(village=places[0], is_low_income_household=True, slug="ayxem")
    product = ProductFactory(producer=household)
    sale(household, HOUSEHOLD_AMOUNT, at=when(1))
    pages = [
        reverse("producer-detail", args=[household.slug]),
        reverse("village-detail", args=[household.village.slug]),
        product.get_absolute_url(),
        reverse("product-list"),
        reverse("home"),
        "/api/v1/producers/",
        f"/api/v1/producers/{household.slug}/",
        "/api/v1/products/",
        f"/api/v1/products/{product.slug}/",
    ]
    for language in ("zh-hans", "ug", "en"):
        for url in pages:
            response = client.get(url, headers={"accept-language": language})
            body = response.content.decode().lower()
            assert response.status_code == 200, url
            for secret in ("low_income", "low-income", "低收入", "تۆۋەن كىرىملىك", "8765.43", "8,765.43", "impact"):
                assert secret not in body, (url, language, secret)
