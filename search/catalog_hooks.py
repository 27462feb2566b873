"""The catalog page's search, filters and counts, given to `CatalogPage` through its
`catalog_context` hook."""

from urllib.parse import urlencode

from django.http import QueryDict
from wagtail import hooks

from search.catalog import SORTS, CatalogFilters, catalog_search
from search.services import promoted_pages, search_record


def toggle_url(params: QueryDict, name: str, value: str) -> str:
    """The query string with `value` of `name` added or removed, back on the first page."""
    params = params.copy()
    values = params.getlist(name)
    params.setlist(name, [v for v in values if v != value] if value in values else [*values, value])
    params.pop("page", None)
    return "?" + params.urlencode() if params else "?"


def clear_url(params: QueryDict) -> str:
    """Keep only the words searched for."""
    query = params.get("q", "")
    return "?" + urlencode({"q": query}) if query else "?"


def search_context(request, *, scope: str) -> dict:
    filters = CatalogFilters.from_querydict(request.GET)
    search = catalog_search(filters=filters, page_number=request.GET.get("page"), user=request.user)
    for facet in search.facets:
        for option in facet.options:
            option.url = toggle_url(request.GET, facet.name, option.value)
    promoted = []
    if filters.query and not request.GET.get("page"):
        promoted = promoted_pages(filters.query)
        search_record(query=filters.query, results=search.total + len(promoted), scope=scope)
    return {
        "catalog": search,
        "courses": search.page_obj,
        "clear_filters_url": clear_url(request.GET),
        "sorts": SORTS.items(),
        "promoted": promoted,
    }


@hooks.register("catalog_context")
def catalog_search_context(page, request) -> dict:
    return search_context(request, scope="catalog")
