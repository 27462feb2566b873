"""Publishing rules for every page tree: a page is public only while the page above it is.

A lesson live under an unpublished course would be reachable by search and old links while its
course is gone from the catalog, so publishing under a draft parent is refused (by the admin's
hooks, and at the end of a moderation workflow) and unpublishing a page takes its descendants
with it.
"""

from django.utils.translation import gettext as _
from wagtail.models import Page


def page_publish_refusal(page: Page) -> str | None:
    """Why `page` may not be published now, or None when it may: its parent is not live.

    Wagtail's root is never a public page, so its children (site roots) are always allowed.
    """
    parent = page.get_parent()
    if parent is None or parent.is_root() or parent.live:
        return None
    return _(
        "“%(title)s” cannot be published yet: the page it belongs to, “%(parent)s”, is not "
        "published. Publish “%(parent)s” first."
    ) % {"title": page.get_admin_display_title(), "parent": parent.get_admin_display_title()}


def page_descendants_unpublish(*, page: Page, user=None) -> int:
    """Unpublish every live page below `page`; returns how many there were."""
    descendants = list(Page.objects.descendant_of(page).live().specific())
    for descendant in descendants:
        descendant.unpublish(user=user)
    return len(descendants)
