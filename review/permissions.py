"""Who may mark content reviewed: its organization's moderators (they publish it), its owner
while they may edit it, and superusers; Wagtail's page permissions decide, as for publishing."""

from content.review import ReviewedPage


def can_mark_reviewed(user, page: ReviewedPage) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    permissions = page.permissions_for_user(user)
    if permissions.can_publish():
        return True
    owner_id = page.content_owner_id or page.owner_id
    return owner_id == user.pk and permissions.can_edit()
