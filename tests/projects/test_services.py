"""Change project services: each step, who may take it, the statuses it allows, bad input."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from courses.models import CoursePage
from learners.factories import EnrollmentFactory
from notifications.models import Notification
from projects import services
from projects.models import ChangeProject, Milestone, MilestoneEvidence, ProjectComment
from projects.services import MilestonePlan
from tests.projects.conftest import accept_all, pdf, plans, proposal

Status = ChangeProject.Status


def codes(error: ValidationError) -> set[str]:
    if hasattr(error, "error_dict"):
        return set(error.error_dict)
    return {e.code for e in error.error_list}


def test_a_learner_drafts_a_project_with_dated_milestones(draft, learner, cohort, organization):
    assert draft.status == Status.DRAFT
    assert draft.learner == learner
    assert draft.cohort == cohort
    assert draft.organization == organization
    assert [m.title for m in draft.milestones.all()] == ["Tahap 1", "Tahap 2"]
    assert [m.position for m in draft.milestones.all()] == [1, 2]


def test_a_course_without_change_projects_refuses_one(enrollment, learner, leadership_course):
    CoursePage.objects.filter(pk=leadership_course.pk).update(requires_change_project=False)
    with pytest.raises(ValidationError) as error:
        services.project_create(enrollment=enrollment, user=learner, **proposal())
    assert codes(error.value) == {"not_required"}
    assert not ChangeProject.objects.exists()


def test_someone_elses_enrollment_is_refused(enrollment, other_member):
    with pytest.raises(ValidationError) as error:
        services.project_create(enrollment=enrollment, user=other_member, **proposal())
    assert codes(error.value) == {"not_yours"}


def test_an_enrollment_outside_any_cohort_is_refused(leadership_course):
    enrollment = EnrollmentFactory(course=leadership_course)
    user = enrollment.user
    with pytest.raises(ValidationError) as error:
        services.project_create(enrollment=enrollment, user=user, **proposal())
    assert codes(error.value) == {"no_cohort"}


def test_a_second_project_in_the_same_course_is_refused(draft, enrollment, learner):
    with pytest.raises(ValidationError) as error:
        services.project_create(enrollment=enrollment, user=learner, **proposal())
    assert codes(error.value) == {"exists"}
    assert ChangeProject.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": "  "}, "title"),
        ({"problem": ""}, "problem"),
        ({"goals": ""}, "goals"),
        ({"stakeholders": ""}, "stakeholders"),
        ({"topic": "astrology"}, "topic"),
        ({"title": "a\nb"}, "title"),
        ({"problem": "x" * 5001}, "problem"),
        ({"milestones": []}, "milestones"),
    ],
)
def test_an_empty_or_bad_proposal_is_refused_and_nothing_saved(
    enrollment, learner, overrides, field
):
    with pytest.raises(ValidationError) as error:
        services.project_create(enrollment=enrollment, user=learner, **proposal(**overrides))
    assert field in error.value.message_dict
    assert not ChangeProject.objects.exists()
    assert not Milestone.objects.exists()


def test_milestones_in_the_past_are_refused(enrollment, learner):
    past = [MilestonePlan(title="Kemarin", due_on=timezone.localdate() - timedelta(days=1))]
    with pytest.raises(ValidationError) as error:
        services.project_create(enrollment=enrollment, user=learner, **proposal(milestones=past))
    assert "masa lalu" in error.value.message_dict["milestones"][0]
    assert not ChangeProject.objects.exists()


def test_milestones_out_of_order_are_refused(enrollment, learner):
    first, second = plans(2)
    with pytest.raises(ValidationError) as error:
        services.project_create(
            enrollment=enrollment, user=learner, **proposal(milestones=[second, first])
        )
    assert "berurutan" in error.value.message_dict["milestones"][0]
    same_day = [first, MilestonePlan(title="Lagi", due_on=first.due_on)]
    with pytest.raises(ValidationError):
        services.project_create(
            enrollment=enrollment, user=learner, **proposal(milestones=same_day)
        )
    assert not ChangeProject.objects.exists()


def test_too_many_milestones_are_refused(enrollment, learner):
    with pytest.raises(ValidationError) as error:
        services.project_create(
            enrollment=enrollment, user=learner, **proposal(milestones=plans(13))
        )
    assert "milestones" in error.value.message_dict


def test_the_learner_edits_a_draft_and_its_milestones_are_replaced(draft, learner):
    services.project_update(
        project=draft, user=learner, **proposal(title="Judul baru", milestones=plans(3))
    )
    draft.refresh_from_db()
    assert draft.title == "Judul baru"
    assert draft.milestones.count() == 3


def test_nobody_else_edits_a_draft(draft, mentor, coach, other_member):
    for person in (mentor, coach, other_member):
        with pytest.raises(ValidationError):
            services.project_update(project=draft, user=person, **proposal(title="Diubah"))
    draft.refresh_from_db()
    assert draft.title != "Diubah"


def test_a_proposed_project_is_no_longer_editable(proposed, learner):
    with pytest.raises(ValidationError) as error:
        services.project_update(project=proposed, user=learner, **proposal(title="Diubah"))
    assert codes(error.value) == {"status"}


def test_submitting_makes_the_confirmed_supervisor_the_mentor_and_tells_them(
    draft, learner, mentor, coach, trainer
):
    services.coach_assign(project=draft, coach=coach, assigned_by=trainer)
    project = services.project_submit(project=draft, user=learner)
    assert project.status == Status.PROPOSED
    assert project.mentor == mentor
    told = Notification.objects.filter(kind=Notification.Kind.PROJECT_UPDATE)
    assert set(told.values_list("recipient_id", flat=True)) >= {mentor.pk}
    assert told.filter(recipient=mentor, url=f"/proyek/{project.pk}/").exists()


def test_submitting_without_a_confirmed_supervisor_is_refused(draft, learner):
    learner.supervisor_confirmed_at = None
    learner.save(update_fields=["supervisor_confirmed_at"])
    with pytest.raises(ValidationError) as error:
        services.project_submit(project=draft, user=learner)
    assert codes(error.value) == {"no_mentor"}
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_a_cohort_trainer_assigns_one_of_its_trainers_as_coach(draft, trainer, second_trainer):
    project = services.coach_assign(project=draft, coach=second_trainer, assigned_by=trainer)
    assert project.coach == second_trainer
    assert Notification.objects.filter(recipient=second_trainer).exists()


def test_only_cohort_trainers_assign_and_only_cohort_trainers_coach(
    draft, trainer, course_trainer, other_member
):
    with pytest.raises(ValidationError) as error:
        services.coach_assign(project=draft, coach=trainer, assigned_by=course_trainer)
    assert codes(error.value) == {"not_trainer"}
    with pytest.raises(ValidationError) as error:
        services.coach_assign(project=draft, coach=course_trainer, assigned_by=trainer)
    assert codes(error.value) == {"not_cohort_trainer"}
    draft.refresh_from_db()
    assert draft.coach is None


def test_both_mentor_and_coach_approve_before_the_project_starts(proposed, mentor, coach):
    project = services.proposal_review(project=proposed, reviewer=mentor, approve=True)
    assert project.status == Status.PROPOSED
    project = services.proposal_review(project=proposed, reviewer=coach, approve=True)
    assert project.status == Status.IN_PROGRESS


def test_asking_for_changes_needs_a_comment_and_resets_approvals(proposed, mentor, coach, learner):
    services.proposal_review(project=proposed, reviewer=mentor, approve=True)
    with pytest.raises(ValidationError) as error:
        services.proposal_review(project=proposed, reviewer=coach, approve=False, comment=" ")
    assert "comment" in error.value.message_dict
    project = services.proposal_review(
        project=proposed, reviewer=coach, approve=False, comment="Perjelas tujuan."
    )
    assert project.status == Status.CHANGES_REQUESTED
    assert project.mentor_approved_at is None
    assert ProjectComment.objects.get().body == "Perjelas tujuan."
    services.project_update(project=project, user=learner, **proposal(goals="Lebih jelas."))
    assert services.project_submit(project=project, user=learner).status == Status.PROPOSED


def test_the_learner_and_outsiders_do_not_review(proposed, learner, other_member, second_trainer):
    for person in (learner, other_member, second_trainer):
        with pytest.raises(ValidationError) as error:
            services.proposal_review(project=proposed, reviewer=person, approve=True)
        assert codes(error.value) == {"not_reviewer"}


def test_a_draft_cannot_be_reviewed(draft, mentor, coach, trainer):
    services.coach_assign(project=draft, coach=coach, assigned_by=trainer)
    with pytest.raises(ValidationError) as error:
        services.proposal_review(project=draft, reviewer=coach, approve=True)
    assert codes(error.value) == {"status"}


def test_a_milestone_report_keeps_its_evidence_privately(in_progress, learner, mentor):
    milestone = in_progress.milestones.first()
    services.milestone_report(
        milestone=milestone,
        user=learner,
        report="Rapat dengan pemangku kepentingan.",
        evidence_url="https://contoh.go.id/notulen",
        files=[pdf()],
    )
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.REPORTED
    evidence = MilestoneEvidence.objects.get()
    assert evidence.original_name == "laporan.pdf"
    assert evidence.content_type == "application/pdf"
    assert "laporan" not in evidence.file.name
    assert Notification.objects.filter(recipient=mentor).exists()


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("skrip.exe", b"MZ\x90\x00", content_type="application/octet-stream"),
        SimpleUploadedFile("palsu.pdf", b"<html>bukan pdf</html>", content_type="application/pdf"),
        SimpleUploadedFile("halaman.html", b"<html></html>", content_type="text/html"),
    ],
)
def test_files_of_the_wrong_type_are_refused_and_nothing_saved(in_progress, learner, upload):
    milestone = in_progress.milestones.first()
    with pytest.raises(ValidationError) as error:
        services.milestone_report(
            milestone=milestone, user=learner, report="Laporan", files=[pdf("baik.pdf"), upload]
        )
    assert "files" in error.value.message_dict
    assert not MilestoneEvidence.objects.exists()
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.PLANNED


def test_an_empty_report_and_a_bad_link_are_refused(in_progress, learner):
    milestone = in_progress.milestones.first()
    with pytest.raises(ValidationError) as error:
        services.milestone_report(
            milestone=milestone, user=learner, report=" ", evidence_url="javascript:alert(1)"
        )
    assert set(error.value.message_dict) == {"report", "evidence_url"}


def test_milestones_are_reported_only_while_in_progress(proposed, learner):
    with pytest.raises(ValidationError) as error:
        services.milestone_report(
            milestone=proposed.milestones.first(), user=learner, report="Terlalu cepat."
        )
    assert codes(error.value) == {"status"}


def test_mentor_and_coach_accept_or_send_back_a_milestone(in_progress, learner, mentor, coach):
    first, second = in_progress.milestones.all()
    services.milestone_report(milestone=first, user=learner, report="Selesai.")
    with pytest.raises(ValidationError):
        services.milestone_review(milestone=first, reviewer=mentor, accept=False)
    services.milestone_review(
        milestone=first, reviewer=mentor, accept=False, comment="Tambah bukti."
    )
    first.refresh_from_db()
    assert first.status == Milestone.Status.CHANGES_REQUESTED
    services.milestone_report(milestone=first, user=learner, report="Dengan bukti.")
    services.milestone_review(milestone=first, reviewer=coach, accept=True)
    first.refresh_from_db()
    assert first.status == Milestone.Status.ACCEPTED
    assert first.reviewed_by == coach
    with pytest.raises(ValidationError) as error:
        services.milestone_review(milestone=second, reviewer=coach, accept=True)
    assert codes(error.value) == {"milestone_status"}


def test_the_learner_cannot_review_their_own_milestone(in_progress, learner):
    milestone = in_progress.milestones.first()
    services.milestone_report(milestone=milestone, user=learner, report="Selesai.")
    with pytest.raises(ValidationError):
        services.milestone_review(milestone=milestone, reviewer=learner, accept=True)


def test_the_final_report_waits_for_every_milestone(in_progress, learner, coach):
    with pytest.raises(ValidationError) as error:
        services.final_submit(project=in_progress, user=learner, final_report="Akhir.")
    assert codes(error.value) == {"milestones_open"}
    accept_all(in_progress, learner, coach)
    with pytest.raises(ValidationError):
        services.final_submit(project=in_progress, user=learner, final_report="")
    project = services.final_submit(project=in_progress, user=learner, final_report="Akhir.")
    assert project.status == Status.FINAL_SUBMITTED


def test_the_coach_assesses_revise_then_passed(in_progress, learner, coach, mentor):
    accept_all(in_progress, learner, coach)
    services.final_submit(project=in_progress, user=learner, final_report="Akhir.")
    with pytest.raises(ValidationError) as error:
        services.project_assess(project=in_progress, coach=mentor, score=90, outcome="passed")
    assert codes(error.value) == {"not_coach"}
    with pytest.raises(ValidationError) as error:
        services.project_assess(project=in_progress, coach=coach, score=101, outcome="maybe")
    assert set(error.value.message_dict) == {"score", "outcome"}
    with pytest.raises(ValidationError) as error:
        services.project_assess(project=in_progress, coach=coach, score=60, outcome="revise")
    assert "notes" in error.value.message_dict
    project = services.project_assess(
        project=in_progress, coach=coach, score=60, outcome="revise", notes="Tambah data."
    )
    assert project.status == Status.REVISE
    services.final_submit(project=project, user=learner, final_report="Akhir, dengan data.")
    project = services.project_assess(project=project, coach=coach, score=85, outcome="passed")
    assert project.status == Status.PASSED
    assert project.score == 85


def test_publication_needs_consent_a_summary_and_the_coachs_approval(passed, learner, coach):
    with pytest.raises(ValidationError) as error:
        services.publication_request(project=passed, user=learner, public_summary="", consent=False)
    assert set(error.value.message_dict) == {"public_summary", "consent"}
    with pytest.raises(ValidationError) as error:
        services.publication_approve(project=passed, coach=coach)
    assert codes(error.value) == {"no_consent"}
    services.publication_request(
        project=passed, user=learner, public_summary="Ringkas.", consent=True
    )
    passed.refresh_from_db()
    assert not passed.is_published
    with pytest.raises(ValidationError):
        services.publication_approve(project=passed, coach=learner)
    project = services.publication_approve(project=passed, coach=coach)
    assert project.is_published
    assert project.published_year == timezone.localtime(project.assessed_at).year


def test_a_changed_summary_leaves_the_gallery_until_approved_again(published, learner):
    services.publication_request(
        project=published, user=learner, public_summary="Versi baru.", consent=True
    )
    published.refresh_from_db()
    assert not published.is_published


def test_withdrawing_consent_unpublishes_at_once(published, learner, coach):
    with pytest.raises(ValidationError):
        services.publication_withdraw(project=published, user=coach)
    project = services.publication_withdraw(project=published, user=learner)
    assert not project.is_published
    assert project.consent_at is None
    with pytest.raises(ValidationError) as error:
        services.publication_withdraw(project=project, user=learner)
    assert codes(error.value) == {"no_consent"}


def test_an_unfinished_project_cannot_be_published(in_progress, learner):
    with pytest.raises(ValidationError) as error:
        services.publication_request(
            project=in_progress, user=learner, public_summary="Terlalu cepat.", consent=True
        )
    assert codes(error.value) == {"status"}


def test_comments_are_for_the_three_people_of_the_project(proposed, learner, mentor, other_member):
    services.comment_add(project=proposed, author=learner, body="Mohon masukan.")
    assert Notification.objects.filter(recipient=mentor, kind="project_update").count() == 2
    with pytest.raises(ValidationError):
        services.comment_add(project=proposed, author=other_member, body="Ikut komentar.")
    with pytest.raises(ValidationError):
        services.comment_add(project=proposed, author=mentor, body="   ")
    assert ProjectComment.objects.count() == 1
