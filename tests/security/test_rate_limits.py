"""allauth's rate limits as configured in lentera.settings.base (ACCOUNT_RATE_LIMITS).

A whole office or training room signs in from one public address: everyone must get in, typos
included, while guessing one account's password stays throttled whatever the address. Every
attempt goes through the real login view, with the cache the test settings use (local memory,
emptied before each test by tests/conftest.py).
"""

import time

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from learners.factories import UserFactory

PASSWORD = "lentera-uji-123"  # learners.factories.UserFactory's
WRONG_PASSWORD = "salah-sandi-1"
OFFICE_ADDRESS = "203.0.113.10"  # documentation range (RFC 5737)
TOO_MANY_FAILURES = "Too many failed login attempts. Try again later."
NOT_CORRECT = "The email address and/or password you specified are not correct."


@pytest.fixture
def login_url(english_interface) -> str:
    with translation.override("en"):
        return reverse("account_login")


def sign_in(login_url: str, email: str, password: str, *, address: str = OFFICE_ADDRESS):
    """A fresh browser at `address` posts the login form; returns (client, response)."""
    client = Client(REMOTE_ADDR=address)
    response = client.post(login_url, {"login": email, "password": password})
    return client, response


def assert_signed_in(client: Client, response, user) -> None:
    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(user.pk)


def form_errors(response) -> list[str]:
    return response.context["form"].errors["__all__"]


@pytest.mark.django_db
def test_two_hundred_colleagues_behind_one_office_address_all_sign_in_within_a_minute(login_url):
    colleagues = UserFactory.create_batch(200)

    started = time.monotonic()
    for colleague in colleagues:
        client, response = sign_in(login_url, colleague.email, PASSWORD)
        assert_signed_in(client, response, colleague)
    # Within the one-minute window of the per-address limit: no attempt had expired.
    assert time.monotonic() - started < 60


@pytest.mark.django_db
def test_allauths_default_would_turn_the_thirty_first_colleague_away(login_url, settings):
    """Why the per-address limit is raised: allauth's default of 30 logins a minute per address
    locks most of an office out, with the translated 429 page."""
    settings.ACCOUNT_RATE_LIMITS = {"login": "30/m/ip"}
    colleagues = UserFactory.create_batch(31)

    for colleague in colleagues[:30]:
        client, response = sign_in(login_url, colleague.email, PASSWORD)
        assert_signed_in(client, response, colleague)
    client, response = sign_in(login_url, colleagues[30].email, PASSWORD)

    assert response.status_code == 429
    assert "Too many attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_forty_colleagues_who_mistype_once_from_one_address_still_sign_in(login_url):
    """allauth's default allows 10 failures a minute per address: the eleventh typist in a
    training room would be locked out with everyone after them."""
    colleagues = UserFactory.create_batch(40)

    for colleague in colleagues:
        _client, typo = sign_in(login_url, colleague.email, WRONG_PASSWORD)
        assert form_errors(typo) == [NOT_CORRECT]
        client, response = sign_in(login_url, colleague.email, PASSWORD)
        assert_signed_in(client, response, colleague)


@pytest.mark.django_db
def test_five_wrong_passwords_lock_the_account_for_five_minutes_even_with_the_right_password(
    login_url, monkeypatch
):
    target = UserFactory(email="kepala.bagian@instansi.go.id")
    colleague = UserFactory(email="rekan.kerja@instansi.go.id")

    failures = [sign_in(login_url, target.email, WRONG_PASSWORD)[1] for _attempt in range(5)]
    locked_client, locked = sign_in(login_url, target.email, PASSWORD)
    # The limit is per account (the e-mail address), not per address: a guesser cannot rotate
    # addresses, and the rest of the office is not locked out.
    elsewhere_client, elsewhere = sign_in(
        login_url, target.email, PASSWORD, address="198.51.100.20"
    )
    colleague_client, colleague_response = sign_in(login_url, colleague.email, PASSWORD)

    assert all(form_errors(response) == [NOT_CORRECT] for response in failures)
    for client, response in ((locked_client, locked), (elsewhere_client, elsewhere)):
        assert response.status_code == 200
        assert form_errors(response) == [TOO_MANY_FAILURES]
        assert "_auth_user_id" not in client.session
    assert_signed_in(colleague_client, colleague_response, colleague)

    # Five minutes later (the clock moved on, and the cache's counters expired with it).
    later = time.time() + 5 * 60 + 1
    monkeypatch.setattr(time, "time", lambda: later)
    client, response = sign_in(login_url, target.email, PASSWORD)
    assert_signed_in(client, response, target)


@pytest.mark.django_db
def test_a_successful_sign_in_does_not_reset_the_failure_count(login_url):
    """allauth rolls back only the successful attempt: a guesser who also knows one old
    password cannot interleave it to keep guessing."""
    target = UserFactory(email="operator@instansi.go.id")

    for _attempt in range(4):
        sign_in(login_url, target.email, WRONG_PASSWORD)
    client, response = sign_in(login_url, target.email, PASSWORD)
    assert_signed_in(client, response, target)
    _client, fifth = sign_in(login_url, target.email, WRONG_PASSWORD)
    _client, sixth = sign_in(login_url, target.email, WRONG_PASSWORD)

    assert form_errors(fifth) == [NOT_CORRECT]
    assert form_errors(sixth) == [TOO_MANY_FAILURES]
