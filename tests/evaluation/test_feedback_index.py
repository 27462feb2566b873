"""Citizens find the feedback forms: /umpan-balik/ lists every open form by organization and the
footer of every page links to it."""

import pytest
from django.urls import reverse

from evaluation.models import ServiceUnit

pytestmark = pytest.mark.django_db


def test_index_lists_each_organizations_open_forms(client, provider_a, provider_b):
    ServiceUnit.objects.create(organization=provider_a, name="Loket Perizinan", slug="loket")
    ServiceUnit.objects.create(organization=provider_b, name="Layanan Kepegawaian", slug="sdm")
    ServiceUnit.objects.create(
        organization=provider_b, name="Loket Lama", slug="lama", public=False
    )
    response = client.get("/umpan-balik/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<h2 id="organization-{provider_b.pk}">Kementerian B</h2>' in html
    assert f'<h2 id="organization-{provider_a.pk}">Lembaga Pelatihan A</h2>' in html
    assert html.index("Kementerian B") < html.index("Layanan Kepegawaian")
    assert html.index("Lembaga Pelatihan A") < html.index("Loket Perizinan")
    assert '<a href="/umpan-balik/loket/">Loket Perizinan</a>' in html
    assert '<a href="/umpan-balik/sdm/">Layanan Kepegawaian</a>' in html
    assert "Loket Lama" not in html  # closed forms are not offered


def test_index_without_units_says_so(client, site_tree, english_interface):
    html = client.get("/umpan-balik/").content.decode()
    assert "No service unit takes feedback here yet." in html


def test_index_queries_do_not_grow_with_units(
    client, provider_a, provider_b, django_assert_num_queries
):
    ServiceUnit.objects.create(organization=provider_a, name="Loket 1", slug="loket-1")
    client.get("/umpan-balik/")  # warm Wagtail's site cache
    with django_assert_num_queries(1) as few:
        client.get("/umpan-balik/")
    for number in range(2, 12):
        organization = provider_a if number % 2 else provider_b
        ServiceUnit.objects.create(
            organization=organization, name=f"Loket {number}", slug=f"loket-{number}"
        )
    with django_assert_num_queries(len(few.captured_queries)):
        client.get("/umpan-balik/")


def test_footer_links_to_the_feedback_index(client, site_tree):
    html = client.get("/").content.decode()
    footer = html[html.index('<footer class="site-footer">') :]
    assert f'<a href="{reverse("evaluation:feedback_index")}">' in footer
    assert reverse("evaluation:feedback_index") == "/umpan-balik/"
