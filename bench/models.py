"""The bare Wagtail page the benchmark compares every page with: the same StreamField body as a
lesson, rendered through a minimal template (no navigation, progress or course context)."""

from wagtail.fields import StreamField
from wagtail.models import Page

from content.blocks import LearningStreamBlock


class BarePage(Page):
    body = StreamField(LearningStreamBlock())

    template = "bench/bare_page.html"
