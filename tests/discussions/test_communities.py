"""Communities of practice: who sees and does what, topics moderated like every discussion,
resources (links and allow-listed private files), events, and participation claimed as a
development record."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from content.factories import CompetencyFactory
from development.models import DevelopmentRecord
from discussions import communities, services
from discussions.errors import DiscussionError
from discussions.models import (
    Community,
    CommunityResource,
    Membership,
    ParticipationClaim,
    Post,
    Report,
    Thread,
)
from discussions.permissions import community_access, moderates_anything
from learners.factories import UserFactory

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"


@pytest.fixture
def community(provider_a):
    return Community.objects.create(
        name="Komunitas Analis Kebijakan",
        slug="analis-kebijakan",
        competency=CompetencyFactory(),
        occupational_group="Analis Kebijakan",
        organization=provider_a,
    )


@pytest.fixture
def community_moderator(community):
    user = UserFactory(email="moderator.komunitas@instansi.go.id", full_name="Moderator Komunitas")
    community.moderators.add(user)
    return user


@pytest.fixture
def participant(community):
    user = UserFactory(email="anggota.komunitas@instansi.go.id", full_name="Sari Wulandari")
    communities.community_join(community=community, user=user)
    return user


@pytest.fixture
def second_participant(community):
    user = UserFactory(email="anggota2.komunitas@instansi.go.id", full_name="Budi Santoso")
    communities.community_join(community=community, user=user)
    return user


@pytest.fixture
def topic(community, participant):
    return services.thread_create(
        author=participant, community=community, title="Metode RIA", body="Siapa pernah pakai?"
    )


def _url(name, *args):
    return reverse(f"discussions:{name}", args=args)


# Roles -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "can_view", "moderator"),
    [
        ("participant", True, False),
        ("community_moderator", True, True),
        ("moderator_a", True, True),  # moderators of the community's organization
        ("moderator_b", False, False),
        ("editor_a", False, False),
        ("outsider", False, False),
    ],
)
def test_community_access_by_role(request, community, who, can_view, moderator):
    access = community_access(request.getfixturevalue(who), community=community)
    assert (access.can_view, access.moderator) == (can_view, moderator)
    assert not access.trainer


def test_platform_admin_moderates_every_community(community):
    admin = UserFactory(is_superuser=True)
    assert community_access(admin, community=community).moderator


def test_community_moderator_has_a_reports_page(community_moderator, outsider):
    assert moderates_anything(community_moderator)
    assert not moderates_anything(outsider)


def test_a_thread_belongs_to_a_course_or_a_community_never_both(course_a, community, participant):
    with pytest.raises(ValueError):
        services.thread_create(
            author=participant, course=course_a, community=community, title="x", body="y"
        )
    with pytest.raises(ValueError):
        services.thread_create(author=participant, title="x", body="y")


# Joining, topics, moderation ---------------------------------------------------------------


def test_anyone_signed_in_joins_once_and_leaves(community, outsider):
    communities.community_join(community=community, user=outsider)
    communities.community_join(community=community, user=outsider)
    assert Membership.objects.filter(community=community, user=outsider).count() == 1
    assert community_access(outsider, community=community).can_post
    communities.community_leave(community=community, user=outsider)
    assert not community_access(outsider, community=community).can_view


def test_inactive_community_cannot_be_joined(community, outsider):
    community.active = False
    community.save()
    with pytest.raises(DiscussionError):
        communities.community_join(community=community, user=outsider)


def test_non_member_cannot_open_a_topic(community, outsider):
    with pytest.raises(DiscussionError):
        services.thread_create(author=outsider, community=community, title="x", body="y")
    assert not Thread.objects.exists()


def test_member_opens_a_topic_and_another_replies(topic, second_participant):
    post = services.reply_create(thread=topic, author=second_participant, body="Saya pernah.")
    topic.refresh_from_db()
    assert topic.answer_count == 1 and not post.by_trainer
    assert topic.community_id and topic.course_id is None


def test_community_moderator_hides_and_locks_and_sees_the_reports(
    topic, participant, second_participant, community_moderator, moderator_b
):
    reply = services.reply_create(thread=topic, author=second_participant, body="Iklan!")
    report = services.report_create(post=reply, reporter=participant, reason="Spam")
    from discussions.selectors import open_reports_for

    assert list(open_reports_for(community_moderator)) == [report]
    assert list(open_reports_for(moderator_b)) == []
    with pytest.raises(DiscussionError):
        services.post_hide(post=reply, moderator=participant)
    services.post_hide(post=reply, moderator=community_moderator)
    assert Report.objects.get().resolved_at is not None
    services.thread_lock(thread=topic, moderator=community_moderator)
    with pytest.raises(DiscussionError):
        services.reply_create(thread=topic, author=participant, body="Lagi")


# Pages and the permission of each ----------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "topics", "thread", "resources", "events", "claim", "reports"),
    [
        ("participant", True, 200, 200, 200, 200, 404),
        ("community_moderator", True, 200, 200, 200, 404, 200),
        ("moderator_a", True, 200, 200, 200, 404, 200),
        ("moderator_b", False, 404, 404, 404, 404, 200),
        ("outsider", False, 404, 404, 404, 404, 404),
    ],
)
def test_community_pages_by_role(
    request, client_for, community, topic, who, topics, thread, resources, events, claim, reports
):
    client = client_for(request.getfixturevalue(who))
    response = client.get(_url("community", community.slug))
    assert response.status_code == 200  # everyone signed in sees what it is and may join
    assert (topic.title in response.content.decode()) is topics
    assert client.get(_url("thread", topic.pk)).status_code == thread
    assert client.get(_url("community_resources", community.slug)).status_code == resources
    assert client.get(_url("community_events", community.slug)).status_code == events
    assert client.get(_url("community_claim", community.slug)).status_code == claim
    assert client.get(_url("reports")).status_code == reports


def test_signed_out_people_are_sent_to_sign_in(client, community):
    for url in (_url("communities"), _url("community", community.slug)):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_list_shows_active_communities_with_membership(client_for, community, participant):
    Community.objects.create(name="Tutup", slug="tutup", occupational_group="X", active=False)
    response = client_for(participant).get(_url("communities"))
    assert response.status_code == 200
    assert community.name in response.content.decode()
    assert "Tutup" not in response.content.decode()
    assert response.context["page_obj"][0].is_member


def test_join_then_post_a_topic_through_the_pages(client_for, community, outsider):
    client = client_for(outsider)
    assert (
        client.post(_url("community", community.slug), {"title": "a", "body": "b"}).status_code
        == 404
    )
    client.post(_url("community_join", community.slug))
    response = client.post(
        _url("community", community.slug), {"title": "Halo", "body": "Perkenalan <b>saya</b>"}
    )
    thread = Thread.objects.get(community=community)
    assert response["Location"] == _url("thread", thread.pk)
    page = client.get(_url("thread", thread.pk)).content.decode()
    assert "&lt;b&gt;saya&lt;/b&gt;" in page  # plain text, shown escaped
    client.post(_url("community_leave", community.slug))
    assert client.get(_url("thread", thread.pk)).status_code == 404


def test_empty_topic_is_a_400_with_errors(client_for, community, participant):
    response = client_for(participant).post(_url("community", community.slug), {"title": ""})
    assert response.status_code == 400
    assert not Thread.objects.exists()


def test_join_and_leave_take_only_post(client_for, community, outsider):
    client = client_for(outsider)
    assert client.get(_url("community_join", community.slug)).status_code == 405
    assert client.get(_url("community_leave", community.slug)).status_code == 405


# Resources ---------------------------------------------------------------------------------


def test_member_shares_a_link(community, participant):
    resource = communities.resource_create(
        community=community, author=participant, title="Panduan RIA", url="https://lan.go.id/ria"
    )
    assert resource.url and not resource.file


def test_resource_needs_exactly_a_link_or_a_file(community, participant):
    with pytest.raises(ValidationError):
        communities.resource_create(community=community, author=participant, title="Kosong")
    with pytest.raises(ValidationError):
        communities.resource_create(
            community=community,
            author=participant,
            title="Dua",
            url="https://lan.go.id",
            file=SimpleUploadedFile("a.pdf", PDF),
        )
    assert not CommunityResource.objects.exists()


def test_file_of_a_wrong_type_or_renamed_is_refused(community, participant):
    for name, content in (("skrip.exe", b"MZ"), ("palsu.pdf", b"<html>not a pdf</html>")):
        with pytest.raises(ValidationError) as refused:
            communities.resource_create(
                community=community,
                author=participant,
                title="Berkas",
                file=SimpleUploadedFile(name, content),
            )
        assert "file" in refused.value.error_dict
    assert not CommunityResource.objects.exists()


def test_non_member_cannot_share(community, outsider):
    with pytest.raises(DiscussionError):
        communities.resource_create(
            community=community, author=outsider, title="x", url="https://lan.go.id"
        )


def test_file_is_downloaded_by_members_only_and_hidden_by_moderators(
    client_for, community, participant, community_moderator, outsider
):
    response = client_for(participant).post(
        _url("community_resources", community.slug),
        {"title": "Materi", "file": SimpleUploadedFile("materi.pdf", PDF)},
    )
    assert response.status_code == 302
    resource = CommunityResource.objects.get()
    assert resource.content_type == "application/pdf" and resource.original_name == "materi.pdf"
    download = client_for(participant).get(_url("resource_download", resource.pk))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Cache-Control"] == "private, no-store"
    assert client_for(outsider).get(_url("resource_download", resource.pk)).status_code == 404
    assert client_for(participant).post(_url("resource_hide", resource.pk)).status_code == 404
    client_for(community_moderator).post(_url("resource_hide", resource.pk))
    resource.refresh_from_db()
    assert resource.hidden_at is not None
    assert client_for(participant).get(_url("resource_download", resource.pk)).status_code == 404
    assert (
        client_for(community_moderator).get(_url("resource_download", resource.pk)).status_code
        == 200
    )


def test_resource_form_with_a_bad_file_is_a_400(client_for, community, participant):
    response = client_for(participant).post(
        _url("community_resources", community.slug),
        {"title": "Materi", "file": SimpleUploadedFile("virus.exe", b"MZ")},
    )
    assert response.status_code == 400
    assert "file" in response.context["form"].errors


# Events ------------------------------------------------------------------------------------


def _event(community, author, **kwargs):
    starts = timezone.now() + timedelta(days=3)
    fields = {
        "title": "Temu bulanan",
        "starts_at": starts,
        "ends_at": starts + timedelta(hours=2),
        "place": "",
        "link": "https://meet.example.go.id/temu",
    }
    fields.update(kwargs)
    return communities.event_create(community=community, author=author, **fields)


def test_moderator_announces_an_event(community, community_moderator):
    assert _event(community, community_moderator).pk


def test_member_cannot_announce_an_event(community, participant, client_for):
    with pytest.raises(DiscussionError):
        _event(community, participant)
    response = client_for(participant).post(_url("community_events", community.slug), {})
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"starts_at": timezone.now() - timedelta(days=1)}, "starts_at"),
        ({"ends_at": timezone.now() + timedelta(days=1)}, "ends_at"),
        ({"link": "", "place": ""}, "place"),
    ],
)
def test_event_in_the_past_backwards_or_nowhere_is_refused(
    community, community_moderator, changes, field
):
    with pytest.raises(ValidationError) as refused:
        _event(community, community_moderator, **changes)
    assert field in refused.value.error_dict


def test_event_form_posts_and_lists(client_for, community, community_moderator, participant):
    starts = timezone.localtime() + timedelta(days=5)
    response = client_for(community_moderator).post(
        _url("community_events", community.slug),
        {
            "title": "Diskusi daring",
            "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (starts + timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "place": "Gedung A, Jakarta",
        },
    )
    assert response.status_code == 302
    page = client_for(participant).get(_url("community_events", community.slug))
    assert "Diskusi daring" in page.content.decode()


# Participation claims ----------------------------------------------------------------------


def _joined_days_ago(participant, community, days):
    Membership.objects.filter(user=participant, community=community).update(
        joined_at=timezone.now() - timedelta(days=days)
    )


def _claim(community, member, start, end, hours="6", report=None):
    return communities.participation_claim(
        community=community,
        member=member,
        start_date=start,
        end_date=end,
        hours=Decimal(hours),
        report=report or "Saya mengikuti tiga diskusi dan membagikan panduan analisis dampak.",
    )


def test_member_claims_a_period_as_a_community_record(community, participant):
    _joined_days_ago(participant, community, 40)
    today = timezone.localdate()
    claim = _claim(community, participant, today - timedelta(days=30), today - timedelta(days=1))
    record = claim.record
    assert record.form.code == "komunitas-belajar"
    assert record.status == DevelopmentRecord.Status.SUBMITTED
    assert record.owner == participant and record.hours == Decimal("6.00")
    assert record.evidence_url.endswith(_url("community", community.slug))
    assert record.evidence_url in record.report and record.organizer == community.name


def test_non_member_cannot_claim(community, outsider):
    today = timezone.localdate()
    with pytest.raises(DiscussionError):
        _claim(community, outsider, today - timedelta(days=2), today)
    assert not DevelopmentRecord.objects.exists()


@pytest.mark.parametrize(
    ("start_ago", "end_ago", "hours", "field"),
    [
        (3, 1, "13", "hours"),  # 3 days, at most 4 hours a day
        (200, 1, "10", "end_date"),  # longer than a claim's period
        (60, 1, "10", "start_date"),  # before joining (joined 40 days ago)
    ],
)
def test_implausible_claims_are_refused(community, participant, start_ago, end_ago, hours, field):
    _joined_days_ago(participant, community, 40 if start_ago != 200 else 400)
    today = timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        _claim(
            community,
            participant,
            today - timedelta(days=start_ago),
            today - timedelta(days=end_ago),
            hours=hours,
        )
    assert field in refused.value.error_dict
    assert not DevelopmentRecord.objects.exists()


def test_overlapping_claims_are_refused_until_the_first_is_rejected(community, participant):
    _joined_days_ago(participant, community, 40)
    today = timezone.localdate()
    first = _claim(community, participant, today - timedelta(days=20), today - timedelta(days=10))
    with pytest.raises(ValidationError) as refused:
        _claim(community, participant, today - timedelta(days=12), today - timedelta(days=2))
    assert "start_date" in refused.value.error_dict
    DevelopmentRecord.objects.filter(pk=first.record_id).update(
        status=DevelopmentRecord.Status.REJECTED
    )
    _claim(community, participant, today - timedelta(days=12), today - timedelta(days=2))
    assert ParticipationClaim.objects.count() == 2


def test_claim_with_a_short_report_is_refused(community, participant):
    today = timezone.localdate()
    with pytest.raises(ValidationError):
        _claim(community, participant, today, today, hours="1", report="Ikut.")
    assert not DevelopmentRecord.objects.exists()


def test_claim_form_records_and_redirects_to_the_record(client_for, community, participant):
    _joined_days_ago(participant, community, 10)
    today = timezone.localdate()
    response = client_for(participant).post(
        _url("community_claim", community.slug),
        {
            "start_date": (today - timedelta(days=7)).isoformat(),
            "end_date": today.isoformat(),
            "hours": "5",
            "report": "Saya menjawab dua pertanyaan dan menghadiri satu temu daring komunitas.",
        },
    )
    claim = ParticipationClaim.objects.get()
    assert response["Location"] == reverse("development:record_detail", args=[claim.record_id])
    bad = client_for(participant).post(
        _url("community_claim", community.slug),
        {
            "start_date": today.isoformat(),
            "end_date": today.isoformat(),
            "hours": "9",
            "report": "x" * 60,
        },
    )
    assert bad.status_code == 400 and "hours" in bad.context["form"].errors


def test_topic_posts_remain_plain_text(community, participant):
    thread = services.thread_create(
        author=participant, community=community, title="t", body="<script>alert(1)</script>"
    )
    assert Post.objects.get(thread=thread).body == "<script>alert(1)</script>"


def test_hostile_markup_in_a_resource_is_shown_as_typed(client_for, community, participant):
    communities.resource_create(
        community=community,
        author=participant,
        title='<img src=x onerror="alert(1)">',
        description="<script>alert(1)</script> lihat https://lan.go.id",
        url="https://lan.go.id/panduan",
    )
    page = client_for(participant).get(_url("community_resources", community.slug)).content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert '<img src=x onerror="alert(1)">' not in page
    assert '<a href="https://lan.go.id"' in page  # links in the text are kept


def test_a_javascript_link_is_refused(community, participant):
    with pytest.raises(ValidationError):
        communities.resource_create(
            community=community, author=participant, title="x", url="javascript:alert(1)"
        )


def test_only_moderators_cancel_an_event(client_for, community, community_moderator, participant):
    from discussions.models import CommunityEvent

    event = _event(community, community_moderator)
    url = _url("event_cancel", event.pk)
    assert client_for(participant).post(url).status_code == 404
    with pytest.raises(DiscussionError):
        communities.event_cancel(event=event, moderator=participant)
    assert client_for(community_moderator).get(url).status_code == 405
    response = client_for(community_moderator).post(url)
    assert response["Location"] == _url("community_events", community.slug)
    assert not CommunityEvent.objects.exists()
