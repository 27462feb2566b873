from django.contrib import messages
from django.db import router
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.models import Page

from content.models import Organization
from courses.services import organization_setup


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
