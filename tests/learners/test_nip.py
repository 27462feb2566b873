"""NIP parsing: structure, PNS/PPPK classification, specific errors, display grouping."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from learners.nip import ParsedNIP, nip_format, nip_parse

VALID = [
    # value, kind, birth date, appointed, sex, sequence
    ("198609262015051001", "pns", date(1986, 9, 26), (2015, 5), "male", 1),
    ("19860926 201505 1 001", "pns", date(1986, 9, 26), (2015, 5), "male", 1),
    ("  19860926  201505 2 999 ", "pns", date(1986, 9, 26), (2015, 5), "female", 999),
    ("19860926\t201505\n1\u00a0001", "pns", date(1986, 9, 26), (2015, 5), "male", 1),
    ("197001012000122042", "pns", date(1970, 1, 1), (2000, 12), "female", 42),
    ("200002292024011123", "pns", date(2000, 2, 29), (2024, 1), "male", 123),  # leap day
    # Digits 13-14 not a month: PPPK, not an error.
    ("199001012022211001", "pppk", date(1990, 1, 1), None, "male", 1),
    ("19900101 202421 2 015", "pppk", date(1990, 1, 1), None, "female", 15),
    ("198512312023001007", "pppk", date(1985, 12, 31), None, "male", 7),  # "00"
    ("198512312023131007", "pppk", date(1985, 12, 31), None, "male", 7),  # "13"
]


@pytest.mark.parametrize(("value", "kind", "birth_date", "appointed", "sex", "sequence"), VALID)
def test_nip_parse_reads_the_structure(value, kind, birth_date, appointed, sex, sequence):
    parsed = nip_parse(value)

    assert parsed == ParsedNIP(
        digits="".join(value.split()),
        kind=kind,
        birth_date=birth_date,
        appointed=appointed,
        sex=sex,
        sequence=sequence,
    )


INVALID = [
    # value, code, English message
    ("", "nip_length", "A NIP has 18 digits."),
    ("19860926201505100", "nip_length", "A NIP has 18 digits."),  # 17 digits
    ("1986092620150510011", "nip_length", "A NIP has 18 digits."),  # 19 digits
    ("19860926-201505-1-001", "nip_length", "A NIP has 18 digits."),
    ("1986O9262015051001", "nip_length", "A NIP has 18 digits."),  # letter O
    ("١٩٨٦٠٩٢٦٢٠١٥٠٥١٠٠١", "nip_length", "A NIP has 18 digits."),  # Arabic-Indic digits
    ("123456789", "nip_length", "A NIP has 18 digits."),  # legacy, not allowed here
    ("198602302015051001", "nip_birth_date", "The birth date in the NIP is not valid."),
    ("198613012015051001", "nip_birth_date", "The birth date in the NIP is not valid."),
    ("198600262015051001", "nip_birth_date", "The birth date in the NIP is not valid."),
    ("198609002015051001", "nip_birth_date", "The birth date in the NIP is not valid."),
    ("199902292015051001", "nip_birth_date", "The birth date in the NIP is not valid."),
    ("000001012015051001", "nip_birth_date", "The birth date in the NIP is not valid."),
    ("299901012015051001", "nip_birth_date", "The birth date in the NIP is not valid."),  # future
    (
        "198609261985051001",
        "nip_appointed_before_birth",
        "The appointment date in the NIP is before the birth date.",
    ),
    (
        "198609261986081001",
        "nip_appointed_before_birth",
        "The appointment date in the NIP is before the birth date.",
    ),
    (
        "199001011989211001",
        "nip_appointed_before_birth",
        "The appointment date in the NIP is before the birth date.",
    ),  # PPPK year before birth
    # Implausible years: a birth in year 1, before 1940, an appointment in 9999 (PNS or PPPK)
    ("000101012015051001", "nip_birth_year", "The birth year in the NIP must be 1940 or later."),
    ("193912312015051001", "nip_birth_year", "The birth year in the NIP must be 1940 or later."),
    (
        "198609269999051001",
        "nip_appointment_year",
        f"The appointment year in the NIP cannot be after {timezone.localdate().year + 1}.",
    ),
    (
        "198609269999211001",
        "nip_appointment_year",
        f"The appointment year in the NIP cannot be after {timezone.localdate().year + 1}.",
    ),
    ("198609262015050001", "nip_sex", "The sex digit in the NIP (the 15th) must be 1 or 2."),
    ("198609262015053001", "nip_sex", "The sex digit in the NIP (the 15th) must be 1 or 2."),
    (
        "198609262015051000",
        "nip_sequence",
        "The sequence number in the NIP (the last three digits) cannot be 000.",
    ),
    (
        "199001012022212000",
        "nip_sequence",
        "The sequence number in the NIP (the last three digits) cannot be 000.",
    ),
]


@pytest.mark.parametrize(("value", "code", "message"), INVALID)
def test_nip_parse_rejects_with_a_specific_error(value, code, message):
    with translation.override("en"):
        with pytest.raises(ValidationError) as raised:
            nip_parse(value)
        assert raised.value.code == code
        assert raised.value.messages == [message]


def test_nip_parse_accepts_the_plausible_year_bounds():
    assert nip_parse("194001012015051001").birth_date == date(1940, 1, 1)
    next_year = timezone.localdate().year + 1
    assert nip_parse(f"19860926{next_year}011001").appointed == (next_year, 1)


def test_nip_parse_accepts_an_appointment_in_the_birth_month():
    # Month granularity cannot tell the order apart; only an earlier month is impossible.
    assert nip_parse("198609261986091001").appointed == (1986, 9)


@pytest.mark.parametrize("value", ["010203040", " 010 203 040 "])
def test_nip_parse_accepts_legacy_nine_digits_only_when_asked(value):
    parsed = nip_parse(value, allow_legacy=True)

    assert parsed == ParsedNIP(
        digits="010203040", kind="legacy", birth_date=None, appointed=None, sex=None, sequence=None
    )
    with pytest.raises(ValidationError):
        nip_parse(value)


def test_nip_parse_with_legacy_still_validates_eighteen_digits():
    assert nip_parse("198609262015051001", allow_legacy=True).kind == "pns"
    with pytest.raises(ValidationError) as raised:
        nip_parse("12345678901", allow_legacy=True)
    assert raised.value.code == "nip_length"


@pytest.mark.parametrize(
    ("digits", "shown"),
    [
        ("198609262015051001", "19860926 201505 1 001"),
        ("19860926 201505 1 001", "19860926 201505 1 001"),
        ("199001012022211001", "19900101 202221 1 001"),
        ("010203040", "010203040"),
        ("", ""),
    ],
)
def test_nip_format_groups_eighteen_digits(digits, shown):
    assert nip_format(digits) == shown


def test_parsed_nip_prints_grouped():
    assert str(nip_parse("198609262015051001")) == "19860926 201505 1 001"
