"""What the home page, the product list and a product page cost a phone on first load, in real headless Chromium.

Each page is opened at 360 x 640 in a new browser context (an empty cache) and not scrolled. Counted: every
response the page asked for, the document included, as Chromium's network layer received it (the DevTools
protocol's ``encodedDataLength``: headers and body as sent; the test's live server sends static files without
compression, so CSS and JS count at their full size). Photos the page loads lazily count when Chromium fetches
them without scrolling (those near the first screen). The page is then read to the end, for a second figure with
every photo it has. The figures are printed and written to test-artifacts/page-weight.json; the home page must
stay under 300 KiB on first load, with no layout shift as photos arrive, and every photo shown from its WebP.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from catalog.models import Product

pytestmark = pytest.mark.django_db(transaction=True)

ARTIFACT = Path(__file__).resolve().parents[2] / "test-artifacts" / "page-weight.json"
SHOT = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots" / "page-weight-home-360.png"
HOME_GOAL_KIB = 300
VIEWPORT = {"width": 360, "height": 640}

# The layout shifts a page has, summed as Cumulative Layout Shift counts them (shifts right after input aside).
OBSERVE_LAYOUT_SHIFTS = """
window.__layoutShift = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) { if (!entry.hadRecentInput) window.__layoutShift += entry.value; }
}).observe({type: "layout-shift", buffered: true});
"""

SCROLL_THROUGH = """
async () => {
  for (let y = 0; y < document.body.scrollHeight; y += 500) {
    window.scrollTo(0, y);
    await new Promise((resolve) => setTimeout(resolve, 60));
  }
}
"""

# Each photo of the page once read through: the file shown and whether it stands at the start of its line (in a
# live item, before the item's name; in left-to-right Chinese, to its left).
PHOTOS = """
[...document.querySelectorAll("picture img")].map((img) => {
  const item = img.closest(".home-live-item");
  const name = item && item.querySelector(".home-live-item-name");
  return {
    shown: img.currentSrc.split("/").pop(),
    width: img.getBoundingClientRect().width,
    before_name: name ? img.getBoundingClientRect().right <= name.getBoundingClientRect().left : true,
  };
})
"""


def _weigh(browser, url: str, *, screenshot: Path | None = None) -> dict:
    """Open ``url`` with an empty cache; the bytes received, the requests made, and the page's layout shift."""
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    context.add_init_script(OBSERVE_LAYOUT_SHIFTS)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    received: dict[str, int] = {}
    kinds: dict[str, str] = {}
    cdp.on("Network.responseReceived", lambda event: kinds.__setitem__(event["requestId"], event["type"]))
    cdp.on("Network.loadingFinished", lambda e: received.__setitem__(e["requestId"], int(e["encodedDataLength"])))
    response = page.goto(url)
    assert response is not None and response.ok, url
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)  # a last layout shift, if a photo's arrival caused one, is reported
    shift = page.evaluate("window.__layoutShift")
    broken = page.evaluate("[...document.images].filter(i => i.complete && i.currentSrc && !i.naturalWidth).length")
    by_kind: dict[str, int] = {}
    for request_id, size in received.items():
        kind = kinds.get(request_id, "Other")
        by_kind[kind] = by_kind.get(kind, 0) + size
    first = {"bytes": sum(received.values()), "requests": len(received)}
    # Then read to the end: every photo the page has is fetched, and still nothing moves.
    page.evaluate(SCROLL_THROUGH)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(300)
    scrolled = {
        "bytes": sum(received.values()),
        "requests": len(received),
        "layout_shift": round(page.evaluate("window.__layoutShift"), 4),
    }
    photos = page.evaluate(PHOTOS)
    if screenshot is not None:
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=screenshot, full_page=True)
    context.close()
    return {
        "url": url,
        **first,
        "kib": round(first["bytes"] / 1024, 1),
        "bytes_by_type": by_kind,
        "layout_shift": round(shift, 4),
        "broken_images": broken,
        "photos": photos,
        "scrolled_through": {**scrolled, "kib": round(scrolled["bytes"] / 1024, 1)},
    }


def test_home_list_and_product_pages_are_light_at_360_px_and_do_not_shift(browser, demo):
    product = Product.objects.filter(status=Product.Status.ACTIVE, images__isnull=False).order_by("pk").first()
    pages = {
        "home": _weigh(browser, demo + "/", screenshot=SHOT),
        "product list": _weigh(browser, demo + "/products/"),
        "product page": _weigh(browser, demo + product.get_absolute_url()),
    }
    figures = {
        "viewport": VIEWPORT,
        "counted": "every response of a first load with an empty cache, document included: headers and body as "
        "received (Chromium's encodedDataLength); static files served uncompressed by the test server",
        "home_goal_kib": HOME_GOAL_KIB,
        "pages": {name: {key: value for key, value in page.items() if key != "photos"} for name, page in pages.items()},
    }
    ARTIFACT.parent.mkdir(exist_ok=True)
    ARTIFACT.write_text(json.dumps(figures, indent=2))
    summary = ", ".join(f"{name} {page['kib']:.0f} KiB in {page['requests']} requests" for name, page in pages.items())
    print(
        f"\npage weight at 360 px (empty cache, uncompressed static files): {summary} (goal: home under "
        f"{HOME_GOAL_KIB} KiB)"
    )
    for name, page in pages.items():
        whole = page["scrolled_through"]
        print(
            f"  {name}: {json.dumps(page['bytes_by_type'])}, layout shift {page['layout_shift']}; read to the end "
            f"{whole['kib']:.0f} KiB in {whole['requests']} requests, layout shift {whole['layout_shift']}"
        )

    assert pages["home"]["bytes"] < HOME_GOAL_KIB * 1024
    for name, page in pages.items():
        # Every photo has its width and height: nothing moves when it arrives.
        assert page["layout_shift"] < 0.01, (name, page["layout_shift"])
        assert page["scrolled_through"]["layout_shift"] < 0.01, (name, page["scrolled_through"])
        assert page["broken_images"] == 0, name
        # Every photo with renditions is shown from its WebP, laid out as the <img> alone would be.
        assert page["photos"], name
        for photo in page["photos"]:
            assert photo["shown"].endswith(".webp") and photo["width"] > 0 and photo["before_name"], (name, photo)
    assert any(photo["shown"].endswith("-240w.webp") for photo in pages["home"]["photos"])
