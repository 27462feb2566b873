"""The NIP (Nomor Induk Pegawai), the employee number of Indonesia's civil servants (ASN).

A PNS NIP has 18 digits and no check digit: birth date ``YYYYMMDD``, first appointment ``YYYYMM``,
sex (``1`` male, ``2`` female) and a sequence ``001``-``999``, so only its structure can be
validated. PPPK numbers are also 18 digits, but digits 13-14 are not a month (BKN gives them a fixed
code): those are classified as PPPK rather than rejected. Nine-digit NIPs from before 1999 appear
only in imported records, so they are accepted only when the caller asks for them.
"""

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

NIPKind = Literal["pns", "pppk", "legacy"]
Sex = Literal["male", "female"]

NIP_LENGTH = 18
#: No one born earlier still serves (retirement comes at 58 to 65): an earlier year is a typo.
NIP_EARLIEST_BIRTH_YEAR = 1940
LEGACY_NIP_LENGTH = 9

_DIGITS = re.compile(r"[0-9]+")  # ASCII only: str.isdigit() also accepts "١٢٣" and "²"
_SEX = {"1": "male", "2": "female"}


@dataclass(frozen=True)
class ParsedNIP:
    """A structurally valid NIP and what it says about its holder."""

    digits: str
    kind: NIPKind
    birth_date: date | None
    # (year, month) of the first appointment as PNS; PPPK numbers carry no month, legacy ones
    # carry nothing.
    appointed: tuple[int, int] | None
    sex: Sex | None
    sequence: int | None

    def __str__(self) -> str:
        return nip_format(self.digits)


def nip_normalize(value: str) -> str:
    """The NIP without the spaces people type between its groups (``19860926 201505 1 001``)."""
    return "".join(value.split())


def nip_parse(value: str, *, allow_legacy: bool = False) -> ParsedNIP:
    """Parse and validate a NIP, raising `ValidationError` with a specific message and code.

    `allow_legacy` accepts nine-digit NIPs, for imports of old records only.
    """
    digits = nip_normalize(value)
    if not _DIGITS.fullmatch(digits) or len(digits) not in (
        (NIP_LENGTH, LEGACY_NIP_LENGTH) if allow_legacy else (NIP_LENGTH,)
    ):
        if allow_legacy:
            raise ValidationError(
                _("A NIP has 18 digits (9 in records from before 1999)."), code="nip_length"
            )
        raise ValidationError(_("A NIP has 18 digits."), code="nip_length")
    if len(digits) == LEGACY_NIP_LENGTH:
        return ParsedNIP(
            digits=digits, kind="legacy", birth_date=None, appointed=None, sex=None, sequence=None
        )

    try:
        birth_date = date(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        birth_date = None
    if birth_date is None or birth_date > timezone.localdate():
        raise ValidationError(_("The birth date in the NIP is not valid."), code="nip_birth_date")
    if birth_date.year < NIP_EARLIEST_BIRTH_YEAR:
        raise ValidationError(
            _("The birth year in the NIP must be %(year)s or later.")
            % {"year": NIP_EARLIEST_BIRTH_YEAR},
            code="nip_birth_year",
        )

    appointment_year, code = int(digits[8:12]), int(digits[12:14])
    # Numbers are given on appointment, at most a year ahead (a formation announced in
    # December): "9999" is a typing error, not a date.
    latest_year = timezone.localdate().year + 1
    if appointment_year > latest_year:
        raise ValidationError(
            _("The appointment year in the NIP cannot be after %(year)s.") % {"year": latest_year},
            code="nip_appointment_year",
        )
    kind: NIPKind = "pns" if 1 <= code <= 12 else "pppk"
    appointed = (appointment_year, code) if kind == "pns" else None
    # A PPPK number still starts its middle part with the appointment year.
    if (appointment_year, code if kind == "pns" else 12) < (birth_date.year, birth_date.month):
        raise ValidationError(
            _("The appointment date in the NIP is before the birth date."),
            code="nip_appointed_before_birth",
        )

    sex = _SEX.get(digits[14])
    if sex is None:
        raise ValidationError(
            _("The sex digit in the NIP (the 15th) must be 1 or 2."), code="nip_sex"
        )

    sequence = int(digits[15:18])
    if sequence == 0:
        raise ValidationError(
            _("The sequence number in the NIP (the last three digits) cannot be 000."),
            code="nip_sequence",
        )

    return ParsedNIP(
        digits=digits,
        kind=kind,
        birth_date=birth_date,
        appointed=appointed,
        sex=sex,
        sequence=sequence,
    )


def nip_format(digits: str) -> str:
    """An 18-digit NIP grouped as printed on documents: ``19860926 201505 1 001``.

    Anything else (a legacy nine-digit NIP, an empty value) comes back without its spaces.
    """
    digits = nip_normalize(digits or "")
    if len(digits) != NIP_LENGTH:
        return digits
    return f"{digits[0:8]} {digits[8:14]} {digits[14]} {digits[15:18]}"


def nip_mask(digits: str) -> str:
    """A NIP with its middle hidden (birth and appointment dates are personal data): enough to
    tell two people apart on a trainer's screen, not enough to reconstruct it."""
    digits = nip_normalize(digits or "")
    if len(digits) < 8:
        return "*" * len(digits)
    return digits[:4] + "*" * (len(digits) - 7) + digits[-3:]
