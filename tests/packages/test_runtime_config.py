"""The runtime config (packages.selectors.runtime_config) the lesson page hands the player:
items with the learner's statuses, what to load into scorm-again per item, where to resume,
the learner's opaque id and name, modes, in a constant number of queries."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses.factories import provider_page_of
from learners.factories import UserFactory
from packages import samples
from packages.models import Package
from packages.selectors import learner_name, runtime_config
from packages.services import runtime_commit
from tests.packages.runtime_helpers import cmi12, cmi2004, course_with_package, enrolled, event

pytestmark = pytest.mark.django_db


def config_for(user, lesson):
    request = RequestFactory().get("/")
    request.user = user
    return runtime_config(user=user, lesson=lesson, request=request)


def commit(user, lesson, cmi, *, item=None, at=None, terminate=False):
    return runtime_commit(
        user=user,
        lesson=lesson,
        item=item or lesson.package.items[0]["identifier"],
        event_id=event(),
        committed_at=at or timezone.now(),
        cmi=cmi,
        terminate=terminate,
    )


@pytest.mark.parametrize(
    ("full_name", "expected"),
    [
        ("Dewi Lestari", "Lestari, Dewi"),
        ("Siti Nurhaliza Putri", "Putri, Siti Nurhaliza"),
        ("Sukarno", "Sukarno"),
        ("Dr. Budi Santoso, S.Kom.", "Dr. Budi Santoso, S.Kom."),
        ("  Ayu   Ratna  ", "Ratna, Ayu"),
    ],
)
def test_the_learner_name_is_family_comma_given(full_name, expected):
    assert learner_name(UserFactory.build(full_name=full_name)) == expected


class TestScorm12:
    @pytest.fixture
    def setup(self, provider_a):
        return course_with_package(provider_page_of(provider_a))

    def test_a_first_visit(self, setup):
        course, _lesson, package_lesson = setup
        learner = enrolled(course, full_name="Dewi Lestari")

        config = config_for(learner, package_lesson)

        item = package_lesson.package.items[0]
        assert config["lesson"] == package_lesson.pk and config["kind"] == "scorm12"
        assert config["mode"] == "normal" and config["enrolled"] is True
        origin = config["packageOrigin"]  # packages.origin's (the loopback twin here)
        assert origin.startswith("http://")
        assert config["playerUrl"] == f"{origin}/paket/{package_lesson.package.uuid}/putar/"
        assert config["filesUrl"] == f"{origin}/paket/{package_lesson.package.uuid}/f/"
        assert config["commitUrl"] == f"/api/v1/package-lessons/{package_lesson.pk}/commits"
        assert config["learner"] == {"id": f"u{learner.pk}", "name": "Lestari, Dewi"}
        assert config["items"][0]["identifier"] == item["identifier"]
        assert config["items"][0]["masteryScore"] == 80
        assert config["items"][0]["completionStatus"] == "not attempted"
        assert config["startItem"] == item["identifier"]
        core = config["cmi"][item["identifier"]]["core"]
        assert core["entry"] == "ab-initio" and core["total_time"] == "0000:00:00"
        assert core["student_name"] == "Lestari, Dewi" and core["credit"] == "credit"
        assert config["h5p"] is None and config["structure"] == []
        assert config["lessonCompleted"] is False
        assert config["strings"]["statuses"]["passed"]

    def test_resuming_loads_the_stored_data_and_the_total_time(self, setup):
        course, _lesson, package_lesson = setup
        learner = enrolled(course)
        commit(
            learner,
            package_lesson,
            cmi12(location="p3", suspend="abc", session="00:12:00", exit_="suspend", raw="40"),
            terminate=True,
        )

        config = config_for(learner, package_lesson)

        loaded = config["cmi"][package_lesson.package.items[0]["identifier"]]
        assert loaded["suspend_data"] == "abc"
        assert loaded["core"]["lesson_location"] == "p3"
        assert loaded["core"]["entry"] == "resume"
        assert loaded["core"]["total_time"] == "0000:12:00"
        assert "session_time" not in loaded["core"] and "exit" not in loaded["core"]
        assert config["items"][0]["score"]["raw"] == 40
        assert config["items"][0]["completionStatus"] == "incomplete"

    def test_review_mode_once_completed(self, setup):
        course, _lesson, package_lesson = setup
        learner = enrolled(course)
        commit(learner, package_lesson, cmi12("passed", raw="100"))
        config = config_for(learner, package_lesson)
        assert config["mode"] == "review" and config["lessonCompleted"] is True

    def test_browse_mode_without_an_enrollment(self, setup):
        package_lesson = setup[2]
        for user in (UserFactory(), AnonymousUser()):
            config = config_for(user, package_lesson)
            assert config["mode"] == "browse" and config["enrolled"] is False
            assert config["cmi"] == {} or user.is_authenticated
            assert config["items"][0]["completionStatus"] == "not attempted"
        assert config_for(AnonymousUser(), package_lesson)["learner"] == {"id": "", "name": ""}

    def test_another_learners_data_never_shows(self, setup):
        course, _lesson, package_lesson = setup
        first = enrolled(course)
        commit(first, package_lesson, cmi12(location="rahasia", suspend="rahasia"))
        second = enrolled(course)
        config = config_for(second, package_lesson)
        assert "rahasia" not in str(config)


class TestScorm2004:
    @pytest.fixture
    def setup(self, provider_a):
        return course_with_package(
            provider_page_of(provider_a), archive=samples.scorm2004_multi_sco(), lesson_first=False
        )

    def test_thresholds_structure_and_resume(self, setup):
        course, _lesson, package_lesson = setup
        learner = enrolled(course)
        intro, practice = [item["identifier"] for item in package_lesson.package.items][:2]
        now = timezone.now()
        commit(learner, package_lesson, cmi2004("completed", progress="1"), item=intro, at=now)
        commit(
            learner,
            package_lesson,
            cmi2004(location="soal-2", exit="suspend"),
            item=practice,
            at=now + timedelta(seconds=1),
        )

        config = config_for(learner, package_lesson)

        assert config["startItem"] == practice
        assert config["items"][1]["scaledPassingScore"] == 0.8
        loaded = config["cmi"][practice]
        assert loaded["location"] == "soal-2" and loaded["entry"] == "resume"
        assert loaded["scaled_passing_score"] == "0.8"
        assert loaded["learner_id"] == f"u{learner.pk}"
        assert config["structure"] and config["structure"][0]["identifier"]
        assert config["items"][0]["completionStatus"] == "completed"

    def test_without_resume_data_the_first_unfinished_item_starts(self, setup):
        course, _lesson, package_lesson = setup
        learner = enrolled(course)
        intro, practice = [item["identifier"] for item in package_lesson.package.items][:2]
        commit(learner, package_lesson, cmi2004("completed", progress="1"), item=intro)
        assert config_for(learner, package_lesson)["startItem"] == practice


def test_h5p(provider_a):
    course, _lesson, package_lesson = course_with_package(
        provider_page_of(provider_a), archive=samples.h5p_quiz(), lesson_first=False, pass_mark=60
    )
    learner = enrolled(course)
    config = config_for(learner, package_lesson)
    assert config["kind"] == "h5p" and config["cmi"] == {}
    assert config["h5p"] == {"state": None, "passMark": 60}
    assert config["items"][0]["identifier"] == "h5p"


def _wide_package(organization, count: int) -> Package:
    """A SCORM 1.2 package of `count` SCOs (the manifest only: the config reads no file)."""
    return Package.objects.create(
        title=f"Paket {count}",
        organization=organization,
        kind=Package.Kind.SCORM12,
        schema_version="1.2",
        source_file="packages/sources/lebar.zip",
        sha256="0" * 64,
        manifest={
            "version": "1.2",
            "title": "Lebar",
            "items": [
                {
                    "identifier": f"sco-{n}",
                    "title": f"Bagian {n}",
                    "parent": None,
                    "depth": 1,
                    "launch": f"sco{n}/index.html",
                    "scorm_type": "sco",
                    "mastery_score": None,
                }
                for n in range(count)
            ],
            "structure": [],
        },
        file_count=count,
        size=count,
    )


def test_queries_do_not_grow_with_the_items(provider_a, django_assert_num_queries):
    course, _lesson, package_lesson = course_with_package(provider_page_of(provider_a))
    learner = enrolled(course)
    counts = []
    for count in (2, 20):
        package = _wide_package(provider_a, count)
        package_lesson.package = package
        package_lesson.save_revision().publish()
        package_lesson.refresh_from_db()
        for n in range(count):
            commit(learner, package_lesson, cmi12(location=f"p{n}"), item=f"sco-{n}")
        with CaptureQueriesContext(connection) as queries:
            config = config_for(learner, package_lesson)
        assert len(config["items"]) == count and len(config["cmi"]) == count
        counts.append(len(queries))
    assert counts[0] == counts[1]
    with django_assert_num_queries(counts[0]):
        config_for(learner, package_lesson)
