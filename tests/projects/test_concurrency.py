"""Mentor and coach approving at the same moment both count: the project row is locked while a
step reads and writes it (PostgreSQL), and SQLite's IMMEDIATE transactions take turns. Without
the lock each would save the project with only their own approval and it would never start."""

from functools import partial

import pytest

from projects import services
from projects.models import ChangeProject
from tests.utils import race

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("concurrent_database"),
]


def test_racing_approvals_both_count_and_start_the_project(proposed, mentor, coach):
    outcomes = race(
        partial(services.proposal_review, project=proposed, reviewer=mentor, approve=True),
        partial(services.proposal_review, project=proposed, reviewer=coach, approve=True),
    )

    assert not [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    proposed.refresh_from_db()
    assert proposed.mentor_approved_at and proposed.coach_approved_at
    assert proposed.status == ChangeProject.Status.IN_PROGRESS


def test_racing_assessments_decide_once(in_progress, learner, coach):
    for milestone in in_progress.milestones.all():
        services.milestone_report(milestone=milestone, user=learner, report="Selesai.")
        services.milestone_review(milestone=milestone, reviewer=coach, accept=True)
    services.final_submit(project=in_progress, user=learner, final_report="Akhir.")

    outcomes = race(
        partial(
            services.project_assess, project=in_progress, coach=coach, score=80, outcome="passed"
        ),
        partial(
            services.project_assess,
            project=in_progress,
            coach=coach,
            score=50,
            outcome="revise",
            notes="Ulangi.",
        ),
    )

    refused = [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    assert len(refused) == 1
    in_progress.refresh_from_db()
    assert in_progress.status in (ChangeProject.Status.PASSED, ChangeProject.Status.REVISE)
