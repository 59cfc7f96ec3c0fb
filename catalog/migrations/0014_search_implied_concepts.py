"""Write every product's search words anew with the tokens of the concepts its names hold a term of."""

from django.db import migrations

from catalog import search_text

BATCH = 1000
NAMES = ("name_zh", "name_ug", "name_en")


def _all_terms(concept) -> list[str]:
    # Concept.all_terms, which a migration's model does not have.
    extra = [term.strip() for line in concept.terms.splitlines() for term in line.split(",")]
    return list(dict.fromkeys(t for t in (concept.name_zh, concept.name_ug, concept.name_en, *extra) if t))


def rewrite(apps, schema_editor):
    Product = apps.get_model("catalog", "Product")
    Concept = apps.get_model("catalog", "Concept")
    concepts = {c.pk: search_text.concept_terms(_all_terms(c)) for c in Concept.objects.order_by("pk")}
    ids = list(Product.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        tagged: dict[int, list[int]] = {}
        for product_id, concept_id in Product.concepts.through.objects.filter(product_id__in=batch).values_list(
            "product_id", "concept_id"
        ):
            tagged.setdefault(product_id, []).append(concept_id)
        written, documents = [], []
        for pk, *names in Product.objects.filter(pk__in=batch).values_list("pk", *NAMES):
            written.append(pk)
            documents.append(search_text.document(names=names, concept_ids=tagged.get(pk, ()), concepts=concepts))
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                "UPDATE catalog_productsearch AS s SET words = d.words::tsvector "
                "FROM unnest(%s::bigint[], %s::text[]) AS d(id, words) WHERE s.product_id = d.id",
                [written, documents],
            )


class Migration(migrations.Migration):
    dependencies = [("catalog", "0013_region_concepts")]

    operations = [migrations.RunPython(rewrite, migrations.RunPython.noop)]
