"""allauth's account events that prove something about a person (see learners.membership)."""

from allauth.account.signals import email_confirmed
from django.dispatch import receiver


@receiver(email_confirmed, dispatch_uid="learners_email_confirmed")
def on_email_confirmed(sender, request, email_address, **kwargs) -> None:
    # Every way allauth verifies an address (the link, a code, the admin) sends this signal.
    from learners.membership import email_verified

    email_verified(user=email_address.user)


# A course's set of live required lessons decides every enrollment's stored progress
# (`Enrollment.required_total`, `required_done`). The page models cannot call learners (they
# import no learner code), so learners listens to the tree: a lesson created live, published,
# unpublished, made required or optional, deleted, or moved between courses has its courses'
# enrollments counted again once the change commits: once per course per transaction (a module
# of 30 lessons unpublished counts its course once), by a task, outside the editor's transaction.
PROGRESS_FIELDS = frozenset({"live", "required_for_completion", "path"})


def _lesson_course_ids(*paths: str) -> set[int]:
    """The courses above these tree paths (a lesson's, or a moved page's old and new parent)."""
    from courses.models import CoursePage

    steplen = CoursePage.steplen
    prefixes = {path[:end] for path in paths for end in range(steplen, len(path) + 1, steplen)}
    return set(CoursePage.objects.filter(path__in=prefixes).values_list("pk", flat=True))


def lesson_before_save(sender, instance, update_fields=None, **kwargs) -> None:
    instance._progress_before = None
    if instance.pk is None or instance._state.adding:
        return
    if update_fields is not None and not PROGRESS_FIELDS.intersection(update_fields):
        return  # a draft revision, a "last visited" timestamp...: nothing that counts changes
    from courses.models import LessonPage

    instance._progress_before = (
        LessonPage.objects.filter(pk=instance.pk)
        .values_list("live", "required_for_completion", "path")
        .first()
    )


def lesson_after_save(sender, instance, created, **kwargs) -> None:
    from learners.tasks import course_progress_recount_on_commit

    before = getattr(instance, "_progress_before", None)
    now = (instance.live, instance.required_for_completion, instance.path)
    if created:
        changed = instance.live and instance.required_for_completion
    else:
        changed = before is not None and before != now
    if not changed:
        return
    paths = [instance.path] + ([before[2]] if before else [])
    course_progress_recount_on_commit(_lesson_course_ids(*paths))


def lesson_after_delete(sender, instance, **kwargs) -> None:
    # Its completions are gone with it (CASCADE, deleted before it).
    from learners.tasks import course_progress_recount_on_commit

    course_progress_recount_on_commit(_lesson_course_ids(instance.path))


def page_after_move(sender, instance, parent_page_before, parent_page_after, **kwargs) -> None:
    """A lesson or a module moved from one course to another changes both courses' lessons
    (a page moved within its course, or a whole course, changes no course's set)."""
    from learners.tasks import course_progress_recount_on_commit

    before = _lesson_course_ids(parent_page_before.path)
    after = _lesson_course_ids(parent_page_after.path)
    if before == after:
        return
    course_progress_recount_on_commit(before | after)


def register_progress_handlers() -> None:
    from django.apps import apps
    from django.db.models.signals import post_delete, post_save, pre_save
    from wagtail.signals import post_page_move

    from courses.models import LessonPage

    for model in apps.get_models():
        if issubclass(model, LessonPage):
            uid = f"learners_progress_{model._meta.label_lower}"
            pre_save.connect(lesson_before_save, sender=model, dispatch_uid=uid)
            post_save.connect(lesson_after_save, sender=model, dispatch_uid=uid)
    # A lesson of any kind has its `LessonPage` row deleted (a quiz's too): one recount.
    post_delete.connect(lesson_after_delete, sender=LessonPage, dispatch_uid="learners_progress")
    post_page_move.connect(page_after_move, dispatch_uid="learners_progress_move")
