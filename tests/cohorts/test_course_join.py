"""A course page with open cohorts has one way in: one form where the learner picks a cohort or
(unless the course runs in cohorts only) their own pace, and one button; never a course's
"request to join" beside a cohort's."""

import re

import pytest
from django.urls import reverse

from cohorts.models import CohortMembership
from courses.models import CoursePage
from learners.models import Enrollment

pytestmark = pytest.mark.django_db


def buttons(html: str) -> list[str]:
    """The text of every submit button in the page's main content."""
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    return [
        re.sub(r"<[^>]+>|\s+", " ", text).strip()
        # type="button" ones submit nothing (the page script's "Save for offline").
        for text in re.findall(r"<button(?![^>]*type=\"button\")[^>]*>(.*?)</button>", main, re.S)
    ]


def set_policy(course, policy: str) -> None:
    CoursePage.objects.filter(pk=course.pk).update(enrollment_policy=policy)


@pytest.mark.parametrize(
    ("policy", "button"),
    [("approval", "Request to join"), ("open", "Enroll now"), ("cohort", "Request to join")],
)
def test_one_button_whatever_the_policy(policy, button, client_for, cohort, learners, course_a):
    set_policy(course_a, policy)
    page = client_for(learners[0]).get(course_a.url).text

    assert buttons(page) == [button]
    assert page.count(reverse("cohorts:course_join", args=[course_a.pk])) == 1
    assert f'value="{cohort.pk}"' in page
    assert ('value="own-pace"' in page) is (policy != "cohort")
    assert "Ask to join this cohort" not in page


def test_without_open_cohorts_the_course_keeps_its_own_button(client_for, learners, course_a):
    set_policy(course_a, "approval")
    page = client_for(learners[0]).get(course_a.url).text
    assert buttons(page) == ["Request to join"]
    assert reverse("learners:enroll", args=[course_a.pk]) in page


def test_choosing_a_cohort_asks_to_join_it(client_for, cohort, learners, course_a):
    set_policy(course_a, "approval")
    client = client_for(learners[0])
    response = client.post(
        reverse("cohorts:course_join", args=[course_a.pk]), {"cohort": str(cohort.pk)}
    )
    assert response.url == course_a.url
    membership = CohortMembership.objects.get(enrollment__user=learners[0])
    assert membership.cohort == cohort
    assert membership.enrollment.status == Enrollment.Status.PENDING


def test_choosing_ones_own_pace_requests_the_course_without_a_cohort(
    client_for, cohort, learners, course_a
):
    set_policy(course_a, "approval")
    client_for(learners[0]).post(
        reverse("cohorts:course_join", args=[course_a.pk]), {"cohort": "own-pace"}
    )
    enrollment = Enrollment.objects.get(user=learners[0], course=course_a)
    assert enrollment.status == Enrollment.Status.PENDING
    assert not CohortMembership.objects.exists()


def test_a_cohort_only_course_refuses_ones_own_pace(client_for, cohort, learners, course_a):
    set_policy(course_a, "cohort")
    response = client_for(learners[0]).post(
        reverse("cohorts:course_join", args=[course_a.pk]), {"cohort": "own-pace"}, follow=True
    )
    assert "This course runs in cohorts only" in response.text
    assert not Enrollment.objects.filter(user=learners[0]).exists()


@pytest.mark.parametrize("choice", ["", "abc", "999999"])
def test_no_choice_or_another_courses_cohort_enrolls_nobody(
    choice, client_for, cohort, learners, course_a
):
    response = client_for(learners[0]).post(
        reverse("cohorts:course_join", args=[course_a.pk]), {"cohort": choice}, follow=True
    )
    assert "Choose a cohort to join, or to learn at your own pace." in response.text
    assert not Enrollment.objects.filter(user=learners[0]).exists()


def test_signed_out_visitors_see_the_open_cohorts_and_a_sign_in_link(client, cohort, course_a):
    page = client.get(course_a.url).text
    assert cohort.name in page
    assert buttons(page) == []
    assert "Sign in to enroll" in page
