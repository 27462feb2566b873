"""Creating an organization gives it its own sections, groups, collection and workflow."""

import pytest
from django.urls import reverse
from wagtail.models import GroupPagePermission, WorkflowPage

from content.models import LibrarySectionPage, Organization
from courses.models import ProviderPage
from courses.services import organization_setup

pytestmark = pytest.mark.django_db


def test_creating_an_organization_in_the_admin_sets_it_up(client_for, site_tree):
    from learners.factories import UserFactory

    admin = UserFactory(email="admin@lan.go.id", is_superuser=True, is_staff=True)
    response = client_for(admin).post(
        reverse("wagtailsnippets_content_organization:add"),
        {
            "name": "Badan Pengembangan SDM Provinsi Jawa Barat",
            "short_name": "BPSDM Jabar",
            "slug": "bpsdm-jabar",
            "kind": "regional",
            "description": "Lembaga diklat pemerintah provinsi.",
            "website": "",
        },
    )
    assert response.status_code == 302
    organization = Organization.objects.get(short_name="BPSDM Jabar")
    section = ProviderPage.objects.get(organization=organization)
    library_section = LibrarySectionPage.objects.get(organization=organization)
    assert section.get_parent().pk == site_tree["catalog"].pk
    assert library_section.get_parent().pk == site_tree["library"].pk
    assert organization.collection is not None
    assert WorkflowPage.objects.get(page=section).workflow == organization.workflow
    editor_permissions = set(
        GroupPagePermission.objects.filter(
            group=organization.editors_group, page=section
        ).values_list("permission__codename", flat=True)
    )
    assert editor_permissions == {"add_page", "change_page"}
    moderator_permissions = set(
        GroupPagePermission.objects.filter(
            group=organization.moderators_group, page=section
        ).values_list("permission__codename", flat=True)
    )
    assert "publish_page" in moderator_permissions


def test_organization_setup_twice_creates_nothing_more(provider_a):
    pages_before = ProviderPage.objects.count()
    permissions_before = GroupPagePermission.objects.count()
    organization_setup(organization=provider_a)
    assert ProviderPage.objects.count() == pages_before
    assert GroupPagePermission.objects.count() == permissions_before
