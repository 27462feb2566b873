"""Who sees and acts on a change project.

- The learner: their own project (propose, report, submit, consent to publication).
- The mentor: their staff member's project (the learner's confirmed direct supervisor when the
  proposal was submitted): approve the proposal, review milestones, comment.
- The coach: a trainer of the learner's cohort whom a trainer of that cohort assigned: the
  mentor's rights, and assessing the final report and approving the public summary.
Everyone else, platform administrators included, gets 404: the project's reports and comments are
the learner's workplace matters. Trainers of the cohort see its list of projects (title, learner,
status, coach) to assign coaches, nothing more. The public gallery shows published summaries.
"""

from dataclasses import dataclass

from cohorts.models import Cohort
from learners.models import User
from learners.permissions import is_platform_admin
from projects.models import ChangeProject


@dataclass(frozen=True)
class Role:
    """What one person is on one project."""

    learner: bool = False
    mentor: bool = False
    coach: bool = False

    @property
    def can_view(self) -> bool:
        return self.learner or self.mentor or self.coach

    @property
    def reviewer(self) -> bool:
        return self.mentor or self.coach


NOBODY = Role()


def project_role(user: User, project: ChangeProject) -> Role:
    """`user`'s role on `project` (no query)."""
    if not user.is_authenticated or not user.is_active:
        return NOBODY
    return Role(
        learner=project.learner_id == user.pk,
        mentor=project.mentor_id == user.pk,
        coach=project.coach_id == user.pk,
    )


def can_assign_coaches(user: User, cohort: Cohort) -> bool:
    """Whether `user` assigns the coaches of `cohort`'s projects: its trainers and platform
    administrators (one query for a trainer)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if is_platform_admin(user):
        return True
    return cohort.trainers.filter(pk=user.pk).exists()
