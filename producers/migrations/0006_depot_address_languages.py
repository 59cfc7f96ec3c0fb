"""A depot's address in each content language; the address it had is the Chinese one."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("producers", "0005_activity_deleted_and_verification"),
    ]

    operations = [
        migrations.RenameField(model_name="depot", old_name="address", new_name="address_zh"),
        migrations.AlterField(
            model_name="depot",
            name="address_zh",
            field=models.CharField(max_length=300, verbose_name="address (Chinese)"),
        ),
        migrations.AddField(
            model_name="depot",
            name="address_ug",
            field=models.CharField(blank=True, max_length=300, verbose_name="address (Uyghur)"),
        ),
        migrations.AddField(
            model_name="depot",
            name="address_en",
            field=models.CharField(blank=True, max_length=300, verbose_name="address (English)"),
        ),
    ]
