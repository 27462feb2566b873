"""Admin screens for the people data organizations manage: units, positions and roles."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from learners.models import CourseTrainer, OrganizationRole, Position, WorkUnit


class WorkUnitViewSet(SnippetViewSet):
    model = WorkUnit
    icon = "folder-open-inverse"
    list_display = ["name", "organization", "parent", "code"]
    list_filter = ["organization"]
    search_fields = ["name", "code"]


class PositionViewSet(SnippetViewSet):
    model = Position
    icon = "user"
    list_display = ["name", "organization"]
    list_filter = ["organization"]
    search_fields = ["name"]


class OrganizationRoleViewSet(SnippetViewSet):
    model = OrganizationRole
    icon = "key"
    list_display = ["user", "organization", "role"]
    list_filter = ["organization", "role"]


class CourseTrainerViewSet(SnippetViewSet):
    model = CourseTrainer
    icon = "group"
    list_display = ["user", "course"]


class PeopleViewSetGroup(SnippetViewSetGroup):
    items = (WorkUnitViewSet, PositionViewSet, OrganizationRoleViewSet, CourseTrainerViewSet)
    menu_icon = "group"
    menu_label = _("People and roles")
    menu_name = "people"
