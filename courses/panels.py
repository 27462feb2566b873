"""Admin panels specific to course pages."""

from django.conf import settings
from django.utils.html import format_html
from django.utils.translation import gettext as _
from wagtail.admin.panels import FieldPanel, HelpPanel

from courses.workload import jp_and_minutes_disagree, jp_from_minutes


class ImpliedJPPanel(HelpPanel):
    """Shows, beside the JP an editor sets, the JP implied by the course's lesson minutes, as a
    warning when the two disagree (`courses.workload`). Only a warning: the declared JP is what
    learners are credited, and lessons are often written after the course page."""

    class BoundPanel(HelpPanel.BoundPanel):
        disagrees = False

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            course = self.instance
            minutes = course.total_lesson_minutes() if course.pk else 0
            if not minutes:
                self.content = format_html(
                    "<p>{}</p>", _("JP implied by lesson minutes appears once lessons exist.")
                )
                return
            values = {
                "minutes": minutes,
                "jp": jp_from_minutes(minutes),
                "per_jp": settings.LENTERA_MINUTES_PER_JP,
            }
            if course.jp is not None and jp_and_minutes_disagree(jp=course.jp, minutes=minutes):
                values["declared"] = format(course.jp.normalize(), "f")
                self.disagrees = True
                self.content = format_html(
                    '<svg class="icon icon-warning" aria-hidden="true">'
                    '<use href="#icon-warning"></use></svg><p>{}</p>',
                    _(
                        "Lessons add up to %(minutes)s minutes, which is %(jp)s JP at "
                        "%(per_jp)s minutes per JP, but the course credits %(declared)s JP. "
                        "Correct the JP or the lesson minutes: learners see both."
                    )
                    % values,
                )
                return
            self.content = format_html(
                "<p>{}</p>",
                _(
                    "Lessons add up to %(minutes)s minutes, which is %(jp)s JP at "
                    "%(per_jp)s minutes per JP. The JP above is what learners are credited."
                )
                % values,
            )

        @property
        def classname(self) -> str:
            # Wagtail's own warning style, as for its other non-blocking warnings.
            return "help-block help-warning" if self.disagrees else super().classname


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
