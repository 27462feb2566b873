"""A seat kept by an invitation goes to the person the trainer invited, never to whoever types
their NIP or e-mail address first (cohorts.members.invitations_accept)."""

import pytest
from django.urls import reverse

from cohorts.members import invitations_create
from cohorts.models import CohortInvitation, CohortMembership
from learners.factories import PositionFactory, UserFactory, WorkUnitFactory
from learners.membership import membership_decide
from learners.models import User
from tests.learners.test_accounts import signup_data
from tests.learners.test_identity import confirm_email_from_mail

pytestmark = pytest.mark.django_db

NIP = "198609262015052001"


@pytest.fixture
def org_a(provider_a):
    work_unit = WorkUnitFactory(organization=provider_a, name="Biro Sumber Daya Manusia")
    position = PositionFactory(organization=provider_a, name="Analis Kebijakan Ahli Muda")
    return provider_a, work_unit, position


@pytest.fixture
def hr(org_a):
    return UserFactory(email="sdm@instansi.go.id", admin_of=org_a[0])


def seat_holders(cohort) -> list[str]:
    return list(
        CohortMembership.objects.filter(cohort=cohort).values_list(
            "enrollment__user__email", flat=True
        )
    )


def test_an_invited_address_takes_its_seat_only_once_verified(
    client, cohort, trainer, org_a, mailoutbox, django_capture_on_commit_callbacks
):
    invitations_create(
        cohort=cohort, people=[("", "Siti.Rahmawati@instansi.go.id")], created_by=trainer
    )

    # Whatever runs once the sign-up commits runs here too.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_signup"), signup_data(org_a))
    assert seat_holders(cohort) == []
    assert CohortInvitation.objects.get().accepted_at is None

    with django_capture_on_commit_callbacks(execute=True):
        confirm_email_from_mail(client, mailoutbox)

    assert seat_holders(cohort) == ["siti.rahmawati@instansi.go.id"]


def test_someone_typing_an_invited_nip_takes_no_seat_and_the_owner_gets_it(
    client, cohort, trainer, org_a, hr, mailoutbox, django_capture_on_commit_callbacks
):
    """The impostor signs up first with the invited NIP and verifies their own address; the
    real owner signs up later with the same NIP (a claim, not a refusal). The seat stays free
    until the organization admin decides, and goes to the person they confirm."""
    invitations_create(cohort=cohort, people=[(NIP, "")], created_by=trainer)
    with django_capture_on_commit_callbacks(execute=True):
        impostor = client.post(
            reverse("account_signup"), signup_data(org_a, email="penyusup@contoh.com")
        )
        confirm_email_from_mail(client, mailoutbox)
    assert seat_holders(cohort) == []
    client.logout()
    owner = client.post(reverse("account_signup"), signup_data(org_a))
    confirm_email_from_mail(client, mailoutbox)

    assert (impostor.status_code, owner.status_code) == (302, 302)
    assert seat_holders(cohort) == []
    squatter = User.objects.get(email="penyusup@contoh.com")
    real = User.objects.get(email="siti.rahmawati@instansi.go.id")
    assert (squatter.nip, real.nip) == (NIP, None)
    claim = real.nip_claims.get()

    from learners.membership import nip_claim_decide

    with django_capture_on_commit_callbacks(execute=True):
        membership_decide(user=real, decided_by=hr, confirm=True)
        nip_claim_decide(claim=claim, decided_by=hr, give_to_claimant=True)
    with django_capture_on_commit_callbacks(execute=True):
        membership_decide(user=squatter, decided_by=hr, confirm=False)

    assert seat_holders(cohort) == ["siti.rahmawati@instansi.go.id"]


def test_an_invitation_with_an_address_needs_that_address_even_with_the_nip(
    client, cohort, trainer, org_a, hr, mailoutbox, django_capture_on_commit_callbacks
):
    invitations_create(cohort=cohort, people=[(NIP, "siti@kemenb.go.id")], created_by=trainer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_signup"), signup_data(org_a))
        confirm_email_from_mail(client, mailoutbox)
    person = User.objects.get(email="siti.rahmawati@instansi.go.id")

    with django_capture_on_commit_callbacks(execute=True):
        membership_decide(user=person, decided_by=hr, confirm=True)

    assert person.nip == NIP
    assert seat_holders(cohort) == []
