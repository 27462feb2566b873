"""Demo staff of KemenPANRB with a year of learning, so the organization admin's JP compliance
report has something to show on a fresh `make run`: units that reach the 20 JP target, units
that do not, and PPPK staff beside them.

The people are fixed (names, units, positions, valid NIPs) and have no usable password: they
exist for the report, not to sign in. Their completions are history, as an import from an
agency's records would bring: completed enrollments with their JP credited, without lesson
completions or certificates. Completion dates are spread over this year up to today (and some
over last year). `seed_staff()` needs the organizations' units and positions (`seed_people`)
and the catalog; a second run creates nothing.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from content.models import Organization
from courses.models import CoursePage
from learners.models import Enrollment, MembershipStatus, Position, User, WorkUnit
from learners.selectors import year_bounds

ORGANIZATION = "kemenpanrb"

UNITS = {
    "yanlik": "Deputi Bidang Pelayanan Publik",
    "sdma": "Deputi Bidang Sumber Daya Manusia Aparatur",
    "biro": "Biro Sumber Daya Manusia dan Umum",
}
POSITIONS = {
    "ak": ("Analis Kebijakan Ahli Muda", "Penata Tingkat I, III/d"),
    "sdm": ("Analis Sumber Daya Manusia Aparatur Ahli Pertama", "Penata Muda, III/a"),
    "kabag": ("Kepala Bagian Kepegawaian", "Pembina, IV/a"),
}


@dataclass(frozen=True)
class StaffMember:
    """One demo staff member and how many courses they completed this year and last year.

    With the demo catalog's courses of 2-2.5 JP, ten courses or more reach the 20 JP target.
    """

    full_name: str
    sex: int  # the NIP's sex digit: 1 male, 2 female
    unit: str
    position: str
    this_year: int
    last_year: int = 0
    kind: str = User.AccountKind.PNS


STAFF = [
    # Deputi Bidang Pelayanan Publik: most have reached the target.
    StaffMember("Ahmad Fauzi", 1, "yanlik", "ak", 10, 1),
    StaffMember("Ratih Purwasih", 2, "yanlik", "ak", 11),
    StaffMember("Bagus Setiawan", 1, "yanlik", "ak", 10),
    StaffMember("Intan Permata", 2, "yanlik", "sdm", 10, 1),
    StaffMember("Joko Sulistyo", 1, "yanlik", "ak", 11),
    StaffMember("Mayang Sari", 2, "yanlik", "sdm", 10),
    StaffMember("Rudi Setiadi", 1, "yanlik", "ak", 10),
    StaffMember("Siti Nurhaliza", 2, "yanlik", "sdm", 10),
    StaffMember("Dimas Pratama", 1, "yanlik", "ak", 10),
    StaffMember("Fitria Ningsih", 2, "yanlik", "sdm", 10, 1),
    StaffMember("Hendra Wijaya", 1, "yanlik", "kabag", 11),
    StaffMember("Lestari Wahyuni", 2, "yanlik", "ak", 2, 2),
    StaffMember("Yoga Aditya", 1, "yanlik", "sdm", 10),
    StaffMember("Putri Ayuningtyas", 2, "yanlik", "sdm", 11, kind=User.AccountKind.PPPK),
    StaffMember("Arifin Siregar", 1, "yanlik", "ak", 4, kind=User.AccountKind.PPPK),
    # Deputi Bidang Sumber Daya Manusia Aparatur: half way there.
    StaffMember("Nurul Hidayah", 2, "sdma", "sdm", 10),
    StaffMember("Eko Prasetyo", 1, "sdma", "sdm", 11),
    StaffMember("Dian Kartika", 2, "sdma", "ak", 10, 1),
    StaffMember("Galih Saputra", 1, "sdma", "sdm", 10),
    StaffMember("Wulandari Puspita", 2, "sdma", "ak", 10),
    StaffMember("Irfan Maulana", 1, "sdma", "kabag", 10),
    StaffMember("Rina Oktaviani", 2, "sdma", "sdm", 9, 2),
    StaffMember("Taufik Ismail", 1, "sdma", "sdm", 6, 3),
    StaffMember("Sri Mulyani", 2, "sdma", "ak", 5, 1),
    StaffMember("Andi Kurniawan", 1, "sdma", "sdm", 3, 3),
    StaffMember("Mega Puspitasari", 2, "sdma", "sdm", 0, 2),
    StaffMember("Fajri Maulidan", 1, "sdma", "ak", 1),
    StaffMember("Novi Rahmawati", 2, "sdma", "sdm", 13, kind=User.AccountKind.PPPK),
    StaffMember("Bayu Firmansyah", 1, "sdma", "sdm", 7, kind=User.AccountKind.PPPK),
    # Biro Sumber Daya Manusia dan Umum: far from the target.
    StaffMember("Kurniasih Lestari", 2, "biro", "kabag", 10),
    StaffMember("Agung Wibowo", 1, "biro", "sdm", 11),
    StaffMember("Yulia Safitri", 2, "biro", "sdm", 7, 2),
    StaffMember("Hari Purnomo", 1, "biro", "sdm", 5, 3),
    StaffMember("Desi Ratnasari", 2, "biro", "sdm", 4),
    StaffMember("Bambang Irawan", 1, "biro", "ak", 2, 3),
    StaffMember("Lia Amalia", 2, "biro", "sdm", 0),
    StaffMember("Rizky Ramadhan", 1, "biro", "sdm", 1, 2),
    StaffMember("Sinta Melati", 2, "biro", "ak", 3),
    StaffMember("Dodi Supriadi", 1, "biro", "sdm", 2, kind=User.AccountKind.PPPK),
    StaffMember("Ayunda Kusuma", 2, "biro", "sdm", 0, 1, kind=User.AccountKind.PPPK),
]


def staff_email(member: StaffMember) -> str:
    return f"{slugify(member.full_name).replace('-', '.')}.staf@lentera.localhost"


def staff_nip(number: int, member: StaffMember) -> str:
    """A structurally valid NIP (see learners.nip), different for every demo staff member."""
    birth = date(1970 + (number * 7) % 28, 1 + (number * 5) % 12, 1 + (number * 11) % 28)
    if member.kind == User.AccountKind.PPPK:
        # PPPK numbers carry a fixed code where a PNS number has the appointment month.
        appointed = f"{2022 + number % 3}21"
    else:
        appointed = f"{birth.year + 23 + number % 6}{1 + (number * 3) % 12:02d}"
    return f"{birth:%Y%m%d}{appointed}{member.sex}{101 + number:03d}"


def _catalog() -> tuple[list[CoursePage], list[CoursePage]]:
    """The live courses in a fixed order: those anyone may join, then cohort courses (taken
    only by the few who completed everything else)."""
    courses = list(CoursePage.objects.live().defer_streamfields().order_by("slug"))
    return (
        [course for course in courses if course.enrollment_policy != "cohort"],
        [course for course in courses if course.enrollment_policy == "cohort"],
    )


def _completions(number: int, member: StaffMember, user: User, catalog) -> list[Enrollment]:
    open_courses, cohort_courses = catalog
    if not open_courses:
        return []
    now = timezone.now()
    this_start, _end = year_bounds(timezone.localdate().year)
    last_start, _end = year_bounds(timezone.localdate().year - 1)
    taken = min(member.this_year, len(open_courses))
    this_year = [open_courses[(number + k) % len(open_courses)] for k in range(taken)]
    this_year += cohort_courses[: max(0, member.this_year - taken)]
    last_year = [
        open_courses[(number + taken + k) % len(open_courses)]
        for k in range(min(member.last_year, len(open_courses) - taken))
    ]
    enrollments = []
    for k, course in enumerate(this_year):
        # Spread over this year up to now, differently for each person.
        share = ((number * 37 + k * 101) % 1000 + 1) / 1002
        enrollments.append(_completed(user, course, this_start + (now - this_start) * share, k))
    for k, course in enumerate(last_year):
        completed_at = last_start + timedelta(
            days=(number * 29 + k * 67) % 360, hours=8 + (number + k) % 9
        )
        enrollments.append(_completed(user, course, completed_at, k))
    return enrollments


def _completed(user: User, course: CoursePage, completed_at, k: int) -> Enrollment:
    return Enrollment(
        user=user,
        course=course,
        status=Enrollment.Status.COMPLETED,
        started_at=completed_at - timedelta(days=3 + k % 10),
        completed_at=completed_at,
        ended_at=completed_at,
        jp_credited=course.jp,
    )


def seed_staff(organizations: dict[str, Organization], report) -> None:
    """Create the demo staff that do not exist yet, with their completed courses.

    `report` is `demo.builders.SeedReport` (anything with `add(kind, count)`).
    """
    organization = organizations.get(ORGANIZATION)
    if organization is None:
        return
    existing = set(
        User.objects.filter(email__in=[staff_email(member) for member in STAFF]).values_list(
            "email", flat=True
        )
    )
    missing = [
        (number, member)
        for number, member in enumerate(STAFF)
        if staff_email(member) not in existing
    ]
    if not missing:
        return
    units = {
        key: WorkUnit.objects.get(organization=organization, name=name, parent=None)
        for key, name in UNITS.items()
    }
    positions = {
        key: Position.objects.get(organization=organization, name=name)
        for key, (name, _rank) in POSITIONS.items()
    }
    catalog = _catalog()
    enrollments = []
    for number, member in missing:
        # One by one (40 rows): saving keeps the admin's people search index up to date.
        user = User(
            email=staff_email(member),
            full_name=member.full_name,
            account_kind=member.kind,
            nip=staff_nip(number, member),
            organization=organization,
            membership_status=MembershipStatus.CONFIRMED,
            work_unit=units[member.unit],
            position=positions[member.position],
            rank_grade=POSITIONS[member.position][1] if member.kind == "pns" else "",
        )
        user.set_unusable_password()
        user.full_clean()
        user.save()
        enrollments.extend(_completions(number, member, user, catalog))
    created = Enrollment.objects.bulk_create(enrollments)
    # Requested when they started, not when the demo ran (auto_now_add set it to now).
    Enrollment.objects.filter(user__email__in=[staff_email(m) for _n, m in missing]).update(
        created_at=F("started_at")
    )
    report.add("staff", len(missing))
    report.add("enrollments", len(created))
