"""The end of Lentera's moderation workflows, named by WAGTAIL_FINISH_WORKFLOW_ACTION.

Wagtail imports this module while `wagtail.models` is still loading, so it imports models only
inside the function.
"""


def workflow_state_publish(workflow_state, user=None) -> None:
    """Publish the approved page and, for a course, the pages submitted with it (parents first,
    in one transaction); refuse a module or lesson of an unpublished course approved alone.

    Refusing raises PermissionDenied inside Wagtail's atomic approval, so the approval itself is
    rolled back: the request stays in moderation and no "approved" e-mail goes out.
    """
    from moderation.services import course_request_publish

    course_request_publish(workflow_state=workflow_state, user=user)
