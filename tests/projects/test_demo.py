"""The demo's change projects: one in progress, one published in the gallery; seeding twice adds
nothing. (`seed_demo` as a whole, change projects included: tests/demo/test_seed_demo.py.)"""

from django.urls import reverse

from courses.models import CoursePage
from demo.builders import SeedReport
from demo.projects import COURSE, seed_projects
from learners.factories import UserFactory
from projects.models import ChangeProject, Milestone


def test_the_demo_seeds_a_project_in_progress_and_a_published_one(course_a, client, organization):
    CoursePage.objects.filter(pk=course_a.pk).update(slug=COURSE)
    course = CoursePage.objects.get(pk=course_a.pk)
    supervisor = UserFactory(email="hr.kemenpanrb@lentera.localhost", organization=organization)
    UserFactory(email="widyaiswara@lentera.localhost", full_name="Widyaiswara Demo")
    UserFactory(
        email="peserta1@lentera.localhost",
        full_name="Dewi",
        organization=organization,
        supervised_by=supervisor,
    )
    UserFactory(full_name="Agus Prasetyo", organization=organization)
    report = SeedReport()
    seed_projects(report)
    seed_projects(report)
    assert report.created["change projects"] == 2
    course.refresh_from_db()
    assert course.requires_change_project
    running = ChangeProject.objects.get(learner__email="peserta1@lentera.localhost")
    assert running.status == ChangeProject.Status.IN_PROGRESS
    assert running.milestones.filter(status=Milestone.Status.ACCEPTED).count() == 1
    published = ChangeProject.objects.get(learner__full_name="Agus Prasetyo")
    assert published.is_published
    gallery = client.get(reverse("projects:gallery")).content.decode()
    assert published.title in gallery
    assert running.title not in gallery
