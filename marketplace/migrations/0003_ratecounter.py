from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("marketplace", "0002_user_email_unique"),
    ]

    operations = [
        migrations.CreateModel(
            name="RateCounter",
            fields=[
                ("key", models.CharField(max_length=100, primary_key=True, serialize=False)),
                ("hits", models.IntegerField(default=0)),
                ("expires", models.DateTimeField()),
            ],
            options={"verbose_name": "rate counter", "verbose_name_plural": "rate counters"},
        ),
        # Counters are worth nothing after a crash: no write-ahead log for them.
        migrations.RunSQL(
            "ALTER TABLE marketplace_ratecounter SET UNLOGGED",
            "ALTER TABLE marketplace_ratecounter SET LOGGED",
        ),
    ]
