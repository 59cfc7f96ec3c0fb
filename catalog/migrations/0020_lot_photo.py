"""A harvest lot's optional photo and its thumbnail, shown on the trace page."""

from django.db import migrations

import marketplace.images


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0019_waitlist"),
    ]

    operations = [
        migrations.AddField(
            model_name="harvestlot",
            name="photo",
            field=marketplace.images.PhotoField(blank=True, upload_to="lots/", verbose_name="photo"),
        ),
        migrations.AddField(
            model_name="harvestlot",
            name="photo_thumbnail",
            field=marketplace.images.PhotoField(blank=True, upload_to="lots/thumbs/", verbose_name="photo thumbnail"),
        ),
    ]
