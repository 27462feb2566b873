"""The communities' pages read a fixed number of queries, whatever the number of communities,
members, topics, resources and events (20 a page).

The list: the session, the user, the count and the page (members counted and membership
annotated in it). A community's topics: session, user, community, the viewer's rights (one
query), the next events, the topics' count and page. Its resources and events: session, user,
community, rights, count and page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from discussions.models import (
    Community,
    CommunityEvent,
    CommunityResource,
    Membership,
    Post,
    Thread,
)
from learners.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def community():
    return Community.objects.create(
        name="Komunitas", slug="komunitas", occupational_group="Auditor"
    )


@pytest.fixture
def viewer(community):
    user = UserFactory()
    Membership.objects.create(community=community, user=user)
    return user


def _grow(community, author, count: int) -> None:
    now = timezone.now()
    people = UserFactory.create_batch(min(count, 5))
    Membership.objects.bulk_create(Membership(community=community, user=user) for user in people)
    threads = Thread.objects.bulk_create(
        Thread(community=community, title=f"Topik {n}", author=author, last_activity_at=now)
        for n in range(count)
    )
    Post.objects.bulk_create(
        Post(thread=thread, author=author, is_question=True, body="?") for thread in threads
    )
    CommunityResource.objects.bulk_create(
        CommunityResource(
            community=community, author=people[n % len(people)], title=f"R{n}", url="https://a.id"
        )
        for n in range(count)
    )
    CommunityEvent.objects.bulk_create(
        CommunityEvent(
            community=community,
            author=author,
            title=f"Acara {n}",
            starts_at=now + timedelta(days=n + 1),
            ends_at=now + timedelta(days=n + 1, hours=1),
            place="Jakarta",
        )
        for n in range(count)
    )
    Community.objects.bulk_create(
        Community(name=f"K{n}", slug=f"k-{n}-{community.pk}-{count}", occupational_group="X")
        for n in range(count)
    )


PAGES = {"communities": 4, "community": 7, "community_resources": 6, "community_events": 6}


@pytest.mark.parametrize("page", sorted(PAGES))
def test_community_pages_do_not_grow(
    client_for, django_assert_num_queries, community, viewer, page
):
    client = client_for(viewer)
    url = reverse(f"discussions:{page}", args=[] if page == "communities" else [community.slug])
    for size in (2, 45):
        _grow(community, viewer, size)
        client.get(url)  # caches warm
        with django_assert_num_queries(PAGES[page]):
            assert client.get(url).status_code == 200
        with django_assert_num_queries(PAGES[page]):
            assert client.get(url + "?page=2").status_code == 200


def test_community_topic_page_does_not_grow_with_replies(
    client_for, django_assert_num_queries, community, viewer
):
    """A community's topic opens on the discussions' thread page, at the same count as a
    course's (session, user, thread, rights, question, replies' count and page)."""
    thread = Thread.objects.create(
        community=community, title="Topik", author=viewer, last_activity_at=timezone.now()
    )
    Post.objects.create(thread=thread, author=viewer, is_question=True, body="?")
    client = client_for(viewer)
    url = reverse("discussions:thread", args=[thread.pk])
    for size in (2, 50):
        Post.objects.bulk_create(
            Post(thread=thread, author=viewer, body=f"Balasan {n}") for n in range(size)
        )
        client.get(url)
        with django_assert_num_queries(7):
            assert client.get(url).status_code == 200
