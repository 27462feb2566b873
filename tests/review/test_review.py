"""Content kept current: review-by defaults, reminders once per threshold, marking content
reviewed, what learners see, and superseded content leaving the recommendations."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from content.factories import CompetencyFactory, ResourcePageFactory
from content.models import LibrarySectionPage, ResourcePage
from content.review import add_months
from core.daily import registry
from courses.factories import (
    CourseCompetencyFactory,
    CoursePageFactory,
    course_with_lessons,
    provider_page_of,
)
from courses.models import CoursePage
from learners.factories import PositionCompetencyFactory, PositionFactory, UserFactory
from notifications.models import Notification
from review.models import ReviewReminder
from review.services import review_defaults_fill, review_mark, review_reminders_send
from tests.utils import count_queries

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _course(provider, **fields):
    return CoursePageFactory(parent=provider_page_of(provider), **fields)


def test_first_publication_sets_review_by_12_months_on_and_the_creator_as_owner(
    provider_a, editor_a, moderator_a
):
    course = _course(provider_a, owner=editor_a)
    CoursePage.objects.filter(pk=course.pk).update(review_by=None, content_owner=None)
    course.refresh_from_db()
    course.save_revision(user=moderator_a).publish(user=moderator_a)
    course.refresh_from_db()
    first = timezone.localdate(course.first_published_at)
    assert course.review_by == add_months(first, 12)
    assert course.content_owner == editor_a


def test_publishing_a_draft_saved_before_a_review_keeps_that_review(provider_a, moderator_a):
    course = _course(provider_a, review_by=timezone.localdate() + timedelta(days=3))
    draft = course.save_revision(user=moderator_a)
    review_mark(page=course, user=moderator_a)
    draft.publish(user=moderator_a)
    course.refresh_from_db()
    assert course.last_reviewed_on == timezone.localdate()
    assert course.last_reviewed_by == moderator_a
    assert course.review_by == add_months(timezone.localdate(), 12)


def test_an_editor_can_still_move_the_review_by_date_in_a_draft(provider_a, moderator_a):
    course = _course(provider_a, review_by=timezone.localdate() + timedelta(days=3))
    course.review_by = timezone.localdate() + timedelta(days=100)
    course.save_revision(user=moderator_a).publish(user=moderator_a)
    course.refresh_from_db()
    assert course.review_by == timezone.localdate() + timedelta(days=100)


def test_the_daily_job_gives_live_content_without_one_its_review_by_date(provider_a, editor_a):
    course = _course(provider_a, owner=editor_a)
    published = timezone.now() - timedelta(days=400)
    CoursePage.objects.filter(pk=course.pk).update(first_published_at=published, review_by=None)
    assert review_defaults_fill() == 1
    course.refresh_from_db()
    assert course.review_by == add_months(timezone.localdate(published), 12)
    assert course.content_owner == editor_a
    assert review_defaults_fill() == 0


def test_reminders_are_sent_once_per_threshold(
    provider_a, editor_a, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    course = _course(provider_a, content_owner=editor_a, review_by=today + timedelta(days=40))
    sent = []
    for days_before in (40, 29, 28, 7, 6, 0, -1, -2):
        day = course.review_by - timedelta(days=days_before)
        with django_capture_on_commit_callbacks(execute=True):
            sent.append(review_reminders_send(today=day))
    assert sent == [0, 1, 0, 1, 0, 0, 1, 0]
    assert list(
        ReviewReminder.objects.filter(page=course)
        .order_by("pk")
        .values_list("threshold", flat=True)
    ) == [30, 7, 0]
    notifications = Notification.objects.filter(recipient=editor_a, kind="content_review")
    assert notifications.count() == 3
    assert notifications.first().url == reverse("wagtailadmin_pages:edit", args=[course.pk])
    assert len(mail.outbox) == 3
    assert course.title in mail.outbox[-1].subject
    assert reverse("wagtailadmin_pages:edit", args=[course.pk]) in mail.outbox[-1].body


def test_a_new_review_by_date_gets_its_own_reminders(provider_a, editor_a, moderator_a):
    today = timezone.localdate()
    course = _course(provider_a, content_owner=editor_a, review_by=today - timedelta(days=1))
    assert review_reminders_send(today=today) == 1
    review_mark(page=course, user=moderator_a, review_by=today + timedelta(days=10))
    assert review_reminders_send(today=today) == 1  # 30 days before the new date
    assert review_reminders_send(today=today) == 0


def test_the_reminders_run_from_the_one_daily_command():
    assert "content_review_reminders" in {job.name for job in registry.jobs()}


def test_learners_see_when_a_course_was_last_reviewed_without_a_query_more(
    provider_a, moderator_a, client
):
    course = course_with_lessons(provider_page=provider_page_of(provider_a), modules=1)
    before = count_queries(client, course.url)
    review_mark(page=course, user=moderator_a)
    assert count_queries(client, course.url) == before
    response = client.get(course.url)
    assert "Last reviewed on" in response.text
    assert str(timezone.localdate().year) in response.text


def _regulation(provider, title="PermenPANRB 6/2026"):
    section = LibrarySectionPage.objects.get(organization=provider)
    return ResourcePageFactory(parent=section, title=title, kind=ResourcePage.Kind.REGULATION)


def test_superseded_content_shows_a_notice_with_the_new_regulation(provider_a, client):
    regulation = _regulation(provider_a)
    course = _course(
        provider_a,
        superseded=True,
        superseded_by=regulation,
        superseded_note="Diganti PermenPANRB 6/2026; pembaruan menyusul.",
    )
    text = client.get(course.url).text
    assert "Superseded" in text
    assert "pembaruan menyusul" in text
    assert regulation.url in text


def test_superseded_courses_leave_suggestions_and_recommendations(
    provider_a, provider_b, search_index, client
):
    from planning.selectors import recommended_courses
    from search.recommendations import recommendations_for

    competency = CompetencyFactory(code="T.09", name="Tata Kelola Arsip")
    current = _course(provider_b, title="Arsip Dinamis Terkini")
    old = _course(provider_b, title="Arsip Dinamis Lama", superseded=True)
    for course in (current, old):
        CourseCompetencyFactory(page=course, competency=competency, target_level=3)
    suggested = client.get(reverse("search:suggest"), {"q": "arsip"}).json()["results"]
    assert [row["title"] for row in suggested] == ["Arsip Dinamis Terkini"]

    position = PositionFactory(organization=provider_a, name="Arsiparis Ahli Muda")
    PositionCompetencyFactory(position=position, competency=competency, target_level=2)
    learner = UserFactory(organization=provider_a, position=position)
    picks = [item.course.pk for item in recommendations_for(learner)]
    assert current.pk in picks and old.pk not in picks

    gap = SimpleNamespace(has_gap=True, required=2, competency=competency)
    by_competency = recommended_courses(learner, [gap])
    assert [item.course.pk for item in by_competency[competency.pk]] == [current.pk]


def test_the_owner_is_chosen_among_the_organizations_editors_and_moderators(
    provider_a, editor_a, editor_b, moderator_a
):
    from content.page_forms import ReviewedPageForm

    course = _course(provider_a, owner=editor_a)
    form_class = CoursePage.get_edit_handler().get_form_class()
    assert issubclass(form_class, ReviewedPageForm)
    form = form_class(instance=course, for_user=moderator_a)
    choices = set(form.fields["content_owner"].queryset)
    assert {editor_a, moderator_a} <= choices
    assert editor_b not in choices


def test_a_regulation_without_superseded_ticked_is_refused(provider_a, moderator_a):
    regulation = _regulation(provider_a)
    course = _course(provider_a)
    form_class = CoursePage.get_edit_handler().get_form_class()
    form = form_class(instance=course, for_user=moderator_a)
    form.cleaned_data = {"superseded_by": regulation, "superseded": False}
    form._errors = {}
    form.clean()
    assert "superseded" in form.errors


def test_resources_have_the_same_review_fields(provider_a, client, moderator_a):
    resource = _regulation(provider_a)
    review_mark(page=resource, user=moderator_a)
    assert "Last reviewed on" in client.get(resource.url).text


def test_the_course_editor_shows_the_review_panel_and_saves_it(
    provider_a, editor_a, moderator_a, client_for
):
    course = _course(provider_a, owner=editor_a)
    client = client_for(moderator_a)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[course.pk]))
    assert response.status_code == 200
    assert 'name="content_owner"' in response.text
    assert 'name="review_by"' in response.text
    assert "Mark as reviewed" in response.text or "Tandai sudah ditinjau" in response.text
