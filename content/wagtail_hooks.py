from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from content.models import Competency, Organization


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
