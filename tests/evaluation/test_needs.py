"""Learning needs: recorded by learners, endorsed by their supervisor or organization admin,
and set against the catalog in the needs report (demand vs supply, public signal, exports)."""

import io
from datetime import UTC, datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook
from wagtail.users.models import UserProfile

from content.factories import CompetencyFactory
from content.models import Organization
from courses.factories import CourseCompetencyFactory, course_with_lessons, provider_page_of
from evaluation import services
from evaluation.models import (
    FeedbackAspect,
    LearningNeed,
    PublicFeedback,
    ServiceUnit,
)
from evaluation.selectors import needs_report
from learners.factories import UserFactory
from tests.utils import csv_download

pytestmark = pytest.mark.django_db

#: Supervisor links here are confirmed (an unconfirmed one grants nothing: learners.supervisors).
CONFIRMED = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)


@pytest.fixture
def competency(db):
    return CompetencyFactory(code="T.90", name="Analisis Kebijakan Lanjut")


@pytest.fixture
def supervisor(provider_a):
    return UserFactory(email="atasan@lpa.go.id", full_name="Pak Atasan", organization=provider_a)


@pytest.fixture
def staff(provider_a, supervisor):
    return UserFactory(
        email="staf@lpa.go.id",
        full_name="Staf Satu",
        organization=provider_a,
        supervisor=supervisor,
        supervisor_confirmed_at=CONFIRMED,
    )


@pytest.fixture
def hr_a(provider_a):
    return UserFactory(
        email="sdm@lpa.go.id", full_name="SDM A", organization=provider_a, admin_of=provider_a
    )


@pytest.fixture
def hr_b(provider_b):
    return UserFactory(
        email="sdm@kb.go.id", full_name="SDM B", organization=provider_b, admin_of=provider_b
    )


NEED = {
    "current_level": "1",
    "target_level": "3",
    "priority": "high",
    "reason": "Menyusun kajian kebijakan pelayanan tahun depan.",
    "appraisal_reference": "SKP 2025, indikator 3",
}


def need_for(user, competency, *, target=3, current=1, submit=True, **fields) -> LearningNeed:
    return services.learning_need_create(
        user=user,
        competency=competency,
        current_level=current,
        target_level=target,
        priority=fields.pop("priority", "medium"),
        reason=fields.pop("reason", "Dibutuhkan untuk tugas analisis di unit kerja."),
        submit=submit,
        **fields,
    )


# Recording needs


def test_a_learner_records_a_need_as_draft_or_for_endorsement(staff, competency, client_for):
    client = client_for(staff)
    assert client.get("/saya/kebutuhan/").status_code == 200
    response = client.post(
        "/saya/kebutuhan/", NEED | {"competency": competency.pk, "action": "submit"}
    )
    assert response.status_code == 302
    need = LearningNeed.objects.get(user=staff)
    assert (need.status, need.current_level, need.target_level) == ("submitted", 1, 3)
    assert need.submitted_at is not None

    client.post("/saya/kebutuhan/", NEED | {"competency": competency.pk, "action": "draft"})
    assert LearningNeed.objects.filter(user=staff, status="draft").count() == 1
    page = client.get("/saya/kebutuhan/").content.decode()
    assert "Analisis Kebijakan Lanjut" in page
    assert "SKP 2025, indikator 3" in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"target_level": "1"}, "The target level must be higher than your current level."),
        ({"target_level": "9"}, "Choose a target level from 1 to 5."),
        ({"reason": "Perlu."}, "Explain the reason in a sentence or two"),
        ({"reason": ""}, "Explain why you need this competency."),
        ({"competency": ""}, "Choose the competency you need to develop."),
        ({"priority": "urgent"}, "Choose low, medium or high priority."),
        ({"action": "publish"}, "Choose to save the need as a draft or to submit it."),
    ],
)
def test_a_need_form_says_precisely_what_is_wrong(staff, competency, client_for, changes, message):
    data = NEED | {"competency": competency.pk, "action": "submit"} | changes
    response = client_for(staff).post("/saya/kebutuhan/", data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not LearningNeed.objects.exists()


def test_the_database_keeps_the_target_above_the_current_level(staff, competency):
    with pytest.raises(IntegrityError), transaction.atomic():
        LearningNeed.objects.create(
            user=staff, competency=competency, current_level=3, target_level=3, reason="x" * 20
        )


def test_only_drafts_change_and_only_their_owner_touches_them(staff, competency, client_for):
    draft = need_for(staff, competency, submit=False)
    submitted = need_for(staff, competency)
    owner = client_for(staff)
    edited = owner.post(
        f"/saya/kebutuhan/{draft.pk}/",
        NEED | {"competency": competency.pk, "target_level": "4", "action": "draft"},
    )
    assert edited.status_code == 302
    draft.refresh_from_db()
    assert draft.target_level == 4
    assert owner.get(f"/saya/kebutuhan/{submitted.pk}/").status_code == 302
    with pytest.raises(services.EvaluationConflict):
        services.learning_need_delete(need=submitted, user=staff)

    other = client_for(UserFactory(email="orang.lain@lpa.go.id"))
    for url in (
        f"/saya/kebutuhan/{draft.pk}/",
        f"/saya/kebutuhan/{draft.pk}/ajukan/",
        f"/saya/kebutuhan/{draft.pk}/hapus/",
    ):
        assert (
            other.post(url, NEED | {"competency": competency.pk, "action": "submit"}).status_code
            == 404
        )
    assert "Dibutuhkan untuk tugas analisis" not in other.get("/saya/kebutuhan/").content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"

    owner.post(f"/saya/kebutuhan/{draft.pk}/ajukan/")
    draft.refresh_from_db()
    assert draft.status == "submitted"


# Endorsement


def test_the_supervisor_sees_and_endorses_only_their_staffs_needs(
    staff, supervisor, competency, provider_a, client_for
):
    mine = need_for(staff, competency)
    stranger = UserFactory(email="bukan.staf@lpa.go.id", full_name="Bukan Staf")
    theirs = need_for(stranger, competency)
    draft = need_for(staff, competency, submit=False, reason="Masih draf, belum diajukan.")
    client = client_for(supervisor)

    page = client.get("/saya/kebutuhan/pengesahan/").content.decode()
    assert "Staf Satu" in page
    assert "Bukan Staf" not in page
    assert "Masih draf" not in page
    assert "1 learning need is waiting" in client.get("/saya/kebutuhan/").content.decode()

    response = client.post("/saya/kebutuhan/pengesahan/", {"need": mine.pk, "decision": "endorse"})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert (mine.status, mine.endorsed_by) == ("endorsed", supervisor)
    for need in (theirs, draft, mine):  # not their staff, not submitted, already decided
        response = client.post(
            "/saya/kebutuhan/pengesahan/", {"need": need.pk, "decision": "endorse"}
        )
        assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "submitted"


def test_declining_needs_a_note_for_the_learner(staff, supervisor, competency, client_for):
    need = need_for(staff, competency)
    client = client_for(supervisor)
    response = client.post("/saya/kebutuhan/pengesahan/", {"need": need.pk, "decision": "reject"})
    assert response.status_code == 400
    assert "Say why the need is not endorsed" in response.content.decode()
    need.refresh_from_db()
    assert need.status == "submitted"

    client.post(
        "/saya/kebutuhan/pengesahan/",
        {"need": need.pk, "decision": "reject", "note": "Ambil dulu level 2 tahun ini."},
    )
    need.refresh_from_db()
    assert need.status == "rejected"
    assert (
        "Ambil dulu level 2 tahun ini."
        in client_for(staff).get("/saya/kebutuhan/").content.decode()
    )


def test_organization_admins_decide_only_their_organizations_needs(
    staff, competency, hr_a, hr_b, provider_b, client_for
):
    need_a = need_for(staff, competency)
    need_b = need_for(
        UserFactory(email="staf@kb.go.id", full_name="Staf KB", organization=provider_b),
        competency,
    )
    page = client_for(hr_a).get("/saya/kebutuhan/pengesahan/").content.decode()
    assert "Staf Satu" in page and "Staf KB" not in page
    assert (
        client_for(hr_a)
        .post("/saya/kebutuhan/pengesahan/", {"need": need_b.pk, "decision": "endorse"})
        .status_code
        == 404
    )
    client_for(hr_b).post("/saya/kebutuhan/pengesahan/", {"need": need_b.pk, "decision": "endorse"})
    need_a.refresh_from_db()
    need_b.refresh_from_db()
    assert (need_a.status, need_b.status) == ("submitted", "endorsed")


def test_nobody_endorses_their_own_need(hr_a, competency, client_for):
    own = need_for(hr_a, competency)
    assert "SDM A" not in client_for(hr_a).get("/saya/kebutuhan/pengesahan/").content.decode()
    with pytest.raises(services.EvaluationRefused):
        services.learning_need_decide(need=own, decided_by=hr_a, endorse=True)


# The needs report


@pytest.fixture
def dataset(provider_a, provider_b, staff, supervisor):
    """A small catalog and the needs set against it.

    - T.91 has a live course at level 3: demand at 2 and 3 is met.
    - T.92 has a live course at level 2 only: demand at level 4 is a gap.
    - T.93's only course (level 5) is unpublished: demand at level 1 is a gap.
    - T.94 has no need at all, but the public's feedback points to it: a gap too.
    """
    section_a = provider_page_of(provider_a)
    met, short, hidden, public = (
        CompetencyFactory(code=f"T.9{n}", name=name)
        for n, name in [(1, "Met"), (2, "Short"), (3, "Hidden"), (4, "Public")]
    )
    met_course = course_with_lessons(provider_page=section_a, title="Kursus Met", modules=1)
    CourseCompetencyFactory(page=met_course, competency=met, target_level=3)
    short_course = course_with_lessons(provider_page=section_a, title="Kursus Short", modules=1)
    CourseCompetencyFactory(page=short_course, competency=short, target_level=2)
    hidden_course = course_with_lessons(provider_page=section_a, title="Kursus Hidden", modules=1)
    CourseCompetencyFactory(page=hidden_course, competency=hidden, target_level=5)
    hidden_course.unpublish()

    colleague = UserFactory(
        email="rekan@lpa.go.id",
        organization=provider_a,
        supervisor=supervisor,
        supervisor_confirmed_at=CONFIRMED,
    )
    outsider = UserFactory(
        email="staf@kb.go.id",
        organization=provider_b,
        supervisor=supervisor,
        supervisor_confirmed_at=CONFIRMED,
    )

    def endorsed(user, competency, target, **fields):
        need = need_for(user, competency, target=target, current=target - 1, **fields)
        return services.learning_need_decide(need=need, decided_by=supervisor, endorse=True)

    endorsed(staff, met, 3, priority="high")
    endorsed(colleague, met, 3)
    endorsed(staff, met, 2)
    endorsed(outsider, met, 3)  # another organization
    endorsed(staff, short, 4)
    endorsed(colleague, hidden, 1)
    need_for(colleague, short, target=4, current=3)  # awaiting endorsement
    need_for(staff, short, target=2, submit=False)  # a draft counts nowhere
    declined = need_for(colleague, met, target=5, current=4)
    services.learning_need_decide(need=declined, decided_by=supervisor, endorse=False, note="Belum")

    unit = ServiceUnit.objects.create(organization=provider_a, name="Loket Perizinan", slug="loket")
    aspect = FeedbackAspect.objects.create(name="Kejelasan informasi")
    aspect.competencies.set([public, short])
    for rating in (2, 3):
        feedback = PublicFeedback.objects.create(unit=unit, rating=rating, comment="Antre lama.")
        feedback.aspects.set([aspect])
    return {"met": met, "short": short, "hidden": hidden, "public": public}


def _rows(report) -> dict:
    return {(row.code, row.target_level): row for row in report.rows}


def test_demand_is_set_against_supply_per_competency_and_level(dataset, provider_a):
    rows = _rows(needs_report(organizations=None))
    met3 = rows[("T.91", 3)]
    assert (met3.demand, met3.high_priority, met3.supply, met3.is_gap) == (3, 1, 1, False)
    assert met3.supply_titles == ["Kursus Met"]
    assert (rows[("T.91", 2)].demand, rows[("T.91", 2)].supply) == (1, 1)
    short4 = rows[("T.92", 4)]
    assert (short4.demand, short4.awaiting, short4.supply, short4.is_gap) == (1, 1, 0, True)
    assert short4.public_signal == 2
    assert (rows[("T.93", 1)].supply, rows[("T.93", 1)].is_gap) == (0, True)
    public = rows[("T.94", None)]
    assert (public.demand, public.public_signal, public.is_gap) == (0, 2, True)
    assert ("T.92", 2) not in rows  # only a draft
    assert ("T.91", 5) not in rows  # declined

    scoped = _rows(needs_report(organizations=Organization.objects.filter(pk=provider_a.pk)))
    assert scoped[("T.91", 3)].demand == 2  # without the other organization's need


def test_the_report_lists_gaps_first_with_the_public_signal_per_unit(dataset):
    report = needs_report(organizations=None)
    assert {(row.code, row.target_level) for row in report.gaps} == {
        ("T.92", 4),
        ("T.93", 1),
        ("T.94", None),
    }
    assert all(row.is_gap for row in report.rows[:3])
    [unit] = report.units
    assert (unit.unit, unit.responses, str(unit.average_rating)) == ("Loket Perizinan", 2, "2.50")
    assert {code for code, _name, _count in unit.competencies} == {"T.92", "T.94"}


def test_organization_admins_see_their_organizations_report(dataset, hr_a, hr_b, staff, client_for):
    page = client_for(hr_a).get("/saya/kebutuhan/laporan/")
    assert page.status_code == 200
    assert "Loket Perizinan" in page.content.decode()
    assert "Antre lama." in page.content.decode()
    other = client_for(hr_b).get("/saya/kebutuhan/laporan/").content.decode()
    assert "Loket Perizinan" not in other  # provider A's unit
    assert client_for(staff).get("/saya/kebutuhan/laporan/").status_code == 403


def test_the_report_exports_to_csv_and_xlsx(dataset, hr_a, provider_a, client_for):
    client = client_for(hr_a)
    csv = client.get("/saya/kebutuhan/laporan.csv")
    assert csv["Content-Type"].startswith("text/csv")
    lines = [",".join(row) for row in csv_download(csv)]
    scoped = needs_report(organizations=Organization.objects.filter(pk=provider_a.pk))
    assert len(lines) == 1 + len(scoped.rows)
    assert any(line.startswith("T.92,Short,4,1,0,1,0,2,") for line in lines)

    xlsx = client.get("/saya/kebutuhan/laporan.xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(xlsx.content), read_only=True)
    assert len(workbook.sheetnames) == 3
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    by_key = {(row[0], row[2]): row for row in rows[1:]}
    assert by_key[("T.91", 3)][3:7] == (
        2,
        1,
        0,
        1,
    )  # provider A only: demand, high, awaiting, supply
    assert by_key[("T.92", 4)][6] == 0
    organizations = list(workbook.worksheets[1].iter_rows(values_only=True))
    assert organizations[1][0] == "Lembaga Pelatihan A"
    signal = list(workbook.worksheets[2].iter_rows(values_only=True))
    assert signal[1][1] == "Loket Perizinan"


def test_the_admin_report_is_for_editors_across_organizations(dataset, editor_b, client_for):
    profile = UserProfile.get_for_user(editor_b)
    profile.preferred_language = "en"
    profile.save()
    client = client_for(editor_b)
    page = client.get("/admin/evaluasi/kebutuhan/")
    assert page.status_code == 200
    assert "Kursus Met" in page.content.decode()
    xlsx = client.get("/admin/evaluasi/kebutuhan/?export=xlsx")
    header = next(load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert header[:4] == ("Code", "Competency", "Target level", "Endorsed needs")


def test_the_report_queries_do_not_grow_with_needs(dataset, hr_a, staff, supervisor, client_for):
    client = client_for(hr_a)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/saya/kebutuhan/laporan/").status_code == 200
        return len(queries)

    count()
    few = count()
    for n in range(10):
        need = need_for(staff, CompetencyFactory(code=f"X.{n}"), target=2 + n % 3)
        services.learning_need_decide(need=need, decided_by=supervisor, endorse=True)
    assert count() == few
