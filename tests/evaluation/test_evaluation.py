"""Kirkpatrick L1-L3: the reaction survey, the learning gain, the supervisor's follow-up link,
per-course results and the programme evaluation report."""

import io
import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.users.models import UserProfile

from courses.factories import CourseCompetencyFactory
from courses.models import CoursePage, ModulePage
from evaluation import followup_links, services
from evaluation.models import BehaviourFollowUp, CourseEvaluation
from evaluation.selectors import learning_gains, programme_evaluation
from learners import certificate_services, factories
from learners import services as learner_services
from learners.factories import UserFactory
from learners.models import Enrollment
from quizzes.factories import QuizPageFactory
from quizzes.models import QuizAttempt, QuizPage
from tests.utils import csv_download

pytestmark = pytest.mark.django_db

#: Supervisor links here are confirmed (an unconfirmed one grants nothing: learners.supervisors).
CONFIRMED = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)

SCORES = {
    "relevance": 5,
    "material_quality": 4,
    "facilitation": 4,
    "platform": 3,
    "applicability": 5,
}


def completed_enrollment(course, learner=None, *, days_ago: int = 0) -> Enrollment:
    """`learner` (someone new by default) finished `course` `days_ago` days ago, ten days after
    enrolling, through the services (its certificate issued)."""
    completed_at = timezone.now() - timedelta(days=days_ago)
    return factories.completed_enrollment(
        user=learner or UserFactory(),
        course=course,
        started_at=completed_at - timedelta(days=10),
        completed_at=completed_at,
    )


def evaluate(enrollment, comment: str = "", **scores) -> CourseEvaluation:
    return services.course_evaluation_submit(
        enrollment=enrollment, user=enrollment.user, comment=comment, **(SCORES | scores)
    )


@pytest.fixture
def learner(db):
    return UserFactory(email="peserta@instansi.go.id", full_name="Sari Peserta")


# L1: the reaction survey


def test_learner_evaluates_a_completed_course_once(course_a, learner, client_for):
    enrollment = completed_enrollment(course_a, learner)
    client = client_for(learner)
    url = f"/saya/evaluasi/{enrollment.pk}/"
    assert "How relevant was the course" in client.get(url).content.decode()

    response = client.post(url, SCORES | {"comment": "Sangat bermanfaat."})
    assert response.status_code == 302
    evaluation = CourseEvaluation.objects.get(enrollment=enrollment)
    assert (evaluation.relevance, evaluation.platform) == (5, 3)
    assert evaluation.comment == "Sangat bermanfaat."
    enrollment.refresh_from_db()
    assert enrollment.evaluation_submitted_at == evaluation.submitted_at

    client.post(url, SCORES | {"relevance": 1})
    assert CourseEvaluation.objects.filter(enrollment=enrollment).count() == 1
    assert CourseEvaluation.objects.get(enrollment=enrollment).relevance == 5
    assert "You evaluated this course" in client.get(url).content.decode()


def test_the_survey_says_what_is_missing_or_out_of_range(course_a, learner, client_for):
    enrollment = completed_enrollment(course_a, learner)
    response = client_for(learner).post(
        f"/saya/evaluasi/{enrollment.pk}/", SCORES | {"relevance": "7", "platform": ""}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose a score from 1 to 5." in page
    assert "Choose a score from 1 to 5 for this question." in page
    assert not CourseEvaluation.objects.exists()


def test_another_learners_survey_is_not_found(course_a, learner, client_for):
    enrollment = completed_enrollment(course_a, learner)
    someone_else = UserFactory(email="lain@instansi.go.id")
    client = client_for(someone_else)
    assert client.get(f"/saya/evaluasi/{enrollment.pk}/").status_code == 404
    assert client.post(f"/saya/evaluasi/{enrollment.pk}/", SCORES).status_code == 404
    with pytest.raises(services.EvaluationRefused):
        services.course_evaluation_submit(enrollment=enrollment, user=someone_else, **SCORES)
    assert not CourseEvaluation.objects.exists()


def test_a_course_in_progress_cannot_be_evaluated(course_a, learner, client_for):
    enrollment, _ = learner_services.enrollment_create(user=learner, course=course_a)
    response = client_for(learner).post(f"/saya/evaluasi/{enrollment.pk}/", SCORES)
    assert response.status_code == 302
    assert not CourseEvaluation.objects.exists()
    with pytest.raises(services.EvaluationRefused) as refused:
        evaluate(enrollment)
    assert refused.value.code == "not_completed"


def test_the_database_refuses_a_score_outside_1_to_5(course_a, learner):
    enrollment = completed_enrollment(course_a, learner)
    with pytest.raises(IntegrityError), transaction.atomic():
        CourseEvaluation.objects.create(
            enrollment=enrollment, submitted_at=timezone.now(), **(SCORES | {"facilitation": 6})
        )


def test_a_required_survey_comes_before_the_certificate(course_a, learner, client_for):
    course_a.reaction_survey_required = True
    course_a.save_revision().publish()
    enrollment = completed_enrollment(CoursePage.objects.get(pk=course_a.pk), learner)
    client = client_for(learner)
    pdf_url = f"/sertifikat/{enrollment.certificate.code}/pdf/"

    my_learning = client.get("/saya/").content.decode()
    assert f"/saya/evaluasi/{enrollment.pk}/" in my_learning
    assert "Evaluate this course" in my_learning
    response = client.get(pdf_url)
    assert response.status_code == 302
    assert response["Location"] == f"/saya/evaluasi/{enrollment.pk}/"

    client.post(f"/saya/evaluasi/{enrollment.pk}/", SCORES)
    response = client.get(pdf_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "Evaluate this course" not in client.get("/saya/").content.decode()


def test_without_the_requirement_the_certificate_downloads_at_once(course_a, learner, client_for):
    enrollment = completed_enrollment(course_a, learner)
    response = client_for(learner).get(f"/sertifikat/{enrollment.certificate.code}/pdf/")
    assert response.status_code == 200


# Course results for the course's trainers and editors


@pytest.fixture
def evaluated(course_a):
    for scores, comment in [
        ({"relevance": 5}, "Materi relevan."),
        ({"relevance": 4}, ""),
        ({"relevance": 2, "platform": 1}, "Video sering macet."),
    ]:
        evaluate(completed_enrollment(course_a), comment, **scores)
    completed_enrollment(course_a)  # completed without answering: the response rate is 3/4
    return course_a


def test_trainers_and_the_providers_editors_see_the_results(
    evaluated, editor_a, moderator_a, editor_b, learner, client_for
):
    trainer = UserFactory(email="widyaiswara@lan.go.id", trainer_of=evaluated)
    url = f"/saya/evaluasi/kursus/{evaluated.pk}/"
    for user in (trainer, editor_a, moderator_a):
        page = client_for(user).get(url).content.decode()
        assert "3 responses from 4 learners" in page
        assert "response rate 75%" in page
        assert "3.67" in page  # relevance: (5 + 4 + 2) / 3
        assert "Video sering macet." in page
    for user in (editor_b, learner):
        assert client_for(user).get(url).status_code == 404
    admin_page = client_for(editor_a).get(f"/admin/evaluasi/kursus/{evaluated.pk}/")
    assert admin_page.status_code == 200
    assert "Video sering macet." in admin_page.content.decode()
    assert client_for(editor_b).get(f"/admin/evaluasi/kursus/{evaluated.pk}/").status_code == 404


def test_results_show_no_learner_names(evaluated, editor_a, client_for):
    names = list(
        Enrollment.objects.filter(course=evaluated).values_list("user__full_name", flat=True)
    )
    page = client_for(editor_a).get(f"/saya/evaluasi/kursus/{evaluated.pk}/").content.decode()
    assert not any(name in page for name in names)


def _count(client, url: str) -> int:
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_course_results_queries_do_not_grow_with_answers(course_a, editor_a, client_for):
    client = client_for(editor_a)
    url = f"/saya/evaluasi/kursus/{course_a.pk}/"
    evaluate(completed_enrollment(course_a), "satu")
    few = _count(client, url)
    for n in range(15):
        evaluate(completed_enrollment(course_a), f"komentar {n}", relevance=1 + n % 5)
    assert _count(client, url) == few


# L2: learning gain


def _quiz(course, role: str, title: str) -> QuizPage:
    module = ModulePage.objects.child_of(course).first()
    return QuizPageFactory(parent=module, title=title, role=role)


def _attempt(quiz, enrollment, score, *, passed=False, number=1):
    moment = timezone.now()
    return QuizAttempt.objects.create(
        user=enrollment.user,
        quiz=quiz,
        enrollment=enrollment,
        number=number,
        status=QuizAttempt.Status.SUBMITTED,
        started_at=moment - timedelta(minutes=10),
        submitted_at=moment,
        score=Decimal(score),
        passed=passed,
    )


@pytest.fixture
def tested_course(course_a):
    pre = _quiz(course_a, QuizPage.Role.PRE_TEST, "Pre-test Etika")
    post = _quiz(course_a, QuizPage.Role.POST_TEST, "Post-test Etika")
    ani = completed_enrollment(course_a, UserFactory(full_name="Ani"))
    _attempt(pre, ani, 40)
    _attempt(pre, ani, 50, number=2)
    _attempt(post, ani, 60, number=1)
    _attempt(post, ani, 80, passed=True, number=2)
    budi = completed_enrollment(course_a, UserFactory(full_name="Budi"))
    _attempt(pre, budi, 60)
    _attempt(post, budi, 55)
    citra = completed_enrollment(course_a, UserFactory(full_name="Citra"))
    _attempt(post, citra, 90, passed=True)
    return course_a


def test_learning_gain_is_best_post_minus_best_pre(tested_course):
    gain = learning_gains(course_ids=[tested_course.pk])[tested_course.pk]
    by_name = {learner.name: learner for learner in gain.learners}
    assert by_name["Ani"].gain == Decimal(30)
    assert by_name["Budi"].gain == Decimal(-5)
    assert by_name["Citra"].gain is None  # no pre-test: not in the average
    assert gain.average_gain == Decimal("12.50")
    assert gain.pass_rate == 67  # Ani and Citra passed the post-test, Budi did not


def test_the_course_results_show_the_learning_gain(tested_course, editor_a, client_for):
    page = client_for(editor_a).get(f"/saya/evaluasi/kursus/{tested_course.pk}/").content
    page = page.decode()
    # Rounded for people: one decimal at most, none when whole.
    assert "12.5 points" in page and "12.50" not in page
    assert "67%" in page
    assert "Budi" in page


def test_the_learning_gain_table_rounds_scores_for_people(course_a, editor_a, client_for):
    pre = _quiz(course_a, QuizPage.Role.PRE_TEST, "Pre-test Etika")
    post = _quiz(course_a, QuizPage.Role.POST_TEST, "Post-test Etika")
    dewi = completed_enrollment(course_a, UserFactory(full_name="Dewi"))
    _attempt(pre, dewi, "33.33")
    _attempt(post, dewi, "83.33", passed=True)
    page = client_for(editor_a).get(f"/saya/evaluasi/kursus/{course_a.pk}/").content.decode()
    row = page.split('<th scope="row">Dewi</th>')[1].split("</tr>")[0]
    assert [cell.split("</td>")[0] for cell in row.split("<td>")[1:4]] == ["33.3", "83.3", "50"]
    assert "83.33" not in page


def test_without_tests_the_results_say_so(course_a, editor_a, client_for):
    page = client_for(editor_a).get(f"/saya/evaluasi/kursus/{course_a.pk}/").content.decode()
    assert "needs a published pre-test and post-test" in page


# L3: the supervisor's follow-up


@pytest.fixture
def supervisor(db):
    return UserFactory(email="atasan@instansi.go.id", full_name="Bu Atasan")


@pytest.fixture
def due(course_a, supervisor):
    """A completion 91 days ago, past the course's default 90-day follow-up delay."""
    CourseCompetencyFactory(page=course_a, target_level=3)
    learner = UserFactory(
        email="staf@instansi.go.id",
        full_name="Staf Teladan",
        supervisor=supervisor,
        supervisor_confirmed_at=CONFIRMED,
    )
    return completed_enrollment(course_a, learner, days_ago=91)


def _run_daily(capture) -> str:
    out = io.StringIO()
    with capture(execute=True):
        call_command("lentera_daily", stdout=out)
    return out.getvalue()


def _link(message) -> str:
    return re.search(r"http://testserver(/tindak-lanjut/[^/\s]+/)", message.body).group(1)


def test_the_daily_run_emails_the_supervisor_once(
    due, supervisor, django_capture_on_commit_callbacks
):
    output = _run_daily(django_capture_on_commit_callbacks)
    assert "1 supervisor follow-up(s) created" in output
    [message] = mail.outbox
    assert message.to == [supervisor.email]
    assert "Staf Teladan" in message.subject
    assert "/tindak-lanjut/" in message.body
    followup = BehaviourFollowUp.objects.get(enrollment=due)
    assert followup.sent_at and followup.expires_at > timezone.now() + timedelta(days=29)
    assert len(followup.token_hash) == 64 and followup.token_hash not in message.body

    _run_daily(django_capture_on_commit_callbacks)
    # A follow-up re-queued before the worker sent it is still sent once.
    followup_links.behaviour_followup_send(followup_id=followup.pk)
    assert len(mail.outbox) == 1
    assert BehaviourFollowUp.objects.count() == 1


def test_an_address_nobody_confirmed_is_never_emailed(
    course_a, supervisor, django_capture_on_commit_callbacks
):
    """A typed address may be the learner's own: only a confirmed supervisor rates the change
    (learners.supervisors)."""
    without_account = UserFactory(supervisor_email="kabag@pemda.go.id")
    completed_enrollment(course_a, without_account, days_ago=95)
    unconfirmed = UserFactory(supervisor=supervisor)
    completed_enrollment(course_a, unconfirmed, days_ago=95)
    _run_daily(django_capture_on_commit_callbacks)
    assert mail.outbox == []
    assert not BehaviourFollowUp.objects.exists()


def test_nothing_is_sent_too_early_too_late_or_without_a_supervisor(
    course_a, supervisor, django_capture_on_commit_callbacks
):
    completed_enrollment(
        course_a, UserFactory(supervisor=supervisor, supervisor_confirmed_at=CONFIRMED), days_ago=30
    )
    completed_enrollment(
        course_a,
        UserFactory(supervisor=supervisor, supervisor_confirmed_at=CONFIRMED),
        days_ago=400,
    )
    completed_enrollment(course_a, UserFactory(), days_ago=91)
    output = _run_daily(django_capture_on_commit_callbacks)
    assert "0 supervisor follow-up(s) created" in output
    assert mail.outbox == []


def test_the_delay_is_the_courses_own(course_a, supervisor, django_capture_on_commit_callbacks):
    CoursePage.objects.filter(pk=course_a.pk).update(behaviour_followup_days=30)
    completed_enrollment(
        course_a, UserFactory(supervisor=supervisor, supervisor_confirmed_at=CONFIRMED), days_ago=31
    )
    _run_daily(django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1


@pytest.fixture
def link(due, django_capture_on_commit_callbacks):
    _run_daily(django_capture_on_commit_callbacks)
    return _link(mail.outbox[0])


def _ratings(enrollment, value: int = 4) -> dict:
    return {
        f"competency_{competency_id}": value
        for competency_id in enrollment.course.course_competencies.values_list(
            "competency_id", flat=True
        )
    }


def test_the_supervisor_answers_once_without_signing_in(link, due, client):
    page = client.get(link)
    assert page.status_code == 200
    assert "Staf Teladan" in page.content.decode()
    assert "no-store" in page["Cache-Control"]
    assert page["Referrer-Policy"] == "no-referrer"

    response = client.post(link, _ratings(due) | {"comment": "Lebih sigap melayani."})
    assert response.status_code == 302
    followup = BehaviourFollowUp.objects.get(enrollment=due)
    assert followup.answered_at is not None
    assert followup.average_rating == Decimal("4.00")
    assert followup.comment == "Lebih sigap melayani."

    for again in (client.get(link), client.post(link, _ratings(due, 1))):
        assert again.status_code == 410
        assert "already been answered" in again.content.decode()
    followup.refresh_from_db()
    assert followup.average_rating == Decimal("4.00")


def test_every_competency_must_be_rated(link, due, client):
    ratings = _ratings(due)
    ratings.popitem()
    response = client.post(link, ratings)
    assert response.status_code == 200
    assert "Rate the change in this competency from 1 to 5." in response.content.decode()
    assert BehaviourFollowUp.objects.get(enrollment=due).answered_at is None


def test_an_expired_link_gets_a_clear_page(link, due, client):
    BehaviourFollowUp.objects.filter(enrollment=due).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    response = client.get(link)
    assert response.status_code == 410
    assert "This link has expired" in response.content.decode()


def test_a_link_past_its_signature_age_gets_a_clear_page(link, client):
    later = timezone.now().timestamp() + (followup_links.FOLLOWUP_LINK_VALID_DAYS + 1) * 86400
    with mock.patch("django.core.signing.time") as clock:
        clock.time.return_value = later
        response = client.post(link, {})
    assert response.status_code == 410
    assert "This link has expired" in response.content.decode()


def test_a_tampered_or_unknown_link_gets_a_clear_page(link, client):
    secret, stamp, signature = link.strip("/").split("/")[-1].split(":")
    tampered = client.get(f"/tindak-lanjut/{secret}x:{stamp}:{signature}/")
    assert tampered.status_code == 400
    assert "not valid" in tampered.content.decode()
    assert client.get("/tindak-lanjut/rubbish/").status_code == 400
    unknown_token = followup_links.followup_signer().sign("a-secret-never-sent")
    unknown = client.get(f"/tindak-lanjut/{unknown_token}/")
    assert unknown.status_code == 404
    assert "does not lead to a follow-up" in unknown.content.decode()


def test_follow_up_results_aggregate_per_course(link, due, client, editor_a, client_for):
    client.post(link, _ratings(due, 5) | {"comment": "Jauh lebih baik."})
    page = client_for(editor_a).get(f"/saya/evaluasi/kursus/{due.course_id}/").content.decode()
    assert "Supervisors asked: 1; answered: 1." in page
    assert "5.00" in page
    assert "Jauh lebih baik." in page


# The programme evaluation report


@pytest.fixture
def programme(tested_course, supervisor):
    course = tested_course
    enrollments = list(Enrollment.objects.filter(course=course))
    for enrollment, relevance in zip(enrollments, (5, 3), strict=False):
        evaluate(enrollment, relevance=relevance)
    BehaviourFollowUp.objects.create(
        enrollment=enrollments[0],
        recipient_email="atasan@instansi.go.id",
        sent_at=timezone.now(),
        expires_at=timezone.now() + timedelta(days=30),
        answered_at=timezone.now(),
        ratings={},
        average_rating=Decimal("4.50"),
    )
    learner_services.enrollment_create(user=UserFactory(), course=course)  # still learning
    return course


def test_the_programme_report_sums_up_a_course_year(programme):
    [row] = programme_evaluation(
        courses=CoursePage.objects.filter(pk=programme.pk), year=timezone.localdate().year
    )
    assert row.enrollments == 4
    assert row.completions == 3
    assert row.completion_rate == 75
    assert row.median_days == Decimal("10.0")
    assert row.jp_delivered == programme.jp * 3
    assert row.l1_responses == 2
    assert row.l1_scores["relevance"] == Decimal("4.00")
    assert row.l2_average_gain == Decimal("12.50")
    assert row.l2_pass_rate == 67
    assert (row.l3_answered, row.l3_average) == (1, Decimal("4.50"))


def test_a_revoked_certificate_s_jp_are_not_delivered_but_its_completion_stays(programme):
    enrollment = Enrollment.objects.filter(course=programme, completed_at__isnull=False).first()
    certificate = certificate_services.certificate_issue(enrollment=enrollment, course=programme)
    admin = UserFactory(is_superuser=True)
    certificate_services.certificate_revoke(
        certificate=certificate, revoked_by=admin, reason="Curang"
    )
    [row] = programme_evaluation(
        courses=CoursePage.objects.filter(pk=programme.pk), year=timezone.localdate().year
    )
    assert row.completions == 3
    assert row.jp_delivered == programme.jp * 2


def in_english(user):
    """The admin (and so its exports) in English for this user, whatever the site default."""
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()
    return user


def test_the_programme_report_in_the_admin_with_exports(programme, editor_a, client_for):
    client = client_for(in_english(editor_a))
    year = timezone.localdate().year
    page = client.get(f"/admin/evaluasi/program/?year={year}")
    assert page.status_code == 200
    assert programme.title in page.content.decode()

    csv = client.get(f"/admin/evaluasi/program/?year={year}&export=csv")
    assert csv["Content-Type"].startswith("text/csv")
    lines = [",".join(row) for row in csv_download(csv)]
    assert lines[0].startswith("Course,Provider,Year,Enrollments,Completions")
    assert lines[1].startswith(f"{programme.title},Lembaga Pelatihan A,{year},4,3,75,10.0")

    xlsx = client.get(f"/admin/evaluasi/program/?year={year}&export=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header, row = rows[0], rows[1]
    assert row[header.index("Course")] == programme.title
    assert row[header.index("Completions")] == 3
    assert row[header.index("L2 average gain (points)")] == 12.5
    assert row[header.index("L3 average")] == 4.5


def test_the_programme_report_shows_only_the_editors_courses(
    programme, course_b, editor_b, learner, client_for
):
    page = client_for(editor_b).get("/admin/evaluasi/program/").content.decode()
    assert course_b.title in page
    assert programme.title not in page
    # A learner has no admin access at all.
    assert client_for(learner).get("/admin/evaluasi/program/").status_code == 302


def test_the_programme_report_queries_do_not_grow_with_learners(programme, editor_a, client_for):
    client = client_for(editor_a)
    url = "/admin/evaluasi/program/?export=csv"

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
            b"".join(response.streaming_content)
        return len(queries)

    count()
    few = count()
    for _ in range(10):
        enrollment = completed_enrollment(programme)
        evaluate(enrollment)
    assert count() == few


def test_trainers_and_editors_find_their_courses_results(course_a, course_b, editor_b, client_for):
    trainer = UserFactory(email="pelatih@lpa.go.id", trainer_of=course_a)
    page = client_for(trainer).get("/saya/evaluasi/").content.decode()
    assert f"/saya/evaluasi/kursus/{course_a.pk}/" in page
    assert f"/saya/evaluasi/kursus/{course_b.pk}/" not in page
    page = client_for(editor_b).get("/saya/evaluasi/").content.decode()
    assert f"/saya/evaluasi/kursus/{course_b.pk}/" in page
    assert f"/saya/evaluasi/kursus/{course_a.pk}/" not in page


def test_the_reports_are_in_the_admin_menu_for_editors(editor_a, client_for):
    page = client_for(in_english(editor_a)).get("/admin/").content.decode()
    assert "Programme evaluation" in page
    assert "/admin/evaluasi/kebutuhan/" in page
