"""Lentera's sign-up policy for django-allauth (ACCOUNT_ADAPTER and SOCIALACCOUNT_ADAPTER)."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.http import HttpRequest

from learners.forms import EmploymentFieldsForm
from learners.models import User


class AccountAdapter(DefaultAccountAdapter):
    """Stores the employment answers of `learners.forms.SignupForm` with the new account."""

    def save_user(self, request: HttpRequest, user: User, form, commit: bool = True) -> User:
        user = super().save_user(request, user, form, commit=False)
        # The social sign-up form (agency SSO without an e-mail claim) has no such answers.
        if isinstance(form, EmploymentFieldsForm):
            form.apply_employment(user)
        if commit:
            user.save()
        return user


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
