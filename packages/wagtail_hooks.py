"""Wagtail hooks of the packages app: the "E-learning packages" admin and who may use it."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.permissions import register_permission_policy

from courses.models import CoursePage
from packages.admin_views import PackageViewSet, permission_policy
from packages.models import Package, PackageLessonPage

register_permission_policy(Package, permission_policy, exact_class=True)


@hooks.register("register_admin_viewset")
def register_package_viewset():
    return PackageViewSet("package_admin")


@hooks.register("before_move_page")
def refuse_moving_package_lessons_to_another_organization(request, page, destination):
    """A package lesson (or a module or course holding one) moves only under the organization
    its package belongs to: a move saves no lesson, so `PackageLessonPage.clean` cannot see it."""
    organization_id = (
        CoursePage.section_model.objects.ancestor_of(destination, inclusive=True)
        .values_list("organization_id", flat=True)
        .first()
    )
    foreign = (
        PackageLessonPage.objects.descendant_of(page, inclusive=True)
        .exclude(package__organization_id=organization_id)
        .exists()
    )
    if not foreign:
        return None
    messages.error(
        request,
        _(
            "This page holds a package lesson whose package belongs to another organization: "
            "it cannot be moved there."
        ),
    )
    return redirect("wagtailadmin_explore", page.get_parent().pk)
