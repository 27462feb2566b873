"""Wagtail's read-only content API (v2): pages, images and documents."""

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet


class SearchQuotesDropped:
    """Drops double quotes from `?search=`, and a search left blank: Wagtail's SQLite backend
    wraps each word in quotes for FTS5 without escaping them, so a quote inside a word was a
    syntax error, and a blank query an AttributeError (500s both)."""

    def initial(self, request, *args, **kwargs):
        if "search" in request.query_params:
            params = request._request.GET.copy()
            words = " ".join(params["search"].replace('"', " ").split())
            if words:
                params["search"] = words
            else:
                del params["search"]
            request._request.GET = params
        super().initial(request, *args, **kwargs)


class PagesAPI(SearchQuotesDropped, PagesAPIViewSet):
    pass


class ImagesAPI(SearchQuotesDropped, ImagesAPIViewSet):
    pass


class DocumentsAPI(SearchQuotesDropped, DocumentsAPIViewSet):
    pass


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PagesAPI)
api_router.register_endpoint("images", ImagesAPI)
api_router.register_endpoint("documents", DocumentsAPI)
