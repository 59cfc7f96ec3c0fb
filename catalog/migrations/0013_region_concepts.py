"""The region's search vocabulary (catalog/vocabulary.py): every concept missing by slug, never one staff edited."""

from django.db import migrations

from catalog.vocabulary import region_concepts_ensure


def ensure(apps, schema_editor):
    region_concepts_ensure(
        concept_model=apps.get_model("catalog", "Concept"),
        search_word_model=apps.get_model("catalog", "SearchWord"),
    )


class Migration(migrations.Migration):
    dependencies = [("catalog", "0012_search_columns_filled")]

    operations = [migrations.RunPython(ensure, migrations.RunPython.noop)]
