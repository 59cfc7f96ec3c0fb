"""The demo catalogue: categories, products with their variants, and a photo of each product."""

from __future__ import annotations

from datetime import datetime

from catalog.models import Category, Concept, Product, ProductImage, Variant
from catalog.services import product_image_add, product_prices_refresh, product_search_refresh
from catalog.vocabulary import region_concepts_ensure
from demo.data import Trilingual
from demo.data.catalogue import CATEGORIES, KINDS, PACKS, PRODUCTS, KindSeed, ProductSeed
from demo.seeding import photos
from demo.seeding.fields import seed_number, text_fields, translated_fields
from marketplace.models import CONTENT_LANGUAGES
from producers.models import Producer


def sku_for(product_slug: str, pack: str) -> str:
    return f"{product_slug}-{pack}".upper()


def _product_description(seed: ProductSeed, kind: KindSeed) -> Trilingual:
    """The kind's description and the product's note, in the languages the product is named in."""
    notes = seed.note or ("", "", "")
    zh, ug, en = (
        (f"{base}\n\n{note}" if note else base) if name else ""
        for name, base, note in zip(seed.name, kind.description, notes, strict=True)
    )
    return (zh, ug, en)


def _original_language(name: Trilingual) -> str:
    """The first language the product is named in, as ``catalog.services.product_create`` takes it."""
    return next(code for code, text in zip(CONTENT_LANGUAGES, name, strict=True) if text)


def _tag(catalog: list[tuple[Product, ProductSeed]], concepts: dict[str, Concept]) -> None:
    """Each demo product carries its kind's concepts, and only those."""
    for product, seed in catalog:
        product.concepts.set([concepts[slug] for slug in KINDS[seed.kind].concepts])


def seed_catalog(*, producers: dict[str, Producer], now: datetime) -> list[tuple[Product, ProductSeed]]:
    """Categories, the region's search concepts, and the demo products with their variants and concepts; each
    product's search column and lowest price are written as the catalog's services write them."""
    concepts = region_concepts_ensure()
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
                "original_language": _original_language(seed.name),
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
    _tag(catalog, concepts)
    product_ids = [product.pk for product, _seed in catalog]
    # Prices first: the search rows copy the lowest price.
    product_prices_refresh(product_ids=product_ids)
    product_search_refresh(product_ids=product_ids)
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
