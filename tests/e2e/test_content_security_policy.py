"""The Content-Security-Policy in real headless Chromium, on the demo site: the key pages of the storefront, the
live session, the host's live view, the admin and the API's docs open without one violation reported, and their
scripts still do their work (live.js counts down, host_live.js counts orders in, the admin adds an inline row,
Swagger UI and ReDoc draw the API)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from catalog.models import Product
from demo.data.accounts import DEMO_PASSWORD
from live.models import LiveSession
from orders.services import Contact, Delivery, LineRequest, order_place
from producers.models import Depot
from tests.e2e.browsing import add_to_cart

pytestmark = pytest.mark.django_db(transaction=True)

# Each violation the browser reports ('securitypolicyviolation' events of every document the context opens).
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportViolation([event.violatedDirective, event.blockedURI, event.documentURI, event.sample].join(" "));
});
"""
# ReDoc's menu shows the Redocly logo from cdn.redoc.ly: the policy refuses it, as it refuses any other host.
REDOC_LOGO = "https://cdn.redoc.ly/"


class Watched:
    """A browser context whose pages report to the test every CSP violation and every console message about one."""

    def __init__(self, context: BrowserContext) -> None:
        self.context = context
        self.violations: list[str] = []
        self.console: list[str] = []
        context.expose_function("reportViolation", self._report)
        context.add_init_script(REPORT_VIOLATIONS)

    def _report(self, violation: str) -> None:
        self.violations.append(violation)

    def page(self) -> Page:
        page = self.context.new_page()
        page.on(
            "console",
            lambda message: self.console.append(message.text) if "Content Security Policy" in message.text else None,
        )
        return page

    def assert_clean(self, *, refused_as_meant: str | None = None) -> None:
        """No violation was reported, but refusals naming ``refused_as_meant``, a URL the policy is meant to refuse."""

        def unexpected(text: str) -> bool:
            return refused_as_meant is None or refused_as_meant not in text

        violations = list(filter(unexpected, self.violations))
        console = list(filter(unexpected, self.console))
        assert violations == [], "\n".join(violations)
        assert console == [], "\n".join(console)


@pytest.fixture
def watched(browser):
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    yield Watched(context)
    context.close()


def sign_in(page: Page, base: str, username: str, next_path: str) -> None:
    page.goto(f"{base}/accounts/login/?next={next_path}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(re.escape(next_path) + "$"))


def images_shown(page: Page, selector: str) -> int:
    """How many of the images matched were loaded and decoded (a refused image has no natural width)."""
    page.locator(selector).first.scroll_into_view_if_needed()
    return page.locator(selector).evaluate_all(
        "images => images.filter(image => image.complete && image.naturalWidth > 0).length"
    )


def another_buyer_orders(variant_id: int, session: LiveSession, phone: str) -> None:
    """An order from a phone elsewhere, as the live session's other viewers would place it."""
    order_place(
        shopper=None,
        contact=Contact(name="Li", phone=phone),
        lines=[LineRequest(variant_id=variant_id, quantity=1)],
        delivery=Delivery(method="pickup", depot_slug=Depot.objects.filter(is_active=True).order_by("pk")[0].slug),
        payment_method="cod",
        live_session_slug=session.slug,
    )


def test_the_storefront_from_home_to_checkout_reports_no_violation(watched, demo):
    product = Product.objects.filter(status="active", images__isnull=False).distinct().order_by("pk")[0]
    page = watched.page()

    page.goto(f"{demo}/")
    expect(page.locator("main")).to_be_visible()
    page.goto(f"{demo}{product.get_absolute_url()}")
    expect(page.locator("h1")).to_contain_text(product.name_en or product.name)
    page.wait_for_load_state("networkidle")
    assert images_shown(page, "main img") > 0  # photos come through img-src
    add_to_cart(page, 1)
    expect(page).to_have_url(re.compile(r"/cart/$"))
    expect(page.locator(".cart-line")).to_have_count(1)
    page.get_by_role("link", name="Check out").click()
    expect(page).to_have_url(re.compile(r"/checkout/$"))
    expect(page.get_by_label("Your name", exact=True)).to_be_visible()

    watched.assert_clean()


def test_live_js_counts_down_on_the_session_page_under_the_policy(watched, demo):
    session = LiveSession.objects.get(slug="grape-valley-live")
    page = watched.page()
    page.goto(f"{demo}/live/{session.slug}/")
    item = page.locator("[data-live-item]").first
    variant_id = int(item.get_attribute("data-variant"))
    remaining = item.locator("[data-live-remaining]")
    before = int(remaining.inner_text())

    another_buyer_orders(variant_id, session, "13900001111")

    expect(remaining).to_have_text(str(before - 1), timeout=20_000)  # live.js fetched the new figures
    watched.assert_clean()


def test_host_live_js_counts_orders_in_under_the_policy(watched, demo):
    session = LiveSession.objects.get(slug="grape-valley-live")
    variant_id = session.items.order_by("position", "pk").values_list("variant_id", flat=True)[0]
    page = watched.page()
    sign_in(page, demo, "demo-host", f"/host/sessions/{session.slug}/live/")
    orders = page.locator("[data-session-orders]")
    before = int(orders.inner_text())

    another_buyer_orders(variant_id, session, "13900002222")

    expect(orders).to_have_text(str(before + 1), timeout=20_000)  # host_live.js polled the figures
    expect(page.locator("[data-host-orders] li").first).to_be_visible()
    watched.assert_clean()


def test_the_admin_product_form_works_under_the_policy(watched, demo):
    product = Product.objects.filter(images__isnull=False).distinct().order_by("pk")[0]
    page = watched.page()
    page.goto(f"{demo}/admin/login/")
    page.locator("#id_username").fill("demo-admin")
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("#login-form [type=submit]").click()

    page.goto(f"{demo}/admin/catalog/product/")
    expect(page.locator("#result_list")).to_be_visible()
    page.locator("#action-toggle").check()  # actions.js selects every row
    expect(page.locator(".action-counter")).not_to_contain_text(re.compile(r"^0 "))
    assert images_shown(page, "img.photo-preview") > 0

    page.goto(f"{demo}/admin/catalog/product/{product.pk}/change/")
    preview = page.locator("img.photo-preview").first
    expect(preview).to_be_visible()
    assert preview.evaluate("image => getComputedStyle(image).borderTopLeftRadius") == "4px"  # css/admin.css
    rows = page.locator(".dynamic-variants")
    count = rows.count()
    page.locator("#variants-group .add-row a").click()  # inlines.js adds a row
    expect(rows).to_have_count(count + 1)

    watched.assert_clean()


def test_the_api_docs_draw_the_api_under_the_policy(watched, demo):
    page = watched.page()

    page.goto(f"{demo}/api/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Oasis Market API", timeout=20_000)
    expect(page.locator(".opblock").first).to_be_visible()
    page.goto(f"{demo}/api/redoc/")
    expect(page.locator("#redoc-container h1").first).to_contain_text("Oasis Market API", timeout=20_000)
    expect(page.locator("#redoc-container [role=search] input, #redoc-container input").first).to_be_visible()

    watched.assert_clean(refused_as_meant=REDOC_LOGO)
