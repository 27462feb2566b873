"""Quiz attempts as services: start, submit and score, complete the quiz's lesson; and quiz papers,
answered offline and submitted when the device is back online (`paper_issue`,
`offline_submission`).

The HTML views and the API both go through these functions. Scores are computed here only, from
the stored answers and the quiz's current questions; nothing the browser says about correctness
or time is trusted. Both services lock the learner's enrollment row first (as
`learners.progress.lesson_complete` does), so one learner's starts, submissions and completions
in a course run one at a time; the attempt table's unique constraints are the safety net.
"""

import random
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from courses.models import CoursePage
from learners.errors import LearningError, NotEnrolled
from learners.ledger import learning_record_create
from learners.models import Enrollment, LearningRecord, LessonCompletion, User
from learners.progress import lesson_complete
from quizzes.models import QuizAttempt, QuizPage
from quizzes.selectors import (
    QUIZ_ENROLLMENT_STATUSES,
    attempt_is_overdue,
    attempt_round,
    is_closed_by_pass,
    lessons_left_before,
    ordered_questions,
    quiz_enrollment,
)


class QuizUnavailable(LearningError):
    """The quiz is unpublished or has no questions."""

    status = 403


class AttemptsExhausted(LearningError):
    """Every attempt the quiz allows has been used."""

    status = 403


class QuizClosed(LearningError):
    """The post-test is passed in this enrollment: its answers may be showing now."""

    status = 403


class LessonsNotCompleted(LearningError):
    """A post-test that opens after the lessons, started before they are all done."""

    status = 403


class AttemptClosed(LearningError):
    """The attempt was already submitted (a replay), or a concurrent start won."""

    status = 409


class AttemptExpired(LearningError):
    """The attempt's deadline and grace period have passed."""

    status = 409


class AttemptNotFound(LearningError):
    """Not the caller's attempt: answered like an unknown id."""

    status = 404


class NeedsConnection(LearningError):
    """A timed quiz: its clock runs on the server, so it is never answered offline."""

    status = 409


class InvalidPaper(LearningError):
    """A quiz paper token that is forged, damaged, or another learner's or quiz's."""

    status = 400


class PaperOutdated(LearningError):
    """A quiz paper for an attempt that was taken (online, or on another device) since, for
    an earlier enrollment round, for questions an editor has changed since, or too old."""

    status = 409


def _not_enrolled() -> NotEnrolled:
    return NotEnrolled(_("Enroll in this course before taking its quizzes."), code="not_enrolled")


def lessons_left_message(lessons: list) -> str:
    """What a learner reads when a post-test is not open yet: the lessons still to do."""
    return _("Complete these lessons before starting the post-test: %(lessons)s.") % {
        "lessons": ", ".join(lesson.title for lesson in lessons)
    }


def _locked_enrollment(*, user: User, quiz: QuizPage) -> Enrollment:
    course = CoursePage.objects.ancestor_of(quiz).defer_streamfields().first()
    enrollment = (
        Enrollment.objects.select_for_update()
        .filter(user=user, course=course, status__in=QUIZ_ENROLLMENT_STATUSES)
        .order_by("-created_at")
        .first()
        if course is not None
        else None
    )
    if enrollment is None:
        raise _not_enrolled()
    return enrollment


def question_order_draw(quiz: QuizPage, *, seed: bytes | None = None) -> list[dict]:
    """The questions an attempt asks and the order of them and their options.

    With `questions_per_attempt`, that many questions are drawn at random (kept in the editors'
    order unless questions are shuffled too). Options keep the editors' order unless shuffled:
    the order never depends on which option is correct. With a `seed` (`_draw_seed`), the same
    draw every time.
    """
    # Seeded from a secret HMAC (`_draw_seed`), so the learner can neither predict a draw nor
    # change it by asking again: reproducibility is the point, not a weakness.
    shuffler = random.Random(seed) if seed is not None else secrets.SystemRandom()  # noqa: S311
    children = list(quiz.questions)
    if quiz.questions_per_attempt and quiz.questions_per_attempt < len(children):
        drawn = set(shuffler.sample(range(len(children)), quiz.questions_per_attempt))
        children = [child for index, child in enumerate(children) if index in drawn]
    order = []
    for child in children:
        option_ids = [option_id for option_id, _option in child.block.option_items(child.value)]
        # "Benar / Salah" keeps its order: shuffling two options only confuses.
        if quiz.shuffle_options and child.block_type != "true_false":
            shuffler.shuffle(option_ids)
        order.append({"id": child.id, "options": option_ids})
    if quiz.shuffle_questions:
        shuffler.shuffle(order)
    return order


def _draw_seed(*, user: User, quiz: QuizPage, round_ids: list[int], number: int) -> bytes:
    """The draw of one attempt number in one enrollment round, fixed and secret.

    Why fixed: a quiz paper for offline use is handed out before its attempt exists, and may be
    fetched again; a fresh draw each time would let a learner fetch papers until an easy draw
    came up, or pick between the paper's draw and an online start's. Keyed with the site's
    secret, so nobody can work a draw out; the round's first enrollment starts a
    recertification on fresh draws.
    """
    message = f"{user.pk}:{quiz.pk}:{round_ids[0]}:{number}"
    return salted_hmac("lentera.quiz.draw", message).digest()


def _next_attempt_number(
    *, quiz: QuizPage, enrollment: Enrollment, lessons_checked: bool = True
) -> tuple[list[int], int]:
    """The enrollment round's ids and the number the next attempt at `quiz` takes, or the
    refusal: a post-test passed in this round, lessons still to do (`lessons_checked`), every
    attempt used (in that order)."""
    round_ids = attempt_round(enrollment)
    attempts = QuizAttempt.objects.filter(enrollment_id__in=round_ids, quiz=quiz)
    passed_attempts = list(attempts.filter(passed=True).only("passed")[:1])
    if is_closed_by_pass(quiz, passed_attempts):
        raise QuizClosed(
            _("You have passed this test; it cannot be taken again in this enrollment."),
            code="already_passed",
        )
    # Checked before an attempt exists, so a post-test opened too early costs no attempt.
    if lessons_checked:
        lessons_left = lessons_left_before(quiz=quiz, enrollment=enrollment)
        if lessons_left:
            raise LessonsNotCompleted(lessons_left_message(lessons_left), code="lessons_left")
    number = (attempts.aggregate(last=Max("number"))["last"] or 0) + 1
    if quiz.max_attempts is not None and number > quiz.max_attempts:
        raise AttemptsExhausted(
            _("You have used all %(count)d attempts at this quiz.") % {"count": quiz.max_attempts},
            code="attempts_exhausted",
        )
    return round_ids, number


@transaction.atomic
def attempt_start(*, user: User, quiz: QuizPage) -> QuizAttempt:
    """Start an attempt at `quiz`, or return the learner's attempt already in progress.

    Needs an active or completed enrollment in the quiz's course and an attempt left in its
    round (`quiz_selectors.attempt_round`: submitted and expired attempts count, a
    recertification starts afresh), a post-test not yet passed in it, and, for a post-test
    that opens after the lessons, every other required lesson done. With a time limit, the
    deadline is set now. An attempt already in progress is returned whatever changed since.
    """
    if not quiz.live:
        raise QuizUnavailable(_("This quiz is not published."), code="not_live")
    enrollment = _locked_enrollment(user=user, quiz=quiz)
    # The published questions, as stored (not whatever the caller's instance holds).
    quiz = QuizPage.objects.get(pk=quiz.pk)
    if not quiz.questions:
        raise QuizUnavailable(_("This quiz has no questions yet."), code="no_questions")

    now = timezone.now()
    current = QuizAttempt.objects.filter(
        user=user, quiz=quiz, status=QuizAttempt.Status.IN_PROGRESS
    ).first()
    if current is not None:
        # One left open by an enrollment that has since closed can no longer be submitted.
        if current.enrollment_id == enrollment.pk and not attempt_is_overdue(current, now=now):
            return current
        current.status = QuizAttempt.Status.EXPIRED
        current.save(update_fields=["status"])

    round_ids, number = _next_attempt_number(quiz=quiz, enrollment=enrollment)
    try:
        with transaction.atomic():
            attempt = QuizAttempt.objects.create(
                user=user,
                quiz=quiz,
                enrollment=enrollment,
                number=number,
                started_at=now,
                deadline=(
                    now + timedelta(minutes=quiz.time_limit_minutes)
                    if quiz.time_limit_minutes
                    else None
                ),
                # The same draw a quiz paper for this attempt number shows (`paper_issue`).
                question_order=question_order_draw(
                    quiz,
                    seed=_draw_seed(user=user, quiz=quiz, round_ids=round_ids, number=number),
                ),
            )
    except IntegrityError:
        # A concurrent start took this number, or started an attempt first: that one is it.
        concurrent = QuizAttempt.objects.filter(
            user=user, quiz=quiz, status=QuizAttempt.Status.IN_PROGRESS
        ).first()
        if concurrent is None:
            raise AttemptClosed(
                _("Another attempt was started at the same time. Reload the page."),
                code="concurrent_start",
            ) from None
        return concurrent
    return attempt


def _grade(*, quiz: QuizPage, attempt: QuizAttempt, answers: dict) -> tuple[dict, int, int]:
    """Keep the answers to the attempt's questions and count the points they earn."""
    current = quiz.questions_by_id()
    kept, earned, total = {}, 0, 0
    for entry in attempt.question_order:
        child = current.get(entry.get("id"))
        if child is None:
            continue  # deleted since the attempt began: counts neither way
        raw = answers.get(child.id)
        if raw is not None and not isinstance(raw, str | list):
            raw = None
        if isinstance(raw, list):
            raw = [str(item) for item in raw[:50]]
        kept[child.id] = child.block.answer_cleaned(child.value, raw)
        total += child.value["points"]
        if raw is not None and child.block.is_correct(child.value, raw):
            earned += child.value["points"]
    return kept, earned, total


def _percent(earned: int, total: int) -> Decimal:
    if not total:
        return Decimal("0.00")
    return (Decimal(earned) * 100 / Decimal(total)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def attempt_submit(
    *, user: User, attempt: QuizAttempt, answers: dict[str, list[str] | str]
) -> QuizAttempt:
    """Score an attempt in progress; a pass completes the quiz's lesson (a pre-test: any score).

    Only the attempt's owner may submit, once, before its deadline plus the grace period. A late
    submission marks the attempt expired, stores nothing and is refused. A passed post-test sets
    the enrollment's final score and pass band *before* completing the lesson, so the
    certificate issued when that completes the course prints them.
    """
    if attempt.user_id != user.pk:
        raise AttemptNotFound(_("No such attempt."), code="not_found")
    answers = answers if isinstance(answers, dict) else {}
    expired = False
    with transaction.atomic():
        # Lock order: enrollment, then attempt, as in attempt_start and lesson_complete.
        enrollment = Enrollment.objects.select_for_update().get(pk=attempt.enrollment_id)
        attempt = QuizAttempt.objects.select_for_update().get(pk=attempt.pk)
        if attempt.status == QuizAttempt.Status.SUBMITTED:
            raise AttemptClosed(
                _("This attempt has already been submitted."), code="already_submitted"
            )
        if attempt.status == QuizAttempt.Status.EXPIRED:
            raise AttemptExpired(_("The time for this attempt is over."), code="expired")
        now = timezone.now()
        if attempt_is_overdue(attempt, now=now):
            attempt.status = QuizAttempt.Status.EXPIRED
            attempt.save(update_fields=["status"])
            expired = True
        else:
            _score_and_complete(user=user, attempt=attempt, enrollment=enrollment, answers=answers)
    if expired:
        # Raised after the block, so the expiry itself is kept.
        raise AttemptExpired(
            _("The time for this attempt is over; your answers were not accepted."),
            code="expired",
        )
    return attempt


def _score_and_complete(
    *, user: User, attempt: QuizAttempt, enrollment: Enrollment, answers: dict
) -> None:
    quiz = QuizPage.objects.get(pk=attempt.quiz_id)
    if not quiz.live:
        raise QuizUnavailable(_("This quiz is not published."), code="not_live")
    if enrollment.status not in QUIZ_ENROLLMENT_STATUSES:
        raise _not_enrolled()

    kept, earned, total = _grade(
        quiz=quiz, attempt=attempt, answers={str(k): v for k, v in answers.items()}
    )
    score = _percent(earned, total)
    # Compared exactly (not the rounded score): 69.995 % does not pass a 70 % mark. A pre-test
    # measures where the learner starts: it has a score, never a verdict.
    is_pre_test = quiz.role == QuizPage.Role.PRE_TEST
    passed = not is_pre_test and bool(total) and earned * 100 >= quiz.pass_mark * total
    attempt.answers = kept
    attempt.points = earned
    attempt.max_points = total
    attempt.score = score
    attempt.passed = passed
    attempt.pass_band = quiz.pass_band_for(score) if passed else ""
    attempt.status = QuizAttempt.Status.SUBMITTED
    attempt.submitted_at = timezone.now()
    attempt.full_clean(exclude=["user", "quiz", "enrollment"], validate_constraints=False)
    attempt.save()
    learning_record_create(
        actor=user,
        verb=LearningRecord.Verb.QUIZ_ATTEMPTED,
        obj=quiz,
        result={
            "attempt_id": attempt.pk,
            "number": attempt.number,
            "enrollment_id": enrollment.pk,
            "role": quiz.role,
            "score": str(score),
            "points": earned,
            "max_points": total,
            "passed": None if is_pre_test else passed,
            "pass_band": attempt.pass_band,
            # Answered on a quiz paper offline: when the device says (information only).
            **(
                {"answered_offline_at": attempt.answered_offline_at.isoformat()}
                if attempt.answered_offline_at
                else {}
            ),
        },
    )

    # A pre-test is done by taking it.
    if not (passed or is_pre_test):
        return
    if passed and quiz.role == QuizPage.Role.POST_TEST:
        _final_score_keep(enrollment=enrollment, score=score, pass_band=attempt.pass_band)
    lesson_complete(user=user, lesson=quiz, source=LessonCompletion.Source.QUIZ)


def _final_score_keep(*, enrollment: Enrollment, score: Decimal, pass_band: str) -> None:
    """The best passing post-test score while the course is in progress; a completed
    enrollment keeps the score its certificate printed."""
    if enrollment.status != Enrollment.Status.ACTIVE:
        return
    if enrollment.final_score is None or score > enrollment.final_score:
        enrollment.final_score = score
        enrollment.pass_band = pass_band
        enrollment.save(update_fields=["final_score", "pass_band"])


# Quiz papers: an untimed quiz answered offline ------------------------------------------------

PAPER_SALT = "lentera.quiz.paper"
# How long a saved quiz paper can be answered offline: long enough for weeks away from a
# signal, short enough that a paper does not outlive the course run it was saved in.
PAPER_MAX_AGE = timedelta(days=30)


@dataclass
class QuizPaper:
    """What a device stores to answer a quiz offline: the questions as a learner may see them
    (`ordered_questions`: never correctness, explanations or accepted answers) and a signed
    token that binds the learner, the quiz, the draw, the attempt it is for, the enrollment
    round."""

    quiz: QuizPage
    token: str
    questions: list[dict]


@dataclass
class OfflineSubmissionResult:
    attempt: QuizAttempt
    # False when the same event id was sent before: the attempt it made then, nothing new.
    created: bool


def _needs_connection() -> NeedsConnection:
    return NeedsConnection(
        _("This quiz has a time limit and needs a connection: take it online."),
        code="needs_connection",
    )


def paper_issue(*, user: User, quiz: QuizPage) -> QuizPaper:
    """A quiz paper for `user` to answer `quiz` offline (`offline_submission` scores it).

    For the attempt in progress, its own draw; otherwise the draw the next attempt will have
    (`_draw_seed`: fetching the paper again gives the same one), and no attempt is started:
    one is only counted when the answers arrive. Refused as a start is for a quiz that is not
    published or has no questions, a learner not enrolled, a passed post-test or every
    attempt used; and for a timed quiz, whose clock can only run on the server. Lessons still
    to do before a post-test are not checked here: their completions may be queued on the
    device too, and are sent before the quiz (the submission checks them).
    """
    if not quiz.live:
        raise QuizUnavailable(_("This quiz is not published."), code="not_live")
    quiz = QuizPage.objects.get(pk=quiz.pk)
    if quiz.time_limit_minutes:
        raise _needs_connection()
    if not quiz.questions:
        raise QuizUnavailable(_("This quiz has no questions yet."), code="no_questions")
    enrollment = quiz_enrollment(user=user, quiz=quiz)
    if enrollment is None:
        raise _not_enrolled()
    current = QuizAttempt.objects.filter(
        user=user, quiz=quiz, enrollment=enrollment, status=QuizAttempt.Status.IN_PROGRESS
    ).first()
    if current is not None and not attempt_is_overdue(current):
        attempt_id, number, order = current.pk, current.number, current.question_order
    else:
        round_ids, number = _next_attempt_number(
            quiz=quiz, enrollment=enrollment, lessons_checked=False
        )
        attempt_id = None
        order = question_order_draw(
            quiz, seed=_draw_seed(user=user, quiz=quiz, round_ids=round_ids, number=number)
        )
    token = signing.dumps(
        {
            "user": user.pk,
            "quiz": quiz.pk,
            "attempt": attempt_id,
            "number": number,
            "order": order,
            # A round is named by its first enrollment (as `_draw_seed` does): a paper saved
            # before a recertification is not attempt 1 of the new round.
            "round": attempt_round(enrollment)[0],
        },
        salt=PAPER_SALT,
        compress=True,
    )
    return QuizPaper(quiz=quiz, token=token, questions=ordered_questions(quiz, order))


def _paper_read(token: str, *, user: User, quiz: QuizPage) -> dict:
    """The paper a token stands for, if it was issued to `user` for `quiz`."""
    invalid = InvalidPaper(
        _("This quiz paper is not valid for you or for this quiz. Open the quiz online."),
        code="invalid_paper",
    )
    try:
        paper = signing.loads(token, salt=PAPER_SALT, max_age=PAPER_MAX_AGE)
    except signing.SignatureExpired:
        raise _paper_outdated(
            _(
                "This quiz paper was saved more than %(days)d days ago and has expired. "
                "Open the quiz online to take it again."
            )
            % {"days": PAPER_MAX_AGE.days}
        ) from None
    except signing.BadSignature:
        raise invalid from None
    if (
        not isinstance(paper, dict)
        or paper.get("user") != user.pk
        or paper.get("quiz") != quiz.pk
        or not isinstance(paper.get("number"), int)
        or not isinstance(paper.get("order"), list)
        or not isinstance(paper.get("round"), int)
    ):
        raise invalid
    return paper


def _draw_changed(*, quiz_id: int, order: list) -> bool:
    """Whether a question of the draw, or the set of its options, is no longer published."""
    current = QuizPage.objects.get(pk=quiz_id).questions_by_id()
    for entry in order:
        child = current.get(entry.get("id")) if isinstance(entry, dict) else None
        if child is None:
            return True
        options = {option_id for option_id, _option in child.block.option_items(child.value)}
        if set(entry.get("options") or []) != options:
            return True
    return False


def _paper_outdated(message: str) -> PaperOutdated:
    return PaperOutdated(message, code="paper_outdated")


def _offline_replay(
    *, user: User, quiz: QuizPage, event_id: uuid.UUID
) -> OfflineSubmissionResult | None:
    attempt = QuizAttempt.objects.filter(offline_event_id=event_id).first()
    if attempt is None:
        return None
    if attempt.user_id != user.pk or attempt.quiz_id != quiz.pk:
        raise InvalidPaper(
            _("This event id was already used for another quiz."), code="event_id_reused"
        )
    return OfflineSubmissionResult(attempt=attempt, created=False)


def offline_submission(
    *,
    user: User,
    quiz: QuizPage,
    token: str,
    answers: dict[str, list[str] | str],
    event_id: uuid.UUID,
    answered_at: datetime | None = None,
) -> OfflineSubmissionResult:
    """Score the answers to a quiz paper (`paper_issue`) given offline, as one attempt.

    Idempotent by `event_id`: the same submission sent again (a retry after a lost answer, or
    two tabs flushing at once) returns the attempt it made, and nothing is counted twice. A
    new one goes through the rules of an online attempt: `attempt_start` (enrollment, attempts
    left, a post-test not yet passed, lessons done, published) then `attempt_submit` (score,
    learning record, lesson completion, certificate), in one transaction, so a refusal leaves
    no attempt behind. The attempt keeps the paper's draw, which the learner answered. A paper
    for an attempt taken since it was issued is refused (`paper_outdated`): its draw is used
    up; so is one saved in an earlier enrollment round (before a recertification), one whose
    questions or options an editor has since removed or replaced, and one older than
    `PAPER_MAX_AGE`.
    `answered_at` is kept as information and trusts nothing: timed quizzes are never answered
    offline.
    """
    paper = _paper_read(token, user=user, quiz=quiz)
    with transaction.atomic():
        replay = _offline_replay(user=user, quiz=quiz, event_id=event_id)
        if replay is not None:
            return replay
        stored = QuizPage.objects.filter(pk=quiz.pk).values("time_limit_minutes").first()
        if stored and stored["time_limit_minutes"]:
            raise _needs_connection()
        # Under the enrollment lock the start takes too: a copy of this submission sent at the
        # same moment waits here, then finds the attempt this one made.
        enrollment = _locked_enrollment(user=user, quiz=quiz)
        replay = _offline_replay(user=user, quiz=quiz, event_id=event_id)
        if replay is not None:
            return replay
        if attempt_round(enrollment)[0] != paper["round"]:
            # Saved in an earlier round (before a recertification): its number and draw are
            # that round's, not the next attempt of this one.
            raise _paper_outdated(
                _(
                    "This quiz paper was saved before you enrolled in this course again. "
                    "Open the quiz online to take it again."
                )
            )
        attempt = attempt_start(user=user, quiz=quiz)
        # After the start, so a quiz unpublished since is refused as `not_live`, not changed.
        if _draw_changed(quiz_id=quiz.pk, order=paper["order"]):
            # The draw names questions and options as they were published then: answers to
            # a question or option an editor has since removed or replaced cannot be scored.
            # Other edits (a title, a typo, an explanation) keep the learner's answers.
            raise _paper_outdated(
                _(
                    "This quiz was changed since its paper was saved. "
                    "Open the quiz online to take it again."
                )
            )
        if attempt.number != paper["number"] or (
            paper["attempt"] is not None and attempt.pk != paper["attempt"]
        ):
            raise _paper_outdated(
                _(
                    "This quiz paper is out of date: an attempt was taken since it was saved. "
                    "Open the quiz online to take it again."
                )
            )
        now = timezone.now()
        if answered_at is not None and timezone.is_naive(answered_at):
            answered_at = timezone.make_aware(answered_at)
        # An attempt in progress has no answers yet (they are stored when submitted), so it
        # may take the paper's draw, which is what the learner answered.
        attempt.question_order = paper["order"]
        attempt.offline_event_id = event_id
        attempt.answered_offline_at = min(answered_at, now) if answered_at else None
        try:
            with transaction.atomic():
                attempt.save(
                    update_fields=["question_order", "offline_event_id", "answered_offline_at"]
                )
        except IntegrityError:
            # The same event id sent at this moment for another quiz (the unique field's
            # safety net: copies for the same quiz wait on the enrollment lock above).
            raise InvalidPaper(
                _("This event id was already used for another quiz."), code="event_id_reused"
            ) from None
        attempt = attempt_submit(user=user, attempt=attempt, answers=answers)
    return OfflineSubmissionResult(attempt=attempt, created=True)
