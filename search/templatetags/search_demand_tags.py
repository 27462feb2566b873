"""The "searched but not found" demand signal for the needs report."""

from django import template

from search.services import search_period_start, search_terms_not_found

register = template.Library()


@register.simple_tag
def searched_not_found(days: int = 90, limit: int = 10) -> dict:
    """The queries that found nothing in the last `days` days, the most often first, at most
    `limit` of them: `{"days": ..., "terms": [{"query", "not_found", "searched", ...}]}`.
    One query."""
    since = search_period_start(days=days)
    return {"days": days, "terms": list(search_terms_not_found(since=since)[:limit])}
