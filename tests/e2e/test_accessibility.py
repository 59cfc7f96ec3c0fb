"""Accessibility in real headless Chromium at a phone's size (360 x 640), in Chinese and in Uyghur.

axe-core (package-lock.json, installed into node_modules/ by `npm ci`; scripts/test-prerequisites runs it) checks
the storefront, the checkout before and after a failed submit, the sign-in and sign-up pages, the live pages, the
farmer's dashboard and the depot's page: no violation of impact "serious" or "critical". A failed checkout shows its
error summary in the first screen with focus on it, and a link of the summary focuses the field it names.

The browser context bypasses the Content-Security-Policy only so that axe can be injected into each page.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from demo.data.accounts import DEMO_PASSWORD, FARMER_PRODUCER, MANAGED_DEPOT
from live.models import LiveSession
from tests.e2e.browsing import add_to_cart

pytestmark = pytest.mark.django_db(transaction=True)

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PRODUCT = "abdukerim-seedless-grapes"  # the demo farmer's grapes
VIEWPORT = {"width": 360, "height": 640}
SERIOUS = ("serious", "critical")

RUN_AXE = """async () => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, targets: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
  }));
}"""


def axe_violations(page: Page, name: str) -> list[str]:
    """The serious and critical violations axe finds on the page, one line each: page, rule, help, elements."""
    page.add_script_tag(path=AXE)
    found = page.evaluate(RUN_AXE)
    return [
        f"{name}: {v['id']} ({v['impact']}) {v['help']} -> {', '.join(v['targets'])}"
        for v in found
        if v["impact"] in SERIOUS
    ]


def sign_in(page: Page, base: str, username: str, language: str) -> None:
    """Signs out (the cookies go) and in again as ``username``, keeping the page's language."""
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    page.goto(base + "/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    with page.expect_navigation():
        page.locator("#id_password").press("Enter")


LANGUAGES = (("zh-hans", "zh-Hans"), ("ug", "ug"))


def test_pages_have_no_serious_violation_and_a_failed_checkout_leads_to_its_errors(browser, demo):
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `npm ci` (scripts/test-prerequisites does)")
    live = LiveSession.objects.filter(status=LiveSession.Status.LIVE).order_by("starts_at").first()
    violations: list[str] = []
    for language, lang in LANGUAGES:
        violations += violations_in(browser, demo, language, lang, live)
    assert not violations, "axe found serious or critical violations:\n" + "\n".join(violations)


def violations_in(browser: Browser, demo: str, language: str, lang: str, live: LiveSession | None) -> list[str]:
    """Every page in one language, in one browser context; checks the failed checkout on the way."""
    context = browser.new_context(locale="zh-CN", viewport=VIEWPORT, bypass_csp=True)
    context.add_cookies([{"name": "django_language", "value": language, "url": demo}])
    page = context.new_page()
    violations: list[str] = []

    def check(path: str, name: str) -> None:
        page.goto(demo + path)
        violations.extend(axe_violations(page, f"{language} {name}"))

    check("/", "home")
    expect(page.locator("html")).to_have_attribute("lang", lang)
    check("/products/", "list")
    check(f"/products/{PRODUCT}/", "product")
    add_to_cart(page, 1)
    expect(page.locator(".cart-line")).to_have_count(1)
    violations.extend(axe_violations(page, f"{language} cart"))
    check("/checkout/", "checkout")

    # Pickup chosen but no depot: the page comes back with its summary on the first screen, focused.
    page.locator("#id_name").fill("Aygül")
    page.locator("#id_phone").fill("138 0013 8000")
    page.locator("input[name=delivery_method][value=pickup]").check()
    page.locator("input[name=payment_method][value=cod]").check()
    page.locator("form.checkout-form button[type=submit]").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    assert page.evaluate("window.scrollY") == 0
    box = summary.bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= VIEWPORT["height"], box
    expect(page.locator("#id_name")).to_have_value("Aygül")  # what was typed is kept
    violations.extend(axe_violations(page, f"{language} checkout after a failed submit"))
    summary.locator('a[href="#id_depot"]').click()
    expect(page.locator("#id_depot")).to_be_focused()
    assert page.locator("#id_depot").is_visible()

    check("/accounts/login/", "sign-in")
    check("/accounts/signup/", "sign-up")
    check("/live/", "live")
    if live is not None:
        check(live.get_absolute_url(), "live session")

    sign_in(page, demo, "demo-farmer", language)
    check(f"/dashboard/{FARMER_PRODUCER}/", "dashboard")
    sign_in(page, demo, "demo-depot", language)
    check(f"/depot/{MANAGED_DEPOT}/", "depot")
    context.close()
    return violations
