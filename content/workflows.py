"""The end of Lentera's moderation workflows, named by WAGTAIL_FINISH_WORKFLOW_ACTION.

Wagtail imports this module while `wagtail.models` is still loading, so it imports models only
inside the function.
"""

from django.core.exceptions import PermissionDenied
from wagtail.workflows import publish_workflow_state


def workflow_state_publish(workflow_state, user=None) -> None:
    """Publish the approved page, unless its parent is not live.

    Refusing raises PermissionDenied inside Wagtail's atomic approval, so the approval itself is
    rolled back: the page stays in moderation and no "approved" e-mail goes out. This covers the
    dashboard's approve button, which runs no page hook.
    """
    from wagtail.models import Page

    from content.services import page_publish_refusal

    page = workflow_state.content_object
    if isinstance(page, Page) and (refusal := page_publish_refusal(page)):
        raise PermissionDenied(refusal)
    publish_workflow_state(workflow_state, user=user)
