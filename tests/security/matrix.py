"""The authorization matrix: every route of the project, and what each role gets from it.

A row is one request (a route, a method and the objects it names, built from the shared world) and the outcome
each role must get: allowed (with the status the route answers), or denied the way docs/security.md says the
project denies: a page that needs an account sends a visitor to sign in, the API answers 401 to a caller
without one, and an object the caller may not see answers 404 as if it did not exist. A denied write must
change nothing; an allowed write must change what it writes.

``test_coverage.py`` walks the URLconf: a route without a row fails there, so a new view needs a new row.
Django admin's generated pages are rows too, made per registered model from ``ADMIN_MODELS`` below.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from operator import attrgetter
from typing import Any

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from catalog.models import Product
from catalog.services import product_search_refresh
from live.models import CommissionEntry
from marketplace.models import SitePage
from notifications.models import Notice, OutboxMessage
from orders import payments
from tests.security.world import PASSWORD, ROLES, VISITORS, World, png

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


@dataclass(frozen=True)
class Outcome:
    status: tuple[int, ...]
    allowed: bool
    sign_in: str = ""  # "site" or "admin": a redirect to that sign-in page
    code: str = ""  # the code of the API's JSON error
    sees: bool | None = None  # whether the row's marker is in the answer
    changes: bool | None = None  # for an allowed write, overrides the row's ``changes``

    def __str__(self) -> str:
        verdict = "allowed" if self.allowed else "denied"
        shown = "/".join(map(str, self.status))
        return f"{verdict} {shown}" + (f" to {self.sign_in} sign-in" if self.sign_in else "")


def ok(*status: int, sees: bool | None = None, changes: bool | None = None) -> Outcome:
    return Outcome(status or (200,), True, sees=sees, changes=changes)


def refused(*status: int, code: str = "") -> Outcome:
    return Outcome(status, False, code=code)


SIGN_IN = Outcome((302,), False, sign_in="site")
ADMIN_SIGN_IN = Outcome((302,), False, sign_in="admin")
NOT_FOUND = refused(404)
FORBIDDEN = refused(403)
UNAUTHORIZED = refused(401, code="not_authenticated")
API_NOT_FOUND = refused(404, code="not_found")
NOT_A_HOST = refused(403, code="not_a_host")


def expect(others: Outcome, *, visitors: Outcome | None = None, **roles: Outcome) -> dict[str, Outcome]:
    """``others`` for every role not named; ``visitors`` for the anonymous visitor and the guest."""
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"no such role: {sorted(unknown)}")
    table = dict.fromkeys(ROLES, others)
    if visitors is not None:
        table.update(dict.fromkeys(VISITORS, visitors))
    table.update(roles)
    return table


def everyone(outcome: Outcome) -> dict[str, Outcome]:
    return expect(outcome)


def signed_in(outcome: Outcome, **roles: Outcome) -> dict[str, Outcome]:
    """A page for any account; a visitor is sent to sign in."""
    return expect(outcome, visitors=SIGN_IN, **roles)


def producer_office(outcome: Outcome | None = None) -> dict[str, Outcome]:
    """``/dashboard/<producer>/``: its member, and the manager of the depot it sells through; 404 for the rest."""
    if outcome is None:
        return expect(NOT_FOUND, visitors=SIGN_IN)
    return expect(NOT_FOUND, visitors=SIGN_IN, member=outcome, depot_manager=outcome)


def host_office(outcome: Outcome | None = None) -> dict[str, Outcome]:
    """``/host/``: the host, on their own sessions; 404 for the rest."""
    if outcome is None:
        return expect(NOT_FOUND, visitors=SIGN_IN)
    return expect(NOT_FOUND, visitors=SIGN_IN, host=outcome)


def depot_office(outcome: Outcome | None = None) -> dict[str, Outcome]:
    """``/depot/<depot>/``: its manager; 404 for the rest."""
    if outcome is None:
        return expect(NOT_FOUND, visitors=SIGN_IN)
    return expect(NOT_FOUND, visitors=SIGN_IN, depot_manager=outcome)


def api_account(outcome: Outcome, **roles: Outcome) -> dict[str, Outcome]:
    """An endpoint for any account; 401 without one."""
    return expect(outcome, visitors=UNAUTHORIZED, **roles)


def api_only(**roles: Outcome) -> dict[str, Outcome]:
    """An endpoint on objects only the named roles reach; 404 for other accounts, 401 without one."""
    return expect(API_NOT_FOUND, visitors=UNAUTHORIZED, **roles)


def admin_pages(staff: Outcome, superuser: Outcome | None = None) -> dict[str, Outcome]:
    """Django admin: everyone who is not staff is sent to the admin's sign-in."""
    return expect(ADMIN_SIGN_IN, staff=staff, superuser=superuser or staff)


# How a row builds its URL from the world.

PathBuilder = Callable[[World, str], str]


def url(
    name: str, *, query: Mapping[str, str | Callable] | None = None, link: bool = False, **kwargs: str | Callable
) -> PathBuilder:
    """The URL named ``name``; each keyword is a dotted path into the world ("product.slug") or a function of it.

    ``query`` values are strings or functions of the world. ``link``: the caller adds the secret order link they
    hold, if they hold one (``World.link``).
    """

    def build(world: World, role: str) -> str:
        values = {key: value(world) if callable(value) else attrgetter(value)(world) for key, value in kwargs.items()}
        path = reverse(name, kwargs=values)
        params = {key: value(world) if callable(value) else value for key, value in (query or {}).items()}
        if link and world.link(role):
            params["token"] = world.link(role)
        return path + ("?" + "&".join(f"{key}={value}" for key, value in params.items()) if params else "")

    return build


def literal(path: str) -> PathBuilder:
    return lambda world, role: path


@dataclass(frozen=True)
class Raw:
    """A body sent as is, with its content type and headers (a payment provider's signed notification)."""

    content: bytes
    content_type: str
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Row:
    route: str  # the URL's name ("admin:index"), or the pattern of a route without a name
    method: str
    path: PathBuilder
    expect: Mapping[str, Outcome]
    case: str = ""  # which objects, when a route has several rows
    data: Callable[[World], Any] | None = None
    api: bool = False  # sent with the role's API token (JSON unless ``multipart``), else with its session
    multipart: bool = False
    marker: Callable[[World], str] | None = None  # text in the answer of those who may see it (``Outcome.sees``)
    # An allowed write changes rows; False for one that changes none (signing out); None: either.
    changes: bool | None = True
    headers: Mapping[str, str] = field(default_factory=dict)
    roles: tuple[str, ...] = ROLES  # the roles sent; ``expect`` still says what every role gets

    @property
    def label(self) -> str:
        return f"{self.method} {self.route}" + (f" [{self.case}]" if self.case else "")


def page(route: str, method: str, path: PathBuilder, expect: Mapping[str, Outcome], **options: Any) -> Row:
    return Row(route, method, path, expect, **options)


def api(route: str, method: str, path: PathBuilder, expect: Mapping[str, Outcome], **options: Any) -> Row:
    return Row(route, method, path, expect, api=True, **options)


def _shopper_notice(world: World) -> Notice:
    """A notice in the shopper's inbox, naming a number no other page shows."""
    notice, _created = Notice.objects.get_or_create(
        user=world.users["shopper"], code="orders.refunded", params={"number": "NOTICE-7731", "amount": "¥1.00"}
    )
    return notice


def _suggest(name: str) -> PathBuilder:
    """The suggestions for "grapes" (every product of the world is named "Grapes n"), once search can find them."""

    def build(world: World, role: str) -> str:
        product_search_refresh(product_ids=Product.objects.values_list("pk", flat=True))
        return reverse(name) + "?q=grapes"

    return build


def _with_notice(name: str, **kwargs: Callable) -> PathBuilder:
    """The URL named ``name``, once the shopper has a notice in their inbox."""

    def build(world: World, role: str) -> str:
        _shopper_notice(world)
        return reverse(name, kwargs={key: value(world) for key, value in kwargs.items()})

    return build


# Bodies that an allowed caller's request would have accepted.


def _shanghai(moment: datetime) -> str:
    return timezone.localtime(moment, timezone.get_fixed_timezone(8 * 60)).strftime("%Y-%m-%dT%H:%M")


def product_form(world: World) -> dict[str, Any]:
    return {
        "name_en": "Green raisins",
        "category": world.category.slug,
        "harvest_start_month": "8",
        "harvest_end_month": "10",
    }


def variant_form(world: World, variant_attr: str = "variant", *, on_sale: bool = True) -> dict[str, Any]:
    variant = attrgetter(variant_attr)(world)
    prefix = f"v{variant.pk}"
    form = {f"{prefix}-price": "61.00", f"{prefix}-stock": "400", f"{prefix}-expected_stock": str(variant.stock)}
    if on_sale:
        form[f"{prefix}-is_active"] = "on"
    return form


def session_form(world: World) -> dict[str, Any]:
    starts = timezone.now() + timedelta(days=3)
    return {
        "name_en": "Turpan grapes live",
        "description_en": "Picked this morning.",
        "starts_at": _shanghai(starts),
        "ends_at": _shanghai(starts + timedelta(hours=2)),
        "stream_url": "https://live.example.com/room/42",
    }


def api_session(world: World) -> dict[str, Any]:
    starts = timezone.now() + timedelta(days=3)
    return {
        "name_en": "Turpan grape harvest",
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=2)).isoformat(),
    }


def api_order(world: World) -> dict[str, Any]:
    return {
        "lines": [{"variant": world.variant.pk, "quantity": 1}],
        "contact": {"name": "Ayşe", "phone": "13800138000"},
        "delivery": {"method": "pickup", "depot": world.depot.slug},
        "payment_method": "cod",
    }


def signed_notification(world: World, *, signed: bool = True) -> Raw:
    body = payments.simulated_notification_body(
        reference=world.guest_payment.provider_reference, amount=world.guest_payment.amount, succeeded=True
    )
    signature = payments.sign(body) if signed else "0" * 64
    return Raw(body, "application/json", {payments.SIGNATURE_HEADER: signature})


def _site_page() -> SitePage:
    """The returns page, as the migration writes it (made again if a test emptied the table)."""
    return SitePage.objects.get_or_create(slug=SitePage.Slug.RETURNS, defaults={"title_en": "Returns and refunds"})[0]


def _wrong_code(order) -> str:
    return "000000" if order.pickup_code != "000000" else "111111"


def _counter_order(world: World) -> dict[str, Any]:
    """An order a depot manager takes at the counter, each time under a new key."""
    return {
        "action": "place",
        "idempotency_key": f"counter-{timezone.now().timestamp()}",
        f"qty-{world.variant.pk}": "1",
        "name": "Ayşe",
        "phone": "13800138000",
        "delivery_method": "pickup",
    }


OWN = "producer.slug"  # the producer "member" works for, and "depot_manager" assists

# The storefront, accounts, and the back offices of producers, hosts and depots.

PAGE_ROWS: list[Row] = [
    page("health", "GET", url("health"), everyone(ok())),
    page("web-manifest", "GET", url("web-manifest"), everyone(ok())),
    page("health-database", "GET", url("health-database"), everyone(ok())),
    page("ready", "GET", url("ready"), everyone(ok())),
    page("home", "GET", url("home"), everyone(ok())),
    page("site-page", "GET", url("site-page", slug=lambda w: _site_page().slug), everyone(ok())),
    page("site-page", "GET", url("site-page", slug=lambda w: "refunds"), everyone(NOT_FOUND), case="no such page"),
    page(
        "product-list",
        "GET",
        url("product-list"),
        everyone(ok(sees=False)),  # a product of a producer not verified is on sale nowhere
        marker=lambda w: w.pending_product.get_absolute_url(),
    ),
    page(
        "product-suggest",
        "GET",
        _suggest("product-suggest"),
        everyone(ok(sees=False)),  # suggested only when on sale
        marker=lambda w: w.pending_product.get_absolute_url(),
    ),
    page("product-detail", "GET", url("product-detail", slug="product.slug"), everyone(ok())),
    page("product-detail", "GET", url("product-detail", slug="draft.slug"), everyone(NOT_FOUND), case="a draft"),
    page(
        "product-detail",
        "GET",
        url("product-detail", slug="pending_product.slug"),
        everyone(NOT_FOUND),
        case="its producer not verified",
    ),
    page(
        "product-review",
        "POST",
        url("product-review", slug="product.slug"),
        # Only a buyer whose parcel was delivered may review; anyone else is sent back with the reason.
        expect(refused(302), shopper=ok(302)),
        data=lambda w: {"rating": "5", "body": "Sweet and crisp."},
    ),
    page(
        "product-review",
        "POST",
        url("product-review", slug="other_product.slug"),
        everyone(refused(302)),
        case="a product the caller never received",
        data=lambda w: {"rating": "1", "body": "Never came."},
    ),
    page(
        "product-review",
        "GET",
        url("product-review", slug="product.slug"),
        # The address a refused review is shown again at: reloaded, it goes back to the product's reviews.
        everyone(ok(302)),
        case="reloaded after a refused review",
    ),
    page(
        "producer-detail",
        "GET",
        url("producer-detail", slug=OWN),
        everyone(ok(sees=False)),  # staff call the producer's phone; the page never shows it
        marker=attrgetter("producer.phone"),
    ),
    page(
        "producer-detail",
        "GET",
        url("producer-detail", slug="pending_producer.slug"),
        everyone(NOT_FOUND),
        case="not verified",
    ),
    page("village-detail", "GET", url("village-detail", slug="village.slug"), everyone(ok())),
    page("live-session-list", "GET", url("live-session-list"), everyone(ok())),
    page("live-session-detail", "GET", url("live-session-detail", slug="session.slug"), everyone(ok())),
    page(
        "live-session-detail",
        "GET",
        url("live-session-detail", slug="cancelled_session.slug"),
        everyone(NOT_FOUND),
        case="cancelled",
    ),
    page("live-session-stock", "GET", url("live-session-stock", slug="live_session.slug"), everyone(ok())),
    page(
        "live-session-stock",
        "GET",
        url("live-session-stock", slug="cancelled_session.slug"),
        everyone(NOT_FOUND),
        case="cancelled",
    ),
    # The cart and checkout: each visitor's own, found by account or session, never named in the URL.
    page("cart", "GET", url("cart"), everyone(ok())),
    page(
        "cart-add",
        "POST",
        url("cart-add"),
        everyone(ok(302)),
        data=lambda w: {"variant": w.other_variant.pk, "quantity": "1"},
    ),
    page(
        "cart-update",
        "POST",
        url("cart-update"),
        expect(ok(302), anonymous=ok(302, changes=False)),  # no cart: nothing to change
        data=lambda w: {"variant": w.variant.pk, "quantity": "3"},
    ),
    page("checkout", "GET", url("checkout"), expect(ok(), anonymous=ok(302))),  # an empty cart goes back to it
    page(
        "checkout",
        "POST",
        url("checkout"),
        # A form the session did not issue places nothing, whoever sends it.
        everyone(ok(302, changes=False)),
        case="a form this session did not issue",
        data=lambda w: {"idempotency_key": "not-issued", "name": "Ayşe", "phone": "13800138000"},
    ),
    # Orders: the shopper's own; a guest's through its secret link. Anyone else: 404, visitors too.
    page(
        "order-list",
        "GET",
        url("order-list"),
        signed_in(ok(sees=False), shopper=ok(sees=True)),
        marker=lambda w: w.order.number,
    ),
    # The waitlist: any account joins a sold-out size's; each sees and leaves its own entries only.
    page(
        "waitlist",
        "GET",
        url("waitlist"),
        signed_in(ok(sees=False), shopper=ok(sees=True)),
        marker=lambda w: "W-5521",
    ),
    page(
        "waitlist-join",
        "POST",
        url("waitlist-join"),
        signed_in(ok(302), shopper=ok(302, changes=False)),  # the shopper already waits for it
        data=lambda w: {"variant": w.waited_variant.pk, "quantity": "1"},
    ),
    page("waitlist-join", "GET", url("waitlist-join"), everyone(ok(405)), case="joined by its form only"),
    page(
        "waitlist-leave",
        "POST",
        url("waitlist-leave", pk="waitlist_entry.pk"),
        expect(NOT_FOUND, visitors=SIGN_IN, shopper=ok(302)),
    ),
    page(
        "waitlist-leave",
        "GET",
        url("waitlist-leave", pk="waitlist_entry.pk"),
        signed_in(ok(405)),
        case="left by its form only",
    ),
    # The inbox: each account reads its own notices only; another's notice is 404.
    page(
        "inbox",
        "GET",
        _with_notice("inbox"),
        signed_in(ok(sees=False), shopper=ok(sees=True)),
        marker=lambda w: "NOTICE-7731",
    ),
    page(
        "notice-open",
        "GET",
        _with_notice("notice-open", pk=lambda w: _shopper_notice(w).pk),
        expect(NOT_FOUND, visitors=SIGN_IN, shopper=ok(302)),
    ),
    page("inbox-read", "POST", url("inbox-read"), signed_in(ok(302)), changes=None),
    # Signed out and without a link, an order's page asks to sign in, whether or not the order is an account's.
    page(
        "order-detail",
        "GET",
        url("order-detail", number="order.number"),
        expect(NOT_FOUND, visitors=SIGN_IN, shopper=ok()),
    ),
    page(
        "order-detail",
        "GET",
        url("order-detail", number="order.number", query={"token": attrgetter("order.guest_token")}),
        expect(NOT_FOUND, shopper=ok()),  # a shopper's order opens for its shopper only, whatever link is sent
        case="a shopper's order, with its token",
    ),
    # GET asks to confirm the cancellation and changes nothing; POST cancels.
    page("order-cancel", "GET", url("order-cancel", number="order.number"), expect(NOT_FOUND, shopper=ok())),
    page(
        "order-cancel",
        "POST",
        url("order-cancel", number="order.number"),
        expect(NOT_FOUND, shopper=ok(302)),
    ),
    page(
        "order-cancel",
        "GET",
        url("order-cancel", number="guest_order.number", link=True),
        expect(NOT_FOUND, guest=ok()),
        case="a guest's order, with the link the caller holds",
    ),
    page(
        "order-detail",
        "GET",
        url("order-detail", number="guest_order.number", link=True),
        expect(NOT_FOUND, anonymous=SIGN_IN, guest=ok()),
        case="a guest's order, with the link the caller holds",
    ),
    page(
        "order-detail",
        "GET",
        url("order-detail", number="guest_order.number", query={"token": "not-the-link"}),
        everyone(NOT_FOUND),
        case="a guest's order, with a wrong link",
    ),
    page(
        "order-cancel",
        "POST",
        url("order-cancel", number="guest_order.number", link=True),
        expect(NOT_FOUND, guest=ok(302)),
        case="a guest's order, with the link the caller holds",
    ),
    page(
        "order-detail",
        "GET",
        url("order-detail", number="guest_order.number", query={"token": attrgetter("guest_order.guest_token")}),
        # The link is a bearer secret: whoever holds it reaches the order, as docs/security.md intends.
        everyone(ok()),
        case="a guest's order, its link passed on",
    ),
    # A guest's order's link sent again to its phone or email: whoever may open the order; an account's
    # order has no link to send.
    page(
        "order-send-link",
        "POST",
        url("order-send-link", number="guest_order.number", link=True),
        expect(NOT_FOUND, guest=ok(302)),
        case="a guest's order, by email, with the link the caller holds",
        data=lambda w: {"channel": "email"},
    ),
    page(
        "order-send-link",
        "POST",
        url("order-send-link", number="order.number"),
        everyone(NOT_FOUND),
        case="a shopper's order",
        data=lambda w: {"channel": "sms"},
    ),
    # Finding a guest's order by its number and phone: anyone may ask; a code is stored (and texted) only
    # for a pair that is a guest's order, and the answer is the same either way.
    # A packing slip's QR code: anyone holding the parcel's key; a wrong key is no page.
    page(
        "parcel-trace",
        "GET",
        url("parcel-trace", pk="parcel.pk", key="parcel.trace_key"),
        everyone(ok()),
    ),
    page(
        "parcel-trace",
        "GET",
        url("parcel-trace", pk="parcel.pk", key=lambda w: "0" * 20),
        everyone(NOT_FOUND),
        case="a wrong key",
    ),
    page("order-find", "GET", url("order-find"), everyone(ok())),
    page(
        "order-find",
        "POST",
        url("order-find"),
        everyone(ok(302)),
        case="a guest's order's number and phone",
        data=lambda w: {"number": w.guest_order.number, "phone": w.guest_order.contact_phone},
    ),
    page(
        "order-find",
        "POST",
        url("order-find"),
        everyone(ok(302)),
        case="a number and phone of no guest's order",
        data=lambda w: {"number": w.order.number, "phone": w.order.contact_phone},
        changes=False,
    ),
    # The code step without a number and phone first goes back to the first step.
    page("order-find-code", "GET", url("order-find-code"), everyone(ok(302))),
    page(
        "order-find-code",
        "POST",
        url("order-find-code"),
        everyone(ok(302)),
        data=lambda w: {"code": "123456"},
        changes=False,
    ),
    # The simulated provider's page: its reference, a random 32-digit secret, is the payer's link.
    page(
        "payment-page",
        "GET",
        url("payment-page", reference="guest_payment.provider_reference"),
        everyone(ok()),
    ),
    page(
        "payment-page",
        "POST",
        url("payment-page", reference="guest_payment.provider_reference"),
        everyone(ok(302)),
        data=lambda w: {"result": "failed"},
    ),
    page(
        "payment-page",
        "GET",
        url("payment-page", reference=lambda w: "0" * 32),
        everyone(NOT_FOUND),
        case="an unknown reference",
    ),
    page(
        "payment-webhook",
        "POST",
        url("payment-webhook", provider=lambda w: "simulated"),
        everyone(ok(200)),
        case="signed by the provider",
        data=signed_notification,
    ),
    page(
        "payment-webhook",
        "POST",
        url("payment-webhook", provider=lambda w: "simulated"),
        everyone(refused(400)),
        case="a forged signature",
        data=lambda w: signed_notification(w, signed=False),
    ),
    # Accounts.
    page("signup", "GET", url("signup"), everyone(ok())),
    page(
        "signup",
        "POST",
        url("signup"),
        everyone(ok(302)),
        data=lambda w: {
            "username": "newcomer",
            "email": "newcomer@example.com",
            "password1": "a long passphrase 42",
            "password2": "a long passphrase 42",
        },
    ),
    page("login", "GET", url("login"), expect(ok(302), visitors=ok())),  # signed in already: sent on
    page(
        "login",
        "POST",
        url("login"),
        expect(ok(302), visitors=ok(200)),
        case="a wrong password",
        data=lambda w: {"username": "shopper", "password": "wrong"},
        changes=False,
    ),
    # Django's form views answer PUT as POST, with no form data: the form's errors, nothing changed.
    page("login", "PUT", url("login"), expect(ok(302), visitors=ok(200)), changes=False),
    # Signing in or up with a mobile number: anyone may ask for a code (its hash is stored, the SMS texted); an
    # account already signed in is sent on. The code and name steps without the step before go back to it.
    page("phone_start", "GET", url("phone_start"), expect(ok(302), visitors=ok())),
    page(
        "phone_start",
        "POST",
        url("phone_start"),
        expect(ok(302, changes=False), visitors=ok(302)),
        data=lambda w: {"phone": "13900009999"},
    ),
    page("phone_code", "GET", url("phone_code"), everyone(ok(302))),
    page("phone_code", "POST", url("phone_code"), everyone(ok(302)), data=lambda w: {"code": "123456"}, changes=False),
    page("phone_signup", "GET", url("phone_signup"), everyone(ok(302))),
    page(
        "phone_signup",
        "POST",
        url("phone_signup"),
        everyone(ok(302)),
        data=lambda w: {"display_name": "Newcomer"},
        changes=False,
    ),
    page("logout", "POST", url("logout"), everyone(ok(302)), changes=False),
    page("password_reset", "GET", url("password_reset"), everyone(ok())),
    page(
        "password_reset",
        "POST",
        url("password_reset"),
        everyone(ok(302)),
        data=lambda w: {"email": "shopper@example.com"},
        changes=False,
    ),
    page("password_reset", "PUT", url("password_reset"), everyone(ok()), changes=False),
    page("password_reset_done", "GET", url("password_reset_done"), everyone(ok())),
    page(
        "password_reset_confirm",
        "GET",
        url("password_reset_confirm", uidb64=lambda w: "MQ", token=lambda w: "not-a-token"),
        everyone(ok()),
        case="a link that is not valid",
    ),
    page(
        "password_reset_confirm",
        "POST",
        url("password_reset_confirm", uidb64=lambda w: "MQ", token=lambda w: "not-a-token"),
        # The page says the link is not valid; no password changes.
        everyone(refused(200)),
        case="a link that is not valid",
        data=lambda w: {"new_password1": "a long passphrase 42", "new_password2": "a long passphrase 42"},
    ),
    page(
        "password_reset_confirm",
        "PUT",
        url("password_reset_confirm", uidb64=lambda w: "MQ", token=lambda w: "not-a-token"),
        everyone(refused(200)),
        case="a link that is not valid",
    ),
    page("password_reset_complete", "GET", url("password_reset_complete"), everyone(ok())),
    page(
        "set_language",
        "POST",
        url("set_language"),
        everyone(ok(302)),
        data=lambda w: {"language": "ug", "next": "/"},
        changes=False,
    ),
    page(r"^media/(?P<path>.+)$", "GET", lambda w, role: w.image.image.url, everyone(ok())),
    # The producer's back office.
    page(
        "dashboard", "GET", url("dashboard"), signed_in(ok(), member=ok(302), other_member=ok(302))
    ),  # a member: to their producer
    page("producer-apply", "GET", url("producer-apply"), signed_in(ok())),
    page(
        "producer-apply",
        "POST",
        url("producer-apply"),
        signed_in(ok(302)),
        data=lambda w: {
            "kind": "household",
            "village": w.village.slug,
            "name": "Apricot garden",
            "story": "Apricots since 1990.",
            "phone": "13800138000",
        },
    ),
    page("dashboard-overview", "GET", url("dashboard-overview", producer=OWN), producer_office(ok())),
    page("dashboard-activity", "GET", url("dashboard-activity", producer=OWN), producer_office(ok())),
    page("dashboard-product-new", "GET", url("dashboard-product-new", producer=OWN), producer_office(ok())),
    page(
        "dashboard-product-new",
        "POST",
        url("dashboard-product-new", producer=OWN),
        producer_office(ok(302)),
        data=product_form,
    ),
    page(
        "dashboard-product-edit",
        "GET",
        url("dashboard-product-edit", producer=OWN, slug="product.slug"),
        producer_office(ok()),
    ),
    page(
        "dashboard-product-edit",
        "POST",
        url("dashboard-product-edit", producer=OWN, slug="product.slug"),
        producer_office(ok(302)),
        data=product_form,
    ),
    page(
        "dashboard-product-publish",
        "POST",
        url("dashboard-product-publish", producer=OWN, slug="draft.slug"),
        producer_office(ok(302)),
    ),
    page(
        "dashboard-product-archive",
        "POST",
        url("dashboard-product-archive", producer=OWN, slug="product.slug"),
        producer_office(ok(302)),
    ),
    page(
        "dashboard-product-variant-add",
        "POST",
        url("dashboard-product-variant-add", producer=OWN, slug="product.slug"),
        producer_office(ok(302)),
        data=lambda w: {"new-name_en": "5 kg box", "new-price": "99.00", "new-stock": "5"},
    ),
    page(
        "dashboard-product-photos-add",
        "POST",
        url("dashboard-product-photos-add", producer=OWN, slug="product.slug"),
        producer_office(ok(302)),
        data=lambda w: {"photos": png(), "alt_text": "Grapes on the vine"},
    ),
    page(
        "dashboard-product-variant-add",
        "GET",
        url("dashboard-product-variant-add", producer=OWN, slug="product.slug"),
        producer_office(ok(302)),
        case="reloaded after a refused form: back to its page",
    ),
    page(
        "dashboard-product-photos-add",
        "GET",
        url("dashboard-product-photos-add", producer=OWN, slug="product.slug"),
        producer_office(ok(302)),
        case="reloaded after a refused form: back to its page",
    ),
    page("dashboard-lots", "GET", url("dashboard-lots", producer=OWN), producer_office(ok())),
    page(
        "dashboard-lots",
        "POST",
        url("dashboard-lots", producer=OWN),
        producer_office(ok(302)),
        data=lambda w: {
            "new-product": w.product.pk,
            "new-plot": "Lower field",
            "new-picked_on": timezone.localdate().isoformat(),
            "new-grade": "first",
        },
    ),
    page(
        "dashboard-lot-receive",
        "GET",
        url("dashboard-lot-receive", producer=OWN, pk="lot.pk"),
        producer_office(ok(302)),
        case="reloaded after a refused form: back to its page",
    ),
    page(
        "dashboard-lot-receive",
        "POST",
        url("dashboard-lot-receive", producer=OWN, pk="lot.pk"),
        producer_office(ok(302)),
        data=lambda w: {f"lot{w.lot.pk}-variant": w.variant.pk, f"lot{w.lot.pk}-quantity": "5"},
    ),
    page("dashboard-pre-sales", "GET", url("dashboard-pre-sales", producer=OWN), producer_office(ok())),
    page(
        "dashboard-pre-sales",
        "POST",
        url("dashboard-pre-sales", producer=OWN),
        producer_office(ok(302)),
        data=lambda w: {
            "new-variant": w.unsold_variant.pk,
            "new-expected_quantity": "40",
            "new-harvest_from": (timezone.localdate() + timedelta(days=10)).isoformat(),
            "new-harvest_until": (timezone.localdate() + timedelta(days=12)).isoformat(),
            "new-ship_by": (timezone.localdate() + timedelta(days=14)).isoformat(),
        },
    ),
    page(
        "dashboard-pre-sale-harvest",
        "GET",
        url("dashboard-pre-sale-harvest", producer=OWN, pk="pre_sale.pk"),
        producer_office(ok(405)),
        case="the harvest is entered by its form only",
    ),
    page(
        "dashboard-pre-sale-harvest",
        "POST",
        url("dashboard-pre-sale-harvest", producer=OWN, pk="pre_sale.pk"),
        producer_office(ok(302)),
        data=lambda w: {f"ps{w.pre_sale.pk}-quantity": "8"},
    ),
    page(
        "dashboard-variant-edit",
        "GET",
        url("dashboard-variant-edit", producer=OWN, pk="variant.pk"),
        producer_office(ok(302)),
        case="reloaded after a refused form: back to its page",
    ),
    page(
        "dashboard-variant-quick-edit",
        "GET",
        url("dashboard-variant-quick-edit", producer=OWN, pk="variant.pk"),
        producer_office(ok(302)),
        case="reloaded after a refused form: back to its page",
    ),
    page(
        "dashboard-productimage-alt",
        "GET",
        url("dashboard-productimage-alt", producer=OWN, pk="image.pk"),
        producer_office(ok(302)),
        case="reloaded after a refused form: back to its page",
    ),
    page(
        "dashboard-variant-edit",
        "POST",
        url("dashboard-variant-edit", producer=OWN, pk="variant.pk"),
        producer_office(ok(302)),
        data=variant_form,
    ),
    page(
        "dashboard-variant-quick-edit",
        "POST",
        url("dashboard-variant-quick-edit", producer=OWN, pk="variant.pk"),
        producer_office(ok(302)),
        data=lambda w: variant_form(w, on_sale=False),
    ),
    page(
        "dashboard-productimage-move",
        "POST",
        url("dashboard-productimage-move", producer=OWN, pk="image.pk"),
        producer_office(ok(302)),
        data=lambda w: {"direction": "down"},
    ),
    page(
        "dashboard-productimage-alt",
        "POST",
        url("dashboard-productimage-alt", producer=OWN, pk="image.pk"),
        producer_office(ok(302)),
        data=lambda w: {f"p{w.image.pk}-alt_text": "A box of grapes, open"},
    ),
    page(
        "dashboard-productimage-remove",
        "POST",
        url("dashboard-productimage-remove", producer=OWN, pk="image.pk"),
        producer_office(ok(302)),
    ),
    page("dashboard-live", "GET", url("dashboard-live", producer=OWN), producer_office(ok())),
    page(
        "dashboard-live-accept",
        "POST",
        url("dashboard-live-accept", producer=OWN, item="item.pk"),
        producer_office(ok(302)),
    ),
    page(
        "dashboard-live-decline",
        "POST",
        url("dashboard-live-decline", producer=OWN, item="item.pk"),
        producer_office(ok(302)),
    ),
    page(
        "dashboard-orders",
        "GET",
        url("dashboard-orders", producer=OWN),
        producer_office(ok(sees=True)),
        marker=attrgetter("order.number"),
    ),
    page(
        "dashboard-orders",
        "GET",
        url("dashboard-orders", producer=OWN),
        # Not the producer's to ship until it is paid: neither the order nor its shopper's details show.
        producer_office(ok(sees=False)),
        case="an order awaiting payment",
        marker=attrgetter("guest_order.number"),
    ),
    page(
        "dashboard-orders",
        "POST",
        url("dashboard-orders", producer=OWN),
        producer_office(ok(302)),
        case="pack a parcel",
        data=lambda w: {"parcel": w.parcel.pk, "to": "packed"},
    ),
    page(
        "dashboard-packing-slip",
        "GET",
        url("dashboard-packing-slip", producer=OWN, pk="parcel.pk"),
        producer_office(ok()),
    ),
    page("dashboard-pick-list", "GET", url("dashboard-pick-list", producer=OWN), producer_office(ok())),
    page(
        "dashboard-orders-csv",
        "GET",
        url("dashboard-orders-csv", producer=OWN),
        producer_office(ok(sees=True)),
        marker=attrgetter("order.number"),
    ),
    page("dashboard-sales", "GET", url("dashboard-sales", producer=OWN), producer_office(ok())),
    # Another producer's product, variant, photo, parcel or proposal named under one's own producer: 404 for all.
    page(
        "dashboard-product-edit",
        "GET",
        url("dashboard-product-edit", producer=OWN, slug="other_product.slug"),
        producer_office(),
        case="another producer's product",
    ),
    page(
        "dashboard-product-edit",
        "POST",
        url("dashboard-product-edit", producer=OWN, slug="other_product.slug"),
        producer_office(),
        case="another producer's product",
        data=product_form,
    ),
    page(
        "dashboard-product-publish",
        "POST",
        url("dashboard-product-publish", producer=OWN, slug="other_product.slug"),
        producer_office(),
        case="another producer's product",
    ),
    page(
        "dashboard-product-archive",
        "POST",
        url("dashboard-product-archive", producer=OWN, slug="other_product.slug"),
        producer_office(),
        case="another producer's product",
    ),
    page(
        "dashboard-product-variant-add",
        "POST",
        url("dashboard-product-variant-add", producer=OWN, slug="other_product.slug"),
        producer_office(),
        case="another producer's product",
        data=lambda w: {"new-name_en": "5 kg box", "new-price": "99.00", "new-stock": "5"},
    ),
    page(
        "dashboard-product-photos-add",
        "POST",
        url("dashboard-product-photos-add", producer=OWN, slug="other_product.slug"),
        producer_office(),
        case="another producer's product",
        data=lambda w: {"photos": png(), "alt_text": "Melons"},
    ),
    page(
        "dashboard-variant-edit",
        "POST",
        url("dashboard-variant-edit", producer=OWN, pk="other_variant.pk"),
        producer_office(),
        case="another producer's variant",
        data=lambda w: variant_form(w, "other_variant"),
    ),
    page(
        "dashboard-variant-quick-edit",
        "POST",
        url("dashboard-variant-quick-edit", producer=OWN, pk="other_variant.pk"),
        producer_office(),
        case="another producer's variant",
        data=lambda w: variant_form(w, "other_variant", on_sale=False),
    ),
    page(
        "dashboard-productimage-move",
        "POST",
        url("dashboard-productimage-move", producer=OWN, pk="other_image.pk"),
        producer_office(),
        case="another producer's photo",
        data=lambda w: {"direction": "down"},
    ),
    page(
        "dashboard-productimage-alt",
        "POST",
        url("dashboard-productimage-alt", producer=OWN, pk="other_image.pk"),
        producer_office(),
        case="another producer's photo",
        data=lambda w: {f"p{w.other_image.pk}-alt_text": "Melons"},
    ),
    page(
        "dashboard-productimage-remove",
        "POST",
        url("dashboard-productimage-remove", producer=OWN, pk="other_image.pk"),
        producer_office(),
        case="another producer's photo",
    ),
    page(
        "dashboard-live-accept",
        "POST",
        url("dashboard-live-accept", producer=OWN, item="other_item.pk"),
        producer_office(),
        case="another producer's proposal",
    ),
    page(
        "dashboard-live-decline",
        "POST",
        url("dashboard-live-decline", producer=OWN, item="other_item.pk"),
        producer_office(),
        case="another producer's proposal",
    ),
    page(
        "dashboard-orders",
        "POST",
        url("dashboard-orders", producer=OWN),
        producer_office(),
        case="pack another producer's parcel",
        data=lambda w: {"parcel": w.other_parcel.pk, "to": "packed"},
    ),
    page(
        "dashboard-packing-slip",
        "GET",
        url("dashboard-packing-slip", producer=OWN, pk="other_parcel.pk"),
        producer_office(),
        case="another producer's parcel",
    ),
    # A producer of the depot's village that does not sell through the depot: its manager may not act for it.
    page(
        "dashboard-overview",
        "GET",
        url("dashboard-overview", producer="pending_producer.slug"),
        producer_office(),
        case="a producer of the depot's village that does not sell through it",
    ),
    page(
        "dashboard-product-edit",
        "POST",
        url("dashboard-product-edit", producer="pending_producer.slug", slug="pending_product.slug"),
        producer_office(),
        case="a producer of the depot's village that does not sell through it",
        data=product_form,
    ),
    # The host's back office.
    page("host-home", "GET", url("host-home"), host_office(ok())),
    page("host-session-new", "GET", url("host-session-new"), host_office(ok())),
    page("host-session-new", "POST", url("host-session-new"), host_office(ok(302)), data=session_form),
    page("host-session", "GET", url("host-session", slug="session.slug"), host_office(ok())),
    page("host-session", "POST", url("host-session", slug="session.slug"), host_office(ok(302)), data=session_form),
    page("host-session-items", "GET", url("host-session-items", slug="session.slug"), host_office(ok())),
    page(
        "host-session-items",
        "POST",
        url("host-session-items", slug="session.slug"),
        host_office(ok(302)),
        data=lambda w: {
            "variant": w.other_variant.pk,
            "flash_price": "30.00",
            "quantity_cap": "5",
            "per_shopper_limit": "1",
        },
    ),
    page("host-session-go-live", "POST", url("host-session-go-live", slug="session.slug"), host_office(ok(302))),
    page("host-session-end", "POST", url("host-session-end", slug="live_session.slug"), host_office(ok(302))),
    page("host-session-cancel", "POST", url("host-session-cancel", slug="session.slug"), host_office(ok(302))),
    page("host-session-qr", "GET", url("host-session-qr", slug="session.slug"), host_office(ok())),
    page("host-session-live", "GET", url("host-session-live", slug="live_session.slug"), host_office(ok())),
    page("host-session-figures", "GET", url("host-session-figures", slug="live_session.slug"), host_office(ok())),
    page(
        "host-item-update",
        "POST",
        url("host-item-update", item="item.pk"),
        host_office(ok(302)),
        data=lambda w: {"flash_price": "45.00", "quantity_cap": "20", "per_shopper_limit": "2"},
    ),
    page("host-item-remove", "POST", url("host-item-remove", item="item.pk"), host_office(ok(302))),
    page("host-commission", "GET", url("host-commission"), host_office(ok())),
    page("host-commission-csv", "GET", url("host-commission-csv"), host_office(ok())),
    # Another host's session or item: 404 for every role, the host too.
    page(
        "host-session",
        "GET",
        url("host-session", slug="other_session.slug"),
        host_office(),
        case="another host's session",
    ),
    page(
        "host-session",
        "POST",
        url("host-session", slug="other_session.slug"),
        host_office(),
        case="another host's session",
        data=session_form,
    ),
    page(
        "host-session-items",
        "POST",
        url("host-session-items", slug="other_session.slug"),
        host_office(),
        case="another host's session",
        data=lambda w: {"variant": w.variant.pk, "flash_price": "30.00", "quantity_cap": "5", "per_shopper_limit": "1"},
    ),
    page(
        "host-session-items",
        "GET",
        url("host-session-items", slug="other_session.slug"),
        host_office(),
        case="another host's session",
    ),
    page(
        "host-session-go-live",
        "POST",
        url("host-session-go-live", slug="other_session.slug"),
        host_office(),
        case="another host's session",
    ),
    page(
        "host-session-end",
        "POST",
        url("host-session-end", slug="other_session.slug"),
        host_office(),
        case="another host's session",
    ),
    page(
        "host-session-qr",
        "GET",
        url("host-session-qr", slug="other_session.slug"),
        host_office(),
        case="another host's session",
    ),
    page(
        "host-session-cancel",
        "POST",
        url("host-session-cancel", slug="other_session.slug"),
        host_office(),
        case="another host's session",
    ),
    page(
        "host-session-live",
        "GET",
        url("host-session-live", slug="other_session.slug"),
        host_office(),
        case="another host's session",
    ),
    page(
        "host-session-figures",
        "GET",
        url("host-session-figures", slug="other_session.slug"),
        host_office(),
        case="another host's session",
    ),
    page(
        "host-item-update",
        "POST",
        url("host-item-update", item="other_item.pk"),
        host_office(),
        case="another host's item",
        data=lambda w: {"flash_price": "30.00", "quantity_cap": "20", "per_shopper_limit": "2"},
    ),
    page(
        "host-item-remove",
        "POST",
        url("host-item-remove", item="other_item.pk"),
        host_office(),
        case="another host's item",
    ),
    # The depot's back office.
    page("depot", "GET", url("depot"), signed_in(ok(302))),  # to the one depot managed, else to the dashboard
    page("depot-detail", "GET", url("depot-detail", depot="depot.slug"), depot_office(ok())),
    page("depot-pick-list", "GET", url("depot-pick-list", depot="depot.slug"), depot_office(ok())),
    page(
        "depot-parcel-receive",
        "POST",
        url("depot-parcel-receive", depot="depot.slug"),
        depot_office(ok(302)),
        data=lambda w: {"parcel": w.parcel.pk},
    ),
    page(
        "depot-parcel-hand-over",
        "POST",
        url("depot-parcel-hand-over", depot="depot.slug"),
        depot_office(ok(302)),
        data=lambda w: {"parcel": w.received_parcel.pk, "pickup_code": w.received_parcel.order.pickup_code},
    ),
    page(
        "depot-parcel-hand-over",
        "POST",
        url("depot-parcel-hand-over", depot="depot.slug"),
        depot_office(refused(400)),
        case="a wrong pickup code",
        data=lambda w: {"parcel": w.received_parcel.pk, "pickup_code": _wrong_code(w.received_parcel.order)},
    ),
    page("depot-household-add", "GET", url("depot-household-add", depot="depot.slug"), depot_office(ok())),
    page(
        "depot-household-add",
        "POST",
        url("depot-household-add", depot="depot.slug"),
        depot_office(ok(302)),
        data=lambda w: {"name_zh": "阿依古丽家", "name_en": "Aygul's household", "phone": "13900000077"},
    ),
    page(
        "depot-household-add",
        "POST",
        url("depot-household-add", depot="other_depot.slug"),
        expect(NOT_FOUND, visitors=SIGN_IN, other_depot_manager=ok(302)),
        case="another depot",
        data=lambda w: {"name_zh": "阿依古丽家", "name_en": "Aygul's household", "phone": "13900000077"},
    ),
    page("depot-order-new", "GET", url("depot-order-new", depot="depot.slug"), depot_office(ok())),
    page(
        "depot-order-new",
        "POST",
        url("depot-order-new", depot="depot.slug"),
        depot_office(ok(302)),
        data=lambda w: _counter_order(w),
    ),
    page(
        "depot-order-new",
        "POST",
        url("depot-order-new", depot="other_depot.slug"),
        expect(NOT_FOUND, visitors=SIGN_IN, other_depot_manager=ok(302)),
        case="another depot",
        data=lambda w: _counter_order(w),
    ),
    page(
        "depot-parcel-receive",
        "POST",
        url("depot-parcel-receive", depot="depot.slug"),
        depot_office(),
        case="a parcel due at another depot",
        data=lambda w: {"parcel": w.other_parcel.pk},
    ),
    page(
        "depot-parcel-hand-over",
        "POST",
        url("depot-parcel-hand-over", depot="depot.slug"),
        depot_office(),
        case="a parcel due at another depot",
        data=lambda w: {"parcel": w.other_parcel.pk},
    ),
]


# The API: token authentication, JSON bodies.

PAGE_OF = "?page_size=200"

API_ROWS: list[Row] = [
    api("api-root", "GET", url("api-root"), everyone(ok())),
    api("api-schema", "GET", url("api-schema"), everyone(ok())),
    api("api-docs", "GET", url("api-docs"), everyone(ok())),
    api("api-redoc", "GET", url("api-redoc"), everyone(ok())),
    api(r"api/^[\s\S]*\Z", "GET", literal("/api/v1/no-such-list/"), everyone(refused(404, code="not_found"))),
    api(
        "api-token",
        "POST",
        url("api-token"),
        everyone(refused(401, code="invalid_credentials")),
        case="a wrong password",
        data=lambda w: {"username": "shopper", "password": "wrong"},
    ),
    api(
        "api-token",
        "POST",
        url("api-token"),
        everyone(ok()),  # the username and password are what authenticate, whoever sends them
        case="the shopper's username and password",
        data=lambda w: {"username": "shopper", "password": PASSWORD},
        changes=False,
    ),
    api("api-token", "DELETE", url("api-token"), api_account(ok(204))),
    api(
        "api-register",
        "POST",
        url("api-register"),
        everyone(ok(201)),
        data=lambda w: {"username": "newcomer", "email": "newcomer@example.com", "password": "a long passphrase 42"},
    ),
    # Anyone may have a code texted (its hash is stored); a code that is not the number's signs nobody in.
    api("api-phone-code", "POST", url("api-phone-code"), everyone(ok(202)), data=lambda w: {"phone": "13900009999"}),
    api(
        "api-phone-token",
        "POST",
        url("api-phone-token"),
        everyone(refused(401, code="wrong_code")),
        case="a code not sent",
        data=lambda w: {"phone": "13900009999", "sms_code": "123456"},
    ),
    api("api-village-list", "GET", url("api-village-list"), everyone(ok())),
    api("api-village-detail", "GET", url("api-village-detail", slug="village.slug"), everyone(ok())),
    api("api-producer-list", "GET", url("api-producer-list"), everyone(ok())),
    api(
        "api-producer-detail",
        "GET",
        url("api-producer-detail", slug=OWN),
        everyone(ok(sees=False)),  # a producer's phone is never serialized
        marker=attrgetter("producer.phone"),
    ),
    api(
        "api-producer-detail",
        "GET",
        url("api-producer-detail", slug="pending_producer.slug"),
        everyone(API_NOT_FOUND),
        case="not verified",
    ),
    api("api-category-list", "GET", url("api-category-list"), everyone(ok())),
    api("api-concept-list", "GET", url("api-concept-list"), everyone(ok())),
    api(
        "api-product-list",
        "GET",
        url("api-product-list"),
        everyone(ok(sees=False)),
        case="a producer not verified",
        marker=lambda w: f'"{w.pending_product.slug}"',
    ),
    api(
        "api-product-list",
        "GET",
        url("api-product-list"),
        everyone(ok(sees=False)),  # drafts are read one by one, by their producer's members
        case="a draft",
        marker=lambda w: f'"{w.draft.slug}"',
    ),
    api(
        "api-product-list",
        "POST",
        url("api-product-list"),
        # Only a member creates a product for their producer; anyone else names a producer not theirs.
        expect(refused(400), visitors=UNAUTHORIZED, member=ok(201)),
        data=lambda w: {"producer": w.producer.slug, "category": w.category.slug, "name_en": "Green raisins"},
    ),
    api(
        "api-product-suggest",
        "GET",
        _suggest("api-product-suggest"),
        everyone(ok(sees=False)),  # suggested only when on sale
        marker=lambda w: w.pending_product.get_absolute_url(),
    ),
    api("api-product-detail", "GET", url("api-product-detail", slug="product.slug"), everyone(ok())),
    api(
        "api-product-detail",
        "GET",
        url("api-product-detail", slug="draft.slug"),
        expect(API_NOT_FOUND, member=ok()),  # a draft: its producer's members only
        case="a draft",
    ),
    api(
        "api-product-detail",
        "GET",
        url("api-product-detail", slug="pending_product.slug"),
        everyone(API_NOT_FOUND),
        case="its producer not verified",
    ),
    api("api-product-review-list", "GET", url("api-product-review-list", slug="product.slug"), everyone(ok())),
    api(
        "api-product-review-list",
        "GET",
        url("api-product-review-list", slug="draft.slug"),
        everyone(API_NOT_FOUND),  # a draft's reviews are not published, even to its members
        case="a draft",
    ),
    api(
        "api-product-detail",
        "PATCH",
        url("api-product-detail", slug="product.slug"),
        api_only(member=ok()),
        data=lambda w: {"description_en": "Sweet and crisp."},
    ),
    api("api-product-detail", "DELETE", url("api-product-detail", slug="product.slug"), api_only(member=ok(204))),
    api(
        "api-product-variant-list",
        "POST",
        url("api-product-variant-list", slug="product.slug"),
        api_only(member=ok(201)),
        data=lambda w: {"sku": "GRAPES-5KG", "name_en": "5 kg box", "price": "99.00", "stock": 5},
    ),
    api(
        "api-product-image-list",
        "POST",
        url("api-product-image-list", slug="product.slug"),
        api_only(member=ok(201, 202)),  # 202: the photo is re-encoded after the answer
        data=lambda w: {"image": png(), "alt_text": "Grapes"},
        multipart=True,
    ),
    api(
        "api-variant-detail",
        "PATCH",
        url("api-variant-detail", pk="variant.pk"),
        api_only(member=ok()),
        data=lambda w: {"price": "61.00"},
    ),
    api(
        "api-order-list",
        "GET",
        url("api-order-list"),
        api_account(ok(sees=False), shopper=ok(sees=True)),
        marker=lambda w: w.order.number,
    ),
    api(
        "api-order-list",
        "POST",
        url("api-order-list"),
        api_account(ok(201)),
        data=api_order,
        headers={"Idempotency-Key": "6f1c2a9e-matrix"},
    ),
    api("api-order-detail", "GET", url("api-order-detail", number="order.number"), api_only(shopper=ok())),
    api(
        "api-order-detail",
        "GET",
        url("api-order-detail", number="guest_order.number"),
        api_only(),
        case="a guest's order",
    ),
    api("api-order-cancel", "POST", url("api-order-cancel", number="order.number"), api_only(shopper=ok())),
    api(
        "api-order-cancel",
        "POST",
        url("api-order-cancel", number="guest_order.number"),
        api_only(),
        case="a guest's order",
    ),
    api(
        "api-fulfilment-list",
        "GET",
        url("api-fulfilment-list"),
        # Members only: a depot manager acts for a household on its pages, not through the API.
        api_account(ok(sees=False), member=ok(sees=True)),
        marker=lambda w: w.order.number,
    ),
    api(
        "api-fulfilment-list",
        "GET",
        url("api-fulfilment-list"),
        api_account(ok(sees=False)),  # an order awaiting payment is no producer's to ship yet
        case="an order awaiting payment",
        marker=attrgetter("guest_order.number"),
    ),
    api(
        "api-fulfilment-transition",
        "POST",
        url("api-fulfilment-transition", pk="parcel.pk"),
        api_only(member=ok()),
        data=lambda w: {"to": "packed"},
    ),
    api("api-live-session-list", "GET", url("api-live-session-list"), everyone(ok())),
    api("api-live-session-detail", "GET", url("api-live-session-detail", slug="session.slug"), everyone(ok())),
    api(
        "api-live-session-detail",
        "GET",
        url("api-live-session-detail", slug="cancelled_session.slug"),
        everyone(API_NOT_FOUND),
        case="cancelled",
    ),
    api(
        "api-host-session-list",
        "GET",
        url("api-host-session-list"),
        api_account(NOT_A_HOST, host=ok()),
    ),
    api(
        "api-host-session-list",
        "POST",
        url("api-host-session-list"),
        api_account(NOT_A_HOST, host=ok(201)),
        data=api_session,
    ),
    api("api-host-session-detail", "GET", url("api-host-session-detail", slug="session.slug"), api_only(host=ok())),
    api(
        "api-host-session-detail",
        "PATCH",
        url("api-host-session-detail", slug="session.slug"),
        api_only(host=ok()),
        data=lambda w: {"name_en": "Renamed"},
    ),
    api(
        "api-host-session-go-live",
        "POST",
        url("api-host-session-go-live", slug="session.slug"),
        api_only(host=ok()),
    ),
    api(
        "api-host-session-end",
        "POST",
        url("api-host-session-end", slug="live_session.slug"),
        api_only(host=ok()),
    ),
    api(
        "api-host-session-cancel",
        "POST",
        url("api-host-session-cancel", slug="session.slug"),
        api_only(host=ok()),
    ),
    api(
        "api-host-session-cover",
        "POST",
        url("api-host-session-cover", slug="session.slug"),
        api_only(host=ok()),
        data=lambda w: {"cover": png("cover.png")},
        multipart=True,
    ),
    api(
        "api-host-session-cover",
        "DELETE",
        url("api-host-session-cover", slug="session.slug"),
        api_only(host=ok()),
    ),
    api("api-host-session-items", "GET", url("api-host-session-items", slug="session.slug"), api_only(host=ok())),
    api(
        "api-host-session-items",
        "POST",
        url("api-host-session-items", slug="session.slug"),
        api_only(host=ok(201)),
        data=lambda w: {
            "variant": w.other_variant.pk,
            "flash_price": "30.00",
            "quantity_cap": 5,
            "per_shopper_limit": 1,
        },
    ),
    api(
        "api-host-session-figures",
        "GET",
        url("api-host-session-figures", slug="live_session.slug"),
        api_only(host=ok()),
    ),
    api(
        "api-host-item-detail",
        "PATCH",
        url("api-host-item-detail", pk="item.pk"),
        api_only(host=ok()),
        data=lambda w: {"flash_price": "45.00"},
    ),
    api("api-host-item-detail", "DELETE", url("api-host-item-detail", pk="item.pk"), api_only(host=ok(204))),
    api("api-host-commission", "GET", url("api-host-commission"), api_account(NOT_A_HOST, host=ok())),
    api(
        "api-live-proposal-list",
        "GET",
        url("api-live-proposal-list"),
        api_account(ok(sees=False), member=ok(sees=True), depot_manager=ok(sees=True)),
        marker=lambda w: w.session.slug,
    ),
    api(
        "api-live-proposal-accept",
        "POST",
        url("api-live-proposal-accept", pk="item.pk"),
        api_only(member=ok(), depot_manager=ok()),
    ),
    api(
        "api-live-proposal-decline",
        "POST",
        url("api-live-proposal-decline", pk="item.pk"),
        api_only(member=ok(), depot_manager=ok()),
    ),
    # Another host's session or item: 404 for every account, the host too.
    api(
        "api-host-session-detail",
        "GET",
        url("api-host-session-detail", slug="other_session.slug"),
        api_only(),
        case="another host's session",
    ),
    api(
        "api-host-session-detail",
        "PATCH",
        url("api-host-session-detail", slug="other_session.slug"),
        api_only(),
        case="another host's session",
        data=lambda w: {"name_en": "Renamed"},
    ),
    api(
        "api-host-session-go-live",
        "POST",
        url("api-host-session-go-live", slug="other_session.slug"),
        api_only(),
        case="another host's session",
    ),
    api(
        "api-host-session-cancel",
        "POST",
        url("api-host-session-cancel", slug="other_session.slug"),
        api_only(),
        case="another host's session",
    ),
    api(
        "api-host-session-cover",
        "DELETE",
        url("api-host-session-cover", slug="other_session.slug"),
        api_only(),
        case="another host's session",
    ),
    api(
        "api-host-session-items",
        "POST",
        url("api-host-session-items", slug="other_session.slug"),
        api_only(),
        case="another host's session",
        data=lambda w: {"variant": w.variant.pk, "flash_price": "30.00", "quantity_cap": 5, "per_shopper_limit": 1},
    ),
    api(
        "api-host-session-figures",
        "GET",
        url("api-host-session-figures", slug="other_session.slug"),
        api_only(),
        case="another host's session",
    ),
    api(
        "api-host-item-detail",
        "PATCH",
        url("api-host-item-detail", pk="other_item.pk"),
        api_only(),
        case="another host's item",
        data=lambda w: {"flash_price": "30.00"},
    ),
    api(
        "api-host-item-detail",
        "DELETE",
        url("api-host-item-detail", pk="other_item.pk"),
        api_only(),
        case="another host's item",
    ),
]


# Django admin: its own pages, then each registered model's pages from ``ADMIN_MODELS``.


def _action(name: str, pk: int) -> dict[str, Any]:
    return {"action": name, "_selected_action": [pk], "index": "0"}


def _list_edit(pk: int, **fields: str) -> dict[str, Any]:
    """The list's form for one row, as the changelist posts it with its Save button."""
    form = {"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1", "form-0-id": str(pk), "_save": "Save"}
    return form | {f"form-0-{name}": value for name, value in fields.items()}


STAFF_ONLY = admin_pages(ok())

ADMIN_ROWS: list[Row] = [
    page("admin:index", "GET", url("admin:index"), STAFF_ONLY),
    page(
        "admin:login",
        "GET",
        url("admin:login"),
        # Staff are sent on to the index; anyone else gets the form (an account that is not staff is told so).
        expect(ok(), staff=ok(302), superuser=ok(302)),
    ),
    page(
        "admin:login",
        "POST",
        url("admin:login"),
        everyone(ok()),
        case="a wrong password",
        data=lambda w: {"username": "superuser", "password": "wrong"},
        changes=False,
    ),
    page(
        "admin:login",
        "POST",
        url("admin:login"),
        everyone(refused(200)),  # the right password of an account that is not staff does not sign in
        case="an account that is not staff",
        data=lambda w: {"username": "shopper", "password": PASSWORD},
    ),
    # Staff are signed out and sent to the storefront; anyone else is only sent to the admin's index.
    page("admin:logout", "POST", url("admin:logout"), everyone(ok(302)), changes=False),
    page("admin:password_change", "GET", url("admin:password_change"), STAFF_ONLY),
    page(
        "admin:password_change",
        "POST",
        url("admin:password_change"),
        admin_pages(ok(changes=False)),
        case="a wrong old password",
        data=lambda w: {
            "old_password": "wrong",
            "new_password1": "a long passphrase 42",
            "new_password2": "a long passphrase 42",
        },
    ),
    page("admin:password_change_done", "GET", url("admin:password_change_done"), STAFF_ONLY),
    page(
        "admin:autocomplete",
        "GET",
        lambda w, role: reverse("admin:autocomplete") + "?app_label=live&model_name=host&field_name=user&term=shop",
        STAFF_ONLY,
    ),
    page("admin:jsi18n", "GET", url("admin:jsi18n"), STAFF_ONLY),
    page(
        "admin:view_on_site",
        "GET",
        url(
            "admin:view_on_site",
            content_type_id=lambda w: ContentType.objects.get_for_model(w.product).pk,
            object_id="product.pk",
        ),
        admin_pages(ok(302)),
    ),
    *(
        page(
            "admin:app_list",
            "GET",
            url("admin:app_list", app_label=lambda w, label=label: label),
            STAFF_ONLY,
            case=label,
        )
        for label in sorted({model._meta.app_label for model in admin.site._registry})
    ),
    page("admin:live_host_commission", "GET", url("admin:live_host_commission"), STAFF_ONLY),
    page("admin:live_host_commission_csv", "GET", url("admin:live_host_commission_csv"), STAFF_ONLY),
    page("admin:producers_depot_load", "GET", url("admin:producers_depot_load"), STAFF_ONLY),
    page("admin:orders_order_impact", "GET", url("admin:orders_order_impact"), STAFF_ONLY),
    page("admin:orders_order_impact_csv", "GET", url("admin:orders_order_impact_csv"), STAFF_ONLY),
    # A producer's "Verify" and "Reject" buttons: staff who may change producers (here the superuser) only.
    page(
        "admin:producers_producer_reject",
        "GET",
        url("admin:producers_producer_reject", object_id="pending_producer.pk"),
        admin_pages(FORBIDDEN, superuser=ok()),
    ),
    page(
        "admin:producers_producer_reject",
        "POST",
        url("admin:producers_producer_reject", object_id="pending_producer.pk"),
        admin_pages(FORBIDDEN, superuser=ok(302)),
        data=lambda w: {"reason": "Add a photo of the orchard."},
    ),
    page(
        "admin:producers_producer_verify",
        "POST",
        url("admin:producers_producer_verify", object_id="pending_producer.pk"),
        admin_pages(FORBIDDEN, superuser=ok(302)),
    ),
    # An order's "Refund a parcel" form: staff who may change orders (here the superuser) only. The world's order
    # is cash on delivery not yet collected, so the superuser's refund is refused on the form and changes nothing.
    page(
        "admin:orders_order_refund_parcel",
        "GET",
        url(
            "admin:orders_order_refund_parcel",
            object_id="order.pk",
            fulfilment_id=lambda w: w.order.fulfilments.get().pk,
        ),
        admin_pages(FORBIDDEN, superuser=ok()),
    ),
    page(
        "admin:orders_order_refund_parcel",
        "POST",
        url(
            "admin:orders_order_refund_parcel",
            object_id="order.pk",
            fulfilment_id=lambda w: w.order.fulfilments.get().pk,
        ),
        admin_pages(FORBIDDEN, superuser=ok(200, changes=False)),
        data=lambda w: {"amount": "5.00", "reason": "Bruised"},
    ),
    # Another account's password: the superuser only; staff who only view users get 403.
    page(
        "admin:auth_user_password_change",
        "GET",
        url("admin:auth_user_password_change", id=lambda w: w.users["other_shopper"].pk),
        admin_pages(FORBIDDEN, superuser=ok()),
    ),
    page(
        "admin:auth_user_password_change",
        "POST",
        url("admin:auth_user_password_change", id=lambda w: w.users["other_shopper"].pk),
        admin_pages(FORBIDDEN, superuser=ok(302)),
        data=lambda w: {"password1": "a long passphrase 42", "password2": "a long passphrase 42"},
    ),
    page("admin/(?P<url>.*)$", "GET", literal("/admin/no-such-page/"), admin_pages(NOT_FOUND)),
    # Writes from a list: an action that answers for producers, and fields edited in the list. Staff who only
    # view are refused; the superuser's write goes through.
    page(
        "admin:live_livesession_changelist",
        "POST",
        url("admin:live_livesession_changelist"),
        admin_pages(refused(200), superuser=ok(302)),  # staff: the action is not offered, the list again
        case="accept for the producers who sell through a depot",
        data=lambda w: _action("accept_for_depot_producers", w.session.pk),
    ),
    page(
        "admin:live_livesessionitem_changelist",
        "POST",
        url("admin:live_livesessionitem_changelist"),
        admin_pages(refused(200), superuser=ok(302)),  # staff: the action is not offered, the list again
        case="accept for the producers who sell through a depot",
        data=lambda w: _action("accept_for_depot_producers", w.item.pk),
    ),
    page(
        "admin:live_host_changelist",
        "POST",
        url("admin:live_host_changelist"),
        admin_pages(FORBIDDEN, superuser=ok(302)),
        case="a commission rate edited in the list",
        data=lambda w: _list_edit(w.host.pk, commission_rate="0.0900", display_name=w.host.display_name),
    ),
    page(
        "admin:catalog_review_changelist",
        "POST",
        url("admin:catalog_review_changelist"),
        admin_pages(FORBIDDEN, superuser=ok(302)),
        case="a review hidden in the list",
        data=lambda w: _list_edit(w.review.pk),  # "is_visible" left out: unticked
    ),
]


@dataclass(frozen=True)
class AdminModel:
    """What a superuser may do on a model's admin pages besides viewing, and the world's object they open.

    Staff hold every "view" permission and no other: they see each list, page and history, and change nothing.
    """

    may: str  # the letters of what a superuser may do: "a"dd, "c"hange, "d"elete
    instance: Callable[[World], Any]
    # Deleting it would delete rows whose admin deletes nothing: the page lists them and the delete is refused.
    delete_cascades_refused: bool = False


ADMIN_MODELS: dict[str, AdminModel] = {
    "auth.group": AdminModel("acd", attrgetter("group")),
    "marketplace.sitepage": AdminModel("c", lambda w: _site_page()),  # fixed pages: edited, never added
    "marketplace.user": AdminModel("acd", lambda w: w.users["other_shopper"]),
    "notifications.outboxmessage": AdminModel("", lambda w: OutboxMessage.objects.order_by("pk").first()),
    "producers.prefecture": AdminModel("acd", attrgetter("village.county.prefecture")),
    "producers.county": AdminModel("acd", attrgetter("village.county")),
    "producers.village": AdminModel("acd", attrgetter("village")),
    "producers.depot": AdminModel("acd", attrgetter("depot")),
    "producers.producer": AdminModel("acd", attrgetter("producer")),
    "catalog.category": AdminModel("acd", attrgetter("category")),
    "catalog.product": AdminModel("acd", attrgetter("product")),
    "catalog.concept": AdminModel("acd", attrgetter("concept")),
    "catalog.variant": AdminModel("", attrgetter("variant")),  # edited on its product's page
    "catalog.review": AdminModel("cd", attrgetter("review")),  # written by buyers; staff hide or delete
    "catalog.harvestlot": AdminModel("", attrgetter("lot")),  # recorded by producers in their back office
    "catalog.presale": AdminModel("", attrgetter("pre_sale")),  # opened and harvested in the back office
    "catalog.waitlistentry": AdminModel("", attrgetter("waitlist_entry")),  # joined and left on the storefront
    "orders.order": AdminModel("c", attrgetter("order")),  # placed at checkout, never deleted
    "orders.payment": AdminModel("", attrgetter("guest_payment")),
    "live.host": AdminModel("acd", attrgetter("host")),
    "live.livesession": AdminModel("acd", attrgetter("session"), delete_cascades_refused=True),  # its items
    "live.livesessionitem": AdminModel("", attrgetter("item")),
    "live.commissionentry": AdminModel("", lambda w: CommissionEntry.objects.order_by("pk").first()),
}

# The admin tells accounts apart only by is_staff, is_superuser and permissions: its generated pages, ten per
# model, are sent as a visitor, two accounts that are not staff, staff and the superuser. ADMIN_ROWS above send
# every role to the admin's own pages.
ADMIN_MODEL_ROLES = ("anonymous", "shopper", "member", "staff", "superuser")


def _admin_url(label: str, view: str) -> PathBuilder:
    app_label, model_name = label.split(".")
    instance = ADMIN_MODELS[label].instance

    def build(world: World, role: str) -> str:
        if view in ("changelist", "add"):
            return reverse(f"admin:{app_label}_{model_name}_{view}")
        return reverse(f"admin:{app_label}_{model_name}_{view}", args=[instance(world).pk])

    return build


def _object_path(label: str) -> PathBuilder:
    app_label, model_name = label.split(".")
    instance = ADMIN_MODELS[label].instance
    return lambda world, role: f"/admin/{app_label}/{model_name}/{instance(world).pk}/"


def _selected(label: str) -> Callable[[World], dict[str, Any]]:
    instance = ADMIN_MODELS[label].instance
    return lambda w: {"action": "delete_selected", "_selected_action": [instance(w).pk], "index": "0", "post": "yes"}


def admin_model_rows(label: str) -> list[Row]:
    """A registered model's list, add, change, delete and history pages, and the object URL that leads to them."""
    may = ADMIN_MODELS[label].may
    deletes = "d" in may and not ADMIN_MODELS[label].delete_cascades_refused
    app_label, model_name = label.split(".")
    # What a superuser's allowed write changes depends on the row: an empty form is refused with its errors, a
    # row that history protects is listed instead of deleted. Allowed, either way; "changes" is not asserted.
    either = Outcome((200, 302), True)

    def if_may(letter: str, outcome: Outcome) -> Outcome:
        return outcome if letter in may else FORBIDDEN

    def name(view: str) -> str:
        return f"admin:{app_label}_{model_name}_{view}"

    rows = [
        page(name("changelist"), "GET", _admin_url(label, "changelist"), STAFF_ONLY),
        page(
            name("changelist"),
            "POST",
            _admin_url(label, "changelist"),
            # The delete action is offered only to those who may delete; for anyone else it deletes nothing.
            admin_pages(refused(200, 302), superuser=either if deletes else refused(200, 302, 403)),
            case="delete the selected",
            data=_selected(label),
            changes=None,
        ),
        page(name("add"), "GET", _admin_url(label, "add"), admin_pages(FORBIDDEN, if_may("a", ok()))),
        page(
            name("add"),
            "POST",
            _admin_url(label, "add"),
            admin_pages(FORBIDDEN, if_may("a", ok(changes=False))),  # an empty form: its errors, nothing added
            case="an empty form",
            data=lambda w: {},
        ),
        page(name("change"), "GET", _admin_url(label, "change"), STAFF_ONLY),
        page(
            name("change"),
            "POST",
            _admin_url(label, "change"),
            admin_pages(FORBIDDEN, if_may("c", either)),
            case="an empty form",
            data=lambda w: {},
            changes=None,
        ),
        page(name("delete"), "GET", _admin_url(label, "delete"), admin_pages(FORBIDDEN, if_may("d", ok()))),
        page(
            name("delete"),
            "POST",
            _admin_url(label, "delete"),
            admin_pages(FORBIDDEN, superuser=either if deletes else FORBIDDEN),
            data=lambda w: {"post": "yes"},
            changes=None,
        ),
        page(name("history"), "GET", _admin_url(label, "history"), STAFF_ONLY),
        # The object's bare URL only redirects to its change page, which is guarded as above.
        page(f"admin/{app_label}/{model_name}/<path:object_id>/", "GET", _object_path(label), everyone(ok(302))),
    ]
    return [replace(row, roles=ADMIN_MODEL_ROLES) for row in rows]


def admin_registered() -> list[str]:
    return sorted(model._meta.label_lower for model in admin.site._registry)


def all_rows() -> list[Row]:
    model_rows = [row for label in admin_registered() if label in ADMIN_MODELS for row in admin_model_rows(label)]
    return [*PAGE_ROWS, *API_ROWS, *ADMIN_ROWS, *model_rows]


def cases(rows: Iterable[Row]) -> list[tuple[Row, str]]:
    return [(row, role) for row in rows for role in row.roles]


def case_id(value: Any) -> str:
    return value.label if isinstance(value, Row) else str(value)


def encode_api(body: Any) -> str:
    return json.dumps(body if body is not None else {}, default=str)
