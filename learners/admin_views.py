"""Wagtail's user admin adapted to the e-mail login and single full-name field, with staff
access to a person's record written to the audit log."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views.users import EditView as WagtailUserEditView
from wagtail.users.views.users import UserViewSet as WagtailUserViewSet

from audit.services import Action, audit_record


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


class UserEditView(WagtailUserEditView):
    """Opening or saving someone else's account is recorded (UU PDP: a log of processing)."""

    def _audit(self, action: str, **detail) -> None:
        if self.object.pk != self.request.user.pk:
            audit_record(
                self.request.user,
                action,
                organization=self.object.organization_id,
                subject=self.object,
                detail={"via": "admin", **detail},
            )

    def get(self, request, *args, **kwargs):
        self._audit(Action.RECORD_VIEWED)
        return super().get(request, *args, **kwargs)

    def save_instance(self):
        instance = super().save_instance()
        # Field names only: the values are personal data, and passwords are never logged.
        changed = sorted(name for name in self.form.changed_data if "password" not in name)
        self._audit(Action.PROFILE_EDITED, fields=changed)
        return instance


class UserViewSet(WagtailUserViewSet):
    edit_view_class = UserEditView

    def get_form_class(self, for_update=False):
        return LenteraUserEditForm if for_update else LenteraUserCreationForm
