"""The back office as a whole: every list page, change page and add page staff can open."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db import connection
from django.db.models import Model
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from catalog.models import (
    Category,
    Concept,
    HarvestLot,
    LotReceipt,
    PreSale,
    Product,
    Review,
    Variant,
    WaitlistEntry,
)
from live.models import CommissionEntry, Host, LiveSession, LiveSessionItem
from marketplace.models import SitePage, User
from notifications.models import OutboxMessage
from orders.models import Order, Payment
from producers.models import County, Depot, Prefecture, Producer, Village
from tests.factories import (
    CategoryFactory,
    CountyFactory,
    DepotFactory,
    HostFactory,
    LiveSessionItemFactory,
    MembershipFactory,
    OrderEventFactory,
    OrderLineFactory,
    PaymentFactory,
    PrefectureFactory,
    ProducerFactory,
    ProductFactory,
    ProductImageFactory,
    UserFactory,
    VariantFactory,
    VillageFactory,
)


def make_depot() -> Model:
    depot = DepotFactory()
    depot.managers.add(UserFactory(), UserFactory())
    return depot


def make_producer() -> Model:
    producer = ProducerFactory(verified_by=UserFactory(), default_depot=DepotFactory())
    MembershipFactory(producer=producer)
    return producer


def make_product() -> Model:
    product = ProductFactory()
    VariantFactory.create_batch(2, product=product)
    ProductImageFactory.create_batch(2, product=product)
    return product


def make_review() -> Model:
    return Review.objects.create(product=ProductFactory(), author=UserFactory(), rating=5, body="Sweet grapes")


def make_order() -> Model:
    line = OrderLineFactory(fulfilment__order__live_session=LiveSessionItemFactory().session)
    order = line.order
    PaymentFactory(order=order)
    OrderEventFactory(order=order, actor=UserFactory(), fulfilment=line.fulfilment, on_behalf_of=line.producer)
    return order


def make_live_session() -> Model:
    item = LiveSessionItemFactory()
    LiveSessionItemFactory(session=item.session)
    return item.session


def make_live_session_item() -> Model:
    return LiveSessionItemFactory(consent_by=UserFactory(), consent_at=timezone.now())


def make_commission_entry() -> Model:
    line = OrderLineFactory(fulfilment__order__live_session=LiveSessionItemFactory().session)
    session = line.order.live_session
    return CommissionEntry.objects.create(
        host=session.host,
        session=session,
        order=line.order,
        order_line=line,
        kind=CommissionEntry.Kind.PENDING,
        event=CommissionEntry.Event.PLACED,
        base=line.line_total,
        rate=Decimal("0.0500"),
        amount=Decimal("2.95"),
    )


def make_outbox_message() -> Model:
    return OutboxMessage.objects.create(
        handler="orders.notifications.send_order_emails",
        payload={"order_id": 1, "event": "placed", "fulfilment_id": None},
        next_attempt_at=timezone.now(),
    )


_category_number = iter(range(10**6))


# One maker per registered model: it builds a row with the related rows its pages show.
def make_harvest_lot() -> HarvestLot:
    """A lot with a receipt, as a producer's back office records them."""
    product = make_product()
    lot = HarvestLot.objects.create(
        producer=product.producer, product=product, plot="Upper vineyard", picked_on=date(2026, 8, 2), grade="first"
    )
    LotReceipt.objects.create(lot=lot, variant=VariantFactory(product=product), quantity=20)
    return lot


def make_pre_sale() -> PreSale:
    """A pre-sale whose harvest is entered, as a producer's back office leaves it."""
    return PreSale.objects.create(
        variant=VariantFactory(product=make_product()),
        expected_quantity=40,
        harvest_from=date(2026, 8, 1),
        harvest_until=date(2026, 8, 10),
        ship_by=date(2026, 8, 12),
        status=PreSale.Status.HARVESTED,
        harvested_quantity=35,
        orders_filled=7,
        orders_cut=1,
    )


MAKERS: dict[type[Model], Callable[[], Model]] = {
    User: UserFactory,
    Group: lambda: Group.objects.create(name=f"group {next(_category_number)}"),
    Prefecture: PrefectureFactory,
    County: CountyFactory,
    Village: VillageFactory,
    Depot: make_depot,
    Producer: make_producer,
    Category: lambda: CategoryFactory(slug=f"category-{next(_category_number)}"),
    Concept: lambda: Concept.objects.create(
        slug=f"concept-{next(_category_number)}", name_zh="葡萄", name_ug="ئۈزۈم", name_en="Grape", terms="putao, uzum"
    ),
    Product: make_product,
    Variant: VariantFactory,
    Review: make_review,
    HarvestLot: make_harvest_lot,
    PreSale: make_pre_sale,
    WaitlistEntry: lambda: WaitlistEntry.objects.create(
        variant=VariantFactory(product=make_product(), stock=0), shopper=UserFactory(), quantity=2
    ),
    Order: make_order,
    Payment: PaymentFactory,
    Host: HostFactory,
    LiveSession: make_live_session,
    LiveSessionItem: make_live_session_item,
    CommissionEntry: make_commission_entry,
    OutboxMessage: make_outbox_message,
    # Five fixed pages in use; the list's query count is measured on more rows than that.
    SitePage: lambda: SitePage.objects.create(slug=f"page-{next(_category_number)}", title_en="Delivery times"),
}
MODELS = sorted(MAKERS, key=lambda model: model._meta.label)


def admin_url(model: type[Model], view: str, *args: object) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_model_in_the_back_office_has_a_page_test():
    """No model is registered in the admin without its list and change pages being tested here."""
    assert set(admin.site._registry) == set(MAKERS)


def count_changelist_queries(client, model: type[Model]) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(admin_url(model, "changelist"))
    assert response.status_code == 200
    return len(queries)


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_list_page_runs_the_same_queries_for_3_rows_as_for_30(admin_client, model):
    """A list page costs as many database queries with 30 rows as with 3: nothing is fetched row by row."""
    for _ in range(3):
        MAKERS[model]()
    count_changelist_queries(admin_client, model)  # Warm the per-process caches (content types).
    with_3 = count_changelist_queries(admin_client, model)

    for _ in range(27):
        MAKERS[model]()
    response = admin_client.get(admin_url(model, "changelist"))
    with_30 = count_changelist_queries(admin_client, model)

    shown = response.context["cl"].result_count
    assert shown >= 30
    assert with_30 == with_3, f"{model._meta.label}: {with_3} queries with 3 rows, {with_30} with 30"


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_change_page_opens_with_its_related_rows(admin_client, model):
    """Staff can open any row, with its inlines (variants, photos, lines, parcels, members, items)."""
    obj = MAKERS[model]()

    response = admin_client.get(admin_url(model, "change", obj.pk))

    assert response.status_code == 200
    assert str(obj.pk) in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("model", MODELS, ids=lambda model: model._meta.label)
def test_add_page_opens_where_adding_is_allowed(admin_client, rf, admin_user, model):
    """The "add" page opens for what staff create; orders, payments, variants, reviews, featured items
    (added on their session's page), commission entries (written by the order services) and outbox
    messages (written with the change they tell of) and the fixed site pages have none."""
    request = rf.get("/")
    request.user = admin_user
    allowed = admin.site._registry[model].has_add_permission(request)

    response = admin_client.get(admin_url(model, "add"))

    assert response.status_code == (200 if allowed else 403)
    no_add = {
        Order,
        Payment,
        Variant,
        Review,
        HarvestLot,
        PreSale,
        WaitlistEntry,
        LiveSessionItem,
        CommissionEntry,
        OutboxMessage,
        SitePage,
    }
    assert allowed == (model not in no_add)


def add_order_rows(order: Model) -> None:
    line = OrderLineFactory(fulfilment__order=order)
    PaymentFactory(order=order)
    OrderEventFactory(order=order, actor=UserFactory(), fulfilment=line.fulfilment)


def add_product_rows(product: Model) -> None:
    VariantFactory(product=product)
    ProductImageFactory(product=product)


# (model, a function adding one row to each inline, queries each added row may cost).
# An autocomplete widget looks up the option it shows, one query per inline row (Django's
# AutocompleteSelect); inlines without one cost nothing per row.
INLINE_GROWTH = [
    (Order, add_order_rows, 0),
    (Product, add_product_rows, 0),
    (Depot, lambda depot: depot.managers.add(UserFactory()), 0),
    (Producer, lambda producer: MembershipFactory(producer=producer), 1),
    (LiveSession, lambda session: LiveSessionItemFactory(session=session), 1),
]


def count_page_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("model", "add_rows", "per_row"), INLINE_GROWTH, ids=[model._meta.label for model, *_ in INLINE_GROWTH]
)
def test_change_page_queries_do_not_grow_with_inline_rows(admin_client, model, add_rows, per_row):
    """A change page with ten more inline rows (lines, photos, members, items) costs no more queries,
    save the one an autocomplete row needs to show its choice."""
    obj = MAKERS[model]()
    url = admin_url(model, "change", obj.pk)
    count_page_queries(admin_client, url)
    with_few = count_page_queries(admin_client, url)

    for _ in range(10):
        add_rows(obj)
    with_more = count_page_queries(admin_client, url)

    assert with_more - with_few <= 10 * per_row, f"{with_few} queries, then {with_more} with 10 more rows"


@pytest.mark.django_db
def test_user_admin_shows_and_searches_the_mobile_phone(admin_client):
    """Staff find a user by mobile phone, and the user's page has the phone field."""
    user = UserFactory(username="ayse", phone="13912345678")
    UserFactory(username="someone-else", phone="13700000000")

    found = admin_client.get(admin_url(User, "changelist"), {"q": "13912345678"})
    page = admin_client.get(admin_url(User, "change", user.pk))

    assert list(found.context["cl"].result_list) == [user]
    assert 'name="phone"' in page.content.decode()
    assert 'value="13912345678"' in page.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("model", [Producer, Order, Product], ids=lambda model: model._meta.label)
def test_someone_not_staff_is_sent_to_the_sign_in_page(client, model):
    """A signed-in shopper who opens the back office is sent to sign in as staff, and sees nothing."""
    client.force_login(UserFactory())

    response = client.get(admin_url(model, "changelist"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
