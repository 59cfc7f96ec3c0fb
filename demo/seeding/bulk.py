"""Benchmark scale: numbered copies of the demo products, written with bulk inserts."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import datetime

from django.db import connection

from catalog.models import Product, ProductImage, Variant
from catalog.services import product_prices_refresh, product_search_refresh
from demo.data.catalogue import PRODUCTS
from demo.data.producers import PRODUCERS
from producers.models import Producer

BULK_SLUG_PREFIX = "bulk-"
MAX_BULK_PRODUCTS = 100_000
BULK_BATCH_SIZE = 2_000


def bulk_slug(number: int) -> str:
    return f"{BULK_SLUG_PREFIX}{number:06d}"


def _chunks(items: Sequence[int], size: int) -> Iterator[Sequence[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def seed_bulk_products(*, total: int, now: datetime, log: Callable[[str], None] = lambda message: None) -> int:
    """Add numbered copies of the demo products until the catalogue holds ``total`` products; return how many.

    Copies are numbered from 1, so running again with the same total finds
    them all and adds nothing. They share the photo files of the product they
    copy: generating 100,000 pictures would take far longer than the
    benchmark it serves. They carry its search concepts, and get their search
    column and lowest price as the catalog's services write them.
    """
    base = list(
        Product.objects.filter(slug__in=[seed.slug for seed in PRODUCTS], status=Product.Status.ACTIVE)
        .prefetch_related("variants", "images")
        .order_by("slug")
    )
    tagged: dict[int, list[int]] = {}
    for product_id, concept_id in Product.concepts.through.objects.filter(product__in=base).values_list(
        "product_id", "concept_id"
    ):
        tagged.setdefault(product_id, []).append(concept_id)
    producers = list(Producer.objects.filter(slug__in=[seed.slug for seed in PRODUCERS], is_verified=True))
    producers.sort(key=lambda producer: producer.slug)
    wanted = max(0, total - Product.objects.exclude(slug__startswith=BULK_SLUG_PREFIX).count())
    existing = set(Product.objects.filter(slug__startswith=BULK_SLUG_PREFIX).values_list("slug", flat=True))
    missing = [number for number in range(1, wanted + 1) if bulk_slug(number) not in existing]
    for chunk in _chunks(missing, BULK_BATCH_SIZE):
        _bulk_create_batch(numbers=chunk, base=base, tagged=tagged, producers=producers, now=now)
        log(f"bulk products: {chunk[-1]:,} of {wanted:,}")
    if missing:
        # Fresh statistics for the planner, as after any bulk load: with the empty tables' figures it
        # took 100,000 products for a handful and the home page's "in season" query ran 350 ms, not 1.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE catalog_product, catalog_variant, catalog_productimage, catalog_product_concepts")
    return len(missing)


def _copy_of(text: str, suffix: str) -> str:
    """A copy's name: the template's with the lot number; a language the template has no name in stays empty."""
    return f"{text}{suffix}" if text else ""


def _bulk_create_batch(
    *,
    numbers: Sequence[int],
    base: list[Product],
    tagged: dict[int, list[int]],
    producers: list[Producer],
    now: datetime,
) -> None:
    products = []
    for number in numbers:
        template = base[number % len(base)]
        # A different stride for producers, so each producer ends up with a mix of kinds and categories.
        producer = producers[(number * 7) % len(producers)]
        products.append(
            Product(
                producer=producer,
                category_id=template.category_id,
                slug=bulk_slug(number),
                status=Product.Status.ACTIVE,
                is_perishable=template.is_perishable,
                harvest_start_month=template.harvest_start_month,
                harvest_end_month=template.harvest_end_month,
                published_at=now,
                original_language=template.original_language,
                name_zh=_copy_of(template.name_zh, f"（第{number}批）"),
                name_ug=_copy_of(template.name_ug, f" ({number}-تۈركۈم)"),
                name_en=_copy_of(template.name_en, f" (lot {number})"),
                description_zh=template.description_zh,
                description_ug=template.description_ug,
                description_en=template.description_en,
            )
        )
    Product.objects.bulk_create(products, batch_size=BULK_BATCH_SIZE)

    variants, images, concepts = [], [], []
    Tag = Product.concepts.through
    for number, product in zip(numbers, products, strict=True):
        template = base[number % len(base)]
        concepts += [Tag(product_id=product.pk, concept_id=concept_id) for concept_id in tagged.get(template.pk, ())]
        # One or two sizes, alternating, whatever the template offers.
        for position, variant in enumerate(template.variants.all()[: 1 + number % 2]):
            variants.append(
                Variant(
                    product=product,
                    sku=f"BULK-{number:06d}-{position + 1}",
                    name_zh=variant.name_zh,
                    name_ug=variant.name_ug,
                    name_en=variant.name_en,
                    price=variant.price,
                    weight_grams=variant.weight_grams,
                    stock=variant.stock,
                    position=position,
                )
            )
        for image in template.images.all()[:1]:
            # Width and height given up front, so Django does not open the shared file to measure it.
            images.append(
                ProductImage(
                    product=product,
                    image=image.image.name,
                    thumbnail=image.thumbnail.name,
                    renditions=image.renditions,
                    width=image.width,
                    height=image.height,
                    position=0,
                )
            )
    Variant.objects.bulk_create(variants, batch_size=BULK_BATCH_SIZE)
    ProductImage.objects.bulk_create(images, batch_size=BULK_BATCH_SIZE)
    Tag.objects.bulk_create(concepts, batch_size=BULK_BATCH_SIZE)
    product_ids = [product.pk for product in products]
    # Prices first: the search rows copy the lowest price.
    product_prices_refresh(product_ids=product_ids)
    product_search_refresh(product_ids=product_ids)
