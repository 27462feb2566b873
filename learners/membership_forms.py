"""Forms of the organization admin's people pages and the sign-up page's NIP help: someone
whose NIP is already taken asks the organization to check it (`NIPHelpForm`), and an admin
uploads the staff list that confirms members (`StaffListForm`); both feed `learners.membership`."""

from django import forms
from django.utils.translation import gettext_lazy as _

from content.models import Organization
from learners.nip import nip_parse


class NIPHelpForm(forms.Form):
    """ "My NIP is used by someone else": a request the organization admins see.

    The answer is the same whether or not an account holds the NIP (learners.membership)."""

    full_name = forms.CharField(
        label=_("Full name"), max_length=200, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("The organization admin answers you at this address."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    nip = forms.CharField(
        label=_("NIP"),
        max_length=30,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"}
        ),
    )
    organization = forms.ModelChoiceField(
        label=_("Organization (instansi)"), queryset=Organization.objects.order_by("name")
    )
    message = forms.CharField(
        label=_("What happened?"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_nip(self) -> str:
        return nip_parse(self.cleaned_data["nip"]).digits

    def clean_full_name(self) -> str:
        return " ".join(self.cleaned_data["full_name"].split())


class StaffListForm(forms.Form):
    """The organization admin's list of their staff, to confirm the pending people it names."""

    file = forms.FileField(
        label=_("Staff list (CSV)"),
        help_text=_(
            'A column "nip", a column "email", or both. People of your organization whose '
            "verified e-mail address (or, for a row with a NIP only, whose NIP) is listed are "
            "confirmed; nothing changes if a row has an error."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )


class SupervisorLinksForm(forms.Form):
    """The organization admin's list of who supervises whom (`learners.imports`)."""

    file = forms.FileField(
        label=_("Supervisor links (CSV)"),
        help_text=_(
            'A column "nip" or "email" of each person and a column "supervisor_nip" or '
            '"supervisor_email" of their direct supervisor, all people of your organization. '
            "The links are set confirmed; nothing changes if a row has an error."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
