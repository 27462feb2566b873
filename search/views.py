"""The site-wide search page and title suggestions for the search boxes."""

from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from courses.models import CatalogPage
from search.catalog_hooks import search_context
from search.matching import (
    course_suggestions,
    highlight,
    query_terms,
    resource_matches,
    search_query_clean,
)

RESOURCES_SHOWN = 10
SUGGESTIONS = 8


@require_GET
def search(request):
    """Courses (with their filters) and library resources matching the words searched for."""
    context = search_context(request, scope="site")
    query = context["catalog"].filters.query
    resources = []
    if query:
        terms = query_terms(query)
        resources = [
            (resource, highlight(resource.summary, terms))
            for resource in resource_matches(query, limit=RESOURCES_SHOWN)
        ]
    catalog = CatalogPage.objects.live().first()
    return TemplateResponse(
        request,
        "search/search.html",
        {
            **context,
            "query": query,
            "resources": resources,
            "catalog_url": catalog.get_url(request) if catalog else "",
        },
    )


@require_GET
def suggest(request):
    """Up to 8 live, public course titles starting like the typed words (small JSON), in the
    interface's language where translated (`course_suggestions`)."""
    query = search_query_clean(request.GET.get("q", ""))
    suggestions = []
    if len(query) >= 2:
        suggestions = [
            {"title": course.title, "url": course.get_url(request)}
            for course in course_suggestions(query, limit=SUGGESTIONS)
        ]
    response = JsonResponse({"query": query, "results": suggestions})
    patch_cache_control(response, public=True, max_age=300)
    return response
