"""The thread list and the thread page read a fixed number of queries, whatever the number of
threads and answers (20 a page).

The thread list: the session, the user, the course (or cohort with its course), the viewer's
rights (one query), the lessons for the question form, the threads' count and page; a cohort's
adds its announcements. The thread page: session, user, thread, rights, question, the answers'
count and page."""

import pytest
from django.urls import reverse
from django.utils import timezone

from discussions.models import Post, Thread

pytestmark = pytest.mark.django_db


def _threads(course, author, count: int, cohort=None) -> list[Thread]:
    now = timezone.now()
    threads = Thread.objects.bulk_create(
        Thread(
            course=course,
            cohort=cohort,
            title=f"Pertanyaan {n}",
            author=author,
            last_activity_at=now,
            answer_count=1,
        )
        for n in range(count)
    )
    Post.objects.bulk_create(
        Post(thread=thread, author=author, is_question=True, body="?") for thread in threads
    )
    return threads


def _answers(thread, authors, count: int) -> None:
    Post.objects.bulk_create(
        Post(thread=thread, author=authors[n % len(authors)], body=f"Jawaban {n}")
        for n in range(count)
    )
    thread.accepted_answer = Post.objects.filter(thread=thread, is_question=False).last()
    thread.save(update_fields=["accepted_answer"])


LIST_QUERIES = {"course": 7, "cohort": 8}
THREAD_QUERIES = 7


def _assert_queries(assert_num_queries, client, url: str, expected: int) -> None:
    client.get(url)  # caches warm (site root paths)
    with assert_num_queries(expected):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("where", ["course", "cohort"])
def test_thread_list_queries_do_not_grow_with_threads(
    client_for, django_assert_num_queries, course_a, cohort, member, trainer, where
):
    url = (
        reverse("discussions:course", args=[course_a.pk])
        if where == "course"
        else reverse("discussions:cohort", args=[cohort.pk])
    )
    target = None if where == "course" else cohort
    client = client_for(member)
    _threads(course_a, member, 2, cohort=target)
    _assert_queries(django_assert_num_queries, client, url, LIST_QUERIES[where])
    _threads(course_a, trainer, 60, cohort=target)
    _assert_queries(django_assert_num_queries, client, url, LIST_QUERIES[where])
    _assert_queries(django_assert_num_queries, client, url + "?page=4", LIST_QUERIES[where])


def test_thread_page_queries_do_not_grow_with_answers(
    client_for, django_assert_num_queries, course_a, member, trainer
):
    [thread] = _threads(course_a, member, 1)
    client = client_for(member)
    url = reverse("discussions:thread", args=[thread.pk])
    _answers(thread, [member, trainer], 2)
    _assert_queries(django_assert_num_queries, client, url, THREAD_QUERIES)
    _answers(thread, [member, trainer], 70)
    _assert_queries(django_assert_num_queries, client, url, THREAD_QUERIES)
    _assert_queries(django_assert_num_queries, client, url + "?page=4", THREAD_QUERIES)
