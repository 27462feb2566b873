"""What a person wrote and received in discussions is in their data download, and nothing of
anyone else's."""

import pytest
from django.urls import reverse

from discussions import services
from discussions.models import Report
from privacy.data_export import personal_data
from privacy.erasure import ERASED_THREAD_TITLE, account_erase

pytestmark = pytest.mark.django_db


def test_data_download_holds_own_posts_reports_and_announcements(
    course_a, cohort, trainer, member, other_member, django_capture_on_commit_callbacks
):
    thread = services.thread_create(
        author=member, course=course_a, cohort=cohort, title="Tugas?", body="Kapan tenggatnya?"
    )
    answer = services.reply_create(thread=thread, author=other_member, body="Jumat depan.")
    services.report_create(post=answer, reporter=member, reason="Belum pasti.")
    with django_capture_on_commit_callbacks(execute=True):
        services.announcement_create(
            cohort=cohort, author=trainer, title="Tenggat", body="Tenggat tugas Jumat."
        )

    data = personal_data(member)
    assert [
        (row["thread__title"], row["body"], row["is_question"]) for row in data["discussion_posts"]
    ] == [("Tugas?", "Kapan tenggatnya?", True)]
    assert [row["reason"] for row in data["discussion_reports"]] == ["Belum pasti."]
    assert [row["announcement__title"] for row in data["announcements_received"]] == ["Tenggat"]
    assert data["announcements_received"][0]["sent_at"] is not None
    assert data["announcements_posted"] == []
    assert [row["title"] for row in personal_data(trainer)["announcements_posted"]] == ["Tenggat"]
    assert [row["body"] for row in personal_data(other_member)["discussion_posts"]] == [
        "Jumat depan."
    ]


def test_erasure_blanks_the_persons_text_and_keeps_the_thread_for_the_others(
    client_for, course_a, cohort, trainer, member, other_member
):
    thread = services.thread_create(
        author=member, course=course_a, cohort=cohort, title="Nomor HP saya 0812", body="Rahasia"
    )
    answer = services.reply_create(thread=thread, author=other_member, body="Jawaban tetap.")
    services.report_create(post=answer, reporter=member, reason="Alasan pribadi")
    account_erase(user=member)

    page = client_for(other_member).get(reverse("discussions:thread", args=[thread.pk])).text
    assert "0812" not in page and "Rahasia" not in page and "Anggota Satu" not in page
    assert ERASED_THREAD_TITLE in page and "Jawaban tetap." in page
    assert "This post was deleted at its author's request." in page
    assert list(Report.objects.values_list("reason", flat=True)) == [""]
