"""Fill what the new search reads for existing products: their lowest price and their search rows."""

from django.db import migrations

from catalog import search_text

BATCH = 1000
NAMES = ("name_zh", "name_ug", "name_en")
DESCRIPTIONS = ("description_zh", "description_ug", "description_en")


def fill(apps, schema_editor):
    Product = apps.get_model("catalog", "Product")
    SearchWord = apps.get_model("catalog", "SearchWord")
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "UPDATE catalog_product AS p SET lowest_price = "
            "(SELECT min(v.price) FROM catalog_variant AS v WHERE v.product_id = p.id AND v.is_active)"
        )
    ids = list(Product.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        written, documents, described, words = [], [], [], set()
        for pk, *texts in Product.objects.filter(pk__in=batch).values_list("pk", *NAMES, *DESCRIPTIONS):
            names, descriptions = texts[:3], texts[3:]
            written.append(pk)
            documents.append(search_text.document(names=names, concept_ids=()))
            described.append(search_text.description_document(descriptions))
            words |= search_text.vocabulary(names)
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO catalog_productsearch (product_id, producer_id, category_id, is_active, published_at, "
                "lowest_price, harvest_start_month, harvest_end_month, popularity, words, description_words) "
                "SELECT p.id, p.producer_id, p.category_id, p.status = 'active', p.published_at, p.lowest_price, "
                "p.harvest_start_month, p.harvest_end_month, "
                "coalesce((SELECT sum(v.units_sold) FROM catalog_variant AS v WHERE v.product_id = p.id), 0), "
                "d.words::tsvector, d.described::tsvector "
                "FROM unnest(%s::bigint[], %s::text[], %s::text[]) AS d(id, words, described) "
                "JOIN catalog_product AS p ON p.id = d.id",
                [written, documents, described],
            )
        SearchWord.objects.bulk_create(
            [SearchWord(word=w) for w in sorted(words) if len(w) <= 100], ignore_conflicts=True
        )


class Migration(migrations.Migration):
    dependencies = [("catalog", "0011_search_concepts_prices")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
