"""Admin panels specific to course pages."""

from decimal import Decimal

from django.conf import settings
from django.utils.html import format_html
from django.utils.translation import gettext as _
from wagtail.admin.panels import FieldPanel, HelpPanel


def jp_from_minutes(minutes: int) -> Decimal:
    """JP implied by a number of learning minutes (LENTERA_MINUTES_PER_JP, 45 by default)."""
    return (Decimal(minutes) / settings.LENTERA_MINUTES_PER_JP).quantize(Decimal("0.1"))


class ImpliedJPPanel(HelpPanel):
    """Shows, beside the JP an editor sets, the JP implied by the course's lesson minutes."""

    class BoundPanel(HelpPanel.BoundPanel):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            course = self.instance
            minutes = course.total_lesson_minutes() if course.pk else 0
            if not minutes:
                self.content = format_html(
                    "<p>{}</p>", _("JP implied by lesson minutes appears once lessons exist.")
                )
                return
            self.content = format_html(
                "<p>{}</p>",
                _(
                    "Lessons add up to %(minutes)s minutes, which is %(jp)s JP at "
                    "%(per_jp)s minutes per JP. The JP above is what learners are credited."
                )
                % {
                    "minutes": minutes,
                    "jp": jp_from_minutes(minutes),
                    "per_jp": settings.LENTERA_MINUTES_PER_JP,
                },
            )


class ProviderPanel(FieldPanel):
    """The course's provider, read only (it follows from the section the course sits in).

    A course being created has no provider until it is saved; reading it then raises
    RelatedObjectDoesNotExist, which templates swallow silently, leaving the whole tab empty.
    """

    def __init__(self, field_name: str = "provider", **kwargs) -> None:
        kwargs.setdefault("read_only", True)
        super().__init__(field_name, **kwargs)

    class BoundPanel(FieldPanel.BoundPanel):
        def is_shown(self) -> bool:
            return self.instance.provider_id is not None and super().is_shown()
