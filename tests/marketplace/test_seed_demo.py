import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db.models import Count, Q
from django.utils import timezone

from catalog import selectors
from catalog.models import Category, Product, ProductImage, Variant
from live.models import Host, LiveSession, LiveSessionItem
from marketplace.demo_data import DEMO_PASSWORD, PRODUCTS
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
    Product,
    Variant,
    ProductImage,
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
    assert not Depot.objects.filter(address="").exists()

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
        assert has_three_names(product), product.slug
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
    assert not bulk.filter(Q(name_zh="") | Q(name_ug="") | Q(name_en="")).exists()
    assert bulk.values("category").distinct().count() == Category.objects.count()
    assert bulk.values("producer").distinct().count() >= 20
    sample = ProductImage.objects.filter(product__slug__startswith="bulk-").first()
    assert default_storage.exists(sample.image.name)
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
