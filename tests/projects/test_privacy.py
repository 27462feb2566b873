"""Change projects in the person's data download and in account erasure (UU PDP)."""

import io
import json
import zipfile

from django.test import TestCase
from django.urls import reverse

from privacy.data_export import personal_data, personal_data_archive
from privacy.erasure import account_erase
from projects import services
from projects.models import ChangeProject, MilestoneEvidence, ProjectComment
from tests.projects.conftest import pdf


def test_the_learners_download_holds_their_project_whole_and_its_evidence(
    in_progress, learner, mentor
):
    milestone = in_progress.milestones.first()
    services.milestone_report(milestone=milestone, user=learner, report="Rapat.", files=[pdf()])
    services.comment_add(project=in_progress, author=mentor, body="Bagus sekali.")
    data = personal_data(learner)["change_projects"]
    [own] = data["own"]
    assert own["title"] == in_progress.title
    assert own["milestones"][0]["report"] == "Rapat."
    assert own["comments"][0]["body"] == "Bagus sekali."
    evidence_name = own["milestones"][0]["evidence_files"][0]["file"]
    with zipfile.ZipFile(io.BytesIO(personal_data_archive(learner))) as archive:
        assert evidence_name in archive.namelist()
        assert archive.read(evidence_name).startswith(b"%PDF")


def test_the_mentors_download_lists_the_projects_they_mentor_and_their_comments(
    proposed, mentor, learner
):
    services.comment_add(project=proposed, author=mentor, body="Perjelas.")
    data = personal_data(mentor)["change_projects"]
    assert data["own"] == []
    assert data["mentored_or_coached"][0]["role"] == "mentor"
    assert data["comments_written"][0]["body"] == "Perjelas."
    assert json.dumps(data, default=str)


def test_the_download_takes_six_queries_at_most(
    in_progress, learner, django_assert_max_num_queries
):
    from projects.selectors import projects_personal_data

    with django_assert_max_num_queries(6):
        projects_personal_data(user=learner)


def test_erasing_the_account_removes_their_projects_and_evidence_and_blanks_comments(
    published, learner, mentor, client
):
    milestone = published.milestones.first()
    stored = MilestoneEvidence.objects.create(
        milestone=milestone, original_name="a.pdf", content_type="application/pdf", size=10
    )
    stored.file.save("a.pdf", pdf(), save=True)
    storage, name = stored.file.storage, stored.file.name
    ProjectComment.objects.create(project=published, author=learner, body="Catatan saya.")
    ProjectComment.objects.create(project=published, author=mentor, body="Catatan mentor.")
    mentee = ChangeProject.objects.get()
    with TestCase.captureOnCommitCallbacks(execute=True):
        account_erase(user=mentor)
    assert ProjectComment.objects.get(body="").author == mentor
    with TestCase.captureOnCommitCallbacks(execute=True):
        account_erase(user=learner)
    assert not ChangeProject.objects.filter(pk=mentee.pk).exists()
    assert not storage.exists(name)
    assert client.get(reverse("projects:gallery_detail", args=[mentee.pk])).status_code == 404
