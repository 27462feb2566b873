"""Wagtail admin for search: the synonyms snippet (Settings → Search synonyms, beside Wagtail's
Settings → Promoted search results) and the search-terms report (Reports → Search terms).

The report replaces Wagtail's own "Search terms" report, which reads a query log Lentera does
not fill (`Query.add_hit`) and has no result counts.
"""

from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from core.exports import csv_response
from evaluation.permissions import organizations_edited
from learners.models import User
from learners.permissions import is_platform_admin
from search.models import SearchSynonym, SearchTermDaily
from search.services import search_period_start, search_terms_frequent, search_terms_not_found

#: Periods offered by the report, in days, and the one shown first.
REPORT_PERIODS = (7, 30, 90)
DEFAULT_PERIOD = 30
#: Rows shown per table (the CSV has them all).
REPORT_LIMIT = 50


def can_view_search_terms(user: User) -> bool:
    """Platform administrators, and editors and moderators of any organization."""
    return is_platform_admin(user) or organizations_edited(user).exists()


# Synonyms


class SearchSynonymViewSet(SnippetViewSet):
    """Synonyms for the superusers and whoever holds the model permissions (group admin)."""

    model = SearchSynonym
    icon = "openquote"
    menu_label = _("Search synonyms")
    menu_name = "search-synonyms"
    add_to_settings_menu = True
    # Just after Wagtail's "Promoted search results" (900).
    menu_order = 910
    list_display = ["term", "expansions"]
    search_fields = ["term", "expansions"]
    ordering = ["term"]
    list_per_page = 50


register_snippet(SearchSynonymViewSet)


# The search-terms report


class SearchTermsReportView(WagtailAdminTemplateMixin, TemplateView):
    """The most frequent queries and the queries that found nothing over a recent period."""

    page_title = _("Search terms")
    header_icon = "search"
    template_name = "search/admin/search_terms.html"

    def dispatch(self, request, *args, **kwargs):
        if not can_view_search_terms(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    def get(self, request, *args, **kwargs):
        chosen = request.GET.get("days", "")
        self.days = (
            int(chosen) if chosen.isdigit() and int(chosen) in REPORT_PERIODS else DEFAULT_PERIOD
        )
        chosen = request.GET.get("scope", "")
        self.scope = chosen if chosen in SearchTermDaily.Scope.values else ""
        self.since = search_period_start(days=self.days)
        if request.GET.get("export") == "csv":
            rows = search_terms_frequent(since=self.since, scope=self.scope or None)
            return csv_response(
                filename=f"istilah-pencarian-{self.days}-hari.csv",
                header=[
                    _("Query"),
                    _("Searches"),
                    _("Searches without results"),
                    _("Last searched"),
                ],
                rows=(
                    (row["query"], row["searched"], row["not_found"], row["last_searched"])
                    for row in rows.iterator()
                ),
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        scope = self.scope or None
        return super().get_context_data(
            days=self.days,
            periods=REPORT_PERIODS,
            scope=self.scope,
            scopes=SearchTermDaily.Scope.choices,
            since=self.since,
            frequent=list(search_terms_frequent(since=self.since, scope=scope)[:REPORT_LIMIT]),
            not_found=list(search_terms_not_found(since=self.since, scope=scope)[:REPORT_LIMIT]),
            limit=REPORT_LIMIT,
            **kwargs,
        )


@hooks.register("register_admin_urls")
def register_search_urls():
    return [path("pencarian/istilah/", SearchTermsReportView.as_view(), name="search_terms")]


class SearchTermsMenuItem(MenuItem):
    def is_shown(self, request):
        return can_view_search_terms(request.user)


@hooks.register("register_reports_menu_item")
def register_search_terms_menu_item():
    return SearchTermsMenuItem(
        _("Search terms"),
        reverse("search_terms"),
        name="search-analytics",
        icon_name="search",
        order=1320,
    )


@hooks.register("construct_reports_menu")
def hide_wagtail_search_terms_report(request, menu_items):
    # Wagtail's report of the same name (from search_promotions) would stay empty.
    menu_items[:] = [item for item in menu_items if item.name != "search-terms"]
