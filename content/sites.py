"""Which Wagtail site answers a request: Wagtail's own rules, in a query written once."""

from functools import cache

from django.db import connections, router
from django.http import HttpRequest
from django.http.request import split_domain_port
from wagtail.models import Page, Site
from wagtail.models.sites import (
    MATCH_DEFAULT,
    MATCH_HOSTNAME,
    MATCH_HOSTNAME_DEFAULT,
    MATCH_HOSTNAME_PORT,
)
from wagtail.views import serve as wagtail_serve

from content.translation import serve as translation_serve


def site_for_request(request: HttpRequest) -> Site | None:
    """`Site.find_for_request` (cached on the request the same way), its lookup done by
    `site_for_hostname`."""
    if not hasattr(request, "_wagtail_site"):
        # As Wagtail does: the raw host, so that ALLOWED_HOSTS is checked where it always is.
        hostname = split_domain_port(request._get_raw_host())[0]
        try:
            request._wagtail_site = site_for_hostname(hostname, request.get_port())
        except Site.DoesNotExist:
            request._wagtail_site = None
    return request._wagtail_site


def site_for_hostname(hostname: str, port) -> Site:
    """`wagtail.models.sites.get_site_for_hostname`: the same query, the same choice among its
    rows, a Site with its root page loaded, or Site.DoesNotExist.

    Wagtail builds its query with the ORM on every page request (a CASE of three WHENs ordered
    by, and the root page's columns joined): 1.0 ms of CPU each time, about a tenth of a lesson
    view's, for SQL that differs only in its parameters (0.14 ms here). Here the SQL is written
    once per process from the models' own columns, and the rows become instances as the ORM
    makes them.
    """
    alias = router.db_for_read(Site)
    sql, site_fields, page_fields = _site_query(alias)
    # The ORM's conversions of the parameters (the port arrives as a string).
    hostname = Site._meta.get_field("hostname").get_prep_value(hostname)
    port = Site._meta.get_field("port").get_prep_value(port)
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, [hostname, port, hostname, hostname])
        rows = cursor.fetchall()
    sites = []
    site_count, page_count = len(site_fields), len(page_fields)
    for row in rows:
        site = Site.from_db(alias, site_fields, row[:site_count])
        root_page = Page.from_db(alias, page_fields, row[site_count : site_count + page_count])
        Site._meta.get_field("root_page").set_cached_value(site, root_page)
        site.match = row[-1]
        sites.append(site)
    # Wagtail's choice among the rows, as get_site_for_hostname makes it.
    if sites:
        if len(sites) == 1 or sites[0].match in (MATCH_HOSTNAME_PORT, MATCH_HOSTNAME_DEFAULT):
            return sites[0]
        if sites[0].match == MATCH_DEFAULT:
            return sites[len(sites) == 2]
    raise Site.DoesNotExist()


@cache
def _site_query(alias: str) -> tuple[str, list[str], list[str]]:
    """The SQL of Wagtail's site query on database `alias` and the attribute names of its
    columns, in order: the site's, the root page's (then comes the match rank)."""
    quote = connections[alias].ops.quote_name
    site_table, page_table = quote(Site._meta.db_table), quote(Page._meta.db_table)
    site_fields = [field.attname for field in Site._meta.concrete_fields]
    page_fields = [field.attname for field in Page._meta.concrete_fields]
    columns = [f"{site_table}.{quote(Site._meta.get_field(name).column)}" for name in site_fields]
    columns += [f"{page_table}.{quote(Page._meta.get_field(name).column)}" for name in page_fields]

    def column(name: str) -> str:
        return f"{site_table}.{quote(Site._meta.get_field(name).column)}"

    hostname, port, default = column("hostname"), column("port"), column("is_default_site")
    root_page_id = column("root_page")
    page_id = f"{page_table}.{quote(Page._meta.pk.column)}"
    # Identifiers from the models, quoted; the values are parameters.
    sql = (
        f"SELECT {', '.join(columns)}, "  # noqa: S608
        f"CASE WHEN ({hostname} = %s AND {port} = %s) THEN {MATCH_HOSTNAME_PORT} "
        f"WHEN ({hostname} = %s AND {default}) THEN {MATCH_HOSTNAME_DEFAULT} "
        f"WHEN {default} THEN {MATCH_DEFAULT} ELSE {MATCH_HOSTNAME} END AS match "
        f"FROM {site_table} INNER JOIN {page_table} ON ({root_page_id} = {page_id}) "
        f"WHERE ({hostname} = %s OR {default}) ORDER BY match ASC"
    )
    return sql, site_fields, page_fields


class WagtailSiteLookup:
    """Middleware: finds the site of a request that Wagtail's `serve` view is about to answer
    with `site_for_request`, before Wagtail's routing asks for it. Other views are left alone:
    those that need the site look it up themselves, when they need it (no query is added)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Lentera's pages go through content.translation.serve, which ends in Wagtail's.
        if view_func is wagtail_serve or view_func is translation_serve:
            site_for_request(request)
