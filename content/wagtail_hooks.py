from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from content.models import Competency, Organization
from content.services import page_descendants_unpublish, page_publish_refusal


class OrganizationViewSet(SnippetViewSet):
    model = Organization
    icon = "site"
    list_display = ["name", "short_name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]


class CompetencyViewSet(SnippetViewSet):
    model = Competency
    icon = "tasks"
    list_display = ["code", "name", "kind"]
    list_filter = ["kind"]
    search_fields = ["code", "name"]


class CollaborationViewSetGroup(SnippetViewSetGroup):
    items = (OrganizationViewSet, CompetencyViewSet)
    menu_icon = "group"
    menu_label = _("Collaboration")
    menu_name = "collaboration"


register_snippet(CollaborationViewSetGroup)


@hooks.register("before_edit_page")
def guard_workflow_actions_in_the_page_editor(request, page):
    """Keep a moderation action in the page editor to one deliberate form submission.

    Wagtail's workflow buttons add hidden `action-workflow-action` fields to the edit form when
    clicked, and an autosave request (JSON) posts that whole form: one fired after "Approve and
    publish" replays the approval with the page as it was loaded, overwriting the just-published
    row as a draft. Autosave is off (WAGTAIL_AUTOSAVE_INTERVAL), and this refuses such a request
    should it come anyway. An approval, which publishes, is refused under an unpublished parent.
    """
    if request.method != "POST" or not request.POST.get("action-workflow-action"):
        return None
    if not request.accepts("text/html"):
        # "invalid_revision" makes Wagtail's autosave script stop for this form.
        return JsonResponse(
            {
                "success": False,
                "error_code": "invalid_revision",
                "error_message": gettext("A moderation action is on its way: autosave stopped."),
            },
            status=400,
        )
    approving = request.POST.get("workflow-action-name") == "approve"
    if approving and (refusal := page_publish_refusal(page)):
        messages.error(request, refusal)
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


@hooks.register("before_publish_page")
def refuse_publishing_under_an_unpublished_parent(request, page):
    """The editor's "Publish" button, under a draft parent: say why instead of publishing."""
    if refusal := page_publish_refusal(page):
        messages.error(request, refusal)
        return redirect("wagtailadmin_pages:edit", page.pk)
    return None


@hooks.register("after_unpublish_page")
def unpublish_descendants_too(request, page):
    """Unpublishing a course takes its modules and lessons with it, whether or not the
    "include descendants" box was ticked: no page stays live under an unpublished one."""
    page_descendants_unpublish(page=page, user=request.user)


@hooks.register("insert_editor_js")
def name_rich_text_editors():
    """Give Wagtail's rich text editors their field's label as accessible name."""
    return format_html('<script src="{}"></script>', static("js/admin-rich-text-names.js"))


@hooks.register("insert_global_admin_css")
def readable_admin_messages():
    """Darker success messages in the admin, for WCAG AA contrast."""
    return format_html('<link rel="stylesheet" href="{}">', static("css/admin.css"))
