"""The header's unread count and the profile page's digest setting."""

from django import template
from django.core.cache import cache
from wagtail.models import Page

from notifications import selectors
from notifications.forms import PreferenceForm

register = template.Library()


@register.simple_tag(takes_context=True)
def notification_unread_count(context) -> int | None:
    """The signed-in person's unread count for the header, or None (show no number).

    On Wagtail's pages (a Wagtail `page` in the context: lessons, courses, the home page) it is read
    from the cache only, never the database: the lesson page's queries are pinned by its
    benchmarks (tests/bench). Any other page of the person's, the notifications page included,
    counts on a miss (one query) and caches it for the next Wagtail page."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    if isinstance(context.get("page"), Page):
        return cache.get(selectors.unread_count_key(user.pk))
    return selectors.notification_unread_count(user=user)


@register.inclusion_tag("notifications/preference_form.html", takes_context=True)
def notification_preference_form(context, *, next: str = "") -> dict:  # noqa: A002
    """The digest setting as a small form of its own (one query)."""
    request = context["request"]
    preference = selectors.notification_preference(user=request.user)
    return {"form": PreferenceForm(instance=preference), "next": next, "request": request}
