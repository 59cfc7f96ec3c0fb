"""Steps the browser tests share: a page per locale, screenshots at two widths, adding to the cart."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, Page

CHROMIUM = "/usr/bin/chromium"
SHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def shoot(page: Page, name: str) -> None:
    """Full-page screenshots at a phone's and a laptop's width."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in (360, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        # Photos load lazily: scroll through the page so the full-page shot shows them.
        page.evaluate(
            "async () => { for (let y = 0; y < document.body.scrollHeight; y += 600) {"
            " window.scrollTo(0, y); await new Promise(r => setTimeout(r, 50)); } window.scrollTo(0, 0); }"
        )
        page.wait_for_load_state("networkidle")
        page.screenshot(path=SHOTS / f"{name}-{width}.png", full_page=True)
    page.set_viewport_size({"width": 360, "height": 900})


def new_page(browser: Browser, *, locale: str) -> Page:
    context = browser.new_context(locale=locale, viewport={"width": 360, "height": 900})
    return context.new_page()


def add_to_cart(page: Page, quantity: int) -> None:
    form = page.locator("form.buy")
    variant = form.locator("[name=variant]")
    if variant.first.get_attribute("type") == "radio":
        form.locator("[name=variant]:not([disabled])").first.check()
    elif variant.first.evaluate("e => e.tagName") == "SELECT":
        variant.first.select_option(index=0)
    form.locator("[name=quantity]").fill(str(quantity))
    form.locator("button[type=submit]").click()
