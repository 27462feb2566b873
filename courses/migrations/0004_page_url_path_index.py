"""An index on Wagtail's `wagtailcore_page.url_path`, which HomePage.route looks pages up by
(Wagtail itself never queries that column, so it ships without one)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0003_evaluation_fields"),
        ("wagtailcore", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS lentera_page_url_path ON wagtailcore_page (url_path)",
            "DROP INDEX IF EXISTS lentera_page_url_path",
        ),
    ]
