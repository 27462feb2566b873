"""`content.sites`: the site of a page request by Wagtail's rules (the same site, root page and
match as `get_site_for_hostname` in every case Wagtail distinguishes), found once per page
request and never for a view that does not ask for it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, Site
from wagtail.models.sites import get_site_for_hostname

from content.sites import site_for_hostname

pytestmark = pytest.mark.django_db


def _same(hostname, port):
    try:
        expected = get_site_for_hostname(hostname, port)
    except Site.DoesNotExist:
        with pytest.raises(Site.DoesNotExist):
            site_for_hostname(hostname, port)
        return None
    found = site_for_hostname(hostname, port)
    assert (found.pk, found.match) == (expected.pk, expected.match)
    assert found.root_page.pk == expected.root_page.pk
    assert found.root_page.url_path == expected.root_page.url_path
    return found


def test_site_for_hostname_chooses_as_wagtail_does(site_tree):
    home = site_tree["home"]
    default = Site.objects.get(is_default_site=True)
    default.hostname, default.port = "lentera.example.go.id", 443
    default.save()
    other_root = home.add_child(instance=Page(title="Portal Daerah", slug="portal-daerah"))
    port_site = Site.objects.create(
        hostname="lentera.example.go.id", port=8443, root_page=other_root
    )

    # Hostname and port; hostname with the default; the default for an unknown host.
    assert _same("lentera.example.go.id", "8443").pk == port_site.pk
    assert _same("lentera.example.go.id", "443").pk == default.pk
    assert _same("lentera.example.go.id", "80").pk == default.pk
    assert _same("unknown.example.go.id", "443").pk == default.pk

    # One other site on a host: a request there on another port gets it, not the default.
    alone = Site.objects.create(hostname="daerah.example.go.id", port=8000, root_page=other_root)
    assert _same("daerah.example.go.id", "9000").pk == alone.pk
    # Two on that host: neither matches the port, so the default answers.
    Site.objects.create(hostname="daerah.example.go.id", port=8001, root_page=other_root)
    assert _same("daerah.example.go.id", "9000").pk == default.pk

    # Without a default site, an unknown host has none.
    Site.objects.filter(pk=default.pk).update(is_default_site=False)
    assert _same("unknown.example.go.id", "443") is None
    assert _same("lentera.example.go.id", "8443").pk == port_site.pk


def test_a_page_request_looks_its_site_up_once_by_the_written_query(client, site_tree):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(site_tree["catalog"].url)
    assert response.status_code == 200
    # The lookup ranks the sites with a CASE (Wagtail's cached root paths query does not).
    lookups = [q["sql"] for q in queries if '"wagtailcore_site"' in q["sql"] and "CASE" in q["sql"]]
    assert len(lookups) == 1
    # Wagtail's query, built by the ORM, orders by the column's position instead.
    assert lookups[0].endswith("ORDER BY match ASC")
    assert response.context["request"]._wagtail_site.root_page.pk == site_tree["home"].pk


def test_a_view_that_is_not_a_page_does_not_look_a_site_up(client, site_tree):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert not [q for q in queries if '"wagtailcore_site"' in q["sql"]]
