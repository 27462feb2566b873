"""Search services: recording what people search for (and whether they found anything), the
search-terms report and the "searched but not found" demand signal, and promoted results.
"""

import re
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Exists, F, Max, OuterRef, QuerySet, Subquery, Sum
from django.utils import timezone
from wagtail.contrib.search_promotions.models import SearchPromotion
from wagtail.models import Page
from wagtail.search.utils import normalise_query_string

from search.models import SearchTermDaily

#: Longest query kept (the length of Wagtail's own query log).
MAX_QUERY_LENGTH = 255

# Queries carrying an e-mail address or a long number (an 18-digit NIP, a 16-digit NIK) are
# personal data (UU 27/2022 on personal data protection) and never stored: the report is read
# by editors and HR admins of every organization.
_PERSONAL = re.compile(r"@|\d{8,}")


def search_query_normalise(query: str) -> str:
    """A query as it is counted: lowercase, whitespace collapsed, at most 255 characters."""
    return " ".join(query.split()).lower()[:MAX_QUERY_LENGTH].rstrip()


def search_record(*, query: str, results: int, scope: str) -> None:
    """Count one search of `query` in `scope` today, and whether it found nothing.

    One UPDATE in the usual case; the first search of the day inserts the row in a savepoint,
    and if a concurrent request inserted it first, the unique constraint refuses ours and the
    UPDATE runs again. Blank queries and queries carrying personal data are not recorded.
    """
    if scope not in SearchTermDaily.Scope.values:
        raise ValueError(f"Unknown search scope: {scope!r}")
    if results < 0:
        raise ValueError("A search cannot have a negative number of results.")
    normalised = search_query_normalise(query)
    if not normalised or _PERSONAL.search(normalised):
        return
    key = {"query": normalised, "date": timezone.localdate(), "scope": scope}
    zero = 1 if results == 0 else 0
    rows = SearchTermDaily.objects.filter(**key)
    increment = {"searches": F("searches") + 1, "zero_results": F("zero_results") + zero}
    if rows.update(**increment):
        return
    try:
        # The inputs are validated above and the database enforces the rest, so no
        # full_clean(): its uniqueness check would be one more query on every new term.
        with transaction.atomic():
            SearchTermDaily.objects.create(**key, searches=1, zero_results=zero)
    except IntegrityError:
        rows.update(**increment)


def search_period_start(*, days: int) -> date:
    """The first day of the last `days` days, today included."""
    return timezone.localdate() - timedelta(days=days - 1)


def _terms(*, since: date, scope: str | None) -> QuerySet:
    rows = SearchTermDaily.objects.filter(date__gte=since)
    if scope:
        rows = rows.filter(scope=scope)
    return rows.values("query").annotate(
        searched=Sum("searches"), not_found=Sum("zero_results"), last_searched=Max("date")
    )


def search_terms_frequent(*, since: date, scope: str | None = None) -> QuerySet:
    """Queries searched since `since` (in one scope, or all), most searched first: dicts of
    `query`, `searched`, `not_found` (searches without results) and `last_searched`."""
    return _terms(since=since, scope=scope).order_by("-searched", "query")


def search_terms_not_found(*, since: date, scope: str | None = None) -> QuerySet:
    """Queries that found nothing at least once since `since`, the most often first; the same
    dicts as `search_terms_frequent`."""
    return (
        _terms(since=since, scope=scope)
        .filter(not_found__gt=0)
        .order_by("-not_found", "-searched", "query")
    )


def promoted_pages(query_string: str) -> list[Page]:
    """The live, public pages editors promoted for `query_string` (Wagtail's search
    promotions), in the editors' order; each carries the promotion's `promotion_description`.

    External-link promotions are not pages and are left out. Two queries (the pages, and
    Wagtail's list of private sections), and no `Query` row is created by reading.
    """
    normalised = normalise_query_string(query_string)
    if not normalised:
        return []
    promotions = SearchPromotion.objects.filter(
        query__query_string=normalised, page=OuterRef("pk")
    ).order_by(F("sort_order").asc(nulls_last=True), "pk")
    pages = (
        Page.objects.live()
        .public()
        .filter(Exists(promotions))
        .annotate(
            promotion_order=Subquery(promotions.values("sort_order")[:1]),
            promotion_description=Subquery(promotions.values("description")[:1]),
        )
        .order_by(F("promotion_order").asc(nulls_last=True), "path")
    )
    return list(pages)
