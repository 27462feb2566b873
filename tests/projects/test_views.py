"""Change project pages: each role (and the wrong ones) on each page, the forms end to end, the
evidence download, the trainers' coach assignment and the public gallery (flat query counts)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from projects import services
from projects.models import ChangeProject, Milestone, MilestoneEvidence
from tests.projects.conftest import accept_all, pdf

Status = ChangeProject.Status


@pytest.fixture
def people(learner, mentor, coach, second_trainer, other_member, outsider, course_trainer):
    return {
        "learner": learner,
        "mentor": mentor,
        "coach": coach,
        "second_trainer": second_trainer,
        "other_member": other_member,
        "outsider": outsider,
        "course_trainer": course_trainer,
    }


def test_the_project_page_is_for_its_learner_mentor_and_coach_only(
    client, client_for, proposed, people
):
    url = reverse("projects:detail", args=[proposed.pk])
    assert client.get(url).status_code == 302
    expected = {
        "learner": 200,
        "mentor": 200,
        "coach": 200,
        "second_trainer": 404,
        "other_member": 404,
        "outsider": 404,
        "course_trainer": 404,
    }
    for name, status in expected.items():
        assert client_for(people[name]).get(url).status_code == status, name


def test_the_learner_proposes_edits_and_submits_through_the_pages(
    client_for, enrollment, learner, mentor, coach, trainer
):
    client = client_for(learner)
    assert client.get(reverse("projects:list")).status_code == 200
    url = reverse("projects:create", args=[enrollment.pk])
    due = timezone.localdate() + timedelta(days=10)
    data = {
        "title": "Antrean daring puskesmas",
        "topic": "health",
        "problem": "Antrean panjang.",
        "goals": "Antrean daring.",
        "stakeholders": "Puskesmas.",
        "milestone_1_title": "Uji coba",
        "milestone_1_due": due.isoformat(),
    }
    response = client.post(url, {**data, "milestone_2_title": "Tanpa tanggal"})
    assert response.status_code == 400
    assert not ChangeProject.objects.exists()
    past = {**data, "milestone_1_due": (timezone.localdate() - timedelta(days=1)).isoformat()}
    assert client.post(url, past).status_code == 400
    response = client.post(url, data)
    project = ChangeProject.objects.get()
    assert response.url == reverse("projects:detail", args=[project.pk])
    edit = reverse("projects:edit", args=[project.pk])
    assert client.get(edit).status_code == 200
    client.post(edit, {**data, "title": "Antrean daring"})
    project.refresh_from_db()
    assert project.title == "Antrean daring"
    client.post(reverse("projects:submit", args=[project.pk]))
    project.refresh_from_db()
    assert project.status == Status.PROPOSED
    assert client.get(edit).status_code == 404


def test_mentor_and_coach_review_through_the_page(client_for, proposed, mentor, coach):
    url = reverse("projects:review", args=[proposed.pk])
    client_for(mentor).post(url, {"decision": "approve"})
    response = client_for(coach).post(url, {"decision": "approve"})
    assert response.status_code == 302
    proposed.refresh_from_db()
    assert proposed.status == Status.IN_PROGRESS


def test_a_refused_review_says_why_and_changes_nothing(client_for, proposed, coach):
    url = reverse("projects:review", args=[proposed.pk])
    response = client_for(coach).post(url, {"decision": "changes"}, follow=True)
    assert "Sebutkan apa yang perlu diubah." in response.content.decode()
    proposed.refresh_from_db()
    assert proposed.status == Status.PROPOSED


def test_a_milestone_report_with_a_file_and_its_download(
    client_for, in_progress, learner, mentor, outsider, second_trainer
):
    milestone = in_progress.milestones.first()
    url = reverse("projects:milestone_report", args=[in_progress.pk, milestone.pk])
    client = client_for(learner)
    assert client.get(url).status_code == 200
    wrong = client.post(url, {"report": "Laporan", "files": [pdf("x.exe")]})
    assert wrong.status_code == 400
    assert not MilestoneEvidence.objects.exists()
    response = client.post(url, {"report": "Laporan", "files": [pdf()]})
    assert response.status_code == 302
    evidence = MilestoneEvidence.objects.get()
    download = reverse("projects:evidence", args=[in_progress.pk, evidence.pk])
    for person, status in ((learner, 200), (mentor, 200), (outsider, 404), (second_trainer, 404)):
        assert client_for(person).get(download).status_code == status
    assert client_for(mentor).get(url).status_code == 404


def test_milestone_review_final_report_assessment_and_publication_pages(
    client_for, in_progress, learner, mentor, coach
):
    for milestone in in_progress.milestones.all():
        client_for(learner).post(
            reverse("projects:milestone_report", args=[in_progress.pk, milestone.pk]),
            {"report": "Selesai"},
        )
        client_for(mentor).post(
            reverse("projects:milestone_review", args=[in_progress.pk, milestone.pk]),
            {"decision": "approve"},
        )
    assert not in_progress.milestones.exclude(status=Milestone.Status.ACCEPTED).exists()
    final = reverse("projects:final_report", args=[in_progress.pk])
    assert client_for(coach).get(final).status_code == 404
    assert client_for(learner).post(final, {"final_report": ""}).status_code == 400
    client_for(learner).post(final, {"final_report": "Hasilnya baik."})
    assess = reverse("projects:assess", args=[in_progress.pk])
    assert client_for(learner).get(assess).status_code == 404
    assert client_for(mentor).get(assess).status_code == 404
    assert client_for(coach).post(assess, {"score": "150", "outcome": "passed"}).status_code == 400
    client_for(coach).post(assess, {"score": "90", "outcome": "passed"})
    in_progress.refresh_from_db()
    assert in_progress.status == Status.PASSED
    publication = reverse("projects:publication", args=[in_progress.pk])
    no_consent = client_for(learner).post(publication, {"public_summary": "Ringkas."})
    assert no_consent.status_code == 400
    client_for(learner).post(publication, {"public_summary": "Ringkas.", "consent": "on"})
    assert (
        client_for(mentor)
        .post(reverse("projects:publication_approve", args=[in_progress.pk]))
        .status_code
        == 404
    )
    client_for(coach).post(reverse("projects:publication_approve", args=[in_progress.pk]))
    in_progress.refresh_from_db()
    assert in_progress.is_published
    client_for(learner).post(reverse("projects:publication_withdraw", args=[in_progress.pk]))
    in_progress.refresh_from_db()
    assert not in_progress.is_published


def test_comments_are_added_by_the_projects_people_only(client_for, proposed, mentor, outsider):
    url = reverse("projects:comment", args=[proposed.pk])
    assert client_for(outsider).post(url, {"body": "Halo"}).status_code == 404
    client_for(mentor).post(url, {"body": "Bagus."})
    assert proposed.comments.get().body == "Bagus."


def test_cohort_trainers_assign_coaches(
    client_for, draft, cohort, trainer, second_trainer, course_trainer, learner
):
    url = reverse("projects:cohort_projects", args=[cohort.pk])
    for person in (learner, course_trainer):
        assert client_for(person).get(url).status_code == 404
    page = client_for(trainer).get(url)
    assert page.status_code == 200
    assert draft.title in page.content.decode()
    bad = client_for(trainer).post(url, {"project": draft.pk, "coach": course_trainer.pk})
    assert bad.status_code == 400
    client_for(trainer).post(url, {"project": draft.pk, "coach": second_trainer.pk})
    draft.refresh_from_db()
    assert draft.coach == second_trainer


def test_the_gallery_shows_published_summaries_to_anyone(client, published, passed, learner):
    page = client.get(reverse("projects:gallery")).content.decode()
    assert published.title in page
    detail = client.get(reverse("projects:gallery_detail", args=[published.pk]))
    assert detail.status_code == 200
    html = detail.content.decode()
    assert "Izin kini terbit sehari." in html
    assert "Laporan akhir." not in html  # the final report is private
    assert published.problem not in html


def test_unpublished_projects_are_not_in_the_gallery(client, passed, learner):
    assert passed.title not in client.get(reverse("projects:gallery")).content.decode()
    detail = reverse("projects:gallery_detail", args=[passed.pk])
    assert client.get(detail).status_code == 404


def test_the_gallery_filters_by_text_agency_year_and_topic(client, published, organization):
    gallery = reverse("projects:gallery")
    year = published.published_year
    for query, found in (
        ({"q": "izin"}, True),
        ({"q": "tidak-ada"}, False),
        ({"organization": organization.pk}, True),
        ({"organization": organization.pk + 999}, False),
        ({"year": year}, True),
        ({"year": year - 1}, False),
        ({"topic": "public_service"}, True),
        ({"topic": "health"}, False),
        ({"year": "bukan-tahun", "topic": "???"}, True),  # bad filters are ignored
    ):
        html = client.get(gallery, query).content.decode()
        assert (published.title in html) == found, query


def _publish_more(published, count: int) -> None:
    ChangeProject.objects.bulk_create(
        ChangeProject(
            enrollment=_enrollment_copy(published),
            learner=published.learner,
            cohort=published.cohort,
            organization=published.organization,
            title=f"Inovasi {index}",
            topic="digital",
            problem="-",
            goals="-",
            stakeholders="-",
            status=Status.PASSED,
            consent_at=timezone.now(),
            published_at=timezone.now(),
            published_year=2026,
            public_summary="Ringkasan.",
        )
        for index in range(count)
    )


def _enrollment_copy(project):
    from learners.factories import EnrollmentFactory

    return EnrollmentFactory(course=project.cohort.course)


def test_the_gallerys_queries_do_not_grow_with_projects(
    client, published, django_assert_num_queries
):
    gallery = reverse("projects:gallery")
    client.get(gallery)
    with django_assert_num_queries(4) as small:
        client.get(gallery, {"q": "i"})
    _publish_more(published, 15)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(gallery, {"q": "i"})
    assert response.context["page_obj"].paginator.count == 16


def test_the_pages_speak_indonesian_by_default(client_for, client, published, learner):
    assert "Galeri inovasi" in client.get(reverse("projects:gallery")).content.decode()
    html = client_for(learner).get(reverse("projects:detail", args=[published.pk])).content.decode()
    assert "Proyek perubahan" in html


def test_the_course_page_and_the_cohort_page_lead_to_the_projects(
    client_for, learner, leadership_course, cohort, trainer
):
    course_page = client_for(learner).get(leadership_course.url).content.decode()
    assert reverse("projects:list") in course_page
    cohort_page = client_for(trainer).get(reverse("cohorts:detail", args=[cohort.pk]))
    assert reverse("projects:cohort_projects", args=[cohort.pk]) in cohort_page.content.decode()


def test_a_course_without_projects_links_to_none(client_for, member, course_a, cohort, trainer):
    assert reverse("projects:list") not in client_for(member).get(course_a.url).content.decode()
    cohort_page = client_for(trainer).get(reverse("cohorts:detail", args=[cohort.pk]))
    assert "/proyek/" not in cohort_page.content.decode()


def test_the_project_page_takes_the_same_queries_with_more_milestones_and_comments(
    client_for, in_progress, learner, mentor, django_assert_num_queries
):
    client = client_for(learner)
    url = reverse("projects:detail", args=[in_progress.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    count = len(small.captured_queries)  # now: the query log is a bounded deque
    for index in range(5):
        services.comment_add(project=in_progress, author=mentor, body=f"Catatan {index}.")
    services.milestone_report(
        milestone=in_progress.milestones.first(), user=learner, report="Ada.", files=[pdf()]
    )
    client.get(url)  # the unread notifications count, cached again
    with django_assert_num_queries(count):
        client.get(url)


def test_every_page_links_to_the_gallery_in_its_footer(client):
    html = client.get(reverse("privacy:notice")).content.decode()
    assert f'href="{reverse("projects:gallery")}">Galeri inovasi</a>' in html


def test_each_role_sees_the_actions_of_its_step(client_for, passed, learner, coach, mentor):
    url = reverse("projects:detail", args=[passed.pk])
    assert reverse("projects:publication", args=[passed.pk]) in client_for(learner).get(url).text
    services.publication_request(
        project=passed, user=learner, public_summary="Ringkas.", consent=True
    )
    approve = reverse("projects:publication_approve", args=[passed.pk])
    assert approve in client_for(coach).get(url).text
    assert approve not in client_for(mentor).get(url).text
    assert (
        reverse("projects:publication_withdraw", args=[passed.pk])
        in client_for(learner).get(url).text
    )


def test_the_coach_is_led_to_assess_a_submitted_final_report(
    client_for, in_progress, learner, coach
):
    accept_all(in_progress, learner, coach)
    url = reverse("projects:detail", args=[in_progress.pk])
    final = reverse("projects:final_report", args=[in_progress.pk])
    assert final in client_for(learner).get(url).text
    services.final_submit(project=in_progress, user=learner, final_report="Akhir.")
    assert reverse("projects:assess", args=[in_progress.pk]) in client_for(coach).get(url).text
    assess_page = client_for(coach).get(reverse("projects:assess", args=[in_progress.pk]))
    assert "Akhir." in assess_page.text


def _more_projects(cohort, count: int) -> None:
    from learners.factories import EnrollmentFactory

    for index in range(count):
        enrollment = EnrollmentFactory(course=cohort.course)
        ChangeProject.objects.create(
            enrollment=enrollment,
            learner=enrollment.user,
            cohort=cohort,
            coach=cohort.trainers.first(),
            title=f"Proyek {index}",
            topic="other",
            problem="-",
            goals="-",
            stakeholders="-",
        )


def test_the_cohort_list_and_my_list_take_the_same_queries_with_more_projects(
    client_for, draft, cohort, trainer, django_assert_num_queries
):
    ChangeProject.objects.filter(pk=draft.pk).update(coach=trainer)
    pages = [reverse("projects:cohort_projects", args=[cohort.pk]), reverse("projects:list")]
    client = client_for(trainer)
    counts = []
    for url in pages:
        client.get(url)
        with CaptureQueriesContext(connection) as small:
            client.get(url)
        counts.append(len(small.captured_queries))
    _more_projects(cohort, 6)
    for url, count in zip(pages, counts, strict=True):
        client.get(url)
        with django_assert_num_queries(count):
            response = client.get(url)
        assert "Proyek 5" in response.text
