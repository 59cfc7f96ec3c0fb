from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("marketplace", "0003_ratecounter"),
    ]

    operations = [
        migrations.CreateModel(
            name="SitePage",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="updated")),
                (
                    "slug",
                    models.CharField(
                        choices=[
                            ("promise", "After-sales promise"),
                            ("returns", "Returns and refunds"),
                            ("privacy", "Privacy"),
                            ("terms", "Terms of use"),
                            ("contact", "Contact us"),
                        ],
                        max_length=20,
                        unique=True,
                        verbose_name="page",
                    ),
                ),
                ("title_zh", models.CharField(blank=True, max_length=200, verbose_name="title (Chinese)")),
                ("title_ug", models.CharField(blank=True, max_length=200, verbose_name="title (Uyghur)")),
                ("title_en", models.CharField(blank=True, max_length=200, verbose_name="title (English)")),
                (
                    "body_zh",
                    models.TextField(
                        blank=True,
                        help_text="Plain text: a blank line starts a new paragraph. HTML is shown as typed, never run.",
                        verbose_name="text (Chinese)",
                    ),
                ),
                (
                    "body_ug",
                    models.TextField(
                        blank=True,
                        help_text="Plain text: a blank line starts a new paragraph. HTML is shown as typed, never run.",
                        verbose_name="text (Uyghur)",
                    ),
                ),
                (
                    "body_en",
                    models.TextField(
                        blank=True,
                        help_text="Plain text: a blank line starts a new paragraph. HTML is shown as typed, never run.",
                        verbose_name="text (English)",
                    ),
                ),
            ],
            options={
                "verbose_name": "site page",
                "verbose_name_plural": "site pages",
                "ordering": ["slug"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("title_en", ""), ("title_ug", ""), ("title_zh", ""), _negated=True),
                        name="sitepage_has_title",
                    )
                ],
            },
        ),
    ]
