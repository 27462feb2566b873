"""Gives a course or resource its review-by date and owner when it is first published, whoever
publishes it (the editor's button, a moderator's approval, a scheduled publication)."""

from wagtail.signals import page_published


def set_review_defaults(sender, instance, revision=None, **kwargs):
    from content.review import ReviewedPage
    from review.services import review_defaults_set

    if isinstance(instance, ReviewedPage):
        review_defaults_set(page=instance, user_id=getattr(revision, "user_id", None))


def register_signal_handlers() -> None:
    page_published.connect(set_review_defaults, dispatch_uid="review_defaults_on_publish")
