"""Wagtail's read-only content API (v2): pages, images and documents."""

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.serializers import PageLocaleField, PageSerializer
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.documents.api.v2.views import DocumentsAPIViewSet
from wagtail.images.api.v2.views import ImagesAPIViewSet

from content.inputs import id_parse
from content.translation import locale_code, source_pages
from search.matching import search_query_clean

#: Far beyond any listing, well within what every database binds.
MAX_OFFSET = 1_000_000_000


class SearchQuotesDropped:
    """`?search=` cleaned as every search box is (`search_query_clean`: no double quotes, at
    most 32 words), and dropped when left blank: Wagtail's SQLite backend wraps each word in
    quotes for FTS5 without escaping them, so a quote inside a word was a syntax error, a blank
    query an AttributeError and 2,000 words a RecursionError (500s all). Other parameters Wagtail
    does not check are refused with a 400: an `?offset=` beyond any listing (SQLite cannot
    bind it), an unknown `?search_operator=`, an `?id=` that is not one."""

    def initial(self, request, *args, **kwargs):
        params = request._request.GET
        if "search" in params:
            params = params.copy()
            words = search_query_clean(params["search"])
            if words:
                params["search"] = words
            else:
                del params["search"]
            request._request.GET = params
        offset = params.get("offset", "")
        if offset.isdecimal() and int(offset) > MAX_OFFSET:
            raise BadRequestError(
                _("The offset must be a whole number from 0 to %(max)s.") % {"max": MAX_OFFSET}
            )
        # Wagtail passes these on unchecked: an unknown operator was a ValueError and an id
        # that is not a number one too, in the `find` views (500s both).
        if params.get("search_operator", "and") not in ("and", "or"):
            raise BadRequestError(_('The search operator must be "and" or "or".'))
        if "id" in params and id_parse(params["id"]) is None:
            raise BadRequestError(_("The id must be a whole number."))
        super().initial(request, *args, **kwargs)


class PageLocaleKnown(PageLocaleField):
    """A page's `meta.locale` from the locale ids read once per process: Wagtail's own field
    loads each listed page's locale (a query per page)."""

    def to_representation(self, page):
        return locale_code(page.locale_id)


class LocalizedPageSerializer(PageSerializer):
    locale = PageLocaleKnown(read_only=True)


class PagesAPI(SearchQuotesDropped, PagesAPIViewSet):
    base_serializer_class = LocalizedPageSerializer

    def dispatch(self, request, *args, **kwargs):
        # The pages of `?locale=` read in that language: the competencies' names (translated
        # snippets, read by `translated_snippet_field`) follow the listing's locale. Without it,
        # the API's address has no language prefix, so it reads in the default (Indonesian).
        language = request.GET.get("locale", "")
        if language not in dict(settings.WAGTAIL_CONTENT_LANGUAGES):
            return super().dispatch(request, *args, **kwargs)
        with translation.override(language):
            return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self):
        # Read once per request: with i18n on, Wagtail's public pages look up the site root's
        # translations, and a listing asks for its base three times.
        if not hasattr(self, "_base_queryset"):
            self._base_queryset = super().get_base_queryset()
        return self._base_queryset

    def get_queryset(self):
        # A listing names each page once, in its Indonesian source, unless it asks for a locale
        # (`?locale=en`: the English translations) or a page's translations (`?translation_of=`).
        queryset = super().get_queryset()
        params = self.request.GET
        if self.action == "listing_view" and not {"locale", "translation_of"} & set(params):
            queryset = source_pages(queryset)
        return queryset


class ImagesAPI(SearchQuotesDropped, ImagesAPIViewSet):
    pass


class DocumentsAPI(SearchQuotesDropped, DocumentsAPIViewSet):
    pass


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PagesAPI)
api_router.register_endpoint("images", ImagesAPI)
api_router.register_endpoint("documents", DocumentsAPI)
