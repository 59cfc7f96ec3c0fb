import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone

from catalog import selectors
from catalog.models import Category, Concept, Product, ProductImage, ProductSearch, Review, SearchWord, Variant
from catalog.vocabulary import REGION_CONCEPTS
from demo.data.accounts import DEMO_PASSWORD
from demo.data.catalogue import KINDS, PRODUCTS
from live.models import Host, LiveSession, LiveSessionItem
from marketplace.models import User
from producers.models import County, Depot, Prefecture, Producer, ProducerMembership, Village

# Every table seed_demo writes, including the many-to-many table of depot managers.
SEEDED_MODELS = (
    Prefecture,
    County,
    Village,
    Depot,
    Depot.managers.through,
    Producer,
    ProducerMembership,
    Category,
    Concept,
    Product,
    Product.concepts.through,
    ProductSearch,
    SearchWord,
    Variant,
    ProductImage,
    Review,
    Host,
    LiveSession,
    LiveSessionItem,
    User,
)

REGION_COUNTIES = {
    "turpan": {"Gaochang District", "Shanshan County", "Toksun County"},
    "hami": {"Yizhou District", "Barkol County"},
    "hotan": {
        "Hotan City",
        "Hotan County",
        "Karakax (Moyu) County",
        "Lop County",
        "Qira (Cele) County",
        "Keriya (Yutian) County",
    },
    "kashgar": {"Yarkant (Shache) County", "Yengisar County"},
    "aksu": {"Onsu (Wensu) County", "Kuqa City"},
    "bayingolin": {"Korla City"},
}

DEMO_USERNAMES = ("demo-admin", "demo-farmer", "demo-shopper", "demo-host", "demo-depot")
# Listed by its farmer in Uyghur only: no Chinese or English name or description.
UYGHUR_ONLY = "uyghur-only-raisins"


def seed(**options) -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out, **options)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in SEEDED_MODELS}


def has_three_names(row) -> bool:
    return all(getattr(row, f"name_{language}").strip() for language in ("zh", "ug", "en"))


@pytest.mark.django_db
def test_running_seed_demo_twice_changes_no_row_counts():
    """A second run updates the demo in place: every table it writes keeps exactly the same number of rows."""
    seed()
    first = row_counts()
    images_on_disk = sorted(default_storage.listdir("products")[1])

    output = seed()

    assert row_counts() == first
    assert sorted(default_storage.listdir("products")[1]) == images_on_disk
    assert "oasis-demo" in output


@pytest.mark.django_db
def test_demo_covers_the_region_and_meets_the_catalogue_minimums():
    """Six prefectures with REGION.md's counties, 20+ producers of every kind, 60+ trilingual active products."""
    seed()

    counties = {
        prefecture.slug: {county.name_en for county in prefecture.counties.all()}
        for prefecture in Prefecture.objects.prefetch_related("counties")
    }
    assert counties == REGION_COUNTIES
    for place in [*Prefecture.objects.all(), *County.objects.all(), *Village.objects.all()]:
        assert has_three_names(place), place.slug
    assert not Village.objects.annotate(n=Count("county__villages")).filter(n__lt=2).exists()
    assert Depot.objects.values("village__county__prefecture").distinct().count() == 6
    assert not Depot.objects.filter(Q(address_zh="") | Q(address_ug="") | Q(address_en="")).exists()

    producers = Producer.objects.all()
    assert producers.count() >= 20
    assert set(producers.values_list("kind", flat=True)) == set(Producer.Kind.values)
    assert producers.filter(is_low_income_household=True).exists()
    for producer in producers:
        assert has_three_names(producer), producer.slug
        assert producer.description_zh and producer.description_ug and producer.description_en
    assert not producers.filter(is_verified=True, verified_by__username__isnull=True).exists()
    assert not producers.filter(is_verified=True).exclude(verified_by__username="demo-admin").exists()
    unverified = producers.filter(is_verified=False)
    assert 1 <= unverified.count() <= 2
    assert not Product.objects.filter(producer__in=unverified).exclude(status=Product.Status.DRAFT).exists()

    active = Product.objects.active()
    assert active.count() >= 60
    assert set(active.values_list("category__slug", flat=True)) == set(Category.objects.values_list("slug", flat=True))
    assert Category.objects.count() == 5
    assert active.filter(harvest_start_month=1, harvest_end_month=12).count() >= 12
    for month in range(1, 13):
        assert active.in_season(month).count() >= 12, f"month {month}"
    assert not active.filter(category__slug="fresh-fruit", is_perishable=False).exists()

    for product in Product.objects.prefetch_related("variants", "images"):
        assert has_three_names(product) or product.slug == UYGHUR_ONLY, product.slug
        variants = list(product.variants.all())
        assert 1 <= len(variants) <= 3, product.slug
        for variant in variants:
            assert has_three_names(variant), variant.sku
            assert Decimal("20.00") <= variant.price <= Decimal("900.00"), variant.sku
            assert variant.weight_grams > 0 and variant.stock > 0
        images = list(product.images.all())
        assert images, product.slug
        assert default_storage.exists(images[0].image.name)
        assert default_storage.exists(images[0].thumbnail.name)


@pytest.mark.django_db
def test_seeding_tags_each_demo_product_with_its_kinds_concepts_and_makes_it_searchable():
    """The region's concepts exist; every demo product carries its kind's concepts, has a search row and a
    lowest price; the Uyghur-only listing is named and described in Uyghur only, its original language."""
    Concept.objects.all().delete()  # as on a database whose migrations ran before any data was kept

    seed()

    assert set(Concept.objects.values_list("slug", flat=True)) >= {concept.slug for concept in REGION_CONCEPTS}
    assert Concept.objects.get(slug="raisin").broader.slug == "grape"
    assert SearchWord.objects.filter(word__in=["putao", "kishmish", "uzum", "hetao"]).count() == 4
    for seed_product in PRODUCTS:
        product = Product.objects.get(slug=seed_product.slug)
        assert set(product.concepts.values_list("slug", flat=True)) == set(KINDS[seed_product.kind].concepts)
        assert KINDS[seed_product.kind].concepts, seed_product.kind
        assert product.lowest_price is not None
        assert ProductSearch.objects.filter(product=product, lowest_price=product.lowest_price).exists()
    uyghur_only = Product.objects.get(slug=UYGHUR_ONLY)
    assert (uyghur_only.name_zh, uyghur_only.name_en) == ("", "")
    assert (uyghur_only.description_zh, uyghur_only.description_en) == ("", "")
    assert uyghur_only.name_ug and uyghur_only.description_ug
    assert uyghur_only.original_language == "ug"
    assert [product.slug for product in selectors.product_search(q="葡萄干") if product.slug == UYGHUR_ONLY]


@pytest.mark.django_db
def test_seeding_keeps_the_concepts_staff_edited():
    """A region concept staff changed keeps their names, terms and broader concept when the demo is seeded."""
    seed()
    Concept.objects.filter(slug="raisin").update(name_en="Dried grapes", terms="kishmish", broader=None)

    seed()

    raisin = Concept.objects.get(slug="raisin")
    assert (raisin.name_en, raisin.terms, raisin.broader) == ("Dried grapes", "kishmish", None)


@pytest.mark.django_db
def test_each_demo_account_signs_in_with_the_demo_password_and_has_its_role(client):
    """demo-admin is a superuser, demo-farmer owns a verified producer, demo-depot and demo-host have their roles."""
    seed()

    for username in DEMO_USERNAMES:
        assert client.login(username=username, password=DEMO_PASSWORD), username
        client.logout()

    admin = User.objects.get(username="demo-admin")
    assert admin.is_staff and admin.is_superuser

    membership = ProducerMembership.objects.select_related("producer").get(user__username="demo-farmer")
    assert membership.role == ProducerMembership.Role.OWNER
    assert membership.producer.is_verified
    assert Product.objects.active().filter(producer=membership.producer).exists()

    depot = Depot.objects.get(managers__username="demo-depot")
    assert depot.village == membership.producer.village

    host = Host.objects.get(user__username="demo-host")
    assert host.commission_rate == Decimal("0.05")

    shopper = User.objects.get(username="demo-shopper")
    assert not shopper.is_staff and not shopper.memberships.exists()


@pytest.mark.django_db
def test_demo_host_has_a_session_on_air_and_one_tomorrow_with_flash_prices_below_the_price():
    """One session covers the current time, one starts tomorrow; each features 2 to 4 items sold below the price."""
    seed()
    now = timezone.now()
    sessions = LiveSession.objects.filter(host__user__username="demo-host")

    live = sessions.get(status=LiveSession.Status.LIVE)
    assert live.starts_at <= now < live.ends_at
    scheduled = sessions.get(status=LiveSession.Status.SCHEDULED)
    assert timezone.localdate(scheduled.starts_at) == timezone.localdate(now) + timedelta(days=1)
    for session in (live, scheduled):
        items = list(session.items.select_related("variant__product"))
        assert 2 <= len(items) <= 4
        for item in items:
            assert item.flash_price < item.variant.price
            assert item.quantity_cap > 0 and item.per_shopper_limit > 0
            assert item.variant.product.status == Product.Status.ACTIVE


@pytest.mark.django_db
def test_home_page_shows_demo_products_in_season(client):
    """The storefront's home page is never empty after seeding: it lists demo products in season this month."""
    seed()
    demo_names = {seed_product.name[2] for seed_product in PRODUCTS}

    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")

    body = response.content.decode()
    assert response.status_code == 200
    shown = selectors.products_in_season()
    assert len(shown) >= 12
    assert body.count('class="card"') == len(shown)
    for product in shown:
        assert product.name_en in demo_names
        assert product.name_en.replace("'", "&#x27;") in body


@pytest.mark.django_db
def test_products_option_grows_the_catalogue_to_exactly_n_and_adds_nothing_when_repeated():
    """--products 300 makes 300 products in all, each active with 1 or 2 variants and a photo; repeating adds none."""
    seed(products=300)

    assert Product.objects.count() == 300
    bulk = Product.objects.filter(slug__startswith="bulk-")
    assert bulk.count() == 300 - len(PRODUCTS)
    assert not bulk.exclude(status=Product.Status.ACTIVE).exists()
    assert Product.objects.active().filter(slug__startswith="bulk-").count() == bulk.count()
    per_product = bulk.annotate(variant_count=Count("variants"), image_count=Count("images", distinct=True))
    assert not per_product.filter(Q(variant_count__lt=1) | Q(variant_count__gt=2) | ~Q(image_count=1)).exists()
    # A copy is named in its template's languages: copies of the Uyghur-only listing in Uyghur only.
    copies_of_uyghur_only = Q(name_zh="", name_en="", description_zh="", description_en="") & ~Q(name_ug="")
    assert not bulk.filter(Q(name_zh="") | Q(name_ug="") | Q(name_en="")).exclude(copies_of_uyghur_only).exists()
    assert bulk.filter(copies_of_uyghur_only, original_language="ug").exists()
    # Each copy carries its template's concepts, and has its search row and lowest price.
    assert not bulk.filter(concepts__isnull=True).exists()
    assert ProductSearch.objects.filter(product__in=bulk, lowest_price__isnull=False).count() == bulk.count()
    assert not bulk.filter(lowest_price__isnull=True).exists()
    assert bulk.values("category").distinct().count() == Category.objects.count()
    assert bulk.values("producer").distinct().count() >= 20
    sample = ProductImage.objects.filter(product__slug__startswith="bulk-").first()
    assert default_storage.exists(sample.image.name)
    # The planner knows the catalogue's new size (ANALYZE after the bulk load), so pages get index plans.
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'catalog_product'")
        assert cursor.fetchone()[0] == 300
    counts = row_counts()

    output = seed(products=300)

    assert row_counts() == counts
    assert "Benchmark products added this run: 0" in output


@pytest.mark.django_db
def test_products_option_refuses_more_than_the_benchmark_maximum():
    """An out-of-range --products is a command error, and nothing is written."""
    with pytest.raises(CommandError):
        call_command("seed_demo", "--products", "100001", stdout=io.StringIO())
    with pytest.raises(CommandError):
        call_command("seed_demo", products=-1, stdout=io.StringIO())
    assert not Product.objects.exists()


@pytest.mark.django_db
def test_demo_shopper_has_orders_in_three_states_and_a_filled_cart():
    """The demo shows order pages straight away: delivered, on its way, waiting for payment; and a cart."""
    from orders.models import Order

    seed()

    orders = Order.objects.filter(shopper__username="demo-shopper")
    assert set(orders.values_list("status", flat=True)) == {"completed", "confirmed", "awaiting_payment"}
    assert orders.get(delivery_method="ship").fulfilments.get().tracking_number
    assert User.objects.get(username="demo-shopper").cart.lines.exists()


@pytest.mark.django_db
def test_demo_seeds_without_online_payments_where_the_simulated_provider_is_off(settings):
    """Under production settings the simulated provider is off: the seed leaves out the unpaid online order."""
    from orders.models import Order

    settings.SIMULATED_PAYMENTS_ENABLED = False

    seed()

    assert not Order.objects.filter(payment_method="online").exists()
    assert Order.objects.filter(shopper__username="demo-shopper").count() == 2


# Live selling: the demo host's sessions, the producers' consent, attributed orders and commission.


def demo_host() -> Host:
    return Host.objects.get(user__username="demo-host")


def is_member(user, producer) -> bool:
    return ProducerMembership.objects.filter(user=user, producer=producer).exists()


@pytest.mark.django_db
def test_demo_session_on_air_sells_items_its_producers_accepted_at_flash_prices_below_the_price():
    """The session on air went live half an hour ago; each of its 3 or 4 items was accepted by a member of its
    producer, has stock for more than one buyer, and costs its flash price, below the normal one, right now."""
    from live.pricing import unit_prices

    seed()
    now = timezone.now()
    live = LiveSession.objects.get(host=demo_host(), status=LiveSession.Status.LIVE)

    assert live.is_on_air(now)
    assert now - timedelta(hours=1) < live.went_live_at <= now < live.ends_at
    assert live.ended_at is None and live.cover
    items = list(live.items.select_related("variant__product__producer", "consent_by"))
    assert 3 <= len(items) <= 4
    prices = unit_prices(variants=[item.variant for item in items], session=live, now=now)
    for item in items:
        variant = item.variant
        assert item.consent == LiveSessionItem.Consent.ACCEPTED, variant.sku
        assert is_member(item.consent_by, variant.product.producer) and item.consent_at is not None
        assert item.flash_price < variant.price
        assert variant.stock >= 10 * item.per_shopper_limit and item.remaining > item.per_shopper_limit
        assert prices[variant.pk].amount == item.flash_price and prices[variant.pk].live_item == item
    assert sum(item.quantity_sold for item in items) > 0


@pytest.mark.django_db
def test_demo_farmer_has_a_proposal_waiting_in_tomorrows_session():
    """Tomorrow's session has one item its producer accepted and one of demo-farmer's producer still proposed."""
    from live.selectors import proposals_for

    seed()
    farm = Producer.objects.get(memberships__user__username="demo-farmer")
    scheduled = LiveSession.objects.get(host=demo_host(), status=LiveSession.Status.SCHEDULED)

    waiting = proposals_for(producers=[farm]).filter(consent=LiveSessionItem.Consent.PROPOSED)
    assert [item.session for item in waiting] == [scheduled]
    assert waiting.get().consent_by is None and waiting.get().flash_price < waiting.get().variant.price
    accepted = scheduled.items.select_related("variant__product__producer").get(
        consent=LiveSessionItem.Consent.ACCEPTED
    )
    assert accepted.variant.product.producer != farm
    assert is_member(accepted.consent_by, accepted.variant.product.producer)
    assert scheduled.items.count() == 2


@pytest.mark.django_db
def test_demo_session_that_ended_last_week_sold_units_to_orders_placed_while_it_was_on_air():
    """The ended session ran last week; its orders were placed during the show, at the flash prices."""
    from orders.models import Order

    seed()
    now = timezone.now()
    ended = LiveSession.objects.get(host=demo_host(), status=LiveSession.Status.ENDED)

    assert now - timedelta(days=8) < ended.starts_at < now - timedelta(days=5)
    assert ended.went_live_at == ended.starts_at and ended.ended_at == ended.ends_at
    assert all(item.quantity_sold > 0 for item in ended.items.all())
    orders = Order.objects.filter(live_session=ended)
    assert orders.count() >= 3
    for order in orders.prefetch_related("lines__live_item"):
        assert ended.went_live_at <= order.created_at <= ended.ended_at
        assert order.commission_rate == Decimal("0.0500")
        for line in order.lines.all():
            assert line.live_item.session == ended and line.unit_price == line.live_item.flash_price


@pytest.mark.django_db
def test_demo_host_commission_is_pending_earned_and_reversed_and_adds_up():
    """Completed attributed orders earned commission, the cancelled one reversed it, the rest is pending; each
    balance is the sum of its entries and the three add up to what the attributed lines were worth."""
    from live.models import CommissionEntry
    from live.pricing import commission
    from live.selectors import commission_balances
    from orders.models import Order, OrderLine

    seed()
    host = demo_host()
    entries = CommissionEntry.objects.filter(host=host)

    balances = commission_balances(entries)
    assert all(balances[kind] > 0 for kind in ("pending", "earned", "reversed"))
    for kind, balance in balances.items():
        assert balance == sum((entry.amount for entry in entries.filter(kind=kind)), Decimal("0.00"))

    def owed(statuses) -> Decimal:
        lines = OrderLine.objects.filter(order__live_session__host=host, order__status__in=statuses)
        return sum((commission(base=line.line_total, rate=line.order.commission_rate) for line in lines), Decimal(0))

    assert balances["earned"] == owed([Order.Status.COMPLETED])
    assert balances["reversed"] == owed([Order.Status.CANCELLED])
    assert balances["pending"] == owed([Order.Status.CONFIRMED])
    placed = entries.filter(event=CommissionEntry.Event.PLACED)
    assert sum(balances.values()) == sum((entry.amount for entry in placed), Decimal("0.00"))
    assert Order.objects.filter(live_session__host=host, status=Order.Status.CANCELLED).count() == 1
    assert not Order.objects.filter(live_session__host=host, shopper__username="demo-shopper").exists()


def live_selling_state() -> dict:
    from live.models import CommissionEntry
    from orders.models import Fulfilment, Order, OrderLine
    from producers.models import ProducerActivity

    on_air = LiveSession.objects.get(status=LiveSession.Status.LIVE)
    return {
        # The session on air is re-timed on every run so that it stays on air; the others keep their times.
        "sessions": list(
            LiveSession.objects.exclude(pk=on_air.pk)
            .order_by("pk")
            .values_list("slug", "status", "starts_at", "ends_at", "went_live_at", "ended_at", "cover")
        ),
        "on air": (on_air.slug, on_air.cover.name),
        "items": list(
            LiveSessionItem.objects.order_by("pk").values_list(
                "session__slug",
                "variant__sku",
                "flash_price",
                "quantity_cap",
                "quantity_sold",
                "consent",
                "consent_by",
                "consent_at",
            )
        ),
        "orders": list(Order.objects.order_by("pk").values_list("number", "status", "live_session", "total")),
        "lines": list(OrderLine.objects.order_by("pk").values_list("order", "sku", "unit_price", "live_item")),
        "parcels": list(Fulfilment.objects.order_by("pk").values_list("order", "status", "tracking_number")),
        "commission": list(CommissionEntry.objects.order_by("pk").values_list("order_line", "kind", "amount")),
        "activities": ProducerActivity.objects.count(),
        "members": list(ProducerMembership.objects.order_by("pk").values_list("producer__slug", "user__username")),
        "stock": list(Variant.objects.order_by("pk").values_list("sku", "stock")),
    }


@pytest.mark.django_db
def test_running_seed_demo_twice_changes_nothing_in_live_selling():
    """A second run places no order, moves no commission, answers no proposal again and sells no unit."""
    seed()
    first = live_selling_state()

    seed()

    assert live_selling_state() == first
    assert LiveSession.objects.get(status=LiveSession.Status.LIVE).is_on_air()


def seed_live_as_an_earlier_demo(*, host_user, members, now) -> None:
    """What the demo wrote before producers answered proposals: two sessions, items proposed, no orders."""
    host = Host.objects.create(user=host_user, display_name="Aygül · Oasis Live", commission_rate=Decimal("0.05"))
    earlier = {
        "grape-valley-live": (
            LiveSession.Status.LIVE,
            now - timedelta(minutes=30),
            ["ABDUKERIM-GREEN-RAISINS-BAG-1KG"],
        ),
        "hotan-roses-and-walnuts": (
            LiveSession.Status.SCHEDULED,
            now + timedelta(days=1),
            ["KARAKAX-ROSE-TEA-TIN-100G", "KERIYA-DESERT-ROSE-JAM-JAR-300G"],
        ),
    }
    for slug, (status, starts_at, skus) in earlier.items():
        session = LiveSession.objects.create(
            host=host,
            slug=slug,
            status=status,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=3),
            name_en=slug,
        )
        for sku in skus:
            variant = Variant.objects.get(sku=sku)
            LiveSessionItem.objects.create(
                session=session, variant=variant, flash_price=variant.price - 5, quantity_cap=100, per_shopper_limit=2
            )


@pytest.mark.django_db
def test_seed_demo_brings_the_live_sessions_of_an_earlier_demo_to_the_new_shape(monkeypatch):
    """On a database an earlier demo wrote, the next run has the producers accept its items, plays the show of
    the session it had scheduled (now the one that ended last week, without the item it no longer features) and
    duplicates nothing; a run after that changes nothing."""
    from demo import seeding

    with monkeypatch.context() as patched:
        patched.setattr(seeding, "seed_live", seed_live_as_an_earlier_demo)
        seed()
    earlier_items = dict(LiveSessionItem.objects.values_list("variant__sku", "pk"))

    seed()

    assert LiveSession.objects.count() == 3 and Host.objects.count() == 1
    ended = LiveSession.objects.get(slug="hotan-roses-and-walnuts")
    assert ended.status == LiveSession.Status.ENDED and ended.ends_at < timezone.now()
    assert not ended.items.filter(variant__sku="KERIYA-DESERT-ROSE-JAM-JAR-300G").exists()
    for sku in ("ABDUKERIM-GREEN-RAISINS-BAG-1KG", "KARAKAX-ROSE-TEA-TIN-100G"):
        item = LiveSessionItem.objects.get(variant__sku=sku)
        assert item.pk == earlier_items[sku]
        assert item.consent == LiveSessionItem.Consent.ACCEPTED and item.consent_by is not None
        assert item.quantity_sold > 0
    proposed = LiveSessionItem.objects.filter(consent=LiveSessionItem.Consent.PROPOSED)
    assert list(proposed.values_list("session__status", flat=True)) == [LiveSession.Status.SCHEDULED]
    state = live_selling_state()

    seed()

    assert live_selling_state() == state
