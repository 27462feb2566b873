"""Content in two languages: a section page per organization and language (a foreign key, no
longer one-to-one), and the English locale beside the Indonesian one that Wagtail's first
migration made from LANGUAGE_CODE. Existing pages stay Indonesian, the source of translations."""

import django.db.models.deletion
from django.db import migrations, models


def add_english(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    Locale.objects.get_or_create(language_code="en")


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0006_content_review"),
        ("wagtailcore", "0054_initial_locale"),
    ]

    operations = [
        migrations.AlterField(
            model_name="librarysectionpage",
            name="organization",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="content.organization",
                verbose_name="organization",
            ),
        ),
        migrations.RunPython(add_english, migrations.RunPython.noop),
    ]
