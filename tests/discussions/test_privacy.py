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


def _community_life(provider_a, member, other_member, trainer):
    from datetime import timedelta
    from decimal import Decimal

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from discussions import communities
    from discussions.models import Community, Membership

    community = Community.objects.create(
        name="Komunitas Pranata Komputer", slug="prakom", occupational_group="Pranata Komputer"
    )
    community.moderators.add(trainer)
    for user in (member, other_member):
        communities.community_join(community=community, user=user)
    Membership.objects.filter(user=member).update(joined_at=timezone.now() - timedelta(days=30))
    services.thread_create(author=member, community=community, title="Topik saya", body="Isi")
    resource = communities.resource_create(
        community=community,
        author=member,
        title="Catatan saya",
        file=SimpleUploadedFile("catatan.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"),
    )
    communities.event_create(
        community=community,
        author=trainer,
        title="Temu",
        starts_at=timezone.now() + timedelta(days=2),
        ends_at=timezone.now() + timedelta(days=2, hours=1),
        place="Aula",
    )
    today = timezone.localdate()
    communities.participation_claim(
        community=community,
        member=member,
        start_date=today - timedelta(days=10),
        end_date=today,
        hours=Decimal("4"),
        report="Saya mengikuti diskusi tentang keamanan jaringan dan menulis catatan.",
    )
    return community, resource


def test_data_download_holds_the_persons_communities(
    provider_a, course_a, cohort, trainer, member, other_member
):
    _community_life(provider_a, member, other_member, trainer)
    data = personal_data(member)
    assert [row["community__name"] for row in data["communities"]["member_of"]] == [
        "Komunitas Pranata Komputer"
    ]
    assert [row["title"] for row in data["community_resources"]] == ["Catatan saya"]
    assert data["community_claims"][0]["report"].startswith("Saya mengikuti")
    assert [row["thread__community__name"] for row in data["discussion_posts"]] == [
        "Komunitas Pranata Komputer"
    ]
    moderator_data = personal_data(trainer)
    assert [row["name"] for row in moderator_data["communities"]["moderator_of"]] == [
        "Komunitas Pranata Komputer"
    ]
    assert [row["title"] for row in moderator_data["community_events"]] == ["Temu"]
    assert personal_data(other_member)["community_resources"] == []


def test_erasure_ends_memberships_deletes_shared_files_and_blanks_claims(
    provider_a,
    course_a,
    cohort,
    trainer,
    member,
    other_member,
    django_capture_on_commit_callbacks,
):
    from discussions.models import CommunityResource, Membership, ParticipationClaim

    community, resource = _community_life(provider_a, member, other_member, trainer)
    storage, name = resource.file.storage, resource.file.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        account_erase(user=member)
    assert not Membership.objects.filter(user=member).exists()
    assert not CommunityResource.objects.exists() and not storage.exists(name)
    assert list(ParticipationClaim.objects.values_list("report", flat=True)) == [""]
    assert Membership.objects.filter(user=other_member, community=community).exists()
    account_erase(user=trainer)
    assert not community.moderators.exists()
