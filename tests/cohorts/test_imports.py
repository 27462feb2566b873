"""Bulk enrollment from CSV/XLSX: the dry run classifies each kind of row; applying is all or
nothing; bad files get a clear message."""

import io

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from openpyxl import Workbook

from cohorts import imports
from cohorts.members import cohort_members_add
from cohorts.models import CohortInvitation, CohortMembership
from learners.factories import UserFactory
from learners.models import Enrollment

pytestmark = pytest.mark.django_db

NIP_1 = "198609262015051001"
NIP_2 = "199001012019032002"
NIP_NEW = "198512312010121003"


def _csv(text: str) -> bytes:
    return text.encode()


def _statuses(checked):
    return {row["row"]: (row["status"], row["reason"]) for row in checked.rows}


@pytest.fixture
def people(db):
    return {
        "budi": UserFactory(nip=NIP_1, email="budi@instansi.go.id", full_name="Budi"),
        "siti": UserFactory(nip=NIP_2, email="siti@instansi.go.id", full_name="Siti"),
        "rahma": UserFactory(email="rahma@instansi.go.id", full_name="Rahma"),
    }


def test_dry_run_classifies_every_kind_of_row(cohort, trainer, people):
    cohort_members_add(cohort=cohort, users=[people["siti"]], added_by=trainer)
    data = _csv(
        "nip;email\n"
        f"{NIP_1};\n"  # 2 valid, by NIP
        ";RAHMA@instansi.go.id\n"  # 3 valid, by e-mail (any case)
        f"{NIP_2};\n"  # 4 already in the cohort
        f"{NIP_NEW};baru@instansi.go.id\n"  # 5 unknown: invited
        "12345;\n"  # 6 bad NIP
        f"{NIP_1};\n"  # 7 duplicate of row 2
        "budi@instansi.go.id;\n"  # 8 e-mail in the NIP column
        ";198609262015051001\n"  # 9 NIP in the e-mail column
        f"{NIP_1};siti@instansi.go.id\n"  # 10 two different people
        ";not-an-address\n"  # 11 invalid e-mail
        "\n"  # blank rows are skipped
    )
    checked = imports.import_check(
        cohort=cohort, name="peserta.csv", data=data, uploaded_by=trainer
    )
    statuses = _statuses(checked)
    assert statuses[2][0] == imports.VALID
    assert statuses[3][0] == imports.VALID
    assert statuses[4][0] == imports.ALREADY_ENROLLED
    assert statuses[5] == (imports.UNKNOWN, "")
    assert {row: status for row, (status, _r) in statuses.items() if row >= 6} == dict.fromkeys(
        range(6, 12), imports.INVALID
    )
    assert "NIP" in statuses[6][1]
    assert "row 2" in statuses[7][1]
    assert "Wrong column" in statuses[8][1]
    assert "Wrong column" in statuses[9][1]
    assert "different people" in statuses[10][1]
    # A dry run changes nothing.
    assert Enrollment.objects.count() == 1
    assert not CohortInvitation.objects.exists()


def test_apply_refuses_a_file_with_invalid_rows_and_changes_nothing(cohort, trainer, people):
    data = _csv(f"nip,email\n{NIP_1},\n12345,\n")
    checked = imports.import_check(cohort=cohort, name="a.csv", data=data, uploaded_by=trainer)
    with pytest.raises(imports.ImportNotApplied):
        imports.import_apply(cohort_import=checked, applied_by=trainer)
    assert not Enrollment.objects.exists()
    checked.refresh_from_db()
    assert checked.applied_at is None


def test_apply_enrolls_and_invites_all_at_once(cohort, trainer, people):
    data = _csv(f"NIP,E-mail\n{NIP_1},\n,rahma@instansi.go.id\n{NIP_NEW},\n")
    checked = imports.import_check(cohort=cohort, name="a.csv", data=data, uploaded_by=trainer)
    applied = imports.import_apply(cohort_import=checked, applied_by=trainer)
    assert (applied.enrolled, applied.joined, applied.invited) == (2, 0, 1)
    assert set(CohortMembership.objects.filter(cohort=cohort).values_list("via", flat=True)) == {
        CohortMembership.Via.IMPORT
    }
    assert CohortInvitation.objects.get().nip == NIP_NEW
    with pytest.raises(imports.ImportNotApplied):
        imports.import_apply(cohort_import=checked, applied_by=trainer)

    # The invited person signs up with that NIP and joins.
    # (with a verified address, and confirmed by their organization: UserFactory's default).
    newcomer = UserFactory(nip=NIP_NEW)
    EmailAddress.objects.create(user=newcomer, email=newcomer.email, verified=True, primary=True)
    from cohorts.members import invitations_accept

    invitations_accept(user=newcomer)
    assert Enrollment.objects.filter(user=newcomer, cohort_membership__cohort=cohort).exists()


def test_apply_refuses_when_seats_are_short(cohort, trainer, people):
    cohort.capacity = 1
    cohort.save()
    data = _csv(f"nip\n{NIP_1}\n{NIP_2}\n")
    checked = imports.import_check(cohort=cohort, name="a.csv", data=data, uploaded_by=trainer)
    from learners.errors import EnrollmentRefused

    with pytest.raises(EnrollmentRefused):
        imports.import_apply(cohort_import=checked, applied_by=trainer)
    assert not Enrollment.objects.exists()


def test_xlsx_is_read_and_a_nip_stored_as_a_number_is_explained(cohort, trainer, people):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Nama", "NIP", "Email"])
    sheet.append(["Budi", NIP_1, None])
    sheet.append(["Siti", float(NIP_2), None])  # what Excel does to an 18-digit number
    buffer = io.BytesIO()
    workbook.save(buffer)
    checked = imports.import_check(
        cohort=cohort, name="Peserta.XLSX", data=buffer.getvalue(), uploaded_by=trainer
    )
    statuses = _statuses(checked)
    assert statuses[2][0] == imports.VALID
    assert statuses[3][0] == imports.INVALID
    assert "as a number" in statuses[3][1]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("a.pdf", b"%PDF", "Upload a .csv or .xlsx file."),
        ("a.csv", b"", "The file is empty."),
        ("a.csv", b"name,unit\nBudi,X\n", 'must name the columns: "nip", "email"'),
        ("a.csv", b"nip\n\n\n", "no rows under its header"),
        ("a.xlsx", b"not a zip file", "could not be read as an Excel workbook"),
    ],
)
def test_malformed_files_get_a_clear_message(cohort, trainer, name, data, message):
    with pytest.raises(imports.ImportFileError) as error:
        imports.import_check(cohort=cohort, name=name, data=data, uploaded_by=trainer)
    assert message in str(error.value)


def test_size_and_row_limits(cohort, trainer, settings):
    settings.LENTERA_IMPORT_MAX_ROWS = 3
    rows = "".join(f"p{n}@instansi.go.id\n" for n in range(4))
    with pytest.raises(imports.ImportFileError, match="more than 3 rows"):
        imports.import_check(
            cohort=cohort, name="a.csv", data=_csv("email\n" + rows), uploaded_by=trainer
        )
    settings.LENTERA_IMPORT_MAX_BYTES = 1024 * 1024
    with pytest.raises(imports.ImportFileError, match="too large"):
        imports.import_check(
            cohort=cohort, name="a.csv", data=b"email\n" + b"x" * (1024 * 1024), uploaded_by=trainer
        )


def test_the_check_page_shows_a_nip_stored_as_a_number_as_the_person_sees_it(
    cohort, trainer, client_for
):
    workbook = Workbook()
    workbook.active.append(["NIP", "Email"])
    workbook.active.append([float(NIP_2), None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    checked = imports.import_check(
        cohort=cohort, name="peserta.xlsx", data=buffer.getvalue(), uploaded_by=trainer
    )
    checked_csv = imports.import_check(
        cohort=cohort, name="peserta.csv", data=b"nip;email\n1,99001E+17;\n", uploaded_by=trainer
    )
    assert checked.rows[0]["nip"] == "199001012019032000"  # 15 digits kept, as Excel shows
    pages = [
        client_for(trainer)
        .get(reverse("cohorts:import", args=[cohort.pk, item.pk]))
        .content.decode()
        for item in (checked, checked_csv)
    ]
    assert all("format the column as text" in page for page in pages)
    assert "199001012019032000" in pages[0]
    assert "#float" not in pages[0] and "e+17" not in pages[0].lower()
    assert "1,99001E+17" in pages[1]  # the CSV's text, as typed
