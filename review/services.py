"""Writes of content review: a page's defaults when first published, marking it reviewed, and
the daily reminders to its owner (in-app with `notify`, and by e-mail)."""

from datetime import date, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from audit.services import audit_record
from content.models import ResourcePage
from content.review import REVIEW_MONTHS, ReviewedPage, add_months
from content.translation import source_pages
from courses.models import CoursePage
from notifications.models import Notification
from notifications.services import notify
from review.models import ReviewReminder

#: The models whose pages are reviewed (content.review.ReviewedPage).
REVIEWED_MODELS: tuple[type[ReviewedPage], ...] = (CoursePage, ResourcePage)


def review_defaults_set(*, page: ReviewedPage, user_id: int | None = None) -> bool:
    """Give a published page without them a review-by date (REVIEW_MONTHS after its first
    publication) and an owner (its creator, else who published it). Written on the page's row
    only, without a new revision; returns whether anything changed."""
    changes = {}
    if page.review_by is None and page.first_published_at is not None:
        changes["review_by"] = add_months(
            timezone.localdate(page.first_published_at), REVIEW_MONTHS
        )
    if page.content_owner_id is None and (page.owner_id or user_id):
        changes["content_owner_id"] = page.owner_id or user_id
    if not changes:
        return False
    type(page).objects.filter(pk=page.pk).update(**changes)
    for name, value in changes.items():
        setattr(page, name, value)
    return True


def review_defaults_fill() -> int:
    """`review_defaults_set` for every live page still without a review-by date (pages that
    were live before review-by dates existed, or published by code); returns how many."""
    filled = 0
    for model in REVIEWED_MODELS:
        pages = source_pages(model.objects.filter(live=True, review_by=None)).only(
            "pk", "first_published_at", "owner_id", "content_owner_id", "review_by"
        )
        for page in pages.iterator():
            filled += review_defaults_set(page=page)
    return filled


def next_review_by(today: date) -> date:
    """The review-by date a review done `today` moves on to."""
    return add_months(today, REVIEW_MONTHS)


@transaction.atomic
def review_mark(*, page: ReviewedPage, user, review_by: date | None = None) -> ReviewedPage:
    """Record that `user` reviewed `page` today and move its review-by date on (to `review_by`,
    or REVIEW_MONTHS from today). Written on the live row: the page's draft, if any, keeps its
    changes, and publishing it later keeps this review (`ReviewedPage.with_content_json`)."""
    today = timezone.localdate()
    review_by = review_by or next_review_by(today)
    type(page).objects.filter(pk=page.pk).update(
        last_reviewed_on=today, last_reviewed_by=user, review_by=review_by
    )
    page.last_reviewed_on, page.last_reviewed_by, page.review_by = today, user, review_by
    audit_record(
        user,
        "content_reviewed",
        organization=page.provider_id,
        target=f"page:{page.pk}",
        detail={"title": page.title, "review_by": review_by.isoformat()},
    )
    return page


def _threshold(days_left: int) -> int | None:
    """The most urgent reminder due `days_left` days before the review-by date, or None."""
    if days_left < 0:
        return ReviewReminder.Threshold.OVERDUE
    for threshold in (ReviewReminder.Threshold.SEVEN_DAYS, ReviewReminder.Threshold.THIRTY_DAYS):
        if days_left <= threshold:
            return threshold
    return None


def review_reminders_send(*, today: date) -> int:
    """Remind owners of live pages whose review-by date is within 30 days, within 7, or passed:
    once per threshold and review-by date (`ReviewReminder`), the most urgent one only when
    several are due at once. In-app now, by e-mail after the commit. Returns how many."""
    horizon = today + timedelta(days=ReviewReminder.Threshold.THIRTY_DAYS)
    candidates = []
    for model in REVIEWED_MODELS:
        candidates.extend(
            # Source pages only: a translation is reviewed with its source, its owner told once.
            source_pages(model.objects.filter(live=True, review_by__lte=horizon))
            .exclude(content_owner=None, owner=None)
            .values("pk", "title", "url_path", "review_by", "content_owner_id", "owner_id")
        )
    if not candidates:
        return 0
    sent_before = set(
        ReviewReminder.objects.filter(page_id__in=[row["pk"] for row in candidates]).values_list(
            "page_id", "review_by", "threshold"
        )
    )
    reminders = []
    for row in candidates:
        threshold = _threshold((row["review_by"] - today).days)
        if threshold is None or (row["pk"], row["review_by"], threshold) in sent_before:
            continue
        recipient_id = row["content_owner_id"] or row["owner_id"]
        reminders.append(
            ReviewReminder(
                page_id=row["pk"],
                review_by=row["review_by"],
                threshold=threshold,
                recipient_id=recipient_id,
            )
        )
        notify(
            recipient=recipient_id,
            kind=Notification.Kind.CONTENT_REVIEW,
            subject=row["title"],
            url=reverse("wagtailadmin_pages:edit", args=[row["pk"]]),
        )
    ReviewReminder.objects.bulk_create(reminders, ignore_conflicts=True)
    if reminders:
        from review.tasks import review_reminders_deliver

        ids = [reminder.page_id for reminder in reminders]
        transaction.on_commit(
            lambda: review_reminders_deliver.enqueue(page_ids=ids, today=today.isoformat())
        )
    return len(reminders)


def page_for_review(page_id: int) -> ReviewedPage | None:
    """The reviewed page (course or resource) with this id, or None."""
    page = Page.objects.filter(pk=page_id).only("pk", "content_type_id").first()
    if page is None:
        return None
    specific = page.specific_deferred
    return specific if isinstance(specific, ReviewedPage) else None
