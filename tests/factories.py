"""factory_boy factories for every model tests build."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from catalog import services as catalog_services
from catalog.models import Category, Product, ProductImage, Variant
from live.models import Host, LiveSession, LiveSessionItem
from marketplace.models import User
from orders.models import Cart, CartLine, Fulfilment, Order, OrderEvent, OrderLine, Payment
from producers.models import County, Depot, Prefecture, Producer, ProducerMembership, Village


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("oasis-test")


class PrefectureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Prefecture

    slug = factory.Sequence(lambda n: f"prefecture-{n}")
    name_zh = factory.Sequence(lambda n: f"地区{n}")
    name_en = factory.Sequence(lambda n: f"Prefecture {n}")


class CountyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = County

    prefecture = factory.SubFactory(PrefectureFactory)
    slug = factory.Sequence(lambda n: f"county-{n}")
    name_zh = factory.Sequence(lambda n: f"县{n}")
    name_en = factory.Sequence(lambda n: f"County {n}")


class VillageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Village

    county = factory.SubFactory(CountyFactory)
    slug = factory.Sequence(lambda n: f"village-{n}")
    name_zh = factory.Sequence(lambda n: f"村{n}")
    name_ug = factory.Sequence(lambda n: f"كەنت {n}")
    name_en = factory.Sequence(lambda n: f"Village {n}")


class DepotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Depot

    village = factory.SubFactory(VillageFactory)
    slug = factory.Sequence(lambda n: f"depot-{n}")
    name_zh = factory.Sequence(lambda n: f"服务站{n}")
    name_en = factory.Sequence(lambda n: f"Depot {n}")
    address_zh = "1 Station Road"


class ProducerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Producer

    slug = factory.Sequence(lambda n: f"producer-{n}")
    name_zh = factory.Sequence(lambda n: f"农户{n}")
    name_en = factory.Sequence(lambda n: f"Farm {n}")
    village = factory.SubFactory(VillageFactory)
    is_verified = True
    verified_at = factory.LazyFunction(timezone.now)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProducerMembership

    producer = factory.SubFactory(ProducerFactory)
    user = factory.SubFactory(UserFactory)


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    slug = "fresh-fruit"
    name_zh = "新鲜水果"
    name_ug = "يېڭى مېۋە"
    name_en = "Fresh fruit"


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    producer = factory.SubFactory(ProducerFactory)
    category = factory.SubFactory(CategoryFactory)
    slug = factory.Sequence(lambda n: f"product-{n}")
    name_zh = factory.Sequence(lambda n: f"葡萄{n}")
    name_en = factory.Sequence(lambda n: f"Grapes {n}")
    status = Product.Status.ACTIVE
    published_at = factory.LazyFunction(timezone.now)

    @classmethod
    def _after_postgeneration(cls, instance: Product, create: bool, results=None) -> None:
        # The catalog's services write a product's search row with it; a product made here gets one too.
        if create:
            catalog_services.product_search_refresh(product_ids=[instance.pk])


class VariantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Variant

    product = factory.SubFactory(ProductFactory)
    sku = factory.Sequence(lambda n: f"SKU-{n:05d}")
    name_zh = "2.5公斤箱"
    name_en = "2.5 kg box"
    price = Decimal("59.00")
    weight_grams = 2500
    stock = 10

    @classmethod
    def _after_postgeneration(cls, instance: Variant, create: bool, results=None) -> None:
        # As the variant services do: the product's lowest price follows its variants.
        if create:
            catalog_services.product_prices_refresh(product_ids=[instance.product_id])


class ProductImageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductImage

    product = factory.SubFactory(ProductFactory)
    image = factory.django.ImageField(width=64, height=48, color="purple")
    alt_text = "A box of grapes"


class OrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Order

    shopper = factory.SubFactory(UserFactory)
    contact_name = "Ayşe"
    contact_phone = "13800138000"
    delivery_method = Order.DeliveryMethod.PICKUP
    pickup_depot = factory.SubFactory(DepotFactory)
    payment_method = Order.PaymentMethod.COD
    status = Order.Status.CONFIRMED
    subtotal = Decimal("59.00")
    shipping = Decimal("0.00")
    total = Decimal("59.00")


class FulfilmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Fulfilment

    order = factory.SubFactory(OrderFactory)
    producer = factory.SubFactory(ProducerFactory)


class OrderLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrderLine

    fulfilment = factory.SubFactory(FulfilmentFactory)
    order = factory.SelfAttribute("fulfilment.order")
    producer = factory.SelfAttribute("fulfilment.producer")
    variant = factory.SubFactory(VariantFactory, product__producer=factory.SelfAttribute("...producer"))
    product_name = "无核白葡萄"
    variant_name = "2.5公斤箱"
    sku = factory.SelfAttribute("variant.sku")
    producer_name = "农户"
    unit_price = Decimal("59.00")
    quantity = 1
    line_total = Decimal("59.00")


class PaymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Payment

    order = factory.SubFactory(OrderFactory)
    method = Order.PaymentMethod.COD
    amount = Decimal("59.00")


class OrderEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrderEvent

    order = factory.SubFactory(OrderFactory)
    to_status = Order.Status.CONFIRMED


class HostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Host

    user = factory.SubFactory(UserFactory)
    display_name = factory.Sequence(lambda n: f"Host {n}")
    commission_rate = Decimal("0.0500")


class LiveSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LiveSession

    host = factory.SubFactory(HostFactory)
    slug = factory.Sequence(lambda n: f"session-{n}")
    name_zh = factory.Sequence(lambda n: f"直播{n}")
    name_en = factory.Sequence(lambda n: f"Live {n}")
    starts_at = factory.LazyFunction(timezone.now)
    ends_at = factory.LazyFunction(lambda: timezone.now() + timedelta(hours=2))


class LiveSessionItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LiveSessionItem

    session = factory.SubFactory(LiveSessionFactory)
    variant = factory.SubFactory(VariantFactory)
    flash_price = Decimal("49.00")
    quantity_cap = 100
    # Most tests sell a featured item; the producer's consent has tests of its own.
    consent = LiveSessionItem.Consent.ACCEPTED


class CartFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cart

    user = factory.SubFactory(UserFactory)


class CartLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CartLine

    cart = factory.SubFactory(CartFactory)
    variant = factory.SubFactory(VariantFactory)
    quantity = 1
