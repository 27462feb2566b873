"""Invitations e-mailed with a signed link: sign-up (or sign-in) through it joins the cohort;
the cohort page lists them; its trainers alone resend and cancel them; they expire; reminders
reply to their trainer."""

import io
import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from cohorts.factories import CohortInvitationFactory
from cohorts.invitations import invitation_from_token, invitation_token
from cohorts.members import cohort_invite, cohort_members_add, invitations_create
from cohorts.models import CohortInvitation, CohortMembership
from cohorts.services import cohort_create, reminders_send
from learners.factories import PositionFactory, UserFactory, WorkUnitFactory
from tests.learners.test_accounts import signup_data
from tests.utils import count_queries

pytestmark = pytest.mark.django_db

INVITED = "baru@instansi.go.id"


@pytest.fixture
def org_a(provider_a):
    work_unit = WorkUnitFactory(organization=provider_a, name="Biro Sumber Daya Manusia")
    position = PositionFactory(organization=provider_a, name="Analis Kebijakan Ahli Muda")
    return provider_a, work_unit, position


@pytest.fixture
def invite(cohort, trainer, mailoutbox, django_capture_on_commit_callbacks):
    """Invite INVITED as the trainer, e-mail sent; returns the link's path."""
    with django_capture_on_commit_callbacks(execute=True):
        cohort_invite(cohort=cohort, nip="", email=INVITED, invited_by=trainer)
    return link_path(mailoutbox[-1])


def link_path(message) -> str:
    return re.search(r"https?://testserver(/undangan/\S+/)", message.body).group(1)


def members(cohort) -> list[str]:
    return sorted(
        CohortMembership.objects.filter(cohort=cohort).values_list(
            "enrollment__user__email", flat=True
        )
    )


def invitations_section(client, cohort) -> str:
    response = client.get(reverse("cohorts:detail", args=[cohort.pk]))
    assert response.status_code == 200
    return response.text.split('id="invitations-title"')[1].split("</section>")[0]


# Sending


def test_an_import_emails_each_new_address_its_link_with_the_trainer_as_reply_to(
    client_for, cohort, trainer, mailoutbox, django_capture_on_commit_callbacks
):
    UserFactory(email="budi@instansi.go.id")
    client = client_for(trainer)
    upload = io.BytesIO(b"nip;email\n;budi@instansi.go.id\n;Baru@Instansi.go.id\n")
    upload.name = "peserta.csv"
    checked = client.post(
        reverse("cohorts:learners_add", args=[cohort.pk]), {"upload": "1", "file": upload}
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(checked["Location"])

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [INVITED]
    assert message.reply_to == [trainer.email]
    assert cohort.name in message.subject and cohort.course.title in message.subject
    assert "Widyaiswara Satu" in message.body
    invitation = CohortInvitation.objects.get(cohort=cohort)
    # The token is signed with the time it was made: compare what it names, not its bytes
    # (a second may pass between the e-mail and this line).
    token = re.fullmatch(r"/undangan/([^/]+)/", link_path(message)).group(1)
    assert invitation_from_token(token) == invitation
    assert invitation.sent_at is not None and invitation.sent_by == trainer
    section = invitations_section(client, cohort)
    assert INVITED in section and "Waiting, valid until" in section


def test_an_invitation_by_nip_alone_is_listed_but_sends_nothing(
    client_for, cohort, trainer, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitations_create(cohort=cohort, people=[("198609262015052001", "")], created_by=trainer)
    assert mailoutbox == []
    section = invitations_section(client_for(trainer), cohort)
    assert "198609262015052001" in section and "joins on sign-up with this NIP" in section


def test_the_token_cannot_be_forged_or_altered(client, cohort, invite):
    token = invite.split("/")[2]
    for bad in (token[:-2] + "xx", "1", token.replace(":", ".")):
        response = client.get(f"/undangan/{bad}/")
        assert response.status_code == 404
        assert "This invitation link is not valid" in response.text
    other = CohortInvitationFactory(cohort=cohort, email="lain@instansi.go.id")
    # A valid signature for one invitation names that one only.
    assert invitation_token(other) != token


# Following the link


def test_signed_out_the_link_leads_to_sign_up_prefilled_then_joins(
    client, cohort, invite, org_a, settings, django_capture_on_commit_callbacks
):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    response = client.get(invite)
    assert response.status_code == 302
    signup_url = response["Location"]
    assert signup_url.startswith(reverse("account_signup"))
    page = client.get(signup_url)
    assert f'value="{INVITED}"' in page.text

    with django_capture_on_commit_callbacks(execute=True):
        signed_up = client.post(signup_url, {**signup_data(org_a, email=INVITED), "next": invite})
    # The link proved the address: no confirmation e-mail stands between them and the cohort.
    assert signed_up.status_code == 302 and signed_up["Location"] == invite
    with django_capture_on_commit_callbacks(execute=True):
        joined = client.get(invite)
    assert joined.status_code == 302
    assert members(cohort) == [INVITED]
    assert EmailAddress.objects.get(email=INVITED).verified
    invitation = CohortInvitation.objects.get()
    assert invitation.accepted_at and invitation.membership.enrollment.user.email == INVITED
    assert invitation.membership.via == CohortMembership.Via.INVITATION
    # The link followed again leads to the course, and the cohort page no longer lists it.
    assert client.get(invite).status_code == 302


def test_signed_out_with_an_account_already_the_link_leads_to_sign_in_then_joins(
    client, cohort, invite
):
    person = UserFactory(email=INVITED)
    response = client.get(invite)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "next=" in response["Location"]
    client.force_login(person)
    assert client.get(invite).status_code == 302
    assert members(cohort) == [INVITED]


def test_signed_in_with_the_invited_address_joins_directly_and_proves_it(
    client_for, cohort, invite
):
    person = UserFactory(email=INVITED)
    assert not EmailAddress.objects.filter(user=person, verified=True).exists()
    response = client_for(person).get(invite)
    assert response.status_code == 302
    assert response["Location"] == cohort.course.url
    assert members(cohort) == [INVITED]
    assert EmailAddress.objects.get(user=person, email=INVITED).verified


def test_a_wrong_account_is_told_which_address_the_invitation_is_for(client_for, cohort, invite):
    someone = UserFactory(email="orang.lain@instansi.go.id")
    response = client_for(someone).get(invite)
    assert response.status_code == 403
    assert "This invitation was sent to baru@instansi.go.id" in response.text
    assert "orang.lain@instansi.go.id" in response.text
    assert "Sign out and open the link again" in response.text
    assert members(cohort) == []
    assert CohortInvitation.objects.get().accepted_at is None


def test_an_expired_invitation_is_refused_shown_as_expired_and_frees_its_seat(
    client, client_for, cohort, trainer, invite
):
    cohort.capacity = 1
    cohort.save()
    CohortInvitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    response = client.get(invite)
    assert response.status_code == 410
    assert "This invitation expired on" in response.text
    person = UserFactory(email=INVITED)
    assert client_for(person).get(invite).status_code == 410
    assert members(cohort) == []
    assert "Expired on" in invitations_section(client_for(trainer), cohort)
    # Its seat is free again.
    cohort_members_add(cohort=cohort, users=[UserFactory()], added_by=trainer)


def test_a_cancelled_invitation_link_is_refused(client, client_for, cohort, trainer, invite):
    invitation = CohortInvitation.objects.get()
    client_for(trainer).post(
        reverse("cohorts:invitation_cancel", args=[cohort.pk]), {"invitation": invitation.pk}
    )
    assert not CohortInvitation.objects.exists()
    response = client.get(invite)
    assert response.status_code == 404
    assert "it was cancelled" in response.text


def test_inviting_again_after_expiry_replaces_the_old_invitation(
    cohort, trainer, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        cohort_invite(cohort=cohort, nip="", email=INVITED, invited_by=trainer)
    CohortInvitation.objects.update(expires_at=timezone.now() - timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        cohort_invite(cohort=cohort, nip="", email=INVITED, invited_by=trainer)
    invitation = CohortInvitation.objects.get()
    assert not invitation.is_expired
    assert len(mailoutbox) == 2 and link_path(mailoutbox[1]) != link_path(mailoutbox[0])


# Resend and cancel


def test_resend_renews_the_link_emails_it_again_and_is_audited(
    client_for, cohort, trainer, invite, mailoutbox, django_capture_on_commit_callbacks
):
    co_trainer = UserFactory(email="pelatih.dua@instansi.go.id", full_name="Pelatih Dua")
    cohort.trainers.add(co_trainer)
    CohortInvitation.objects.update(expires_at=timezone.now() - timedelta(days=1))
    invitation = CohortInvitation.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(co_trainer).post(
            reverse("cohorts:invitation_resend", args=[cohort.pk]), {"invitation": invitation.pk}
        )
    assert response.status_code == 302
    assert len(mailoutbox) == 2
    assert mailoutbox[1].reply_to == [co_trainer.email]
    invitation.refresh_from_db()
    assert invitation.expires_at > timezone.now() + timedelta(days=13)
    assert invitation.sent_by == co_trainer
    event = AuditEvent.objects.get(actor=co_trainer)
    assert event.action == AuditEvent.Action.ENROLLMENT_CHANGED
    assert event.detail == {
        "change": "invitation_resent",
        "cohort_id": cohort.pk,
        "invited": INVITED,
    }
    assert event.organization_id == cohort.course.provider_id


def test_cancel_frees_the_seat_and_is_audited(client_for, cohort, trainer, invite):
    invitation = CohortInvitation.objects.get()
    response = client_for(trainer).post(
        reverse("cohorts:invitation_cancel", args=[cohort.pk]), {"invitation": invitation.pk}
    )
    assert response.status_code == 302
    assert not CohortInvitation.objects.exists()
    event = AuditEvent.objects.filter(detail__change="invitation_cancelled").get()
    assert event.actor == trainer and event.detail["invited"] == INVITED


@pytest.fixture
def course_trainer_elsewhere(cohort, trainer):
    """A trainer of the course who does not train this cohort (they train another one)."""
    user = UserFactory(email="pelatih.kursus@instansi.go.id", trainer_of=cohort.course)
    cohort_create(
        course=cohort.course,
        name="Angkatan II",
        starts_on=cohort.starts_on,
        ends_on=cohort.ends_on,
        created_by=user,
    )
    return user


@pytest.mark.parametrize(
    "who", ["anonymous", "learner", "other_trainer", "course_trainer_elsewhere"]
)
@pytest.mark.parametrize("action", ["invitation_resend", "invitation_cancel"])
def test_resend_and_cancel_are_for_the_cohort_trainers_only(
    client, client_for, cohort, trainer, invite, mailoutbox, learners, request, who, action
):
    if who == "anonymous":
        as_who = client
    elif who == "learner":
        cohort_members_add(cohort=cohort, users=[learners[0]], added_by=trainer)
        as_who = client_for(learners[0])
    elif who == "other_trainer":
        as_who = client_for(request.getfixturevalue("other_trainer"))
    else:
        as_who = client_for(request.getfixturevalue("course_trainer_elsewhere"))
    invitation = CohortInvitation.objects.get()
    before = (invitation.expires_at, len(mailoutbox))
    response = as_who.post(
        reverse(f"cohorts:{action}", args=[cohort.pk]), {"invitation": invitation.pk}
    )
    assert response.status_code == (302 if who == "anonymous" else 404)
    if who == "anonymous":
        assert response["Location"].startswith(reverse("account_login"))
    invitation.refresh_from_db()
    assert (invitation.expires_at, len(mailoutbox)) == before
    assert not AuditEvent.objects.filter(detail__change__startswith="invitation_").exists()


@pytest.mark.parametrize("action", ["invitation_resend", "invitation_cancel"])
def test_resend_and_cancel_only_by_post(client_for, cohort, trainer, invite, action):
    response = client_for(trainer).get(reverse(f"cohorts:{action}", args=[cohort.pk]))
    assert response.status_code == 405
    assert CohortInvitation.objects.exists()


def test_an_invitation_of_another_cohort_cannot_be_resent_through_this_one(
    client_for, cohort, trainer, course_trainer_elsewhere
):
    elsewhere = course_trainer_elsewhere.trained_cohorts.get()
    invitation = CohortInvitationFactory(cohort=elsewhere, email="x@instansi.go.id")
    response = client_for(trainer).post(
        reverse("cohorts:invitation_cancel", args=[cohort.pk]), {"invitation": invitation.pk}
    )
    assert response.status_code == 404
    assert CohortInvitation.objects.filter(pk=invitation.pk).exists()


# Time and the cohort page


def test_the_daily_run_removes_invitations_long_expired(cohort, settings):
    now = timezone.now()
    days = timedelta(days=settings.LENTERA_INVITATION_DAYS)
    fresh = CohortInvitationFactory(cohort=cohort, email="a@instansi.go.id")
    recent = CohortInvitationFactory(
        cohort=cohort, email="b@instansi.go.id", expires_at=now - timedelta(days=1)
    )
    CohortInvitationFactory(
        cohort=cohort, email="c@instansi.go.id", expires_at=now - days - timedelta(days=1)
    )
    out = io.StringIO()
    call_command("lentera_daily", stdout=out)
    assert set(CohortInvitation.objects.values_list("pk", flat=True)) == {fresh.pk, recent.pk}
    assert "1 cohort invitation(s) expired and listed, 1 removed" in out.getvalue()


def test_cohort_page_queries_do_not_grow_with_invitations(client_for, cohort, trainer):
    client = client_for(trainer)
    url = reverse("cohorts:detail", args=[cohort.pk])
    invitations_create(cohort=cohort, people=[("", "a0@instansi.go.id")], created_by=trainer)
    small = count_queries(client, url)
    invitations_create(
        cohort=cohort,
        people=[("", f"a{n}@instansi.go.id") for n in range(1, 80)],
        created_by=trainer,
    )
    CohortInvitation.objects.filter(email__startswith="a1").update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    assert count_queries(client, url) == small


# Reminders


def test_reminders_reply_to_the_trainer_who_sent_them(
    cohort, trainer, learners, mailoutbox, django_capture_on_commit_callbacks
):
    cohort_members_add(cohort=cohort, users=learners, added_by=trainer)
    with django_capture_on_commit_callbacks(execute=True):
        reminders_send(cohort=cohort, learner_ids=[u.pk for u in learners], sent_by=trainer)
    assert len(mailoutbox) == 3
    assert {tuple(message.reply_to) for message in mailoutbox} == {(trainer.email,)}
    assert "reply to your trainer" in mailoutbox[0].body
