"""The demo catalogue: categories, products with their variants, and a photo of each product."""

from __future__ import annotations

from datetime import datetime

from catalog.models import Category, Product, ProductImage, Variant
from catalog.services import product_image_add
from demo.data import Trilingual
from demo.data.catalogue import CATEGORIES, KINDS, PACKS, PRODUCTS, KindSeed, ProductSeed
from demo.seeding import photos
from demo.seeding.fields import seed_number, text_fields, translated_fields
from producers.models import Producer


def sku_for(product_slug: str, pack: str) -> str:
    return f"{product_slug}-{pack}".upper()


def _product_description(seed: ProductSeed, kind: KindSeed) -> Trilingual:
    if seed.note is None:
        return kind.description
    zh, ug, en = (f"{base}\n\n{note}" for base, note in zip(kind.description, seed.note, strict=True))
    return (zh, ug, en)


def seed_catalog(*, producers: dict[str, Producer], now: datetime) -> list[tuple[Product, ProductSeed]]:
    categories = {}
    for position, (slug, name) in enumerate(CATEGORIES, start=1):
        categories[slug], _ = Category.objects.update_or_create(
            slug=slug, defaults={"position": position, **text_fields("name", name)}
        )
    # An active product has a publication time (a database constraint): it is given in the write that makes the
    # product active, and later runs keep it.
    published = dict(
        Product.objects.filter(slug__in=[seed.slug for seed in PRODUCTS]).values_list("slug", "published_at")
    )
    catalog = []
    for seed in PRODUCTS:
        kind = KINDS[seed.kind]
        producer = producers[seed.producer]
        # An unverified producer may prepare listings, but they stay drafts until staff verify the producer.
        status = Product.Status.ACTIVE if producer.is_verified else Product.Status.DRAFT
        published_at = published.get(seed.slug)
        if status == Product.Status.ACTIVE and published_at is None:
            published_at = now
        start, end = seed.season or kind.season
        product, _ = Product.objects.update_or_create(
            slug=seed.slug,
            defaults={
                "producer": producer,
                "category": categories[kind.category],
                "status": status,
                "is_perishable": kind.perishable,
                "harvest_start_month": start,
                "harvest_end_month": end,
                "published_at": published_at,
                **translated_fields(seed.name, _product_description(seed, kind)),
            },
        )
        packs = [pack for pack in kind.packs if not seed.packs or pack[0] in seed.packs]
        for position, (code, price, stock) in enumerate(packs):
            pack = PACKS[code]
            fields = {
                "product": product,
                "price": price + seed.price_shift,
                "weight_grams": pack.grams,
                "is_active": True,
                "position": position,
                **text_fields("name", pack.name),
            }
            # Stock is only set when the variant is created: orders placed during a demo must not be undone.
            Variant.objects.update_or_create(
                sku=sku_for(seed.slug, code), defaults=fields, create_defaults={**fields, "stock": stock}
            )
        catalog.append((product, seed))
    return catalog


def seed_product_photos(*, catalog: list[tuple[Product, ProductSeed]]) -> None:
    with_photos = set(
        ProductImage.objects.filter(product__in=[product for product, _ in catalog]).values_list(
            "product_id", flat=True
        )
    )
    for product, seed in catalog:
        if product.pk in with_photos:
            continue
        files = photos.product_photo_files(picture=KINDS[seed.kind].picture, seed=seed_number(seed.slug))
        # No alt text: it is one language only, and the pages fall back to the product's name in the reader's.
        # No actor: the seed stands for no member of the producer, so the producer's activity records nothing.
        product_image_add(product=product, data=files, actor=None)
