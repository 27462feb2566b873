"""The forms of development and their rules in the Wagtail admin (snippets), for platform
administrators: they correct the SIASN mapping and the national defaults. Nobody else holds the
model permissions; an organization's HR admin adjusts its own rules on the site
(`views.rules`)."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from development.models import DevelopmentForm, FormRule


class DevelopmentFormViewSet(SnippetViewSet):
    model = DevelopmentForm
    icon = "list-ul"
    list_display = ["name", "code", "mode", "siasn_jenis_diklat_id", "active"]
    list_filter = ["mode", "active"]
    search_fields = ["name", "code"]


class FormRuleViewSet(SnippetViewSet):
    model = FormRule
    icon = "cog"
    list_display = ["form", "organization", "max_jp_per_activity", "max_jp_per_year", "evidence"]
    list_filter = ["evidence"]


class DevelopmentViewSetGroup(SnippetViewSetGroup):
    menu_label = _("Development")
    menu_icon = "list-ul"
    items = (DevelopmentFormViewSet, FormRuleViewSet)


register_snippet(DevelopmentViewSetGroup)
