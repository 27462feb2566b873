"""The runtime services (packages.services): SCORM commits and H5P statements stored per
learner, idempotent, never overwritten by older data, and completing the lesson (progress,
JP, certificate) through learners.progress once the package is finished."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from courses.factories import provider_page_of
from learners.errors import InvalidCompletion, NotEnrolled
from learners.factories import UserFactory
from learners.models import Certificate, Enrollment, LessonCompletion
from learners.progress import lesson_complete
from packages import samples
from packages.models import PackageAttempt, RuntimeCommit, ScoState
from packages.runtime import InvalidRuntimeData
from packages.services import runtime_commit, xapi_record
from tests.packages.runtime_helpers import (
    cmi12,
    cmi2004,
    course_with_package,
    enrolled,
    event,
    statement,
)

pytestmark = pytest.mark.django_db


def commit(
    user, package_lesson, cmi, *, item=None, terminate=False, at=None, event_id=None, queued=None
):
    """A commit; one given a time `at` is an outbox replay (only those are dated by the device)."""
    return runtime_commit(
        user=user,
        lesson=package_lesson,
        item=item or package_lesson.package.items[0]["identifier"],
        event_id=event_id or event(),
        committed_at=at or timezone.now(),
        cmi=cmi,
        terminate=terminate,
        queued=at is not None if queued is None else queued,
    )


def test_a_commit_stores_the_learners_data_without_the_lms_owned_elements(learner, package_lesson):
    result = commit(learner, package_lesson, cmi12(location="p2", suspend="abc", raw="40"))

    sco = ScoState.objects.get(attempt__enrollment__user=learner)
    assert sco.cmi["core"]["lesson_location"] == "p2"
    assert sco.cmi["suspend_data"] == "abc"
    assert "student_id" not in sco.cmi["core"] and "student_data" not in sco.cmi
    assert (sco.completion_status, sco.success_status) == ("incomplete", "unknown")
    assert sco.score_raw == 40 and sco.score_max == 100 and sco.score_scaled == pytest.approx(0.4)
    assert result.completion_status == "incomplete"
    assert result.score == {"raw": 40.0, "min": None, "max": 100.0, "scaled": pytest.approx(0.4)}
    assert not result.lesson_completed and not result.replayed
    assert PackageAttempt.objects.get().package == package_lesson.package


def test_passing_the_mastery_score_completes_the_lesson_and_the_course(
    learner, course, lesson, package_lesson
):
    lesson_complete(user=learner, lesson=lesson)
    done_at = timezone.now() - timedelta(minutes=2)

    result = commit(learner, package_lesson, cmi12("completed", raw="90"), at=done_at)

    assert result.success_status == "passed" and result.lesson_completed
    assert result.course_completed and result.certificate is not None
    completion = LessonCompletion.objects.get(lesson=package_lesson)
    assert completion.source == LessonCompletion.Source.PACKAGE
    assert completion.completed_at == done_at
    enrollment = Enrollment.objects.get(user=learner)
    assert enrollment.status == Enrollment.Status.COMPLETED
    assert enrollment.jp_credited == Decimal("4")
    assert Certificate.objects.filter(enrollment=enrollment).exists()
    assert PackageAttempt.objects.get().completed_at == done_at


def test_a_score_below_the_mastery_score_fails_and_does_not_complete(learner, package_lesson):
    """SCORM 1.2 RTE 3.4.2.2.3: the LMS sets failed when score.raw is below the mastery score,
    whatever the SCO said."""
    result = commit(learner, package_lesson, cmi12("completed", raw="60"))

    assert (result.completion_status, result.success_status) == ("completed", "failed")
    assert not result.lesson_completed
    assert not LessonCompletion.objects.filter(lesson=package_lesson).exists()


def test_without_a_mastery_score_completed_completes(provider_a):
    course, _lesson, package_lesson = course_with_package(
        provider_page_of(provider_a),
        archive=samples.scorm12_single_sco(mastery_score=None),
        lesson_first=False,
    )
    learner = enrolled(course)

    result = commit(learner, package_lesson, cmi12("completed"))

    assert result.lesson_completed and result.course_completed


def test_an_invalid_commit_stores_nothing(learner, package_lesson):
    with pytest.raises(InvalidRuntimeData) as refused:
        commit(learner, package_lesson, cmi12("finished"))

    assert refused.value.code == "invalid_cmi"
    assert refused.value.element == "cmi.core.lesson_status"
    assert not ScoState.objects.exists() and not RuntimeCommit.objects.exists()


def test_an_unknown_item_is_refused(learner, package_lesson):
    with pytest.raises(InvalidRuntimeData) as refused:
        commit(learner, package_lesson, cmi12(), item="no-such-item")
    assert refused.value.element == "item"


def test_the_same_event_sent_again_is_applied_once(learner, package_lesson):
    event_id = event()
    first = commit(
        learner, package_lesson, cmi12(session="00:10:00"), terminate=True, event_id=event_id
    )

    again = commit(
        learner, package_lesson, cmi12(session="00:10:00"), terminate=True, event_id=event_id
    )

    assert again.replayed and not first.replayed
    assert again.completion_status == first.completion_status
    sco = ScoState.objects.get()
    assert sco.total_time == timedelta(minutes=10) and sco.session_count == 1
    assert RuntimeCommit.objects.count() == 1


def test_an_event_id_of_another_learner_is_refused(course, learner, package_lesson):
    other = enrolled(course)
    event_id = event()
    commit(learner, package_lesson, cmi12(), event_id=event_id)

    with pytest.raises(InvalidCompletion) as refused:
        commit(other, package_lesson, cmi12("completed"), event_id=event_id)

    assert refused.value.code == "event_id_reused"
    assert not ScoState.objects.filter(attempt__enrollment__user=other).exists()


def test_an_older_commit_arriving_late_does_not_overwrite_newer_data(learner, package_lesson):
    now = timezone.now()
    commit(learner, package_lesson, cmi12(location="p3", session="00:05:00"), at=now)

    late = commit(
        learner,
        package_lesson,
        cmi12(location="p1", session="00:02:00"),
        at=now - timedelta(minutes=30),
        terminate=True,
    )

    sco = ScoState.objects.get()
    assert sco.cmi["core"]["lesson_location"] == "p3"
    assert sco.last_event_at == now
    # Its session's time still counts: time spent is a sum, whatever order it arrives in.
    assert sco.total_time == timedelta(minutes=2)
    assert RuntimeCommit.objects.count() == 2 and not late.replayed


def test_total_time_accumulates_over_terminated_sessions(learner, package_lesson):
    commit(learner, package_lesson, cmi12(session="00:10:00", exit_="suspend"), terminate=True)
    commit(learner, package_lesson, cmi12(session="00:01:30.5"))  # not terminated: not added
    commit(learner, package_lesson, cmi12(session="01:00:00"), terminate=True)

    sco = ScoState.objects.get()
    assert sco.total_time == timedelta(hours=1, minutes=10)
    assert sco.session_count == 2


def test_a_partial_commit_keeps_what_it_does_not_mention(learner, package_lesson):
    commit(learner, package_lesson, cmi12(location="p2", suspend="state"))
    commit(learner, package_lesson, {"core": {"lesson_location": "p3"}})

    sco = ScoState.objects.get()
    assert sco.cmi["core"]["lesson_location"] == "p3"
    assert sco.cmi["suspend_data"] == "state"


def test_learners_never_share_an_attempt(course, learner, package_lesson):
    other = enrolled(course)
    commit(learner, package_lesson, cmi12(location="mine"))
    commit(other, package_lesson, cmi12(location="theirs"))

    mine = ScoState.objects.get(attempt__enrollment__user=learner)
    theirs = ScoState.objects.get(attempt__enrollment__user=other)
    assert mine.cmi["core"]["lesson_location"] == "mine"
    assert theirs.cmi["core"]["lesson_location"] == "theirs"
    assert mine.attempt_id != theirs.attempt_id


def test_a_learner_not_enrolled_is_refused(package_lesson):
    stranger = UserFactory()
    with pytest.raises(NotEnrolled) as refused:
        commit(stranger, package_lesson, cmi12())
    assert refused.value.code == "not_enrolled"
    assert not PackageAttempt.objects.exists()


def test_an_unpublished_lesson_is_refused(learner, package_lesson):
    package_lesson.unpublish()
    package_lesson.refresh_from_db()
    with pytest.raises(NotEnrolled) as refused:
        commit(learner, package_lesson, cmi12())
    assert refused.value.code == "not_live"


def test_a_replay_from_a_device_clock_running_ahead_is_dated_now(learner, package_lesson):
    before = timezone.now()
    result = commit(learner, package_lesson, cmi12(location="p2"), at=before + timedelta(hours=1))

    sco = ScoState.objects.get()
    assert result.completion_status == "incomplete"
    assert before <= sco.last_event_at <= timezone.now()
    assert RuntimeCommit.objects.get().committed_at == sco.last_event_at


def test_a_live_commit_ignores_the_device_clock(learner, package_lesson):
    """A phone whose clock is behind the laptop's: its live commits still apply."""
    commit(learner, package_lesson, cmi12(location="laptop"))
    behind = timezone.now() - timedelta(hours=3)
    commit(learner, package_lesson, cmi12(location="phone"), at=behind, queued=False)
    ahead = timezone.now() + timedelta(hours=3)
    commit(learner, package_lesson, cmi12(location="phone2"), at=ahead, queued=False)

    sco = ScoState.objects.get()
    assert sco.cmi["core"]["lesson_location"] == "phone2"
    assert sco.last_event_at <= timezone.now()


def test_a_live_commit_applies_after_a_replay_dated_later(learner, package_lesson):
    commit(learner, package_lesson, cmi12(location="queued"), at=timezone.now())
    commit(learner, package_lesson, cmi12(location="live"))

    assert ScoState.objects.get().cmi["core"]["lesson_location"] == "live"


def test_review_mode_stores_commits_and_never_uncompletes(learner, package_lesson):
    commit(learner, package_lesson, cmi12("completed", raw="95"))

    result = commit(learner, package_lesson, cmi12("incomplete", location="again"))

    assert result.lesson_completed
    assert LessonCompletion.objects.filter(lesson=package_lesson).count() == 1
    assert ScoState.objects.get().cmi["core"]["lesson_location"] == "again"
    assert PackageAttempt.objects.get().completed_at is not None


def test_the_mark_as_done_button_cannot_complete_a_package_lesson(learner, package_lesson):
    with pytest.raises(InvalidCompletion) as refused:
        lesson_complete(user=learner, lesson=package_lesson)
    assert refused.value.code == "quiz_required"


class TestScorm2004:
    @pytest.fixture
    def setup(self, provider_a):
        return course_with_package(
            provider_page_of(provider_a), archive=samples.scorm2004_multi_sco(), lesson_first=False
        )

    def items(self, package_lesson):
        return [item["identifier"] for item in package_lesson.package.items]

    def test_every_sco_must_be_finished(self, learner, package_lesson):
        intro, practice = self.items(package_lesson)[:2]

        first = commit(learner, package_lesson, cmi2004(progress="1"), item=intro)
        assert first.completion_status == "completed"  # by measure: threshold 1.0
        assert not first.lesson_completed

        failed = commit(
            learner, package_lesson, cmi2004("completed", "passed", scaled="0.5"), item=practice
        )
        # The scaled passing score (0.8) decides, whatever the SCO said.
        assert failed.success_status == "failed" and not failed.lesson_completed

        passed = commit(
            learner, package_lesson, cmi2004("completed", "unknown", scaled="0.9"), item=practice
        )
        assert passed.success_status == "passed"
        assert passed.lesson_completed and passed.course_completed

    def test_progress_below_the_threshold_is_incomplete(self, learner, package_lesson):
        intro = self.items(package_lesson)[0]
        result = commit(learner, package_lesson, cmi2004("completed", progress="0.5"), item=intro)
        assert result.completion_status == "incomplete"

    def test_the_adl_namespace_and_collections_are_stored(self, learner, package_lesson):
        intro = self.items(package_lesson)[0]
        data = {
            "cmi": cmi2004(
                objectives={"0": {"id": "obj-1", "success_status": "passed"}},
                comments_from_learner={"0": {"comment": "Bagus", "location": "p1"}},
            ),
            "adl": {"data": {"0": {"id": "shared", "store": "x"}}},
        }
        commit(learner, package_lesson, data, item=intro)
        sco = ScoState.objects.get()
        assert sco.cmi["objectives"] == [{"id": "obj-1", "success_status": "passed"}]
        assert sco.cmi["adl"] == {"data": [{"store": "x"}]}

    def test_xapi_statements_are_refused_for_scorm(self, learner, package_lesson):
        with pytest.raises(InvalidRuntimeData):
            xapi_record(
                user=learner,
                lesson=package_lesson,
                event_id=event(),
                committed_at=timezone.now(),
                statement=statement(),
                state=None,
            )


class TestH5P:
    @pytest.fixture
    def setup(self, provider_a):
        return course_with_package(
            provider_page_of(provider_a),
            archive=samples.h5p_quiz(),
            lesson_first=False,
            pass_mark=70,
        )

    def record(self, user, package_lesson, body, *, state=None, at=None, event_id=None):
        return xapi_record(
            user=user,
            lesson=package_lesson,
            event_id=event_id or event(),
            committed_at=at or timezone.now(),
            statement=body,
            state=state,
            queued=at is not None,
        )

    def test_a_score_below_the_pass_mark_does_not_complete(self, learner, package_lesson):
        result = self.record(learner, package_lesson, statement("completed", raw=2, max_=4))
        assert (result.completion_status, result.success_status) == ("completed", "failed")
        assert not result.lesson_completed
        assert result.score["scaled"] == 0.5

    def test_reaching_the_pass_mark_completes_and_keeps_the_best(self, learner, package_lesson):
        self.record(learner, package_lesson, statement("completed", raw=3, max_=4))
        result = self.record(learner, package_lesson, statement("answered", raw=1, max_=4))

        assert result.success_status == "passed" and result.lesson_completed
        assert result.score["raw"] == 3  # a later, worse try does not replace the best
        assert LessonCompletion.objects.get(lesson=package_lesson).source == "package"

    def test_sub_content_statements_do_not_count(self, learner, package_lesson):
        result = self.record(
            learner, package_lesson, statement("answered", raw=4, max_=4, sub_content=True)
        )
        assert result.completion_status == "not attempted" and not result.lesson_completed

    def test_the_user_state_is_stored_and_not_replaced_by_an_older_one(
        self, learner, package_lesson
    ):
        now = timezone.now()
        self.record(learner, package_lesson, statement("interacted"), state='{"p":2}', at=now)
        self.record(
            learner,
            package_lesson,
            statement("interacted"),
            state='{"p":1}',
            at=now - timedelta(minutes=5),
        )
        sco = ScoState.objects.get()
        assert sco.item == "h5p" and sco.cmi == {"state": '{"p":2}'}
        assert sco.completion_status == "incomplete"

    def test_a_late_finishing_statement_still_counts(self, learner, package_lesson):
        now = timezone.now()
        self.record(learner, package_lesson, statement("interacted"), at=now)
        result = self.record(
            learner,
            package_lesson,
            statement("completed", raw=4, max_=4),
            at=now - timedelta(minutes=1),
        )
        assert result.lesson_completed

    def test_without_a_pass_mark_any_finished_attempt_completes(self, learner, package_lesson):
        package_lesson.pass_mark = None
        package_lesson.save_revision().publish()
        package_lesson.refresh_from_db()
        result = self.record(
            learner, package_lesson, statement("answered", raw=0, max_=4, success=False)
        )
        assert result.lesson_completed

    def test_a_malformed_statement_is_refused(self, learner, package_lesson):
        body = statement("completed", raw=5, max_=4)
        body["result"]["score"]["scaled"] = 1  # in range: the raw score is what is wrong
        with pytest.raises(InvalidRuntimeData) as refused:
            self.record(learner, package_lesson, body)
        assert refused.value.code == "invalid_statement"
        assert refused.value.element == "result.score.raw"

    def test_scorm_commits_are_refused_for_h5p(self, learner, package_lesson):
        with pytest.raises(InvalidRuntimeData):
            commit(learner, package_lesson, cmi12(), item="h5p")
