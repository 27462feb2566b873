"""The filters of the JP compliance report: the one validation of the page, its CSV and XLSX
exports and the API (`/api/v1/organizations/{id}/compliance`).

Each interface answers an invalid filter its own way (the page and the exports drop it and say
so, the API answers 422), but which years, units, positions and orderings are valid is decided
here only.
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from compliance import reports
from content.inputs import id_parse
from content.models import Organization

#: Up to this many work units the filter is a drop-down; beyond, the page offers a search on
#: the units' names instead (an agency of 400 units made an 18 KB <select> on every view).
UNIT_SELECT_MAX = 30
#: The longest unit search the page accepts (unit names are at most 200 characters; nobody
#: types that much to find one).
UNIT_SEARCH_MAX = 100


class ComplianceFiltersForm(forms.Form):
    """The report's filters, named as in the page's address; choices come from the organization
    itself, so a unit or position of another organization is not a valid choice, and the years
    are those the report offers (`reports.compliance_years`).

    An organization of more than `UNIT_SELECT_MAX` units gets no unit drop-down: the unit is
    chosen from the table of units (searched by name, `unit_cari`) and checked against the
    organization's units when given."""

    tahun = forms.TypedChoiceField(label=gettext_lazy("Year"), coerce=int, required=False)
    unit = forms.ChoiceField(label=gettext_lazy("Work unit"), required=False)
    unit_cari = forms.CharField(
        label=gettext_lazy("Search work units"), required=False, max_length=UNIT_SEARCH_MAX
    )
    jabatan = forms.TypedChoiceField(
        label=gettext_lazy("Position"), coerce=int, required=False, empty_value=None
    )
    sort = forms.ChoiceField(
        required=False, choices=[(key, key) for key in reports.SORTS], widget=forms.HiddenInput
    )

    def __init__(self, data, *, organization: Organization):
        super().__init__(data)
        self.organization = organization
        self.fields["tahun"].choices = [(year, year) for year in reports.compliance_years()]
        units = reports.unit_choices(organization, limit=UNIT_SELECT_MAX + 1)
        self.unit_select = len(units) <= UNIT_SELECT_MAX
        if self.unit_select:
            self.fields["unit"].choices = [
                ("", _("All units")),
                (reports.NO_UNIT, _("No unit")),
                *[(str(pk), label) for pk, label in units],
            ]
            del self.fields["unit_cari"]
        else:
            # Validated in `clean_unit` (one query, only when a unit is given).
            self.fields["unit"] = forms.CharField(
                label=gettext_lazy("Work unit"),
                required=False,
                max_length=20,
                widget=forms.HiddenInput,
            )
        self.fields["jabatan"].choices = [
            ("", _("All positions")),
            *[(str(pk), label) for pk, label in reports.position_choices(organization)],
        ]

    def clean_unit(self) -> str:
        unit = self.cleaned_data.get("unit") or ""
        if self.unit_select or unit in ("", reports.NO_UNIT):
            return unit
        pk = id_parse(unit)
        if pk is None or not reports.unit_exists(self.organization, pk):
            raise forms.ValidationError(
                forms.ChoiceField.default_error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": unit},
            )
        return str(pk)

    @property
    def unit_search(self) -> str:
        """The valid search on the units' names ("" when none or too long)."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return (data.get("unit_cari") or "").strip()

    @classmethod
    def from_api(
        cls,
        *,
        organization: Organization,
        year: int | None,
        unit: int | None,
        position: int | None,
        sort: str,
    ) -> "ComplianceFiltersForm":
        """The same form over the API's parameters (`year`, `unit`, `position`, `sort`)."""
        data = {"tahun": year, "unit": unit, "jabatan": position, "sort": sort}
        return cls(
            {key: str(value) for key, value in data.items() if value is not None},
            organization=organization,
        )

    def filters(self) -> reports.ComplianceFilters:
        """The valid filters; an invalid one is dropped (the form shows why)."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        unit = data.get("unit") or None
        return reports.ComplianceFilters(
            year=data.get("tahun") or timezone.localdate().year,
            unit=unit if unit in (None, reports.NO_UNIT) else int(unit),
            position=data.get("jabatan"),
        )

    @property
    def sort_order(self) -> str:
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return data.get("sort") or reports.DEFAULT_SORT

    def error_text(self) -> str:
        """The errors in one line, each after its field's label (for the API)."""
        return " ".join(
            f"{self.fields[name].label or name}: {' '.join(errors)}"
            for name, errors in self.errors.items()
        )


#: The earliest year the SIASN export offers: Lentera holds no history before it.
SIASN_FIRST_YEAR = 2000


class SiasnExportForm(forms.Form):
    """The filters of HR's SIASN export: a year (this year when left out) and optionally one
    work unit of the organization (exactly that unit, as the compliance report filters)."""

    tahun = forms.IntegerField(label=gettext_lazy("Year"), required=False)
    unit = forms.TypedChoiceField(
        label=gettext_lazy("Work unit"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, data, *, organization: Organization):
        super().__init__(data)
        self.fields["unit"].choices = [
            ("", _("All units")),
            *[(str(pk), label) for pk, label in reports.unit_choices(organization)],
        ]
        self.fields["unit"].error_messages["invalid_choice"] = _(
            "This work unit is not one of %(organization)s's."
        ) % {"organization": organization.name}
        self.fields["tahun"].widget.attrs.update(
            {"min": SIASN_FIRST_YEAR, "max": timezone.localdate().year}
        )
        self.fields["tahun"].error_messages["invalid"] = _(
            "Enter the year as a number, e.g. %(year)s."
        ) % {"year": timezone.localdate().year}

    def clean_tahun(self) -> int:
        year = self.cleaned_data.get("tahun")
        this_year = timezone.localdate().year
        if year is None:
            return this_year
        if not SIASN_FIRST_YEAR <= year <= this_year:
            raise forms.ValidationError(
                _("Choose a year from %(first)s to %(last)s."),
                code="year_out_of_range",
                params={"first": SIASN_FIRST_YEAR, "last": this_year},
            )
        return year
