"""The cohort page of a long course charts completion per module, one module's lessons at a
time (`?modul=`), and its HTML and queries stay the same however many lessons the course has;
a short course keeps its chart per lesson. The learners table's unit filter is a drop-down only
for a few units."""

import re

import pytest
from django.contrib.auth.hashers import make_password
from django.urls import reverse
from django.utils import timezone

from cohorts import selectors, statistics
from cohorts.members import cohort_members_add
from cohorts.selectors import LessonColumn
from cohorts.services import cohort_create
from cohorts.views import LESSON_CHART_MAX, MODULES_PER_PAGE, UNIT_SELECT_MAX
from courses.factories import LessonPageFactory, course_with_lessons_in_bulk, provider_page_of
from courses.models import LessonPage, ModulePage
from learners.factories import UserFactory, WorkUnitFactory
from learners.models import Enrollment, LessonCompletion, User
from learners.progress import recount_progress
from tests.utils import count_queries

pytestmark = pytest.mark.django_db


def _cohort(provider, *, modules: int, lessons_per_module: int, learners: int = 4):
    """A cohort of `learners` on a course of `modules` modules; every learner has done the
    first lesson of module 1, the first half of them every lesson of module 2. The course is
    built in bulk (up to 300 lessons, before anyone enrolls)."""
    course = course_with_lessons_in_bulk(
        provider_page=provider_page_of(provider),
        title=f"Kursus {modules}x{lessons_per_module}",
        modules=modules,
        lessons_per_module=lessons_per_module,
    )
    trainer = UserFactory(trainer_of=course)
    cohort = cohort_create(
        course=course,
        name="Angkatan Panjang",
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + timezone.timedelta(days=30),
        created_by=trainer,
    )
    start = User.objects.count()
    users = User.objects.bulk_create(
        User(email=f"m{n}@instansi.go.id", full_name=f"M {n}", password=make_password(None))
        for n in range(start, start + learners)
    )
    cohort_members_add(cohort=cohort, users=users, added_by=trainer)
    lessons = list(LessonPage.objects.descendant_of(course).order_by("path"))
    enrollments = list(Enrollment.objects.filter(cohort_membership__cohort=cohort))
    done = [(e, lessons[0]) for e in enrollments] + [
        (e, lesson)
        for e in enrollments[: learners // 2]
        for lesson in lessons[lessons_per_module : 2 * lessons_per_module]
    ]
    LessonCompletion.objects.bulk_create(
        LessonCompletion(enrollment=e, lesson=lesson, completed_at=timezone.now())
        for e, lesson in done
    )
    recount_progress(Enrollment.objects.filter(cohort_membership__cohort=cohort))
    return cohort, trainer


def _url(cohort, **params):
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return reverse("cohorts:detail", args=[cohort.pk]) + (f"?{query}" if query else "")


def _cells(html: str) -> int:
    """The heatmap cells on the page (one `<rect>` each in the chart's cell groups)."""
    return len(re.findall(r'<g class="chart-heat-[^"]*"><title>', html))


def test_module_share_counts_required_lessons_only():
    lessons = [
        LessonColumn(id=1, title="a", module="M1", is_quiz=False, completed=4),
        LessonColumn(id=2, title="b", module="M1", is_quiz=False, completed=0),
        LessonColumn(id=3, title="c", module="M1", is_quiz=False, completed=4, required=False),
        LessonColumn(id=4, title="d", module="M2", is_quiz=False, completed=1, required=False),
    ]
    modules = statistics.module_completion(lessons, learners=4)
    assert [(m.number, m.title, m.percent) for m in modules] == [(1, "M1", 50), (2, "M2", 25)]
    assert [len(m.lessons) for m in modules] == [3, 1]
    assert statistics.module_completion(lessons, learners=0)[0].percent is None


def test_a_short_course_keeps_its_chart_per_lesson(client_for, provider_a):
    cohort, trainer = _cohort(provider_a, modules=2, lessons_per_module=3)
    html = client_for(trainer).get(_url(cohort)).text
    assert "Completion per lesson" in html
    assert "Completion per module" not in html
    assert _cells(html) == 6


def test_a_long_course_charts_modules_and_one_module_on_demand(client_for, provider_a):
    modules = MODULES_PER_PAGE + 5
    cohort, trainer = _cohort(provider_a, modules=modules, lessons_per_module=2)
    assert modules * 2 > LESSON_CHART_MAX
    client = client_for(trainer)

    html = client.get(_url(cohort)).text
    assert "Completion per module" in html
    assert "Completion per lesson:" not in html
    assert _cells(html) == MODULES_PER_PAGE
    # Module 1: 4 of 8 lesson completions (one lesson of two, everyone); module 2: half the
    # learners did both lessons.
    assert "Modul 1: Kursus 25x2: 50" in html
    assert "Modul 2: Kursus 25x2: 50" in html
    assert "Modul 3: Kursus 25x2: 0" in html
    assert f"?modul={MODULES_PER_PAGE + 1}" not in html  # on the second page
    assert "modul_hal=2" in html

    html = client.get(_url(cohort, modul_hal=2)).text
    assert _cells(html) == modules - MODULES_PER_PAGE
    assert f"?modul={MODULES_PER_PAGE + 1}" in html

    # The drill-down: module 2's two lessons, each done by half the learners.
    html = client.get(_url(cohort, modul=2)).text
    assert "Completion per lesson: Modul 2: Kursus 25x2" in html
    assert _cells(html) == MODULES_PER_PAGE + 2
    assert "Pelajaran 2.1: Kursus 25x2: 50" in html
    assert 'aria-current="true"' in html
    # A module of the second page opens that page of modules.
    html = client.get(_url(cohort, modul=modules)).text
    assert _cells(html) == modules - MODULES_PER_PAGE + 2


@pytest.mark.parametrize(
    "params",
    [
        {"modul": "abc"},
        {"modul": "0"},
        {"modul": "9999"},
        {"modul": "-1"},
        {"modul_hal": "abc"},
        {"modul_hal": "9999"},
        {"modul": "1" * 40},
    ],
)
def test_bad_module_parameters_show_the_modules_only(client_for, provider_a, params):
    cohort, trainer = _cohort(provider_a, modules=16, lessons_per_module=2)
    response = client_for(trainer).get(_url(cohort, **params))
    assert response.status_code == 200
    assert "Completion per lesson:" not in response.text
    assert _cells(response.text) == 16


def test_the_page_does_not_grow_with_the_lessons(client_for, provider_a, provider_b):
    small, small_trainer = _cohort(provider_a, modules=MODULES_PER_PAGE, lessons_per_module=2)
    large, large_trainer = _cohort(provider_b, modules=MODULES_PER_PAGE * 3, lessons_per_module=4)
    small_client, large_client = client_for(small_trainer), client_for(large_trainer)
    for params in ({}, {"modul": 2}):
        small_html = small_client.get(_url(small, **params)).text
        large_html = large_client.get(_url(large, **params)).text
        assert _cells(large_html) - _cells(small_html) == (2 if params else 0)
        # Titles differ in length a little; 120 lessons more would add ~30 KB.
        assert len(large_html) - len(small_html) < 3000
        assert count_queries(small_client, _url(small, **params)) == count_queries(
            large_client, _url(large, **params)
        )


def test_other_trainers_still_get_404(client_for, provider_a):
    cohort, _trainer = _cohort(provider_a, modules=16, lessons_per_module=2)
    for person in (UserFactory(), UserFactory(admin_of=provider_a)):
        assert client_for(person).get(_url(cohort, modul=1)).status_code == 404


def _spread_over_units(cohort, units: int):
    """Put the cohort's learners in `units` work units of their own, one learner each."""
    learners = list(User.objects.filter(enrollments__cohort_membership__cohort=cohort))
    assert len(learners) >= units
    for n, learner in enumerate(learners[:units]):
        learner.work_unit = WorkUnitFactory(name=f"Unit {n:03d}")
        learner.save(update_fields=["work_unit"])
    return learners


def test_many_units_are_filtered_from_the_table_not_a_drop_down(client_for, provider_a):
    cohort, trainer = _cohort(provider_a, modules=2, lessons_per_module=2, learners=40)
    learners = _spread_over_units(cohort, UNIT_SELECT_MAX + 5)
    client = client_for(trainer)
    html = client.get(_url(cohort)).text
    assert '<select name="unit"' not in html
    unit = learners[3].work_unit
    assert f'?unit={unit.pk}"' in html
    response = client.get(_url(cohort, unit=unit.pk))
    assert not response.context["form"].errors
    assert response.context["filters"].unit == unit.pk
    assert [row["user"] for row in response.context["rows"]] == [learners[3]]
    assert f"Work unit: <strong>{unit.name}</strong>" in response.text
    assert f'<input type="hidden" name="unit" value="{unit.pk}">' in response.text
    # A unit none of the cohort's learners is in, or not a unit: the filter is dropped.
    elsewhere = WorkUnitFactory(name="Unit Lain")
    for bad in (elsewhere.pk, "abc", "0", "9" * 30):
        response = client.get(_url(cohort, unit=bad))
        assert response.status_code == 200
        assert response.context["form"].errors, bad
        assert response.context["filters"].unit is None
        assert len(response.context["rows"]) == 40


def test_few_units_keep_the_drop_down(client_for, provider_a):
    cohort, trainer = _cohort(provider_a, modules=2, lessons_per_module=2, learners=6)
    learners = _spread_over_units(cohort, 3)
    html = client_for(trainer).get(_url(cohort)).text
    assert '<select name="unit"' in html
    assert f'?unit={learners[0].work_unit.pk}"' not in html


def test_the_cached_lessons_follow_the_course(client_for, provider_a):
    """The course's lessons are cached per version of its outline: a lesson added or made
    optional shows at once."""
    cohort, trainer = _cohort(provider_a, modules=2, lessons_per_module=2)
    client = client_for(trainer)
    assert _cells(client.get(_url(cohort)).text) == 4
    module = ModulePage.objects.descendant_of(cohort.course).order_by("path").first()
    LessonPageFactory(parent=module, title="Pelajaran Baru")
    html = client.get(_url(cohort)).text
    assert _cells(html) == 5
    assert "Pelajaran Baru" in html
    lesson = LessonPage.objects.get(title="Pelajaran Baru")
    lesson.required_for_completion = False
    lesson.save_revision().publish()
    columns = selectors.course_lessons(type(cohort).objects.get(pk=cohort.pk))
    assert [column.required for column in columns if column.id == lesson.pk] == [False]
