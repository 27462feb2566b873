"""Existing competencies become the Indonesian locale's, each with its own translation key."""

from django.db import migrations
from wagtail.models import BootstrapTranslatableModel


class Migration(migrations.Migration):
    dependencies = [("content", "0008_competency_locale_fields"), ("wagtailcore", "0054_initial_locale")]

    operations = [BootstrapTranslatableModel("content.Competency")]
