"""What e-learning packages recorded about a learner is theirs to download, and its free text
goes when they delete their account (scores and statuses stay, anonymised)."""

import uuid

import pytest
from django.utils import timezone

from courses.factories import provider_page_of
from packages.models import ScoState
from packages.services import runtime_commit
from privacy.data_export import personal_data
from privacy.erasure import account_erase
from tests.packages.runtime_helpers import cmi12, course_with_package, enrolled

pytestmark = pytest.mark.django_db


@pytest.fixture
def played(provider_a):
    course, _lesson, package_lesson = course_with_package(provider_page_of(provider_a))
    learner = enrolled(course, full_name="Dewi Lestari")
    other = enrolled(course, full_name="Joko Widodo")
    for person, suspend in ((learner, "jawaban-dewi"), (other, "jawaban-joko")):
        runtime_commit(
            user=person,
            lesson=package_lesson,
            item=package_lesson.package.items[0]["identifier"],
            event_id=uuid.uuid4(),
            committed_at=timezone.now(),
            cmi=cmi12(location="p2", suspend=suspend, raw="40"),
            terminate=False,
        )
    return learner, other, package_lesson


def test_the_export_holds_the_learners_package_data_and_no_one_elses(played):
    learner, _other, package_lesson = played

    [row] = personal_data(learner)["package_attempts"]

    assert row["attempt__lesson_id"] == package_lesson.pk
    assert row["attempt__lesson__title"] == package_lesson.title
    assert row["cmi"]["suspend_data"] == "jawaban-dewi"
    assert row["completion_status"] == "incomplete"


def test_erasure_blanks_the_runtime_data_and_keeps_the_status(played):
    learner, other, _package_lesson = played

    account_erase(user=learner)

    erased = ScoState.objects.get(attempt__enrollment__user=learner)
    assert erased.cmi == {}
    assert erased.completion_status == "incomplete"
    kept = ScoState.objects.get(attempt__enrollment__user=other)
    assert kept.cmi["suspend_data"] == "jawaban-joko"
