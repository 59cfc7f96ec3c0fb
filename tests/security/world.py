"""The shared world of the authorization matrix: one of every kind of object a route can name, and a user per role.

Built once per test module (see ``conftest.py``) inside a transaction that is rolled back when the module ends;
each test runs in a savepoint of its own, so an allowed write never leaks into the next case.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from http.cookies import SimpleCookie

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.sessions.backends.db import SessionStore
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.db.models import Model
from django.test import Client
from django.utils import timezone
from PIL import Image

from accounts.services import api_token_issue
from catalog.models import (
    Category,
    Concept,
    HarvestLot,
    PreSale,
    Product,
    ProductImage,
    Review,
    Variant,
    WaitlistEntry,
)
from live.models import Host, LiveSession, LiveSessionItem
from marketplace.models import User
from orders.cart import SESSION_KEY
from orders.models import Fulfilment, Order, Payment
from orders.services import Contact, Delivery, LineRequest, order_place, parcel_hand_over, parcel_receive_at_depot
from producers.models import Depot, Producer, Village
from tests.factories import (
    CartFactory,
    CartLineFactory,
    CategoryFactory,
    DepotFactory,
    HostFactory,
    LiveSessionFactory,
    LiveSessionItemFactory,
    MembershipFactory,
    ProducerFactory,
    ProductFactory,
    ProductImageFactory,
    UserFactory,
    VariantFactory,
    VillageFactory,
)

# Every caller the matrix distinguishes. "guest" is a visitor who is not signed in but holds a cart and the
# secret link of the order they placed; "anonymous" holds nothing.
ROLES = (
    "anonymous",
    "guest",
    "shopper",
    "other_shopper",
    "member",
    "other_member",
    "depot_manager",
    "other_depot_manager",
    "host",
    "staff",
    "superuser",
)
VISITORS = ("anonymous", "guest")
PASSWORD = "oasis-test"  # what tests/factories.py gives every account


@dataclass
class World:
    users: dict[str, User]
    village: Village
    other_village: Village
    depot: Depot  # in the producer's village, managed by "depot_manager"
    other_depot: Depot  # elsewhere, managed by "other_depot_manager"
    producer: Producer  # "member" works for it; it sells through ``depot``, so "depot_manager" assists it
    other_producer: Producer  # "other_member" works for it
    pending_producer: Producer  # applied, not verified yet; in the depot's village, not selling through it
    pending_product: Product  # the pending producer's, marked active: not on sale until they are verified
    category: Category
    product: Product  # active, the producer's, with two photos
    variant: Variant
    image: ProductImage
    draft: Product  # the producer's draft, with a variant on sale: it may be published
    draft_variant: Variant
    other_product: Product
    other_variant: Variant
    other_image: ProductImage
    host: Host  # "host"'s profile
    other_host: Host  # a host who plays no role: their session and item are someone else's
    session: LiveSession  # the host's, scheduled for tomorrow
    item: LiveSessionItem  # the producer's variant proposed in ``session``
    live_session: LiveSession  # the host's, on air
    live_item: LiveSessionItem
    cancelled_session: LiveSession
    other_session: LiveSession  # the other host's, scheduled
    other_item: LiveSessionItem  # the other producer's variant proposed in ``other_session``
    order: Order  # the shopper's, cash on delivery, picked up at ``depot``: its parcel is new
    parcel: Fulfilment
    received_parcel: Fulfilment  # another of the shopper's parcels, received at ``depot``, to hand over
    delivered_parcel: Fulfilment  # the shopper received the product: they may review it
    live_order: Order  # the shopper's, attributed to ``live_session``: it earns the host commission
    other_order: Order  # the other shopper's, from the other producer, picked up at ``other_depot``
    other_parcel: Fulfilment
    guest_order: Order  # a guest's, paid online, awaiting payment
    guest_payment: Payment
    review: Review
    group: Group
    concept: Concept  # a search concept the product is tagged with
    lot: HarvestLot  # the producer's harvest lot of ``product``
    pre_sale: PreSale  # open, on a size of ``product`` sold before its harvest
    unsold_variant: Variant  # a size of ``product`` with no stock and no pre-sale: one may open
    waited_variant: Variant  # a sold-out size of ``product`` the shopper waits for
    waitlist_entry: WaitlistEntry  # the shopper's, waiting for ``waited_variant``
    tokens: dict[str, str] = field(default_factory=dict)
    sessions: dict[str, str] = field(default_factory=dict)
    _client: Client | None = field(default=None, repr=False)

    def link(self, role: str) -> str:
        """The secret order link the caller holds: only the guest holds one, that of the order they placed."""
        return self.guest_order.guest_token if role == "guest" else ""

    def client(self, role: str, *, api: bool = False) -> tuple[Client, dict[str, str]]:
        """The client to send as ``role``, and the headers to add: the role's session for pages, its token for the API.

        One client for every case (building one loads the middleware, WhiteNoise's file scan included), its
        cookies set anew for each request, so that a request which signs out, changes the language or stores a
        message leaves the next case as it found it.
        """
        if self._client is None:
            self._client = Client()
        self._client.cookies = SimpleCookie()
        if api:
            token = self.tokens.get(role)
            return self._client, {"Authorization": f"Token {token}"} if token else {}
        if role in self.sessions:
            self._client.cookies[settings.SESSION_COOKIE_NAME] = self.sessions[role]
        return self._client, {}


def png(name: str = "photo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "purple").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


CONTACT = Contact(name="Ayşe", phone="13800138000", email="ayse@example.com")


def _place(
    shopper: User | None, variant: Variant, depot: Depot, *, payment: str = "cod", session: LiveSession | None = None
) -> Order:
    return order_place(
        shopper=shopper,
        contact=CONTACT,
        lines=[LineRequest(variant_id=variant.pk, quantity=1)],
        delivery=Delivery(method="pickup", depot_slug=depot.slug),
        payment_method=payment,
        live_session_slug=session.slug if session else "",
    )


def build_world() -> World:
    users = {role: UserFactory(username=role.replace("_", "-")) for role in ROLES if role not in VISITORS}
    User.objects.filter(pk=users["staff"].pk).update(is_staff=True)
    User.objects.filter(pk=users["superuser"].pk).update(is_staff=True, is_superuser=True)
    # Staff read the whole back office and change nothing: the "view" permission of every model.
    users["staff"].user_permissions.set(Permission.objects.filter(codename__startswith="view_"))
    for user in users.values():
        user.refresh_from_db()

    village = VillageFactory(slug="tuyoq")
    other_village = VillageFactory(slug="aratam")
    depot = DepotFactory(slug="tuyoq-depot", village=village)
    other_depot = DepotFactory(slug="aratam-depot", village=other_village)
    depot.managers.add(users["depot_manager"])
    other_depot.managers.add(users["other_depot_manager"])
    producer = ProducerFactory(
        slug="tuyoq-vineyard", village=village, default_depot=depot, sells_through_depot=True, phone="13900000001"
    )
    other_producer = ProducerFactory(slug="aratam-melons", village=other_village, default_depot=other_depot)
    pending_producer = ProducerFactory(slug="new-orchard", village=village, is_verified=False, verified_at=None)
    pending_product = ProductFactory(producer=pending_producer, slug="unverified-apricots")
    VariantFactory(product=pending_product)
    MembershipFactory(producer=producer, user=users["member"])
    MembershipFactory(producer=other_producer, user=users["other_member"])

    category = CategoryFactory()
    product = ProductFactory(producer=producer, category=category, slug="seedless-grapes")
    variant = VariantFactory(product=product, price=Decimal("59.00"), stock=500)
    image = ProductImageFactory(product=product, position=0)
    ProductImageFactory(product=product, position=1)
    draft = ProductFactory(
        producer=producer, category=category, slug="rose-jam", status=Product.Status.DRAFT, published_at=None
    )
    draft_variant = VariantFactory(product=draft, price=Decimal("30.00"), stock=20)
    other_product = ProductFactory(producer=other_producer, category=category, slug="hami-melon")
    other_variant = VariantFactory(product=other_product, price=Decimal("38.00"), stock=500)
    other_image = ProductImageFactory(product=other_product)

    now = timezone.now()
    host = HostFactory(user=users["host"])
    other_host = HostFactory(user=UserFactory(username="other-host"))
    session = LiveSessionFactory(
        host=host, slug="grape-harvest", starts_at=now + timedelta(days=1), ends_at=now + timedelta(days=1, hours=2)
    )
    item = LiveSessionItemFactory(session=session, variant=variant, consent=LiveSessionItem.Consent.PROPOSED)
    live_session = LiveSessionFactory(
        host=host,
        slug="on-air",
        status=LiveSession.Status.LIVE,
        went_live_at=now,
        starts_at=now - timedelta(minutes=10),
        ends_at=now + timedelta(hours=2),
    )
    live_item = LiveSessionItemFactory(session=live_session, variant=variant, flash_price=Decimal("49.00"))
    cancelled_session = LiveSessionFactory(host=host, slug="rained-off", status=LiveSession.Status.CANCELLED)
    other_session = LiveSessionFactory(
        host=other_host,
        slug="melon-morning",
        starts_at=now + timedelta(days=2),
        ends_at=now + timedelta(days=2, hours=2),
    )
    other_item = LiveSessionItemFactory(
        session=other_session, variant=other_variant, consent=LiveSessionItem.Consent.PROPOSED
    )

    shopper = users["shopper"]
    order = _place(shopper, variant, depot)
    received = _place(shopper, variant, depot).fulfilments.get()
    parcel_receive_at_depot(fulfilment=received, depot=depot, actor=users["depot_manager"])
    delivered = _place(shopper, variant, depot).fulfilments.get()
    parcel_receive_at_depot(fulfilment=delivered, depot=depot, actor=users["depot_manager"])
    parcel_hand_over(
        fulfilment=delivered, depot=depot, actor=users["depot_manager"], pickup_code=delivered.order.pickup_code
    )
    live_order = _place(shopper, variant, depot, session=live_session)
    other_order = _place(users["other_shopper"], other_variant, other_depot)
    guest_order = _place(None, variant, depot, payment="online")
    review = Review.objects.create(product=other_product, author=users["other_shopper"], rating=5, body="Sweet.")
    group = Group.objects.create(name="Back office")
    concept = Concept.objects.create(slug="world-grape", name_zh="葡萄", name_ug="ئۈزۈم", name_en="Grapes")
    lot = HarvestLot.objects.create(
        producer=producer, product=product, plot="Upper vineyard", picked_on=timezone.localdate(), grade="special"
    )
    product.concepts.add(concept)
    soon = timezone.localdate() + timedelta(days=20)
    pre_sale = PreSale.objects.create(
        variant=VariantFactory(product=product, price=Decimal("80.00"), stock=10),
        expected_quantity=10,
        harvest_from=soon,
        harvest_until=soon,
        ship_by=soon + timedelta(days=2),
    )
    unsold_variant = VariantFactory(product=product, price=Decimal("70.00"), stock=0)
    waited_variant = VariantFactory(
        product=product, price=Decimal("66.00"), stock=0, name_zh="W-5521", name_ug="W-5521", name_en="W-5521"
    )
    waitlist_entry = WaitlistEntry.objects.create(variant=waited_variant, shopper=users["shopper"], quantity=1)

    world = World(
        users=users,
        village=village,
        other_village=other_village,
        depot=depot,
        other_depot=other_depot,
        producer=producer,
        other_producer=other_producer,
        pending_producer=pending_producer,
        pending_product=pending_product,
        category=category,
        product=product,
        variant=variant,
        image=image,
        draft=draft,
        draft_variant=draft_variant,
        other_product=other_product,
        other_variant=other_variant,
        other_image=other_image,
        host=host,
        other_host=other_host,
        session=session,
        item=item,
        live_session=live_session,
        live_item=live_item,
        cancelled_session=cancelled_session,
        other_session=other_session,
        other_item=other_item,
        order=order,
        parcel=order.fulfilments.get(),
        received_parcel=received,
        delivered_parcel=delivered,
        live_order=live_order,
        other_order=other_order,
        other_parcel=other_order.fulfilments.get(),
        guest_order=guest_order,
        guest_payment=guest_order.payments.get(),
        review=review,
        group=group,
        concept=concept,
        lot=lot,
        pre_sale=pre_sale,
        unsold_variant=unsold_variant,
        waited_variant=waited_variant,
        waitlist_entry=waitlist_entry,
    )
    for role, user in users.items():
        world.tokens[role] = api_token_issue(user=user).key
        # Every account has a cart with a line, so that changing a cart changes something for each of them.
        CartLineFactory(cart=CartFactory(user=user), variant=variant)
        client = Client()
        client.force_login(user)
        world.sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
    guest_session = SessionStore()
    guest_session.create()
    guest_cart = CartFactory(user=None, session_key=guest_session.session_key)
    CartLineFactory(cart=guest_cart, variant=variant)
    guest_session[SESSION_KEY] = guest_cart.pk
    guest_session.save()
    world.sessions["guest"] = guest_session.session_key
    # Services changed rows behind these objects (stock taken, parcels moved): read them as they are now.
    for value in vars(world).values():
        if isinstance(value, Model):
            value.refresh_from_db()
    return world


# The tables a denied request must leave as they were, but for the caller's own bookkeeping: sessions change with
# every visit (a message, a cart id), and the rate limits count every request, refused ones too.
UNWATCHED_TABLES = {"django_session", "django_migrations", "marketplace_ratecounter"}


def table_fingerprints() -> dict[str, str]:
    """Every table's row count and a hash of its rows, in one query."""
    tables = sorted(set(connection.introspection.table_names()) - UNWATCHED_TABLES)
    quote = connection.ops.quote_name
    row_hash = "count(*)::text || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '')"
    # The database's own table names, quoted.
    sql = " UNION ALL ".join(f"SELECT %s, {row_hash} FROM {quote(table)} t" for table in tables)  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, tables)
        return dict(cursor.fetchall())


def changed_tables(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(table for table in before.keys() | after.keys() if before.get(table) != after.get(table))
