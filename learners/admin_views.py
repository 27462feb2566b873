"""Wagtail's user admin adapted to the e-mail login and single full-name field."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet


class FullNameFormMixin(forms.Form):
    """Replaces Wagtail's first and last name fields with one full name."""

    first_name = None
    last_name = None
    full_name = forms.CharField(label=_("Full name"), max_length=200)


class LenteraUserCreationForm(FullNameFormMixin, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        fields = ["email", "full_name", "is_superuser", "groups"]


class LenteraUserEditForm(FullNameFormMixin, UserEditForm):
    class Meta(UserEditForm.Meta):
        fields = ["email", "full_name", "is_active", "is_superuser", "groups"]


class UserViewSet(WagtailUserViewSet):
    def get_form_class(self, for_update=False):
        return LenteraUserEditForm if for_update else LenteraUserCreationForm
