"""The discussion pages per role, posting through them, and bad input: empty, huge and hostile
text, locked threads, someone else's answer, and the rate limit."""

import pytest
from django.test import Client
from django.urls import clear_url_caches, reverse
from django.utils import translation

from courses.models import LessonPage
from discussions import services
from discussions.models import POST_MAX_LENGTH, Announcement, Post, Report, Thread
from tests.evaluation.test_xss import PAYLOADS, assert_harmless

pytestmark = pytest.mark.django_db

HOSTILE = (
    '<script>alert(1)</script><img src=x onerror="alert(2)"> <a href="javascript:alert(3)">x</a>'
)


@pytest.fixture
def thread(course_a, learner):
    return services.thread_create(
        author=learner, course=course_a, title="Apa itu SKP?", body="Mohon penjelasan."
    )


@pytest.fixture
def cohort_thread(course_a, cohort, member):
    return services.thread_create(
        author=member, course=course_a, cohort=cohort, title="Tugas minggu ini", body="Apa?"
    )


def _course_url(course):
    return reverse("discussions:course", args=[course.pk])


def _cohort_url(cohort):
    return reverse("discussions:cohort", args=[cohort.pk])


def _thread_url(thread):
    return reverse("discussions:thread", args=[thread.pk])


def test_anonymous_is_sent_to_sign_in(course_a):
    response = Client().get(_course_url(course_a))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    ("who", "course_page", "cohort_page"),
    [
        ("learner", 200, 404),
        ("member", 200, 200),
        ("trainer", 200, 200),
        ("moderator_a", 200, 200),
        ("moderator_b", 404, 404),
        ("editor_a", 404, 404),
        ("outsider", 404, 404),
    ],
)
def test_who_sees_the_course_and_cohort_discussions(
    request, client_for, course_a, cohort, who, course_page, cohort_page, thread, cohort_thread
):
    client = client_for(request.getfixturevalue(who))
    assert client.get(_course_url(course_a)).status_code == course_page
    assert client.get(_thread_url(thread)).status_code == course_page
    assert client.get(_cohort_url(cohort)).status_code == cohort_page
    assert client.get(_thread_url(cohort_thread)).status_code == cohort_page


def test_learner_asks_then_trainer_answers_and_learner_accepts(
    client_for, course_a, learner, trainer
):
    response = client_for(learner).post(
        _course_url(course_a), {"title": "Cara unggah bukti?", "body": "Di mana tombolnya?"}
    )
    thread = Thread.objects.get()
    assert response.status_code == 302 and response["Location"] == _thread_url(thread)
    client_for(trainer).post(_thread_url(thread), {"body": "Di menu Profil."})
    client_for(learner).post(_thread_url(thread), {"body": "Saya coba dulu."})
    answer = Post.objects.get(thread=thread, by_trainer=True)
    client_for(learner).post(reverse("discussions:accept", args=[thread.pk]), {"post": answer.pk})
    page = client_for(learner).get(_thread_url(thread)).text
    assert "Trainer's answer" in page and "Accepted" in page
    # The accepted answer comes first, before the later one.
    assert page.index("Di menu Profil.") < page.index("Saya coba dulu.")


def test_hostile_html_is_stored_as_typed_and_shown_escaped(client_for, thread, learner):
    client_for(learner).post(_thread_url(thread), {"body": HOSTILE + "\nhttps://bkn.go.id"})
    assert Post.objects.filter(body__startswith="<script>").exists()
    page = client_for(learner).get(_thread_url(thread)).text
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert 'href="javascript:' not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert '<a href="https://bkn.go.id" rel="nofollow">https://bkn.go.id</a>' in page
    assert "<br>" in page


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "Write your answer."),
        ("   \n  ", "Write your answer."),
        ("x" * (POST_MAX_LENGTH + 1), "Keep it to 10000 characters at most (this one has 10001)."),
    ],
)
def test_empty_or_huge_answer_is_refused_with_the_reason_tied_to_the_field(
    client_for, thread, learner, body, message
):
    response = client_for(learner).post(_thread_url(thread), {"body": body})
    assert response.status_code == 400
    assert message in response.text
    assert 'aria-invalid="true"' in response.text and 'href="#id_body"' in response.text
    assert Post.objects.filter(thread=thread).count() == 1


def test_empty_question_saves_no_thread(client_for, course_a, learner):
    response = client_for(learner).post(_course_url(course_a), {"title": "", "body": ""})
    assert response.status_code == 400
    assert "Give it a title." in response.text and "Write your question." in response.text
    assert not Thread.objects.exists()


def test_question_about_a_lesson_of_another_course_is_refused(
    client_for, course_a, course_b, learner
):
    other = LessonPage.objects.descendant_of(course_b).first()
    response = client_for(learner).post(
        _course_url(course_a), {"title": "T", "body": "B", "lesson": other.pk}
    )
    assert response.status_code == 400 and "Choose a lesson of this course." in response.text
    assert not Thread.objects.exists()


def test_answer_to_a_locked_thread_is_refused(client_for, thread, learner, trainer):
    client_for(trainer).post(reverse("discussions:lock", args=[thread.pk]), {"locked": "1"})
    response = client_for(learner).post(_thread_url(thread), {"body": "Satu lagi"})
    assert response.status_code == 400
    assert "This thread is locked: it takes no more answers." in response.text
    assert Post.objects.filter(thread=thread).count() == 1


def test_accepting_an_answer_of_another_thread_says_so(
    client_for, course_a, thread, learner, member
):
    other = services.thread_create(author=member, course=course_a, title="Lain", body="Lain")
    foreign = services.reply_create(thread=other, author=learner, body="Jawaban")
    client = client_for(learner)
    response = client.post(
        reverse("discussions:accept", args=[thread.pk]), {"post": foreign.pk}, follow=True
    )
    assert "This answer belongs to another thread." in response.text
    thread.refresh_from_db()
    assert thread.accepted_answer is None


def test_learner_cannot_lock_or_hide_through_the_pages(client_for, thread, member):
    client = client_for(member)
    assert client.post(reverse("discussions:lock", args=[thread.pk])).status_code == 404
    question = thread.posts.get()
    assert client.post(reverse("discussions:hide", args=[question.pk])).status_code == 404
    thread.refresh_from_db()
    question.refresh_from_db()
    assert not thread.is_locked and not question.is_hidden


def test_hidden_post_shows_as_hidden_to_others_and_in_full_to_moderators(
    client_for, thread, learner, member, trainer
):
    answer = services.reply_create(thread=thread, author=member, body="Teks yang disembunyikan")
    client_for(trainer).post(reverse("discussions:hide", args=[answer.pk]))
    assert (
        "This post was hidden by a moderator." in client_for(learner).get(_thread_url(thread)).text
    )
    assert "Teks yang disembunyikan" not in client_for(learner).get(_thread_url(thread)).text
    assert "Teks yang disembunyikan" in client_for(trainer).get(_thread_url(thread)).text
    assert "Teks yang disembunyikan" in client_for(member).get(_thread_url(thread)).text


def test_report_reaches_the_moderators_list_and_keeping_settles_it(
    client_for, thread, learner, member, moderator_a, moderator_b
):
    answer = services.reply_create(thread=thread, author=member, body="Jual pulsa murah")
    url = reverse("discussions:report", args=[answer.pk])
    assert client_for(learner).post(url, {"reason": ""}).status_code == 400
    client_for(learner).post(url, {"reason": "Iklan, bukan jawaban."})
    report = Report.objects.get()
    listing = client_for(moderator_a).get(reverse("discussions:reports")).text
    assert "Iklan, bukan jawaban." in listing and "Jual pulsa murah" in listing
    assert (
        "Iklan, bukan jawaban."
        not in client_for(moderator_b).get(reverse("discussions:reports")).text
    )
    assert client_for(member).get(reverse("discussions:reports")).status_code == 404
    client_for(moderator_a).post(reverse("discussions:report_dismiss", args=[report.pk]))
    report.refresh_from_db()
    assert report.resolved_at is not None


def test_trainer_announces_to_the_cohort_and_it_shows_on_top(
    client_for, cohort, trainer, member, mailoutbox, django_capture_on_commit_callbacks
):
    url = reverse("discussions:announcement_create", args=[cohort.pk])
    assert client_for(member).get(url).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(trainer).post(url, {"title": "Libur", "body": "Kamis libur."})
    assert response.status_code == 302
    assert Announcement.objects.count() == 1 and len(mailoutbox) == 1
    page = client_for(member).get(_cohort_url(cohort)).text
    assert page.index("Kamis libur.") < page.index('id="threads-title"')


def test_posting_too_fast_is_refused(settings, client_for, thread, learner):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "discussion_post": "2/m/user"}
    client = client_for(learner)
    for n in range(2):
        assert client.post(_thread_url(thread), {"body": f"Jawaban {n}"}).status_code == 302
    assert client.post(_thread_url(thread), {"body": "Jawaban 3"}).status_code == 429
    assert Post.objects.filter(thread=thread).count() == 3


def test_errors_are_in_indonesian_and_in_english_under_en(settings, client_for, thread, learner):
    settings.LANGUAGE_CODE = "id"
    clear_url_caches()
    translation.activate("id")
    client = client_for(learner)
    url = _thread_url(thread)
    assert "Tulis jawaban Anda." in client.post(url, {"body": ""}).text
    assert "Write your answer." in client.post("/en" + url, {"body": ""}).text


def test_links_lead_to_the_discussions(client_for, course_a, cohort, member, trainer):
    course_page = client_for(member).get(course_a.url).text
    assert _course_url(course_a) in course_page and _cohort_url(cohort) in course_page
    cohort_page = client_for(trainer).get(reverse("cohorts:detail", args=[cohort.pk])).text
    assert _cohort_url(cohort) in cohort_page


@pytest.mark.parametrize("payload", PAYLOADS)
def test_xss_payloads_are_shown_as_typed_everywhere(
    payload, client_for, course_a, cohort, member, trainer, moderator_a
):
    thread = services.thread_create(
        author=member, course=course_a, cohort=cohort, title=payload, body=payload
    )
    answer = services.reply_create(thread=thread, author=member, body=f"{payload}\n{payload}")
    services.report_create(post=answer, reporter=trainer, reason=payload)
    services.announcement_create(cohort=cohort, author=trainer, title=payload, body=payload)
    pages = [
        client_for(member).get(_cohort_url(cohort)).text,
        client_for(member).get(_thread_url(thread)).text,
        client_for(member).get(reverse("discussions:report", args=[answer.pk])).text,
        client_for(moderator_a).get(reverse("discussions:reports")).text,
    ]
    for page in pages:
        assert_harmless(page, shows=[payload])


def test_moderators_find_the_reports_from_the_admin_and_the_trainers_dashboard(
    client_for, trainer, moderator_a, editor_a, cohort
):
    reports = reverse("discussions:reports")
    assert reports in client_for(moderator_a).get(reverse("wagtailadmin_home")).text
    assert reports not in client_for(editor_a).get(reverse("wagtailadmin_home")).text
    assert reports in client_for(trainer).get(reverse("cohorts:dashboard")).text


def test_a_post_without_any_field_gets_the_errors_and_saves_nothing(
    client_for, course_a, thread, learner
):
    client = client_for(learner)
    response = client.post(_course_url(course_a))
    assert response.status_code == 400 and "Write your question." in response.text
    response = client.post(_thread_url(thread))
    assert response.status_code == 400 and "Write your answer." in response.text
    assert Thread.objects.count() == 1 and Post.objects.count() == 1
