"""The Content-Security-Policy: every page is sent with it, and no page needs what it refuses.

The policy allows scripts and styles only from the site's own files. So every page the project
serves, storefront, back offices, print pages, Django's admin and the API's docs, is rendered here
from the demo data and read for what the browser would refuse: an inline <script> (a JSON data
block is not run, so it is allowed), an on*= handler, a style="" attribute, a <style> element or a
javascript: URL. tests/e2e/test_content_security_policy.py opens the key pages in Chromium.
"""

from __future__ import annotations

import io
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.test import Client

from catalog.models import Variant
from marketplace.models import User
from tests.marketplace.test_pages_in_every_language import DEMO_ACCOUNTS, discovered_pages, url_candidates

HEADER = "Content-Security-Policy"
POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
# Pages that must be among those checked: each kind the issue names, so a change to the discovery cannot
# quietly leave them out.
KEY_PAGES = {
    "home",
    "product-list",
    "product-detail",
    "producer-detail",
    "village-detail",
    "live-session-list",
    "live-session-detail",
    "cart",
    "checkout",
    "order-detail",
    "payment-page",
    "signup",
    "dashboard-overview",
    "dashboard-product-edit",
    "dashboard-orders",
    "dashboard-live",
    "dashboard-packing-slip",
    "dashboard-pick-list",
    "dashboard-sales",
    "depot-detail",
    "depot-pick-list",
    "host-home",
    "host-session",
    "host-session-live",
    "host-commission",
    "login",
    "admin:index",
    "admin:catalog_product_changelist",
    "admin:catalog_product_change",
    "admin:catalog_product_add",
    "admin:live_host_commission",
    "admin:orders_order_impact",
}


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for directive in filter(None, (part.strip() for part in header.split(";"))):
        name, *sources = directive.split()
        parsed[name] = sources
    return parsed


def assert_strict(response, url: str) -> dict[str, list[str]]:
    """The response carries the policy, enforced (not only reported), with nothing unsafe in it."""
    assert HEADER in response, f"{url}: no {HEADER} header"
    assert "Content-Security-Policy-Report-Only" not in response
    policy = response[HEADER]
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy, f"{url}: {policy}"
    return directives(policy)


class InlineCode(HTMLParser):
    """What a page holds that the policy would refuse to run or apply."""

    URL_ATTRIBUTES = {"href", "src", "action", "formaction"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._inline_script = False
        self._script_text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")
            elif name == "style":
                self.found.append(f'<{tag} style="{value}">')
            elif name in self.URL_ATTRIBUTES and (value or "").strip().lower().startswith("javascript:"):
                self.found.append(f'<{tag} {name}="{value}">')
        if tag == "style":
            self.found.append("<style> element")
        if tag == "script" and not attributes.get("src") and attributes.get("type") != "application/json":
            self._inline_script = True
            self._script_text = []

    def handle_data(self, data):
        if self._inline_script:
            self._script_text.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._inline_script:
            self._inline_script = False
            self.found.append(f"inline <script>{''.join(self._script_text).strip()[:60]}")


def inline_code(html: str) -> list[str]:
    parser = InlineCode()
    parser.feed(html)
    parser.close()
    return parser.found


def test_the_checker_finds_each_kind_of_inline_code():
    """The page reader below catches what the policy refuses and lets data blocks and script files pass."""
    html = """
      <script>alert(1)</script><script src="/static/js/live.js"></script>
      <script type="application/json" id="data">{"a": 1}</script>
      <button onclick="go()">Go</button><p style="color: red">Red</p><style>p {}</style>
      <a href="javascript:go()">Go</a><svg><rect onload="x()"/></svg>
    """
    assert inline_code(html) == [
        "inline <script>alert(1)",
        "<button onclick=…>",
        '<p style="color: red">',
        "<style> element",
        '<a href="javascript:go()">',
        "<rect onload=…>",
    ]


@pytest.mark.django_db
def test_pages_are_sent_with_the_strict_policy(client):
    response = client.get("/")

    assert response.status_code == 200
    assert assert_strict(response, "/") == POLICY


@pytest.mark.django_db
def test_a_page_not_found_is_sent_with_the_policy_too(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert assert_strict(response, "/no-such-page/") == POLICY


@pytest.mark.django_db
def test_the_refused_form_page_has_the_policy_and_no_inline_style(roles):
    """A form posted without its CSRF token gets the site's page, not Django's, whose <style> is refused."""
    client = Client(enforce_csrf_checks=True)

    response = client.post("/cart/add/", {"variant": 1, "quantity": 1}, headers={"accept-language": "en"})

    assert response.status_code == 403
    assert_strict(response, "/cart/add/")
    html = response.content.decode()
    assert "CSRF verification failed" in html
    assert inline_code(html) == []


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=io.StringIO())


def _open(clients: list[Client], urls: list[str]):
    """The first of ``urls`` that one of ``clients`` opens as an HTML page, with its response."""
    for client in clients:
        for url in urls:
            response = client.get(url)
            parent = url.rstrip("/").rsplit("/", 1)[0] + "/"
            if response.status_code == 302 and parent != "/" and response.url.startswith(parent):
                url, response = response.url, client.get(response.url)  # a reset link's form moves beside itself
            if response.status_code == 405:
                return None  # a form's target, not a page
            if response.status_code == 200:
                return url, response
    return None


def test_every_page_is_sent_with_the_policy_and_holds_no_inline_script_or_style(demo):
    """Every page found from the URLs, opened by a visitor or the first demo account that may, in English.

    The anonymous visitor has a line in their cart, so the cart and checkout show their forms.
    """
    visitor = Client(headers={"accept-language": "en"})
    variant = Variant.objects.filter(product__status="active", stock__gt=0).order_by("pk").first()
    assert visitor.post("/cart/add/", {"variant": variant.pk, "quantity": 1}).status_code == 302
    clients = [visitor]
    for username in DEMO_ACCOUNTS:
        client = Client(headers={"accept-language": "en"})
        client.force_login(User.objects.get(username=username))
        clients.append(client)

    problems: list[str] = []
    checked: set[str] = set()
    for page in discovered_pages():
        urls = url_candidates(page)
        opened = _open(clients, urls) if urls else None
        if opened is None:
            continue
        url, response = opened
        if not response["Content-Type"].startswith("text/html"):
            continue
        checked.add(page.name)
        if HEADER not in response:
            problems.append(f"{url}: no {HEADER} header")
            continue
        if any(unsafe in response[HEADER] for unsafe in ("'unsafe-inline'", "'unsafe-eval'")):
            problems.append(f"{url}: {response[HEADER]}")
        problems.extend(f"{url}: {found}" for found in inline_code(response.content.decode()))

    assert problems == [], "\n".join(problems)
    assert checked >= KEY_PAGES, f"not checked: {sorted(KEY_PAGES - checked)}"
    assert len(checked) >= 60


@pytest.mark.django_db
def test_the_product_photo_previews_in_the_admin_are_styled_from_a_file(roles):
    from tests.factories import ProductImageFactory

    image = ProductImageFactory()
    client = Client()
    client.force_login(roles.staff)

    listing = client.get("/admin/catalog/product/")
    change = client.get(f"/admin/catalog/product/{image.product_id}/change/")

    for response in (listing, change):
        html = response.content.decode()
        assert 'class="photo-preview"' in html
        assert "/static/css/admin.css" in html
        assert inline_code(html) == []


@pytest.mark.django_db
def test_swagger_ui_is_started_by_a_script_file_under_the_strict_policy(client):
    page = client.get("/api/docs/")

    assert page.status_code == 200
    assert assert_strict(page, "/api/docs/") == POLICY
    html = page.content.decode()
    assert inline_code(html) == []
    assert 'src="/api/docs/?script="' in html
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200
    assert script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle(" in script.content.decode()


@pytest.mark.django_db
def test_redoc_lets_in_only_its_own_styles_by_nonce_and_hash(client):
    """ReDoc's styling library writes <style> elements: this page alone lets in those with its nonce (handed
    to ReDoc by js/api_redoc.js) or the hashes of the two it writes while loading; scripts stay files only."""
    page = client.get("/api/redoc/")

    assert page.status_code == 200
    policy = assert_strict(page, "/api/redoc/")
    assert policy["script-src"] == ["'self'"]
    style = policy["style-src"]
    assert style[0] == "'self'"
    assert [source for source in style[1:] if not source.startswith(("'nonce-", "'sha256-"))] == []
    nonce = next(source for source in style if source.startswith("'nonce-"))[len("'nonce-") : -1]
    assert policy["worker-src"] == ["'self'", "blob:"]
    assert {name: sources for name, sources in policy.items() if name not in {"style-src", "worker-src"}} == {
        name: sources for name, sources in POLICY.items() if name != "style-src"
    }
    html = page.content.decode()
    assert inline_code(html) == []
    assert f'<script src="/static/js/api_redoc.js" nonce="{nonce}"></script>' in html
    assert "https://" not in html  # no fonts from another host


@pytest.mark.django_db
def test_the_nonce_is_new_on_each_answer(client):
    first = directives(client.get("/api/redoc/")[HEADER])["style-src"]
    second = directives(client.get("/api/redoc/")[HEADER])["style-src"]

    assert first != second


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("options", "origin"),
    [
        ({"custom_domain": "photos.oasis.example"}, "https://photos.oasis.example"),
        ({"custom_domain": "cdn.oasis.example/media"}, "https://cdn.oasis.example"),
        ({"endpoint_url": "https://minio.oasis.example:9000"}, "https://minio.oasis.example:9000"),
        (
            {"endpoint_url": "https://oss-cn-beijing.aliyuncs.com", "addressing_style": "virtual"},
            "https://oasis-photos.oss-cn-beijing.aliyuncs.com",
        ),
        ({"region_name": "cn-northwest-1"}, "https://oasis-photos.s3.cn-northwest-1.amazonaws.com.cn"),
    ],
)
def test_photos_in_a_bucket_are_allowed_from_its_host_only(client, settings, options, origin):
    """img-src gets the origin of the URLs the storage gives photos, whatever the provider or the CDN."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {"bucket_name": "oasis-photos", "querystring_auth": False, **options},
        },
    }

    policy = directives(client.get("/")[HEADER])

    assert policy["img-src"] == ["'self'", "data:", origin]
    assert {name: sources for name, sources in policy.items() if name != "img-src"} == {
        name: sources for name, sources in POLICY.items() if name != "img-src"
    }


@pytest.mark.django_db
def test_photos_served_by_the_site_add_no_host(client):
    assert directives(client.get("/")[HEADER])["img-src"] == ["'self'", "data:"]
