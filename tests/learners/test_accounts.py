"""Accounts: sign-up with employment details, the profile page, the admin login through allauth,
two-factor authentication, rate limits and agency single sign-on (OpenID Connect)."""

import importlib
import json
import time
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from allauth.socialaccount.models import SocialAccount
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from learners.factories import PositionFactory, UserFactory, WorkUnitFactory
from learners.models import User

PASSWORD = "lentera-uji-123"  # learners.factories.UserFactory's
NEW_PASSWORD = "Pelayanan-Prima-2025"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """allauth counts attempts in the cache; every test starts with none."""
    cache.clear()
    yield
    cache.clear()


def en_url(name: str, **kwargs) -> str:
    """The English URL, so that messages are compared in their (English) source language."""
    with translation.override("en"):
        return reverse(name, kwargs=kwargs or None)


@pytest.fixture
def org_a(provider_a):
    work_unit = WorkUnitFactory(organization=provider_a, name="Biro Sumber Daya Manusia")
    position = PositionFactory(organization=provider_a, name="Analis Kebijakan Ahli Muda")
    return provider_a, work_unit, position


@pytest.fixture
def org_b(provider_b):
    work_unit = WorkUnitFactory(organization=provider_b, name="Pusat Data")
    position = PositionFactory(organization=provider_b, name="Pranata Komputer")
    return provider_b, work_unit, position


def signup_data(org, **overrides) -> dict:
    organization, work_unit, position = org
    data = {
        "full_name": "Siti Rahmawati",
        "email": "siti.rahmawati@instansi.go.id",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "account_kind": "pns",
        "nip": "19860926 201505 2 001",
        "organization": organization.pk,
        "work_unit": work_unit.pk,
        "position": position.pk,
        "rank_grade": "Penata, III/c",
        "supervisor_email": "",
        "supervisor_name": "",
    }
    data.update(overrides)
    return data


def field_errors(response, field: str) -> list[str]:
    return response.context["form"].errors.get(field, [])


# Sign-up


def test_signup_pns_with_valid_nip_saves_every_answer(client, org_a):
    organization, work_unit, position = org_a

    response = client.post(
        en_url("account_signup"),
        signup_data(org_a, supervisor_email="Atasan@Instansi.go.id", supervisor_name="Budi"),
    )

    assert response.status_code == 302, response.context["form"].errors
    user = User.objects.get(email="siti.rahmawati@instansi.go.id")
    assert user.full_name == "Siti Rahmawati"
    assert user.account_kind == User.AccountKind.PNS
    assert user.nip == "198609262015052001"
    assert (user.organization, user.work_unit, user.position) == (
        organization,
        work_unit,
        position,
    )
    assert user.rank_grade == "Penata, III/c"
    assert user.supervisor is None
    assert (user.supervisor_name, user.supervisor_email) == ("Budi", "atasan@instansi.go.id")
    assert user.check_password(NEW_PASSWORD)
    assert EmailAddress.objects.filter(user=user, email=user.email, primary=True).exists()
    # Signed in straight away (e-mail verification is optional outside production).
    assert client.session["_auth_user_id"] == str(user.pk)


def test_signup_links_a_supervisor_who_already_has_an_account(client, org_a):
    supervisor = UserFactory(email="kepala.biro@instansi.go.id", full_name="Kepala Biro")

    response = client.post(
        en_url("account_signup"),
        signup_data(org_a, supervisor_email="KEPALA.BIRO@instansi.go.id"),
    )

    assert response.status_code == 302
    user = User.objects.get(email="siti.rahmawati@instansi.go.id")
    assert user.supervisor == supervisor
    assert (user.supervisor_name, user.supervisor_email) == ("", "")


def test_signup_pppk_number_is_classified_and_saved_as_pppk(client, org_a):
    response = client.post(
        en_url("account_signup"),
        signup_data(org_a, account_kind="pppk", nip="19900101 202421 1 015"),
    )

    assert response.status_code == 302
    user = User.objects.get(email="siti.rahmawati@instansi.go.id")
    assert (user.account_kind, user.nip) == (User.AccountKind.PPPK, "199001012024211015")


def test_signup_non_asn_ignores_a_nip(client, org_a):
    response = client.post(
        en_url("account_signup"),
        signup_data(
            org_a,
            account_kind="non_asn",
            nip="not a number",
            organization="",
            work_unit="",
            position="",
        ),
    )

    assert response.status_code == 302
    user = User.objects.get(email="siti.rahmawati@instansi.go.id")
    assert (user.account_kind, user.nip, user.organization) == ("non_asn", None, None)


BAD_SIGNUPS = [
    # overrides, field, English message
    (
        {"nip": "19860230 201505 2 001"},
        "nip",
        "The birth date in the NIP is not valid.",
    ),
    (
        {"nip": "19860926 201505 2 000"},
        "nip",
        "The sequence number in the NIP (the last three digits) cannot be 000.",
    ),
    ({"nip": "1986092620150520"}, "nip", "A NIP has 18 digits."),
    ({"nip": ""}, "nip", "Enter your NIP: PNS and PPPK need one."),
    ({"account_kind": "pppk", "nip": ""}, "nip", "Enter your NIP: PNS and PPPK need one."),
    (
        {"nip": "19900101 202421 1 015"},
        "nip",
        "This is a PPPK number (its digits 13–14 are not a month). "
        "Choose PPPK as your employment status, or check the number.",
    ),
    (
        {"account_kind": "pppk"},
        "nip",
        "This is a PNS number (its digits 13–14 are an appointment month). "
        "Choose PNS as your employment status, or check the number.",
    ),
    (
        {"organization": ""},
        "organization",
        "Choose your organization: PNS and PPPK need one.",
    ),
    (
        {"supervisor_email": "siti.rahmawati@instansi.go.id"},
        "supervisor_email",
        "You cannot be your own supervisor.",
    ),
    (
        {"supervisor_name": "Budi"},
        "supervisor_email",
        "Enter your supervisor's e-mail address as well.",
    ),
]


@pytest.mark.parametrize(("overrides", "field", "message"), BAD_SIGNUPS)
def test_signup_with_bad_input_explains_and_creates_no_user(
    client, org_a, overrides, field, message
):
    response = client.post(en_url("account_signup"), signup_data(org_a, **overrides))

    assert response.status_code == 200
    assert field_errors(response, field) == [message]
    assert not User.objects.exists()
    # The error is announced in the summary and tied to its field.
    content = response.content.decode()
    assert 'role="alert"' in content
    assert f'aria-describedby="id_{field}_helptext id_{field}_error"' in content or (
        f'aria-describedby="id_{field}_error"' in content
    )


@pytest.mark.parametrize(
    ("part", "message"), [("work_unit", "work unit"), ("position", "position")]
)
def test_signup_refuses_a_work_unit_or_position_of_another_organization(
    client, org_a, org_b, part, message
):
    index = {"work_unit": 1, "position": 2}[part]

    response = client.post(en_url("account_signup"), signup_data(org_a, **{part: org_b[index].pk}))

    assert response.status_code == 200
    assert field_errors(response, part) == [f"This {message} belongs to another organization."]
    assert not User.objects.exists()


def test_signup_with_a_nip_already_registered_whatever_the_spacing_becomes_a_claim(client, org_a):
    # Refusing it would tell anyone the NIP has an account (tests/learners/test_identity.py).
    UserFactory(email="lama@instansi.go.id", account_kind="pns", nip="198609262015052001")

    response = client.post(
        en_url("account_signup"), signup_data(org_a, nip=" 1986 0926 2015 0520 01 ")
    )

    assert response.status_code == 302
    user = User.objects.get(email="siti.rahmawati@instansi.go.id")
    assert user.nip is None
    assert user.nip_claims.get().nip == "198609262015052001"


def test_signup_is_atomic_when_a_late_step_fails(client, org_a, monkeypatch):
    def broken_email_setup(*args, **kwargs):
        raise RuntimeError("mail server table unavailable")

    monkeypatch.setattr("allauth.account.forms.setup_user_email", broken_email_setup)

    with pytest.raises(RuntimeError):
        client.post(en_url("account_signup"), signup_data(org_a))

    assert not User.objects.exists()


def test_signup_page_renders_inside_lentera_with_labelled_fields(client, org_a, org_b):
    response = client.get(en_url("account_signup"))

    content = response.content.decode()
    assert response.status_code == 200
    assert "lentera.css" in content
    assert '<label for="id_nip">' in content
    assert "<legend><h2>Your work</h2></legend>" in content
    # Work units are grouped under their organization.
    assert f'<optgroup label="{org_a[0].name}">' in content
    assert f'<optgroup label="{org_b[0].name}">' in content


# Profile


@pytest.fixture
def learner(org_a):
    organization, work_unit, position = org_a
    return UserFactory(
        email="peserta@instansi.go.id",
        full_name="Peserta Satu",
        account_kind="pns",
        nip="198609262015051001",
        organization=organization,
        work_unit=work_unit,
        position=position,
    )


def profile_data(learner, **overrides) -> dict:
    data = {
        "full_name": learner.full_name,
        "account_kind": learner.account_kind,
        "nip": learner.nip,
        "organization": learner.organization_id,
        "work_unit": learner.work_unit_id,
        "position": learner.position_id,
        "rank_grade": learner.rank_grade,
        "supervisor_email": "",
        "supervisor_name": "",
    }
    data.update(overrides)
    return data


def test_profile_requires_sign_in(client):
    response = client.get(reverse("learners:profile"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_profile_shows_own_details_and_account_links(client_for, learner):
    response = client_for(learner).get(en_url("learners:profile"))

    content = response.content.decode()
    assert response.status_code == 200
    assert 'value="19860926 201505 1 001"' in content
    assert learner.email in content
    for name in ("account_email", "account_change_password", "mfa_index"):
        assert f'href="{en_url(name)}"' in content


def test_profile_update_saves_own_details_and_redirects_with_a_message(client_for, learner, org_b):
    organization, work_unit, position = org_b
    client = client_for(learner)

    response = client.post(
        en_url("learners:profile"),
        profile_data(
            learner,
            full_name="Peserta Satu, S.E.",
            account_kind="pppk",
            nip="19860926 202521 1 004",
            organization=organization.pk,
            work_unit=work_unit.pk,
            position=position.pk,
            rank_grade="IX",
            supervisor_email="atasan@instansi.go.id",
            supervisor_name="Ibu Atasan",
            # Not profile fields: ignored.
            email="lain@instansi.go.id",
            is_staff="on",
        ),
        follow=True,
    )

    assert response.redirect_chain == [(en_url("learners:profile"), 302)]
    assert "Your profile has been saved." in response.content.decode()
    learner.refresh_from_db()
    assert learner.full_name == "Peserta Satu, S.E."
    assert (learner.account_kind, learner.nip) == ("pppk", "198609262025211004")
    assert (learner.organization, learner.work_unit, learner.position) == (
        organization,
        work_unit,
        position,
    )
    assert (learner.supervisor_name, learner.supervisor_email) == (
        "Ibu Atasan",
        "atasan@instansi.go.id",
    )
    assert learner.email == "peserta@instansi.go.id"
    assert not learner.is_staff


def test_profile_page_queries_do_not_grow_with_the_number_of_work_units(client_for, learner, org_b):
    client = client_for(learner)
    client.get(en_url("learners:profile"))  # warm up: session, content types
    organization = org_b[0]

    def count_queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(en_url("learners:profile")).status_code == 200
        return len(captured)

    few = count_queries()
    for number in range(30):
        WorkUnitFactory(organization=organization, name=f"Bidang {number}")
        PositionFactory(organization=organization, name=f"Jabatan {number}")

    assert count_queries() == few


def test_profile_keeps_own_nip_and_claims_someone_elses(client_for, learner):
    other = UserFactory(email="lain@instansi.go.id", account_kind="pns", nip="197001012000122042")
    client = client_for(learner)

    kept = client.post(en_url("learners:profile"), profile_data(learner, rank_grade="III/d"))
    learner.refresh_from_db()
    assert (learner.nip, learner.rank_grade) == ("198609262015051001", "III/d")
    taken = client.post(en_url("learners:profile"), profile_data(learner, nip=other.nip))

    assert (kept.status_code, taken.status_code) == (302, 302)
    learner.refresh_from_db()
    other.refresh_from_db()
    assert (learner.nip, other.nip) == (None, "197001012000122042")
    assert learner.nip_claims.get().nip == "197001012000122042"


def test_profile_changes_only_the_signed_in_person(client_for, learner):
    other = UserFactory(email="lain@instansi.go.id", full_name="Orang Lain")

    client_for(learner).post(
        en_url("learners:profile"), profile_data(learner, full_name="Diubah", id=other.pk)
    )

    other.refresh_from_db()
    learner.refresh_from_db()
    assert other.full_name == "Orang Lain"
    assert learner.full_name == "Diubah"


def test_profile_can_link_a_supervisor_but_not_oneself(client_for, learner):
    supervisor = UserFactory(email="atasan@instansi.go.id")
    client = client_for(learner)

    self_response = client.post(
        en_url("learners:profile"), profile_data(learner, supervisor_email=learner.email)
    )
    linked = client.post(
        en_url("learners:profile"), profile_data(learner, supervisor_email=supervisor.email)
    )

    assert field_errors(self_response, "supervisor_email") == ["You cannot be your own supervisor."]
    assert linked.status_code == 302
    learner.refresh_from_db()
    assert learner.supervisor == supervisor


# The Wagtail admin signs in through allauth, with two-factor authentication


@pytest.fixture
def admin_user(db):
    return UserFactory(email="admin@lentera.go.id", is_staff=True, is_superuser=True)


def test_wagtail_admin_sends_anonymous_people_to_allauth_login(db, client):
    # Through /admin/login/, which tells people signed in without admin access why they may
    # not enter (tests/security/test_admin_access.py).
    response = client.get("/admin/pages/", follow=True)

    assert [url for url, _status in response.redirect_chain] == [
        "/admin/login/?next=/admin/pages/",
        f"{reverse('account_login')}?next=/admin/pages/",
    ]


def test_wagtail_admin_login_url_redirects_to_allauth(db, client):
    response = client.get("/admin/login/?next=/admin/pages/")

    assert response.status_code in (301, 302)
    assert response["Location"] == f"{reverse('account_login')}?next=/admin/pages/"


def test_wagtail_admin_password_form_cannot_sign_anyone_in(client, admin_user):
    response = client.post("/admin/login/", {"username": admin_user.email, "password": PASSWORD})

    assert "_auth_user_id" not in client.session
    assert response.status_code in (200, 301, 302)
    assert client.get("/admin/").status_code == 302


def current_totp_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def test_admin_with_totp_is_asked_for_the_code_before_being_signed_in(client, admin_user):
    secret = generate_totp_secret()
    TOTP.activate(admin_user, secret)

    to_login = client.get("/admin/", follow=True)
    login_url = to_login.redirect_chain[-1][0]
    after_password = client.post(login_url, {"login": admin_user.email, "password": PASSWORD})

    assert login_url.startswith(reverse("account_login"))
    assert after_password.status_code == 302
    assert after_password["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302
    code_page = client.get(reverse("mfa_authenticate"))
    assert code_page.status_code == 200
    assert 'name="code"' in code_page.content.decode()

    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200
    assert "_auth_user_id" not in client.session

    signed_in = client.post(reverse("mfa_authenticate"), {"code": current_totp_code(secret)})
    assert signed_in.status_code == 302
    assert signed_in["Location"] == "/admin/"
    assert client.session["_auth_user_id"] == str(admin_user.pk)
    assert client.get("/admin/").status_code == 200


def test_totp_activation_page_renders(client_for, admin_user):
    client = client_for(admin_user)
    # Activating asks for the password again first.
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})

    response = client.get(en_url("mfa_activate_totp"))

    content = response.content.decode()
    assert response.status_code == 200
    assert 'src="data:image/svg+xml;base64,' in content
    assert '<label for="authenticator_secret">' in content


# Rate limits


def test_repeated_failed_logins_for_one_account_are_throttled(client, admin_user):
    url = en_url("account_login")
    wrong = {"login": admin_user.email, "password": "salah-sandi"}

    # allauth's default: 5 failed attempts per account in 5 minutes.
    failures = [client.post(url, wrong) for _attempt in range(5)]
    throttled = client.post(url, wrong)
    right_password_too_late = client.post(url, {"login": admin_user.email, "password": PASSWORD})

    assert all(
        "The email address and/or password you specified are not correct."
        in response.context["form"].errors["__all__"]
        for response in failures
    )
    for response in (throttled, right_password_too_late):
        assert response.status_code in (200, 429)
        if response.status_code == 200:
            assert response.context["form"].errors["__all__"] == [
                "Too many failed login attempts. Try again later."
            ]
    assert "_auth_user_id" not in client.session


def test_login_page_renders_inside_lentera(db, client):
    response = client.get(en_url("account_login"))

    content = response.content.decode()
    assert response.status_code == 200
    assert "lentera.css" in content
    assert '<label for="id_login">' in content
    assert 'class="button"' in content


# Agency single sign-on (OpenID Connect)

OIDC_SERVER = "https://sso.instansi.go.id/realms/asn"
OIDC_APP = {
    "provider_id": "instansi",
    "name": "SSO Kementerian B",
    "client_id": "lentera",
    "secret": "rahasia",
    "settings": {"server_url": OIDC_SERVER},
}


def test_oidc_provider_is_configured_from_the_environment(monkeypatch):
    import lentera.settings.base as base

    for name in ("OIDC_SERVER_URL", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET"):
        monkeypatch.delenv(name, raising=False)
    assert importlib.reload(base).SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"] == []

    monkeypatch.setenv("OIDC_PROVIDER_ID", "kemenb")
    monkeypatch.setenv("OIDC_PROVIDER_NAME", "SSO Kementerian B")
    monkeypatch.setenv("OIDC_SERVER_URL", OIDC_SERVER)
    monkeypatch.setenv("OIDC_CLIENT_ID", "lentera")
    monkeypatch.setenv("OIDC_CLIENT_SECRET", "rahasia")
    try:
        apps = importlib.reload(base).SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"]
    finally:
        monkeypatch.undo()
        importlib.reload(base)

    assert apps == [
        {
            "provider_id": "kemenb",
            "name": "SSO Kementerian B",
            "client_id": "lentera",
            "secret": "rahasia",
            "settings": {"server_url": OIDC_SERVER},
        }
    ]


@pytest.fixture
def oidc_configured(db, settings):
    """The project's provider settings (PKCE and all), with one agency's app."""
    configured = {**settings.SOCIALACCOUNT_PROVIDERS["openid_connect"], "APPS": [OIDC_APP]}
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": configured}


def test_login_page_offers_no_sso_when_unconfigured(db, client, settings):
    settings.SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"APPS": []}}

    content = client.get(en_url("account_login")).content.decode()

    assert "Sign in with your agency account" not in content


def test_login_page_offers_the_configured_agency_sso(client, oidc_configured):
    content = client.get(en_url("account_login")).content.decode()

    assert "Sign in with your agency account" in content
    assert "SSO Kementerian B" in content
    assert en_url("openid_connect_login", provider_id="instansi") in content


class FakeOpenIDProvider:
    """The agency's provider, answering allauth's server-side requests without a network."""

    def __init__(self, claims: dict) -> None:
        self.claims = claims
        self.requests: list[tuple[str, str]] = []
        self.config = {
            "issuer": OIDC_SERVER,
            "authorization_endpoint": f"{OIDC_SERVER}/protocol/openid-connect/auth",
            "token_endpoint": f"{OIDC_SERVER}/protocol/openid-connect/token",
            "userinfo_endpoint": f"{OIDC_SERVER}/protocol/openid-connect/userinfo",
            "jwks_uri": f"{OIDC_SERVER}/protocol/openid-connect/certs",
            "token_endpoint_auth_methods_supported": ["client_secret_post"],
        }

    def id_token(self) -> str:
        import jwt

        now = int(time.time())
        claims = {"iss": OIDC_SERVER, "aud": "lentera", "iat": now, "exp": now + 300}
        return jwt.encode(
            {**claims, **self.claims},
            "provider-signing-key-of-at-least-32-bytes",
            algorithm="HS256",
        )

    def install(self, monkeypatch) -> None:
        """Answer every `requests` call allauth makes (it uses a `requests.Session`)."""
        monkeypatch.setattr(
            requests.Session,
            "request",
            lambda _session, method, url, *args, **kwargs: self.request(method, url, **kwargs),
        )

    def request(self, method: str, url: str, **kwargs) -> requests.Response:
        self.requests.append((method, url))
        if url == f"{OIDC_SERVER}/.well-known/openid-configuration":
            body = self.config
        elif url == self.config["token_endpoint"] and method == "POST":
            assert kwargs["data"]["code"] == "kode-otorisasi"
            assert kwargs["data"]["client_secret"] == "rahasia"
            body = {
                "access_token": "akses-token",
                "token_type": "Bearer",
                "expires_in": 300,
                "id_token": self.id_token(),
            }
        elif url == self.config["userinfo_endpoint"]:
            assert kwargs["headers"]["Authorization"] == "Bearer akses-token"
            body = self.claims
        else:
            raise AssertionError(f"unexpected request {method} {url}")
        response = requests.Response()
        response.status_code = 200
        response.headers["Content-Type"] = "application/json"
        response._content = json.dumps(body).encode()
        response.url = url
        return response


def test_agency_sso_callback_signs_a_new_person_in(client, oidc_configured, monkeypatch):
    provider = FakeOpenIDProvider(
        {
            "sub": "asn-7781",
            "email": "dewi.lestari@kemenb.go.id",
            "email_verified": True,
            "name": "Dewi Lestari",
        }
    )
    provider.install(monkeypatch)

    to_provider = client.post(en_url("openid_connect_login", provider_id="instansi"))
    location = urlparse(to_provider["Location"])
    query = parse_qs(location.query)
    callback = client.get(
        en_url("openid_connect_callback", provider_id="instansi"),
        {"code": "kode-otorisasi", "state": query["state"][0]},
    )

    assert to_provider.status_code == 302
    assert (
        f"{location.scheme}://{location.netloc}{location.path}"
        == (provider.config["authorization_endpoint"])
    )
    assert query["client_id"] == ["lentera"]
    assert query["redirect_uri"] == [
        "http://testserver" + en_url("openid_connect_callback", provider_id="instansi")
    ]
    assert "code_challenge" in query  # PKCE
    assert callback.status_code == 302, callback.content.decode()[:2000]
    user = User.objects.get(email="dewi.lestari@kemenb.go.id")
    assert user.full_name == "Dewi Lestari"
    assert not user.has_usable_password()
    assert SocialAccount.objects.get(user=user).uid == "asn-7781"
    assert client.session["_auth_user_id"] == str(user.pk)
