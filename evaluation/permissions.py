"""Who may see evaluation results and decide learning needs.

Composed from the roles defined once in `learners.permissions` (trainer, editor, organization
admin, platform administrator) plus the direct supervisor link on the user (`User.supervisor`).
"""

from django.db.models import Q, QuerySet

from content.models import Organization
from content.translation import source_pages
from courses.models import CoursePage
from evaluation.models import LearningNeed
from learners.models import User
from learners.permissions import (
    is_course_trainer,
    is_organization_admin,
    is_organization_editor,
    is_platform_admin,
    organizations_administered,
)
from learners.supervisors import has_confirmed_supervisor


def organizations_edited(user: User) -> QuerySet[Organization]:
    """Organizations whose sections `user` edits or moderates (all, for a platform admin)."""
    if not user.is_authenticated:
        return Organization.objects.none()
    if is_platform_admin(user):
        return Organization.objects.all()
    groups = user.groups.all()
    return Organization.objects.filter(
        Q(editors_group__in=groups) | Q(moderators_group__in=groups)
    ).distinct()


def courses_evaluable_by(user: User) -> QuerySet[CoursePage]:
    """Courses whose evaluation results `user` may see: their providers' or the ones they train."""
    if not user.is_authenticated:
        return CoursePage.objects.none()
    if is_platform_admin(user):
        return source_pages(CoursePage.objects.all())
    return (
        source_pages(CoursePage.objects)
        .filter(Q(provider__in=organizations_edited(user)) | Q(trainers__user=user))
        .distinct()
    )


def can_view_course_evaluation(user: User, course: CoursePage) -> bool:
    """The course's trainers, its provider's editors and moderators, platform administrators."""
    if not user.is_authenticated:
        return False
    return (
        is_platform_admin(user)
        or is_course_trainer(user, course)
        or is_organization_editor(user, course.provider)
    )


def can_view_evaluation_reports(user: User) -> bool:
    """Programme reports in the admin: editors and moderators of any organization."""
    return organizations_edited(user).exists()


def can_decide_learning_need(user: User, need: LearningNeed) -> bool:
    """The learner's confirmed direct supervisor or their organization's admin, never the
    learner (see `learners.supervisors`: an unconfirmed link grants nothing)."""
    if not user.is_authenticated or need.user_id == user.pk:
        return False
    return has_confirmed_supervisor(need.user, user) or is_organization_admin(
        user, need.user.organization_id
    )


def organizations_for_needs_report(user: User) -> QuerySet[Organization]:
    """Organizations whose needs an organization admin sees (all, for a platform admin)."""
    if not user.is_authenticated:
        return Organization.objects.none()
    return organizations_administered(user)
