"""The notifications endpoints of the learner API (/api/v1/), a router `lentera.learner_api`
adds: the signed-in person's unread count, their list (paged), and marking read. Only one's own:
another person's notification answers 404."""

from datetime import datetime

from django.core.paginator import Paginator
from django.http import Http404
from ninja import Field, Query, Router, Schema

from content.inputs import id_parse
from core.api import INVALID_INPUT, NOT_SIGNED_IN, ErrorOut
from notifications import selectors, services
from notifications.models import Notification

router = Router(tags=["notifications"])

MAX_PAGE_SIZE = 100


class UnreadCountOut(Schema):
    unread: int = Field(description="How many of my notifications are unread")


class NotificationOut(Schema):
    id: int
    kind: Notification.Kind = Field(description="What happened")
    message: str = Field(description="The sentence to show, in the request's language")
    subject: str = Field(description="The thread's, record's or session's title, as written")
    url: str = Field(description="A path on this site, in the request's language; may be empty")
    actor: str | None = Field(description="Who did it; null for the platform")
    created_at: datetime
    read_at: datetime | None = Field(description="When it was marked read; null while unread")


class NotificationPageOut(Schema):
    count: int = Field(description="How many notifications I have, on every page")
    unread: int = Field(description="How many of them are unread")
    page: int = Field(description="This page's number, from 1")
    page_size: int = Field(description="Notifications per page")
    pages: int = Field(description="How many pages there are")
    results: list[NotificationOut] = Field(description="This page's notifications, newest first")


class NotificationPaging(Schema):
    page: int = Field(1, ge=1, le=1_000_000, description="The page's number, from 1")
    page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE, description="Notifications per page")


class MarkedOut(Schema):
    marked: int = Field(description="How many notifications changed to read")


def _out(notification: Notification) -> dict:
    return {
        "id": notification.pk,
        "kind": notification.kind,
        "message": notification.message,
        "subject": notification.subject,
        "url": notification.link,
        "actor": notification.actor.full_name if notification.actor else None,
        "created_at": notification.created_at,
        "read_at": notification.read_at,
    }


@router.get(
    "/me/notifications/unread-count",
    response={200: UnreadCountOut, **NOT_SIGNED_IN},
    summary="How many of my notifications are unread",
)
def unread_count(request):
    return {"unread": selectors.notification_unread_count(user=request.user)}


@router.get(
    "/me/notifications",
    response={200: NotificationPageOut, **NOT_SIGNED_IN, **INVALID_INPUT},
    summary="My notifications, newest first",
)
def my_notifications(request, paging: Query[NotificationPaging]):
    paginator = Paginator(selectors.notification_list(user=request.user), paging.page_size)
    page = paginator.get_page(paging.page)
    return {
        "count": paginator.count,
        "unread": selectors.notification_unread_count(user=request.user),
        "page": page.number,
        "page_size": paging.page_size,
        "pages": paginator.num_pages,
        "results": [_out(notification) for notification in page],
    }


@router.post(
    "/me/notifications/{notification_id}/read",
    response={200: MarkedOut, 404: ErrorOut, **NOT_SIGNED_IN, **INVALID_INPUT},
    summary="Mark one of my notifications read (idempotent)",
)
def mark_read(request, notification_id: int):
    if id_parse(notification_id) is None:
        raise Http404
    marked = services.notification_mark_read(user=request.user, notification_id=notification_id)
    if marked is None:
        raise Http404
    return {"marked": marked}


@router.post(
    "/me/notifications/read",
    response={200: MarkedOut, **NOT_SIGNED_IN},
    summary="Mark all my notifications read",
)
def mark_all_read(request):
    return {"marked": services.notifications_mark_all_read(user=request.user)}
