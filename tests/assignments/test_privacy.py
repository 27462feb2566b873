"""A person's assignments in their data export (answers, grades, feedback and the files they
handed in) and on erasure (answers and feedback blanked, files deleted, grades kept)."""

import io
import json
import zipfile

import pytest

from assignments import services
from assignments.models import Submission, SubmissionFile
from privacy.data_export import personal_data_archive
from privacy.erasure import account_erase
from tests.assignments.conftest import PDF, pdf, scores

pytestmark = pytest.mark.django_db


def test_the_export_holds_the_submissions_and_their_files(assignment, member, trainer):
    submission = services.submission_create(
        user=member, assignment=assignment, text="Rencana saya", files=[pdf()]
    )
    services.submission_grade(
        submission=submission, grader=trainer, scores=scores(assignment, 5, 4), feedback="Bagus"
    )
    stored = submission.files.get()

    archive = zipfile.ZipFile(io.BytesIO(personal_data_archive(member)))

    data = json.loads(archive.read("data.json"))
    [row] = data["assignment_submissions"]
    assert (row["assignment__title"], row["text"], row["feedback"]) == (
        assignment.title,
        "Rencana saya",
        "Bagus",
    )
    assert row["score"] == "90.00" and row["passed"] is True
    assert archive.read(f"tugas/{submission.pk}-{stored.pk}.pdf") == PDF


def test_erasure_blanks_answers_and_feedback_deletes_files_and_keeps_grades(
    assignment, member, trainer, django_capture_on_commit_callbacks
):
    submission = services.submission_create(
        user=member, assignment=assignment, text="Rahasia", files=[pdf()]
    )
    services.submission_grade(
        submission=submission, grader=trainer, scores=scores(assignment, 5, 5), feedback="Catatan"
    )
    stored = submission.files.get()
    storage, name = stored.file.storage, stored.file.name

    with django_capture_on_commit_callbacks(execute=True):
        account_erase(user=member)

    submission = Submission.objects.get(pk=submission.pk)
    assert (submission.text, submission.feedback, submission.points) == ("", "", 10)
    assert not SubmissionFile.objects.exists()
    assert not storage.exists(name)
