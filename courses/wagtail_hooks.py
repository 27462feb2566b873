from django.contrib import messages
from django.db import router
from django.db.models import Sum
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.models import Page

from content.models import Organization
from courses.models import CoursePage, LessonPage
from courses.services import organization_setup
from courses.workload import jp_and_minutes_disagree, jp_from_minutes


@hooks.register("after_create_snippet")
def set_up_new_organization(request, instance):
    """A new organization gets its sections, groups, collection and workflow at once."""
    if isinstance(instance, Organization):
        organization_setup(organization=instance)


@hooks.register("before_delete_page")
def refuse_deleting_pages_with_learner_history(request, page):
    """Enrollments, cohorts and quiz attempts protect their course and lessons (PROTECT), which
    Wagtail's reference index does not know: say so before the confirmation instead of failing
    on it, and point to unpublishing, which keeps the learners' history."""
    collector = Collector(using=router.db_for_write(Page))
    try:
        collector.collect(Page.objects.descendant_of(page, inclusive=True))
    except (ProtectedError, RestrictedError):
        messages.error(
            request,
            _(
                "“%(title)s” cannot be deleted: learners have enrolled in it or taken its "
                "quizzes. Unpublish it instead; their history is kept."
            )
            % {"title": page.get_admin_display_title()},
        )
        return redirect("wagtailadmin_explore", page.get_parent().id)
    return None


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def warn_when_course_jp_and_lesson_minutes_disagree(request, page):
    """A warning, never a refusal, when saving a course, or a lesson changing its course's
    minutes, leaves the course's JP and its lessons' minutes disagreeing (`courses.workload`):
    the course page shows both, so learners would see the mismatch."""
    if not request.accepts("text/html"):
        return  # an autosave answered in JSON: its messages would pile up for the next page
    if isinstance(page, CoursePage):
        course, minutes = page, page.total_lesson_minutes()
    elif isinstance(page, LessonPage):
        course = CoursePage.objects.ancestor_of(page).first()
        if course is None:
            return
        # The lesson as just saved: a draft's minutes are in its revision, not yet in its row.
        others = (
            LessonPage.objects.descendant_of(course)
            .exclude(pk=page.pk)
            .aggregate(total=Sum("estimated_minutes"))["total"]
        )
        minutes = (others or 0) + (page.estimated_minutes or 0)
    else:
        return
    if jp_and_minutes_disagree(jp=course.jp, minutes=minutes):
        messages.warning(
            request,
            _(
                "“%(title)s” credits %(declared)s JP, but its lessons add up to %(minutes)s "
                "minutes (%(jp)s JP). Correct the JP or the lesson minutes."
            )
            % {
                "title": course.get_admin_display_title(),
                "declared": format(course.jp.normalize(), "f"),
                "minutes": minutes,
                "jp": jp_from_minutes(minutes),
            },
        )
