"""`generate_scale_data` builds a valid, reproducible data set with bulk-inserted pages."""

import io

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.db.models import Sum
from django.test import Client
from django.utils import timezone
from wagtail.models import Page

from cohorts.models import CohortMembership
from content.models import Organization
from courses.models import CoursePage, LessonPage
from demo.scale import OUTLINE_LESSONS, SIZES, SUPERVISOR_EMAIL, generate, insert_rows
from development.models import DevelopmentRecord
from learners.models import Certificate, Enrollment, LessonCompletion, User
from learners.nip import nip_parse

pytestmark = pytest.mark.django_db
TINY = SIZES["tiny"]


@pytest.fixture
def generated(db):
    return generate(size="tiny", build_index=False).generated


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_tiny_size_has_the_counts_of_its_spec(generated):
    assert CoursePage.objects.count() == TINY.courses + len(OUTLINE_LESSONS)
    assert User.objects.filter(email__endswith="@bench.lentera.id").count() == TINY.learners
    assert LessonPage.objects.descendant_of(generated.big_course).count() == TINY.big_course_lessons
    assert CohortMembership.objects.filter(cohort_id=generated.cohort_id).count() == TINY.cohort
    big = Organization.objects.get(slug="bench-pusat")
    assert User.objects.filter(organization=big, email__endswith="@bench.lentera.id").count() == (
        TINY.org_staff
    )
    assert LessonCompletion.objects.count() >= TINY.completions
    assert Enrollment.objects.filter(status="completed", jp_credited__isnull=False).exists()
    assert Certificate.objects.exists()


def test_every_size_has_outline_courses_of_2_200_and_1000_lessons(generated):
    assert [
        LessonPage.objects.live().descendant_of(course).count()
        for course in generated.outline_courses
    ] == [2, 200, 1000]
    assert not Enrollment.objects.filter(course__in=generated.outline_courses).exists()
    assert Page.find_problems() == ([], [], [], [], [])


def test_stored_progress_equals_a_recount(generated):
    from learners.progress import recount_progress

    stored = list(
        Enrollment.objects.order_by("pk").values_list(
            "pk", "required_total", "required_done", "last_completed_at"
        )
    )
    assert any(done for _pk, _total, done, _last in stored)
    recount_progress()
    assert stored == list(
        Enrollment.objects.order_by("pk").values_list(
            "pk", "required_total", "required_done", "last_completed_at"
        )
    )


def test_every_staff_member_has_dozens_of_records_in_every_status(generated):
    big = Organization.objects.get(slug="bench-pusat")
    staff = User.objects.filter(organization=big, email__endswith="@bench.lentera.id")
    records = DevelopmentRecord.objects.filter(owner__in=staff)
    assert records.count() == TINY.org_staff * TINY.records_per_person >= TINY.org_staff * 24
    assert set(records.values_list("status", flat=True)) == set(DevelopmentRecord.Status.values)
    one = records.filter(owner=staff.order_by("email").first())
    assert one.values("form").distinct().count() >= 12
    assert {day.year for day in one.dates("end_date", "year")} == {
        timezone.localdate().year - n for n in range(3)
    }
    # Generated as the services would: never in the future, JP credited only once verified and
    # within the form's yearly cap (belajar-mandiri: 10 JP a year).
    assert not records.filter(end_date__gt=timezone.localdate()).exists()
    assert not records.exclude(status="verified").exclude(jp_credited=0).exists()
    capped = (
        records.filter(form__code="belajar-mandiri", status="verified")
        .values("owner", "end_date__year")
        .annotate(total=Sum("jp_credited"))
    )
    assert max(row["total"] for row in capped) <= 10


def test_the_supervisor_leads_a_confirmed_team_with_records_to_verify(generated):
    supervisor = User.objects.get(email=SUPERVISOR_EMAIL)
    team = User.objects.filter(supervisor=supervisor, supervisor_confirmed_at__isnull=False)
    assert team.count() == TINY.team
    waiting = DevelopmentRecord.objects.filter(owner__in=team, status="submitted").count()
    assert waiting >= TINY.team
    page = _client_for(supervisor).get("/saya/pengembangan/verifikasi/")
    assert page.status_code == 200
    assert page.content.count(b"/saya/pengembangan/") >= min(waiting, 20)


def test_generated_nips_are_valid(generated):
    kinds = {
        nip_parse(nip).kind for nip in User.objects.exclude(nip=None).values_list("nip", flat=True)
    }
    assert kinds == {"pns", "pppk"}


def test_bulk_built_page_tree_has_no_problems(generated):
    assert Page.find_problems() == ([], [], [], [], [])


def test_generated_course_and_lesson_pages_render(generated):
    client = Client()
    course = CoursePage.objects.live().last()
    lesson = LessonPage.objects.live().descendant_of(course).first()
    assert client.get(course.url).status_code == 200
    assert client.get(lesson.url).status_code == 200


def test_cohort_and_compliance_pages_answer_their_roles(generated):
    cohort_page = _client_for(generated.trainer).get(f"/pelatih/kelas/{generated.cohort_id}/")
    assert cohort_page.status_code == 200
    big = Organization.objects.get(slug="bench-pusat")
    assert _client_for(generated.hr_admin).get(f"/kepatuhan/{big.pk}/").status_code == 200


def test_same_seed_gives_the_same_data(db):
    def snapshot():
        with transaction.atomic():
            generate(size="tiny", build_index=False)
            data = (
                list(CoursePage.objects.order_by("path").values_list("title", flat=True)),
                list(User.objects.order_by("email").values_list("email", "full_name", "nip")),
                Enrollment.objects.count(),
                LessonCompletion.objects.count(),
                list(
                    DevelopmentRecord.objects.order_by("owner__email", "title").values_list(
                        "title", "status", "end_date", "jp_credited"
                    )
                ),
            )
            transaction.set_rollback(True)
        cache.clear()
        return data

    assert snapshot() == snapshot()


def test_command_refuses_to_run_twice(generated):
    with pytest.raises(CommandError, match="already exists"):
        call_command("generate_scale_data", "--size", "tiny", "--no-index", stdout=io.StringIO())


def test_rows_copied_with_a_foreign_key_to_nowhere_are_refused(db):
    """On PostgreSQL as a superuser the copy skips the per-row key triggers and checks every key
    of the table at once: a dangling one fails as the triggers would."""
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            pytest.skip("COPY is PostgreSQL's; SQLite takes bulk_create")
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if not cursor.fetchone()[0]:
            pytest.skip("not a superuser: the key triggers check each row at commit")
    row = {"enrollment_id": 10**9, "lesson_id": 10**9, "completed_at": timezone.now()}
    with (
        pytest.raises(IntegrityError, match="learners_lessoncompletion.enrollment_id"),
        transaction.atomic(),
    ):
        insert_rows(LessonCompletion, [row])
