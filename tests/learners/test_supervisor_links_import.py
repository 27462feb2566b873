"""HR sets who supervises whom from the organization's structure: a CSV of people and their
direct supervisors, all of the organization, set confirmed and audited, all or nothing, every
error listed by row; a supervisor chain that loops (counting the links already set) is
refused."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEvent
from content.factories import OrganizationFactory
from learners.factories import UserFactory, nip_for
from learners.imports import ImportRefused, supervisor_links_import
from learners.models import MembershipStatus, User
from learners.permissions import enrollments_decidable_by

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(english_interface):
    yield


@pytest.fixture
def organization(db):
    return OrganizationFactory(name="Kementerian Uji", short_name="KU", slug="ku")


@pytest.fixture
def hr(organization):
    return UserFactory(email="sdm@ku.go.id", admin_of=organization, organization=organization)


@pytest.fixture
def people(organization):
    """Four people of the organization: a head, two staff and one more, with NIPs."""
    return [
        UserFactory(
            email=f"orang{n}@ku.go.id",
            full_name=f"Orang {n}",
            nip=nip_for(500 + n),
            organization=organization,
        )
        for n in range(4)
    ]


def _import(organization, hr, text):
    return supervisor_links_import(organization=organization, text=text, imported_by=hr)


def _linked(person) -> User:
    person.refresh_from_db()
    return person


def test_links_set_by_nip_or_email_are_confirmed_and_audited(organization, hr, people):
    head, staff_a, staff_b, _other = people
    text = (
        "nip,email,supervisor_nip,supervisor_email\n"
        f"{staff_a.nip},,{head.nip},\n"
        f",{staff_b.email.upper()},,{head.email}\n"
    )
    result = _import(organization, hr, text)

    assert (result.linked, result.unchanged) == (2, 0)
    for person in (staff_a, staff_b):
        person = _linked(person)
        assert person.supervisor == head
        assert person.supervisor_accepted_at is not None
        assert person.supervisor_confirmed_at is not None
        assert person.supervisor_email == ""
    events = AuditEvent.objects.filter(action="supervisor_link_decided", actor=hr)
    assert {event.subject_user_id for event in events} == {staff_a.pk, staff_b.pk}
    assert all(event.organization_id == organization.pk for event in events)
    assert events.first().detail["source"] == "import"

    again = _import(organization, hr, text)
    assert (again.linked, again.unchanged) == (0, 2)


def test_the_imported_supervisor_decides_at_once(organization, hr, people, course_b):
    from learners.factories import EnrollmentFactory

    head, staff_a, *_rest = people
    _import(organization, hr, f"email,supervisor_email\n{staff_a.email},{head.email}\n")
    request = EnrollmentFactory(user=staff_a, course=course_b, pending=True)
    assert list(enrollments_decidable_by(head)) == [request]


def test_semicolons_as_an_indonesian_spreadsheet_saves_them(organization, hr, people):
    head, staff_a, *_rest = people
    _import(organization, hr, f"nip;supervisor_nip\n{staff_a.nip};{head.nip}\n")
    assert _linked(staff_a).supervisor == head


def test_every_bad_row_is_listed_and_nothing_changes(organization, hr, people):
    head, staff_a, staff_b, other = people
    outsider = UserFactory(email="luar@bl.go.id", nip=nip_for(900))
    text = (
        "nip,email,supervisor_nip,supervisor_email\n"
        f"{staff_a.nip},,{head.nip},\n"  # fine on its own
        f"{outsider.nip},,{head.nip},\n"  # row 3: not of the organization
        f"{staff_b.nip},,,{outsider.email}\n"  # row 4: supervisor not of the organization
        f"{other.nip},,{other.nip},\n"  # row 5: oneself
        f"{staff_a.nip},,{head.nip},\n"  # row 6: listed twice
        f"{staff_b.nip},{other.email},{head.nip},\n"  # row 7: NIP and e-mail of two people
        "123,,,\n"  # row 8: not a NIP
        f"{head.nip},,,\n"  # row 9: no supervisor
    )
    with pytest.raises(ImportRefused) as refused:
        _import(organization, hr, text)
    errors = refused.value.errors
    for row in (3, 4, 5, 6, 7, 8, 9):
        assert any(error.startswith(f"Row {row}:") for error in errors), (row, errors)
    assert not any(error.startswith("Row 2:") for error in errors)
    assert "listed more than once (first in row 2)" in " ".join(errors)
    assert _linked(staff_a).supervisor is None
    assert not AuditEvent.objects.filter(action="supervisor_link_decided").exists()


def test_missing_columns_are_named(organization, hr, people):
    with pytest.raises(ImportRefused) as refused:
        _import(organization, hr, "nama,atasan\nA,B\n")
    assert "supervisor_nip" in refused.value.errors[0]


@pytest.mark.parametrize(
    "rows",
    [
        [(1, 1)],  # A→A
        [(1, 2), (2, 1)],  # A→B→A
        [(1, 2), (2, 3), (3, 1)],  # A→B→C→A
    ],
)
def test_a_chain_that_loops_in_the_file_is_refused(organization, hr, people, rows):
    lines = "".join(f"{people[a].nip},{people[b].nip}\n" for a, b in rows)
    with pytest.raises(ImportRefused) as refused:
        _import(organization, hr, "nip,supervisor_nip\n" + lines)
    assert any("loop" in error or "own supervisor" in error for error in refused.value.errors)
    assert not User.objects.filter(pk__in=[p.pk for p in people], supervisor__isnull=False).exists()


def test_a_chain_that_loops_through_links_already_set_is_refused(organization, hr, people):
    head, staff_a, staff_b, _other = people
    _import(organization, hr, f"nip,supervisor_nip\n{staff_a.nip},{head.nip}\n")
    # staff_b named staff_a on their profile, not yet answered: it counts too.
    User.objects.filter(pk=staff_b.pk).update(supervisor=staff_a)
    with pytest.raises(ImportRefused) as refused:
        _import(organization, hr, f"nip,supervisor_nip\n{head.nip},{staff_b.nip}\n")
    assert refused.value.errors[0].startswith("Row 2: the supervisor chain loops")
    assert _linked(head).supervisor is None


def test_the_admin_sets_neither_their_own_link_nor_one_to_themself(organization, hr, people):
    head = people[0]
    hr.nip = nip_for(777)
    hr.save(update_fields=["nip"])
    with pytest.raises(ImportRefused) as refused:
        _import(
            organization,
            hr,
            f"nip,supervisor_nip\n{hr.nip},{head.nip}\n{people[1].nip},{hr.nip}\n",
        )
    errors = refused.value.errors
    assert errors[0].startswith("Row 2: your own supervisor link")
    assert errors[1].startswith("Row 3: you cannot set yourself")


def test_only_an_admin_of_the_organization_imports(organization, people):
    head, staff_a, *_rest = people
    other_hr = UserFactory(admin_of=OrganizationFactory())
    with pytest.raises(PermissionDenied):
        _import(organization, other_hr, f"nip,supervisor_nip\n{staff_a.nip},{head.nip}\n")
    with pytest.raises(PermissionDenied):
        _import(organization, head, f"nip,supervisor_nip\n{staff_a.nip},{head.nip}\n")


# The page


def _url(organization) -> str:
    return reverse("learners:supervisor_links_import", args=[organization.pk])


def _upload(content: str):
    return {"file": SimpleUploadedFile("atasan.csv", content.encode(), "text/csv")}


def test_the_page_imports_and_goes_back_to_the_members(client, organization, hr, people):
    head, staff_a, *_rest = people
    client.force_login(hr)
    assert client.get(_url(organization)).status_code == 200
    response = client.post(
        _url(organization), _upload(f"nip,supervisor_nip\n{staff_a.nip},{head.nip}\n")
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("learners:members", args=[organization.pk])
    assert _linked(staff_a).supervisor == head


def test_the_page_lists_the_errors_by_row(client, organization, hr, people):
    client.force_login(hr)
    response = client.post(
        _url(organization), _upload(f"nip,supervisor_nip\n{people[1].nip},{people[1].nip}\n")
    )
    assert response.status_code == 400
    assert "Row 2: Orang 1 cannot be their own supervisor." in response.content.decode()


def test_the_page_is_for_the_organization_s_admins_only(client, organization, people):
    client.force_login(people[0])
    assert client.get(_url(organization)).status_code == 404
    client.force_login(UserFactory(admin_of=OrganizationFactory()))
    response = client.post(
        _url(organization), _upload(f"nip,supervisor_nip\n{people[1].nip},{people[0].nip}\n")
    )
    assert response.status_code == 404
    assert _linked(people[1]).supervisor is None


def test_the_members_page_links_the_import(client, organization, hr):
    client.force_login(hr)
    page = client.get(reverse("learners:members", args=[organization.pk])).content.decode()
    assert _url(organization) in page


# The command line, for a whole organization's structure from its HR system


def test_the_command_imports_as_the_admin_it_names(organization, hr, people, tmp_path):
    import io

    from django.core.management import CommandError, call_command

    head, staff_a, *_rest = people
    links = tmp_path / "atasan.csv"
    links.write_text(f"nip;supervisor_nip\n{staff_a.nip};{head.nip}\n", encoding="utf-8")
    output = io.StringIO()
    call_command(
        "import_org_structure", "supervisors", "ku", str(links), by=hr.email, stdout=output
    )
    assert "1 linked, 0 already set." in output.getvalue()
    assert _linked(staff_a).supervisor == head
    assert AuditEvent.objects.filter(actor=hr, subject_user=staff_a).exists()

    with pytest.raises(CommandError, match="--by"):
        call_command("import_org_structure", "supervisors", "KU", str(links))
    with pytest.raises(CommandError, match="not an admin"):
        call_command("import_org_structure", "supervisors", "KU", str(links), by=head.email)
    links.write_text(f"nip,supervisor_nip\n{head.nip},{staff_a.nip}\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Row 2: the supervisor chain loops"):
        call_command("import_org_structure", "supervisors", "KU", str(links), by=hr.email)


@pytest.mark.parametrize("status", [MembershipStatus.PENDING, MembershipStatus.REJECTED])
@pytest.mark.parametrize("side", ["person", "supervisor"])
def test_a_sign_up_hr_has_not_confirmed_is_never_linked(organization, hr, people, status, side):
    """Anyone can sign up naming an organization (and a NIP nobody took yet): until HR confirms
    them they are not its staff, so a structure file cannot make them anyone's supervisor, nor
    give them one."""
    head, staff, *_ = people
    outsider = UserFactory(
        email="mengaku@ku.go.id",
        nip=nip_for(599),
        organization=organization,
        membership_status=status,
    )
    row = f"{staff.nip},{outsider.nip}" if side == "supervisor" else f"{outsider.nip},{head.nip}"

    with pytest.raises(ImportRefused) as refused:
        _import(organization, hr, f"nip,supervisor_nip\n{row}\n")

    assert "no active, confirmed member of Kementerian Uji" in refused.value.errors[0]
    assert _linked(staff).supervisor_id is None
    assert _linked(outsider).supervisor_id is None
