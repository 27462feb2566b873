"""Identity and organization membership: a NIP claimed twice goes to the organization admins,
no anonymous answer tells whether a NIP or an e-mail address has an account, and membership of
an organization counts only once confirmed (by an admin, a staff list, a verified staff e-mail
domain or the agency's sign-on)."""

import re
from decimal import Decimal

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache
from django.urls import reverse

from audit.models import AuditEvent
from learners import membership, staff_list
from learners.factories import (
    PositionFactory,
    UserFactory,
    WorkUnitFactory,
    completed_enrollment,
)
from learners.models import MembershipSource, MembershipStatus, NIPClaim, User
from tests.learners.test_accounts import OIDC_APP, en_url, field_errors, signup_data

pytestmark = pytest.mark.django_db

NIP = "198609262015052001"
OTHER_NIP = "197001012000122042"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def org_a(provider_a):
    """The organization, unit and position the sign-up form is filled in with."""
    work_unit = WorkUnitFactory(organization=provider_a, name="Biro Sumber Daya Manusia")
    position = PositionFactory(organization=provider_a, name="Analis Kebijakan Ahli Muda")
    return provider_a, work_unit, position


@pytest.fixture
def org_b(provider_b):
    return provider_b, None, None


@pytest.fixture
def oidc_configured(settings):
    configured = {**settings.SOCIALACCOUNT_PROVIDERS["openid_connect"], "APPS": [OIDC_APP]}
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": configured}


@pytest.fixture
def hr_a(org_a):
    return UserFactory(email="sdm@instansi.go.id", full_name="Admin SDM", admin_of=org_a[0])


def confirm_email_from_mail(client, mailoutbox):
    """Follow the confirmation link of the last e-mail, as the person would."""
    body = mailoutbox[-1].body
    path = re.search(r"https?://testserver(/\S*confirm-email/\S+?/)", body).group(1)
    return client.post(path)


def without_tokens(html: str) -> str:
    """A page without its per-response CSRF token and CSP nonce."""
    return re.sub(r'(value|nonce)="[^"]{20,}"', "", html)


def verified(user: User, email: str | None = None) -> User:
    EmailAddress.objects.update_or_create(
        user=user,
        email=email or user.email,
        defaults={"verified": True, "primary": True},
    )
    return user


# A NIP claimed twice


def test_signup_with_a_nip_already_registered_answers_as_with_a_new_one_and_records_a_claim(
    client, org_a
):
    holder = UserFactory(email="lama@instansi.go.id", account_kind="pns", nip=NIP)

    taken = client.post(
        en_url("account_signup"), signup_data(org_a, nip=" 1986 0926 2015 0520 01 ")
    )
    client.logout()
    fresh = client.post(
        en_url("account_signup"),
        signup_data(org_a, email="baru@instansi.go.id", nip="19860926 201505 1 002"),
    )

    assert (taken.status_code, taken["Location"]) == (fresh.status_code, fresh["Location"])
    claimant = User.objects.get(email="siti.rahmawati@instansi.go.id")
    assert claimant.nip is None
    holder.refresh_from_db()
    assert holder.nip == NIP
    claim = NIPClaim.objects.get()
    assert (claim.claimant, claim.nip, claim.organization, claim.source, claim.status) == (
        claimant,
        NIP,
        org_a[0],
        NIPClaim.Source.SIGNUP,
        NIPClaim.Status.OPEN,
    )


def test_signup_form_never_says_a_nip_is_registered(client, org_a):
    UserFactory(email="lama@instansi.go.id", account_kind="pns", nip=NIP)

    # Another field's error shows the form again: the NIP field has no error of its own.
    response = client.post(en_url("account_signup"), signup_data(org_a, organization=""))

    assert response.status_code == 200
    assert field_errors(response, "nip") == []
    assert "already registered" not in response.content.decode()


def test_profile_with_someone_elses_nip_records_a_claim_and_shows_it_as_typed(client_for, org_a):
    holder = UserFactory(email="lain@instansi.go.id", account_kind="pns", nip=OTHER_NIP)
    learner = UserFactory(
        email="peserta@instansi.go.id",
        account_kind="pns",
        nip=NIP,
        organization=org_a[0],
    )
    client = client_for(learner)
    data = {
        "full_name": learner.full_name,
        "account_kind": "pns",
        "nip": OTHER_NIP,
        "organization": org_a[0].pk,
        "work_unit": "",
        "position": "",
        "rank_grade": "",
        "supervisor_email": "",
        "supervisor_name": "",
    }

    response = client.post(en_url("learners:profile"), data)

    assert response.status_code == 302
    holder.refresh_from_db()
    learner.refresh_from_db()
    assert (holder.nip, learner.nip) == (OTHER_NIP, None)
    claim = NIPClaim.objects.get(status=NIPClaim.Status.OPEN)
    assert (claim.claimant, claim.nip, claim.source) == (learner, OTHER_NIP, "profile")
    assert 'value="19700101 200012 2 042"' in client.get(en_url("learners:profile")).text
    # Typing their own NIP again withdraws the claim.
    client.post(en_url("learners:profile"), {**data, "nip": NIP})
    learner.refresh_from_db()
    assert learner.nip == NIP
    assert not NIPClaim.objects.filter(status=NIPClaim.Status.OPEN).exists()


def test_signup_page_offers_help_to_the_owner_of_a_nip_used_by_someone_else(client, org_a):
    content = client.get(en_url("account_signup")).text

    assert f'href="{en_url("learners:nip_help")}"' in content
    assert "NIP saya sudah dipakai orang lain" in content


def test_help_request_is_recorded_and_answered_alike_whether_the_nip_has_an_account(client, org_a):
    UserFactory(email="lama@instansi.go.id", account_kind="pns", nip=NIP)
    form = {
        "full_name": "Siti  Rahmawati",
        "email": "Siti@Instansi.go.id",
        "organization": org_a[0].pk,
        "message": "Akun lain memakai NIP saya.",
    }

    used = client.post(en_url("learners:nip_help"), {**form, "nip": NIP}, follow=True)
    unused = client.post(en_url("learners:nip_help"), {**form, "nip": OTHER_NIP}, follow=True)

    assert used.redirect_chain == unused.redirect_chain == [(en_url("learners:nip_help"), 302)]
    assert without_tokens(used.text.replace(NIP, "")) == without_tokens(
        unused.text.replace(OTHER_NIP, "")
    )
    assert "Your request was sent to the admins" in used.text
    requests = NIPClaim.objects.order_by("pk")
    assert [(r.nip, r.source, r.name, r.email, r.claimant) for r in requests] == [
        (NIP, "help_request", "Siti Rahmawati", "siti@instansi.go.id", None),
        (OTHER_NIP, "help_request", "Siti Rahmawati", "siti@instansi.go.id", None),
    ]


def test_help_request_with_a_bad_nip_explains(client, org_a):
    response = client.post(
        en_url("learners:nip_help"),
        {
            "full_name": "Siti",
            "email": "s@instansi.go.id",
            "nip": "123",
            "organization": org_a[0].pk,
        },
    )

    assert response.status_code == 200
    assert field_errors(response, "nip") == ["A NIP has 18 digits."]
    assert not NIPClaim.objects.exists()


def test_help_requests_are_rate_limited(client, org_a, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "nip_help": "2/h/ip"}
    form = {"full_name": "S", "email": "s@instansi.go.id", "nip": NIP, "organization": org_a[0].pk}

    codes = [client.post(en_url("learners:nip_help"), form).status_code for _ in range(3)]

    assert codes == [302, 302, 429]
    assert NIPClaim.objects.count() == 2


def test_admin_gives_a_claimed_nip_to_the_claimant(client_for, org_a, hr_a):
    holder = UserFactory(email="lama@instansi.go.id", account_kind="pns", nip=NIP)
    claimant = UserFactory(email="baru@instansi.go.id", account_kind="pns", organization=org_a[0])
    claim = membership.nip_claim_record(user=claimant, nip=NIP, source="signup")
    client = client_for(hr_a)

    page = client.get(en_url("learners:members", organization_id=org_a[0].pk))
    response = client.post(
        en_url("learners:nip_claim_decide", organization_id=org_a[0].pk, claim_id=claim.pk),
        {"decision": "claimant"},
    )

    assert "19860926 201505 2 001" in page.text
    assert response.status_code == 302
    holder.refresh_from_db()
    claimant.refresh_from_db()
    claim.refresh_from_db()
    assert (holder.nip, claimant.nip) == (None, NIP)
    assert holder.membership_status == MembershipStatus.PENDING
    assert (claim.status, claim.decided_by) == (NIPClaim.Status.TRANSFERRED, hr_a)
    event = AuditEvent.objects.get(action="nip_claim_decided")
    assert (event.actor, event.subject_user, event.organization) == (hr_a, claimant, org_a[0])


def test_admin_may_let_the_holder_keep_the_nip(client_for, org_a, hr_a):
    holder = UserFactory(email="lama@instansi.go.id", account_kind="pns", nip=NIP)
    claimant = UserFactory(email="baru@instansi.go.id", account_kind="pns", organization=org_a[0])
    claim = membership.nip_claim_record(user=claimant, nip=NIP, source="signup")

    client_for(hr_a).post(
        en_url("learners:nip_claim_decide", organization_id=org_a[0].pk, claim_id=claim.pk),
        {"decision": "holder"},
    )

    holder.refresh_from_db()
    claim.refresh_from_db()
    assert holder.nip == NIP
    assert claim.status == NIPClaim.Status.HOLDER_KEEPS


def test_claims_and_members_of_another_organization_are_not_found(client_for, org_a, org_b):
    admin_b = UserFactory(email="sdm@kb.go.id", admin_of=org_b[0])
    UserFactory(email="lama@instansi.go.id", account_kind="pns", nip=NIP, organization=org_a[0])
    claimant = UserFactory(email="baru@instansi.go.id", account_kind="pns", organization=org_a[0])
    pending = UserFactory(email="menunggu@instansi.go.id", organization=org_a[0])
    User.objects.filter(pk=pending.pk).update(membership_status=MembershipStatus.PENDING)
    claim = membership.nip_claim_record(user=claimant, nip=NIP, source="signup")
    client = client_for(admin_b)

    assert client.get(reverse("learners:members", args=[org_a[0].pk])).status_code == 404
    decided = client.post(
        reverse("learners:nip_claim_decide", args=[org_b[0].pk, claim.pk]),
        {"decision": "claimant"},
    )
    confirmed = client.post(
        reverse("learners:member_decide", args=[org_b[0].pk, pending.pk]),
        {"decision": "confirm"},
    )

    assert (decided.status_code, confirmed.status_code) == (404, 404)
    claim.refresh_from_db()
    pending.refresh_from_db()
    assert claim.status == NIPClaim.Status.OPEN
    assert pending.membership_status == MembershipStatus.PENDING


# No anonymous answer tells whether an e-mail address has an account


def test_signup_with_a_taken_email_answers_as_a_new_one_under_mandatory_verification(
    client, org_a, settings, mailoutbox
):
    settings.ACCOUNT_EMAIL_VERIFICATION = "mandatory"
    UserFactory(email="siti.rahmawati@instansi.go.id")

    taken = client.post(en_url("account_signup"), signup_data(org_a))
    fresh = client.post(
        en_url("account_signup"),
        signup_data(org_a, email="baru@instansi.go.id", nip="19860926 201505 1 002"),
    )

    assert taken.status_code == fresh.status_code == 302
    assert taken["Location"] == fresh["Location"]
    assert User.objects.filter(email="siti.rahmawati@instansi.go.id").count() == 1


def test_password_reset_answers_alike_for_known_and_unknown_addresses(client, db):
    UserFactory(email="ada@instansi.go.id")

    known = client.post(en_url("account_reset_password"), {"email": "ada@instansi.go.id"})
    unknown = client.post(en_url("account_reset_password"), {"email": "tiada@instansi.go.id"})

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


# Organization membership


def test_a_new_signup_awaits_confirmation_and_is_not_counted(client, org_a, hr_a, course_a):
    response = client.post(en_url("account_signup"), signup_data(org_a))
    assert response.status_code == 302
    user = User.objects.get(email="siti.rahmawati@instansi.go.id")
    course_a.jp = Decimal(25)  # enough to comply, were the person counted
    course_a.save()
    completed_enrollment(user=user, course=course_a)
    client.force_login(hr_a)

    page = client.get(en_url("compliance:report", organization_id=org_a[0].pk))
    api = client.get(f"/api/v1/organizations/{org_a[0].pk}/compliance").json()
    csv = b"".join(client.get(en_url("compliance:report_csv", organization_id=org_a[0].pk))).decode(
        "utf-8-sig"
    )

    assert user.membership_status == MembershipStatus.PENDING
    assert page.context["report"].staff == 0
    assert "Awaiting confirmation (not counted): 1" in page.text
    assert "Siti Rahmawati" in page.text
    assert api["pns"]["staff"] == 0
    assert "Siti Rahmawati" not in csv


def test_admin_confirms_a_member_who_then_counts(client_for, org_a, hr_a):
    person = _pending(org_a[0], "baru@instansi.go.id", full_name="Baru", account_kind="pns")
    client = client_for(hr_a)

    response = client.post(
        en_url("learners:member_decide", organization_id=org_a[0].pk, user_id=person.pk),
        {"decision": "confirm"},
        follow=True,
    )

    assert "Baru is confirmed as a member" in response.text
    person.refresh_from_db()
    assert (person.membership_status, person.membership_source) == ("confirmed", "admin")
    page = client.get(en_url("compliance:report", organization_id=org_a[0].pk))
    assert page.context["report"].staff == 1
    event = AuditEvent.objects.get(action="membership_decided")
    assert (event.actor, event.subject_user, event.detail) == (
        hr_a,
        person,
        {"decision": "confirmed"},
    )


def test_admin_rejects_a_member_who_stays_uncounted(client_for, org_a, hr_a):
    person = _pending(org_a[0], "baru@instansi.go.id", full_name="Baru", account_kind="pns")

    client_for(hr_a).post(
        en_url("learners:member_decide", organization_id=org_a[0].pk, user_id=person.pk),
        {"decision": "reject"},
    )

    person.refresh_from_db()
    assert person.membership_status == MembershipStatus.REJECTED
    assert not membership.pending_members(org_a[0]).exists()
    assert AuditEvent.objects.get(action="membership_decided").detail == {"decision": "rejected"}


def test_an_admin_does_not_confirm_their_own_membership(org_a, hr_a):
    User.objects.filter(pk=hr_a.pk).update(organization=org_a[0], membership_status="pending")
    hr_a.refresh_from_db()

    with pytest.raises(membership.MembershipError):
        membership.membership_decide(user=hr_a, decided_by=hr_a, confirm=True)


def test_changing_organization_on_the_profile_waits_for_the_new_one(client_for, org_a, org_b):
    learner = UserFactory(email="peserta@instansi.go.id", organization=org_a[0])
    assert learner.membership_status == MembershipStatus.CONFIRMED

    client_for(learner).post(
        en_url("learners:profile"),
        {"full_name": learner.full_name, "account_kind": "non_asn", "organization": org_b[0].pk},
    )

    learner.refresh_from_db()
    assert (learner.organization, learner.membership_status) == (org_b[0], "pending")


def test_changing_the_nip_on_the_profile_needs_a_new_confirmation(client_for, org_a):
    """The admin confirmed the person with the NIP they saw: another NIP is not covered."""
    learner = UserFactory(
        email="peserta@instansi.go.id", account_kind="pns", nip=NIP, organization=org_a[0]
    )
    data = {
        "full_name": learner.full_name,
        "account_kind": "pns",
        "organization": org_a[0].pk,
    }
    client = client_for(learner)

    client.post(en_url("learners:profile"), {**data, "nip": NIP, "rank_grade": "III/d"})
    learner.refresh_from_db()
    assert learner.membership_status == MembershipStatus.CONFIRMED
    client.post(en_url("learners:profile"), {**data, "nip": OTHER_NIP})
    learner.refresh_from_db()
    assert (learner.nip, learner.membership_status) == (OTHER_NIP, "pending")


def _pending(organization, email: str, **fields) -> User:
    """Someone who chose `organization` and awaits its confirmation, as a new sign-up does."""
    fields.setdefault("full_name", email.split("@")[0])
    return UserFactory(
        email=email, organization=organization, membership_status=MembershipStatus.PENDING, **fields
    )


def test_staff_list_confirms_the_people_it_names(client_for, org_a, org_b, hr_a):
    by_email = verified(_pending(org_a[0], "email@instansi.go.id"))
    by_nip = verified(_pending(org_a[0], "nip@instansi.go.id", account_kind="pns", nip=NIP))
    unverified = _pending(org_a[0], "belum@instansi.go.id")
    elsewhere = verified(_pending(org_b[0], "lain@instansi.go.id"))
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = (
        f"nip;email\n;Email@Instansi.go.id\n{NIP};\n;belum@instansi.go.id\n;lain@instansi.go.id\n"
    ).encode()
    response = client_for(hr_a).post(
        en_url("learners:staff_list_import", organization_id=org_a[0].pk),
        {"file": SimpleUploadedFile("pegawai.csv", data, content_type="text/csv")},
        follow=True,
    )

    assert "1 confirmed" not in response.text
    assert "2 confirmed, 0 already confirmed, 2 rows matching nobody" in response.text
    statuses = dict(User.objects.values_list("email", "membership_status"))
    assert statuses[by_email.email] == statuses[by_nip.email] == "confirmed"
    assert statuses[unverified.email] == statuses[elsewhere.email] == "pending"
    assert User.objects.get(pk=by_nip.pk).membership_source == MembershipSource.STAFF_LIST
    assert AuditEvent.objects.get(action="staff_list_imported").detail["confirmed"] == 2


def test_a_staff_list_with_a_bad_row_confirms_nobody(org_a, hr_a, english_interface):
    verified(_pending(org_a[0], "email@instansi.go.id"))

    with pytest.raises(staff_list.StaffListError) as refused:
        staff_list.staff_list_confirm(
            organization=org_a[0],
            data=b"email,nip\nemail@instansi.go.id,\nbukan-alamat,\n,12345\n",
            imported_by=hr_a,
        )

    assert "Row 3" in str(refused.value) and "Row 4" in str(refused.value)
    assert not User.objects.filter(membership_status="confirmed", email="email@instansi.go.id")
    assert not AuditEvent.objects.filter(action="staff_list_imported").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"nama\nSiti\n", 'The first row must name the columns: "nip", "email" or both.'),
        (b"email\n", "The file has no rows under its header."),
        (b"email\n" + b"x" * 200_000 + b"\n", "This file could not be read as a CSV file."),
    ],
)
def test_a_staff_list_that_cannot_be_used_says_why(org_a, hr_a, data, message, english_interface):
    with pytest.raises(staff_list.StaffListError) as refused:
        staff_list.staff_list_confirm(organization=org_a[0], data=data, imported_by=hr_a)

    assert str(refused.value) == message


def test_a_utf16_staff_list_is_read(org_a, hr_a):
    person = verified(_pending(org_a[0], "email@instansi.go.id"))

    staff_list.staff_list_confirm(
        organization=org_a[0],
        data="email\nemail@instansi.go.id\n".encode("utf-16"),
        imported_by=hr_a,
    )

    person.refresh_from_db()
    assert person.membership_status == "confirmed"


def test_a_verified_address_at_a_listed_domain_confirms_the_membership(client, org_a, mailoutbox):
    organization = org_a[0]
    organization.email_domains = "instansi.go.id\nKEMENB.go.id"
    organization.full_clean()
    organization.save()

    client.post(en_url("account_signup"), signup_data(org_a))
    user = User.objects.get(email="siti.rahmawati@instansi.go.id")
    assert user.membership_status == MembershipStatus.PENDING
    confirm_email_from_mail(client, mailoutbox)

    user.refresh_from_db()
    assert (user.membership_status, user.membership_source) == ("confirmed", "email_domain")


def test_an_unlisted_domain_waits_for_the_admin(client, org_a, mailoutbox):
    org_a[0].email_domains = "kemenb.go.id"
    org_a[0].save()

    client.post(en_url("account_signup"), signup_data(org_a))
    confirm_email_from_mail(client, mailoutbox)

    assert User.objects.get(email="siti.rahmawati@instansi.go.id").membership_status == "pending"


def test_email_domains_must_be_domains(org_a):
    from django.core.exceptions import ValidationError

    org_a[0].email_domains = "instansi.go.id\n@kemenb.go.id"
    with pytest.raises(ValidationError) as invalid:
        org_a[0].full_clean()
    assert "email_domains" in invalid.value.message_dict


def test_existing_members_are_confirmed_by_the_data_migration(org_a):
    from importlib import import_module

    from django.apps import apps

    member = _pending(org_a[0], "lama@instansi.go.id")
    loner = User.objects.create(email="sendiri@instansi.go.id", full_name="Sendiri")
    migration = import_module("learners.migrations.0005_membership_and_nip_claims")

    migration.confirm_existing_members(apps, None)

    member.refresh_from_db()
    loner.refresh_from_db()
    assert (member.membership_status, member.membership_source) == ("confirmed", "existing")
    assert loner.membership_status == "pending"


def _sso_sign_in(client, monkeypatch, claims: dict):
    from urllib.parse import parse_qs, urlparse

    from tests.learners.test_accounts import FakeOpenIDProvider

    FakeOpenIDProvider(claims).install(monkeypatch)
    to_provider = client.post(en_url("openid_connect_login", provider_id="instansi"))
    state = parse_qs(urlparse(to_provider["Location"]).query)["state"][0]
    return client.get(
        en_url("openid_connect_callback", provider_id="instansi"),
        {"code": "kode-otorisasi", "state": state},
    )


@pytest.mark.parametrize(
    ("trusted", "expected"),
    [(["lpa", "kemenb"], ("confirmed", "sso")), ([], None)],
)
def test_agency_sign_on_confirms_the_organization_its_claim_names_if_trusted(
    client, oidc_configured, monkeypatch, settings, provider_a, trusted, expected
):
    settings.OIDC_ORGANIZATION_CLAIM = "organization"
    settings.OIDC_ORGANIZATIONS = [provider_a.slug if trusted else "lain"]
    claims = {
        "sub": "asn-7781",
        "email": "dewi.lestari@kemenb.go.id",
        "email_verified": True,
        "name": "Dewi Lestari",
        "organization": provider_a.slug.upper(),
    }

    response = _sso_sign_in(client, monkeypatch, claims)

    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(email="dewi.lestari@kemenb.go.id")
    if expected is None:
        assert user.organization is None
    else:
        assert user.organization == provider_a
        assert (user.membership_status, user.membership_source) == expected


def test_a_nip_claim_is_in_the_claimants_personal_data(org_a):
    from privacy.data_export import personal_data

    claimant = UserFactory(email="baru@instansi.go.id", account_kind="pns", organization=org_a[0])
    membership.nip_claim_record(user=claimant, nip=NIP, source="signup")

    data = personal_data(claimant)

    assert data["profile"]["organization_membership"] == "confirmed"
    assert [(c["nip"], c["status"]) for c in data["nip_claims"]] == [(NIP, "open")]
