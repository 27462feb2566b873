"""Platform administrators create communities of practice in the admin and name their
moderators by e-mail; editors and moderators of an organization do not."""

import pytest
from django.urls import reverse

from discussions.models import Community
from learners.factories import UserFactory

ADD = "/admin/snippets/discussions/community/add/"


@pytest.fixture
def superuser(db):
    return UserFactory(email="admin@lentera.go.id", is_superuser=True, is_staff=True)


def _data(**changes):
    data = {
        "name": "Komunitas Auditor",
        "slug": "auditor",
        "description": "Untuk auditor intern pemerintah.",
        "occupational_group": "Auditor",
        "moderator_emails": "",
        "active": "on",
    }
    data.update(changes)
    return data


def test_superuser_creates_a_community_with_moderators_named_by_email(client_for, superuser):
    first = UserFactory(email="satu@instansi.go.id")
    second = UserFactory(email="dua@instansi.go.id")
    client = client_for(superuser)
    response = client.post(ADD, _data(moderator_emails="satu@instansi.go.id\n dua@instansi.go.id"))
    assert response.status_code == 302
    community = Community.objects.get()
    assert set(community.moderators.all()) == {first, second}
    edit = client.get(reverse("wagtailsnippets_discussions_community:edit", args=[community.pk]))
    assert "satu@instansi.go.id" in edit.content.decode()


def test_unknown_moderator_address_or_no_subject_saves_nothing(client_for, superuser):
    client = client_for(superuser)
    unknown = client.post(ADD, _data(moderator_emails="tidak.ada@instansi.go.id"))
    assert unknown.status_code == 200
    assert "tidak.ada@instansi.go.id" in unknown.content.decode()
    no_subject = client.post(ADD, _data(occupational_group=""))
    assert no_subject.status_code == 200
    assert not Community.objects.exists()


def test_organization_editors_and_moderators_cannot_create_communities(
    client_for, editor_a, moderator_a
):
    for user in (editor_a, moderator_a):
        response = client_for(user).post(ADD, _data())
        # Wagtail's "no permission": back to the dashboard (or a 403), nothing saved.
        assert response.status_code in (302, 403)
        assert "/snippets/" not in response.get("Location", "")
    assert not Community.objects.exists()
