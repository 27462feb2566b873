"""Mentions and the notifications of discussions: `@Full Name` resolved only among the people
who can see the discussion; answers, replies, accepted answers and announcements notify."""

import pytest

from discussions import communities, services
from discussions.mentions import MENTIONS_MAX, mention_candidates, mentioned_users
from discussions.models import Community
from discussions.selectors import thread_viewers, viewers_of
from learners.factories import UserFactory
from learners.services import enrollment_create
from notifications.models import Notification


@pytest.fixture
def community(provider_a):
    return Community.objects.create(
        name="Komunitas Perencana", slug="perencana", occupational_group="Perencana"
    )


def _join(community, **fields):
    user = UserFactory(**fields)
    communities.community_join(community=community, user=user)
    return user


def _kinds(user) -> list[str]:
    return list(
        Notification.objects.filter(recipient=user).order_by("pk").values_list("kind", flat=True)
    )


def test_candidates_are_the_words_after_each_at_longest_first():
    assert mention_candidates("Terima kasih @Budi Santoso, benar.") == [
        ["Budi Santoso, benar.", "Budi Santoso, benar", "Budi Santoso,", "Budi Santoso", "Budi"]
    ]
    assert mention_candidates("surat ke budi@instansi.go.id") == []  # an e-mail address
    assert mention_candidates("@Ani\n@Budi") == [["Ani"], ["Budi"]]  # one line each
    assert len(mention_candidates(" ".join(f"@u{n}" for n in range(30)))) == MENTIONS_MAX


def test_longest_name_wins_and_case_does_not_matter(community):
    budi = _join(community, full_name="Budi")
    budi_santoso = _join(community, full_name="Budi Santoso")
    viewers = viewers_of(community=community)
    assert mentioned_users("Halo @budi santoso!", viewers=viewers) == [budi_santoso]
    assert mentioned_users("Halo @Budi, apa kabar", viewers=viewers) == [budi]


def test_people_who_cannot_see_the_discussion_are_never_resolved(community):
    _join(community, full_name="Anggota Komunitas")
    stranger = UserFactory(full_name="Orang Asing")
    viewers = viewers_of(community=community)
    assert mentioned_users("@Orang Asing lihat ini", viewers=viewers) == []
    assert stranger not in viewers


def test_resolution_is_one_query_whatever_the_mentions(community, django_assert_num_queries):
    for n in range(5):
        _join(community, full_name=f"Anggota Nomor {n}")
    text = " ".join(f"@Anggota Nomor {n}" for n in range(5))
    with django_assert_num_queries(1):
        assert len(mentioned_users(text, viewers=viewers_of(community=community))) == 5
    with django_assert_num_queries(0):
        assert mentioned_users("tanpa sebutan", viewers=viewers_of(community=community)) == []


def test_course_viewers_are_participants_trainers_and_organization_moderators(
    course_a, cohort, member, trainer, moderator_a, moderator_b, outsider
):
    learner = UserFactory(full_name="Peserta Mandiri")
    enrollment_create(user=learner, course=course_a)
    course_viewers = set(viewers_of(course=course_a))
    assert {learner, member, trainer, moderator_a} <= course_viewers
    assert not {moderator_b, outsider} & course_viewers
    cohort_viewers = set(viewers_of(course=course_a, cohort=cohort))
    assert {member, trainer, moderator_a} <= cohort_viewers
    assert learner not in cohort_viewers


def test_mentioned_members_are_told_once_and_outsiders_never(community, outsider):
    writer = _join(community, full_name="Penulis Topik")
    reader = _join(community, full_name="Sari Wulandari")
    outsider.full_name = "Orang Luar"
    outsider.save()
    thread = services.thread_create(
        author=writer,
        community=community,
        title="Rapat",
        body="@Sari Wulandari dan @Orang Luar, lihat. Lagi: @Sari Wulandari.",
    )
    [notification] = Notification.objects.filter(kind=Notification.Kind.MENTION)
    assert notification.recipient == reader and notification.actor == writer
    assert notification.subject == "Rapat" and notification.url.startswith(
        f"/diskusi/topik/{thread.pk}/"
    )
    assert _kinds(outsider) == []


def test_reply_in_a_community_tells_the_starter_and_repliers_once(community):
    starter = _join(community, full_name="Pembuka")
    first = _join(community, full_name="Penjawab Pertama")
    second = _join(community, full_name="Penjawab Kedua")
    thread = services.thread_create(author=starter, community=community, title="T", body="?")
    services.reply_create(thread=thread, author=first, body="Satu")
    assert _kinds(starter) == [Notification.Kind.REPLY]
    # Mentioned and a follower: told once, of the reply.
    services.reply_create(thread=thread, author=second, body="Dua, @Pembuka")
    assert _kinds(starter) == [Notification.Kind.REPLY, Notification.Kind.REPLY]
    assert _kinds(first) == [Notification.Kind.REPLY]
    assert _kinds(second) == []


def test_a_follower_who_left_is_not_told(community):
    starter = _join(community, full_name="Pembuka")
    replier = _join(community, full_name="Penjawab")
    thread = services.thread_create(author=starter, community=community, title="T", body="?")
    communities.community_leave(community=community, user=starter)
    services.reply_create(thread=thread, author=replier, body="Jawab")
    assert _kinds(starter) == []


def test_answer_and_accepted_in_a_course(course_a, member, trainer):
    thread = services.thread_create(author=member, course=course_a, title="Tanya", body="?")
    answer = services.reply_create(thread=thread, author=trainer, body="Jawab")
    assert _kinds(member) == [Notification.Kind.ANSWER]
    services.answer_accept(thread=thread, post=answer, user=member)
    services.answer_accept(thread=thread, post=answer, user=member)  # again: not told twice
    assert _kinds(trainer) == [Notification.Kind.ACCEPTED]
    # The asker answering their own question is not told of it.
    services.reply_create(thread=thread, author=member, body="Terima kasih")
    assert _kinds(member) == [Notification.Kind.ANSWER]


def test_announcement_tells_every_member(cohort, trainer, member, other_member):
    services.announcement_create(cohort=cohort, author=trainer, title="Libur", body="Besok libur.")
    assert _kinds(member) == _kinds(other_member) == [Notification.Kind.ANNOUNCEMENT]
    assert _kinds(trainer) == []


def test_thread_viewers_follow_the_thread(community, course_a, member):
    writer = _join(community, full_name="Penulis")
    topic = services.thread_create(author=writer, community=community, title="T", body="?")
    assert list(thread_viewers(topic)) == [writer]
    question = services.thread_create(author=member, course=course_a, title="Q", body="?")
    assert member in thread_viewers(question)
