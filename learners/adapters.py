"""Lentera's sign-up policy for django-allauth (ACCOUNT_ADAPTER and SOCIALACCOUNT_ADAPTER)."""

from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.contrib.sites.requests import RequestSite
from django.http import HttpRequest

from learners import membership
from learners.forms import EmploymentFieldsForm
from learners.models import NIPClaim, User


class PublicSite(RequestSite):
    """Lentera under its own name and public address (WAGTAIL_SITE_NAME, BASE_URL)."""

    def __init__(self):
        self.name = settings.WAGTAIL_SITE_NAME
        self.domain = urlsplit(settings.WAGTAILADMIN_BASE_URL).netloc


class AccountAdapter(DefaultAccountAdapter):
    """Stores the employment answers of `learners.forms.SignupForm` with the new account.

    The organization chosen waits for confirmation, and a NIP another account holds becomes a
    claim for the organization admins (see learners.membership): the sign-up answers the same
    whatever accounts exist.
    """

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # Without Django's sites framework allauth names the site after the host the request
        # came in on ("127.0.0.1:8101"); its e-mails say "Lentera" and the public address.
        super().send_mail(template_prefix, email, {"current_site": PublicSite(), **context})

    def save_user(self, request: HttpRequest, user: User, form, commit: bool = True) -> User:
        user = super().save_user(request, user, form, commit=False)
        # The social sign-up form (agency SSO without an e-mail claim) has no such answers.
        is_employment_form = isinstance(form, EmploymentFieldsForm)
        if is_employment_form:
            form.apply_employment(user)
        if commit:
            user.save()
            if is_employment_form and form.claimed_nip:
                membership.nip_claim_record(
                    user=user, nip=form.claimed_nip, source=NIPClaim.Source.SIGNUP
                )
        return user


def _claims(extra_data: dict) -> dict:
    """The OpenID Connect claims allauth kept: the ID token's, then the userinfo answer's."""
    if "userinfo" in extra_data or "id_token" in extra_data:
        return {**(extra_data.get("id_token") or {}), **(extra_data.get("userinfo") or {})}
    return extra_data


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Accounts created through an agency's single sign-on (OpenID Connect)."""

    def populate_user(self, request: HttpRequest, sociallogin, data: dict) -> User:
        user = super().populate_user(request, sociallogin, data)
        # Lentera keeps one full name (see learners.models.User); OpenID Connect's `name` claim
        # is that, the given/family pair is the fallback.
        name = data.get("name") or " ".join(
            part for part in (data.get("first_name"), data.get("last_name")) if part
        )
        if name and not user.full_name:
            user.full_name = name.strip()[: User._meta.get_field("full_name").max_length]
        return user

    def save_user(self, request: HttpRequest, sociallogin, form=None) -> User:
        """A new account from the agency's sign-on: a member of the organization its claim
        names (if the sign-on may vouch for it), and its verified e-mail counts at once."""
        organization = membership.sso_organization(_claims(sociallogin.account.extra_data))
        if organization is not None and sociallogin.user.organization_id is None:
            sociallogin.user.organization = organization
        user = super().save_user(request, sociallogin, form)
        membership.membership_confirm_automatically(user=user, sso_organization=organization)
        if membership.verified_emails(user):
            membership.email_verified(user=user)
        return user

    def pre_social_login(self, request: HttpRequest, sociallogin) -> None:
        """Signing in again through the sign-on confirms a pending membership it vouches for."""
        super().pre_social_login(request, sociallogin)
        if sociallogin.is_existing:
            organization = membership.sso_organization(_claims(sociallogin.account.extra_data))
            if organization is not None:
                membership.membership_confirm_automatically(
                    user=sociallogin.user, sso_organization=organization
                )
