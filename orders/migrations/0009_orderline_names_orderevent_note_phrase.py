from django.db import migrations, models

LANGUAGES = ("zh", "ug", "en")


def _content_language(code):
    code = (code or "zh").lower()
    for language in LANGUAGES:
        if code == language or code.startswith(language + "-"):
            return language
    return "zh"


def _every_language(source):
    names = {language: getattr(source, f"name_{language}", "") for language in LANGUAGES}
    if getattr(source, "original_language", ""):
        names["original"] = source.original_language
    return names


def backfill_names(apps, schema_editor):
    """Lines placed before ``names`` existed: each language's names from their variant, product and producer now,
    but the language the order was placed in keeps the text the buyer saw (renamed products keep their old name)."""
    OrderLine = apps.get_model("orders", "OrderLine")
    lines = (
        OrderLine.objects.filter(names={})
        .select_related("order", "variant__product", "producer")
        .order_by("pk")
        .iterator(chunk_size=1000)
    )
    batch = []
    for line in lines:
        names = {
            "product": _every_language(line.variant.product),
            "variant": _every_language(line.variant),
            "producer": _every_language(line.producer),
        }
        placed_in = _content_language(line.order.language)
        for part in ("product", "variant", "producer"):
            snapshot = getattr(line, f"{part}_name")
            if snapshot:
                names[part][placed_in] = snapshot
        line.names = names
        batch.append(line)
        if len(batch) == 1000:
            OrderLine.objects.bulk_update(batch, ["names"])
            batch = []
    if batch:
        OrderLine.objects.bulk_update(batch, ["names"])


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0008_orderevent_depot"),
    ]

    operations = [
        migrations.AddField(
            model_name="orderline",
            name="names",
            field=models.JSONField(blank=True, default=dict, editable=False, verbose_name="names in every language"),
        ),
        migrations.AddField(
            model_name="orderevent",
            name="note_phrase",
            field=models.JSONField(blank=True, editable=False, null=True, verbose_name="system note"),
        ),
        migrations.RunPython(backfill_names, migrations.RunPython.noop),
    ]
