"""Forms for a person's own account: the sign-up form (through allauth) and the profile page.

Both ask the same employment questions (ASN status, NIP, organization, work unit, position,
rank/grade and direct supervisor), checked by one base form so the rules cannot drift apart.
"""

from itertools import groupby

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm

from content.inputs import validate_single_line
from content.models import Organization
from learners import membership
from learners.models import NIPClaim, Position, User, WorkUnit
from learners.nip import ParsedNIP, nip_format, nip_parse
from learners.supervisors import (
    SUPERVISOR_LINK_FIELDS,
    supervisor_chain_loops,
    supervisor_link_request,
    supervisor_loop_error,
)

ASN_KINDS = (User.AccountKind.PNS, User.AccountKind.PPPK)


class OrganizationGroupedIterator(forms.models.ModelChoiceIterator):
    """Choices in one <optgroup> per organization: a long list stays usable without JavaScript."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for organization, items in groupby(self.queryset, key=lambda item: item.organization):
            yield (str(organization), [self.choice(item) for item in items])


class OrganizationGroupedChoiceField(forms.ModelChoiceField):
    """A work unit or position, listed under its organization."""

    iterator = OrganizationGroupedIterator


class EmploymentFieldsForm(forms.Form):
    """Who the person is at work, as every development decision needs it (see docs/domain.md).

    The NIP is required for ASN (PNS and PPPK) and must match the status chosen; it is ignored for
    non-ASN, since without JavaScript the field cannot hide when someone changes their answer.
    A supervisor who already uses Lentera is linked by e-mail; otherwise their name and e-mail are
    kept until they join. Whether an e-mail address has an account is never revealed.
    """

    full_name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        help_text=_("As it should be printed on your certificates."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        # A line break in a name once broke every follow-up e-mail (it goes in the subject).
        validators=[validate_single_line],
    )
    account_kind = forms.ChoiceField(
        label=_("Employment status"),
        choices=User.AccountKind.choices,
        widget=forms.RadioSelect,
    )
    nip = forms.CharField(
        label=_("NIP"),
        required=False,
        max_length=30,
        help_text=_(
            "18 digits, for example 19860926 201505 1 001. Required for PNS and PPPK; "
            "leave it empty if you are not an ASN."
        ),
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "spellcheck": "false"}
        ),
    )
    organization = forms.ModelChoiceField(
        label=_("Organization (instansi)"),
        queryset=Organization.objects.order_by("name"),
        required=False,
        help_text=_("Required for PNS and PPPK."),
    )
    work_unit = OrganizationGroupedChoiceField(
        label=_("Work unit (unit kerja)"),
        queryset=WorkUnit.objects.select_related("organization").order_by(
            "organization__name", "name"
        ),
        required=False,
        help_text=_("Listed under its organization."),
    )
    position = OrganizationGroupedChoiceField(
        label=_("Position (jabatan)"),
        queryset=Position.objects.select_related("organization").order_by(
            "organization__name", "name"
        ),
        required=False,
        help_text=_("Listed under its organization."),
    )
    rank_grade = forms.CharField(
        label=_("Rank/grade (pangkat/golongan)"),
        max_length=100,
        required=False,
        help_text=_('For PNS, for example "Penata, III/c".'),
        validators=[validate_single_line],
    )
    supervisor_email = forms.EmailField(
        label=_("Direct supervisor's e-mail (atasan langsung)"),
        required=False,
        help_text=_("If your supervisor already uses Lentera, your account is linked to theirs."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    supervisor_name = forms.CharField(
        label=_("Direct supervisor's name"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        validators=[validate_single_line],
    )

    #: Whose profile this is; None while signing up.
    profile_user: User | None = None
    #: (legend, description, field names): the fields shown together, in order.
    fieldset_layout: list[tuple[str, str, list[str]]] = [
        (
            _("Your work"),
            "",
            ["account_kind", "nip", "organization", "work_unit", "position", "rank_grade"],
        ),
        (
            _("Your direct supervisor"),
            _(
                "Your direct supervisor (atasan langsung) confirms your learning plans and "
                "self-study. You can add them later on your profile."
            ),
            ["supervisor_email", "supervisor_name"],
        ),
    ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.parsed_nip: ParsedNIP | None = None
        self.supervisor: User | None = None
        #: A NIP typed that another account holds: recorded as a claim, not stored on the user.
        self.claimed_nip: str = ""

    def fieldsets(self) -> list[tuple[str, str, list[forms.BoundField]]]:
        """The visible fields grouped for the template; fields not placed end the first group."""
        placed = {name for *_text, names in self.fieldset_layout for name in names}
        groups = [
            (legend, description, [self[name] for name in names if name in self.fields])
            for legend, description, names in self.fieldset_layout
        ]
        groups[0][2].extend(field for field in self.visible_fields() if field.name not in placed)
        return groups

    def clean_nip(self) -> str:
        # account_kind is declared (and so cleaned) before nip.
        if self.cleaned_data.get("account_kind") not in ASN_KINDS:
            return ""
        value = self.cleaned_data["nip"]
        if not value.strip():
            return ""
        parsed = nip_parse(value)
        self.parsed_nip = parsed
        taken = User.objects.filter(nip=parsed.digits)
        if self.profile_user is not None:
            taken = taken.exclude(pk=self.profile_user.pk)
        if taken.exists():
            # Not refused: that would tell anyone the NIP has an account. The organization
            # admins decide who keeps it (learners.membership.nip_claim_record).
            self.claimed_nip = parsed.digits
            return ""
        return parsed.digits

    def clean(self) -> dict:
        cleaned_data = super().clean()
        self._clean_asn(cleaned_data)
        self._clean_organization_parts(cleaned_data)
        self._clean_supervisor(cleaned_data)
        return cleaned_data

    def _clean_asn(self, cleaned_data: dict) -> None:
        kind = cleaned_data.get("account_kind")
        if kind not in ASN_KINDS:
            return
        if not cleaned_data.get("organization") and "organization" not in self.errors:
            self.add_error(
                "organization",
                ValidationError(
                    _("Choose your organization: PNS and PPPK need one."), code="required"
                ),
            )
        if "nip" in self.errors:
            return
        if self.parsed_nip is None:
            self.add_error(
                "nip",
                ValidationError(_("Enter your NIP: PNS and PPPK need one."), code="required"),
            )
        elif kind == User.AccountKind.PNS and self.parsed_nip.kind == "pppk":
            self.add_error(
                "nip",
                ValidationError(
                    _(
                        "This is a PPPK number (its digits 13–14 are not a month). "
                        "Choose PPPK as your employment status, or check the number."
                    ),
                    code="nip_kind_mismatch",
                ),
            )
        elif kind == User.AccountKind.PPPK and self.parsed_nip.kind == "pns":
            self.add_error(
                "nip",
                ValidationError(
                    _(
                        "This is a PNS number (its digits 13–14 are an appointment month). "
                        "Choose PNS as your employment status, or check the number."
                    ),
                    code="nip_kind_mismatch",
                ),
            )

    def _clean_organization_parts(self, cleaned_data: dict) -> None:
        organization = cleaned_data.get("organization")
        messages = {
            "work_unit": _("This work unit belongs to another organization."),
            "position": _("This position belongs to another organization."),
        }
        for name, message in messages.items():
            part = cleaned_data.get(name)
            if part is None:
                continue
            if organization is None:
                self.add_error(
                    name,
                    ValidationError(
                        _("Choose the organization it belongs to as well."),
                        code="organization_missing",
                    ),
                )
            elif part.organization_id != organization.pk:
                self.add_error(name, ValidationError(message, code="other_organization"))

    def _clean_supervisor(self, cleaned_data: dict) -> None:
        # Stored as allauth stores account addresses, so the two compare equal.
        email = (cleaned_data.get("supervisor_email") or "").lower()
        cleaned_data["supervisor_email"] = email
        name = (cleaned_data.get("supervisor_name") or "").strip()
        cleaned_data["supervisor_name"] = name
        if not email:
            if name and "supervisor_email" not in self.errors:
                self.add_error(
                    "supervisor_email",
                    ValidationError(
                        _("Enter your supervisor's e-mail address as well."), code="required"
                    ),
                )
            return
        own_email = self.profile_user.email if self.profile_user else cleaned_data.get("email")
        if own_email and email == own_email.lower():
            self.add_error(
                "supervisor_email",
                ValidationError(_("You cannot be your own supervisor."), code="self"),
            )
            return
        # No error either way, so the form never tells whether an address has an account.
        self.supervisor = User.objects.filter(email__iexact=email, is_active=True).first()
        profile_user = self.profile_user
        if (
            profile_user is not None
            and self.supervisor is not None
            and self.supervisor.pk != profile_user.supervisor_id
            and supervisor_chain_loops(profile_user.pk, self.supervisor.pk)
        ):
            # Only someone who reports to the user can close a loop: no account is revealed.
            self.add_error("supervisor_email", supervisor_loop_error())

    def apply_employment(self, user: User) -> None:
        """Copy the cleaned answers onto `user` (not saved)."""
        data = self.cleaned_data
        previous_organization_id, previous_nip = user.organization_id, user.nip
        user.full_name = data["full_name"].strip()
        user.account_kind = data["account_kind"]
        user.nip = data.get("nip") or None
        user.organization = data.get("organization")
        membership.membership_requested(
            user, previous_organization_id=previous_organization_id, previous_nip=previous_nip
        )
        user.work_unit = data.get("work_unit")
        user.position = data.get("position")
        user.rank_grade = data.get("rank_grade", "").strip()
        # A new supervisor confirms the link before it counts (learners.supervisors).
        supervisor_link_request(
            user,
            supervisor=self.supervisor,
            name=data.get("supervisor_name", ""),
            email=data.get("supervisor_email", ""),
        )


EMPLOYMENT_FIELDS = list(EmploymentFieldsForm.base_fields)
MEMBERSHIP_FIELDS = ["membership_status", "membership_source", "membership_decided_at"]


class SignupForm(EmploymentFieldsForm, AllauthSignupForm):
    """allauth's sign-up (e-mail and password) plus the employment questions.

    `learners.adapters.AccountAdapter.save_user` stores the answers; everything the sign-up writes
    happens in one transaction, so a failure leaves no half-created account.
    """

    field_order = [
        "full_name",
        "email",
        "password1",
        "password2",
        *EMPLOYMENT_FIELDS[1:],
    ]
    fieldset_layout = [
        (_("Your account"), "", ["full_name", "email", "password1", "password2"]),
        *EmploymentFieldsForm.fieldset_layout,
    ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Labels say what to type; placeholders would only repeat them in low contrast.
        for name in ("email", "password1", "password2"):
            if name in self.fields:
                self.fields[name].widget.attrs.pop("placeholder", None)
        self.fields["email"].help_text = _("You sign in with it.")

    def save(self, request: HttpRequest) -> User:
        with transaction.atomic():
            return super().save(request)


class ProfileForm(EmploymentFieldsForm):
    """A person's own employment details; e-mail and password change on allauth's pages."""

    fieldset_layout = [
        (_("Your name"), "", ["full_name"]),
        *EmploymentFieldsForm.fieldset_layout,
    ]

    def __init__(self, *args, user: User, **kwargs) -> None:
        self.profile_user = user
        supervisor = user.supervisor
        kwargs.setdefault(
            "initial",
            {
                "full_name": user.full_name,
                "account_kind": user.account_kind,
                # A NIP claimed from another account shows as typed, awaiting the decision.
                "nip": nip_format(user.nip or membership.nip_claimed_by(user)),
                "organization": user.organization_id,
                "work_unit": user.work_unit_id,
                "position": user.position_id,
                "rank_grade": user.rank_grade,
                "supervisor_email": supervisor.email if supervisor else user.supervisor_email,
                # The account holder's name only once they confirmed: typing an address must
                # not reveal whose it is.
                "supervisor_name": (
                    supervisor.full_name
                    if supervisor and user.supervisor_confirmed_at
                    else user.supervisor_name
                ),
            },
        )
        super().__init__(*args, **kwargs)

    def save(self) -> User:
        user = self.profile_user
        with transaction.atomic():
            # Inside the transaction: what apply_employment queues runs once the user is saved.
            self.apply_employment(user)
            user.save(
                update_fields={*EMPLOYMENT_FIELDS, *SUPERVISOR_LINK_FIELDS, *MEMBERSHIP_FIELDS}
            )
            if self.claimed_nip:
                membership.nip_claim_record(
                    user=user, nip=self.claimed_nip, source=NIPClaim.Source.PROFILE
                )
            else:
                membership.nip_claims_withdraw(user=user)
            if membership.membership_confirm_automatically(user=user):
                transaction.on_commit(
                    lambda: membership.identity_verified.send(sender=User, user=user)
                )
        return user


class AdminPasswordLoginClosedForm(WagtailLoginForm):
    """Wagtail's own login form, refusing every attempt (set as WAGTAILADMIN_USER_LOGIN_FORM).

    Wagtail's /admin/login/ checks the password alone, which would skip two-factor
    authentication and allauth's rate limits. Every sign-in goes through allauth instead; this is
    the safety net should the URL ever be reached.
    """

    def clean(self):
        raise ValidationError(
            _("Please sign in on Lentera's sign-in page: it also asks for your two-factor code."),
            code="use_account_login",
        )
