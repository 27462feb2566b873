"""People and their learning: the models of `learners`, in two modules re-exported here, where
Django, the migrations and the rest of the code find them (`learners.models.User`).

- `people`: users, work units, positions and their competencies, organization roles, NIP claims;
- `learning`: course trainers, enrollments, lesson completions, certificates, the learning record.
"""

from learners.models.learning import (
    Certificate,
    CourseTrainer,
    Enrollment,
    LearningRecord,
    LessonCompletion,
    _new_verification_code,
    private_storage,
)
from learners.models.people import (
    MembershipSource,
    MembershipStatus,
    NIPClaim,
    OrganizationRole,
    Position,
    PositionCompetency,
    User,
    UserManager,
    WorkUnit,
)

__all__ = [
    "Certificate",
    "CourseTrainer",
    "Enrollment",
    "LearningRecord",
    "LessonCompletion",
    "MembershipSource",
    "MembershipStatus",
    "NIPClaim",
    "OrganizationRole",
    "Position",
    "PositionCompetency",
    "User",
    "UserManager",
    "WorkUnit",
    # Referenced by the migrations (the certificate's storage and verification code default).
    "_new_verification_code",
    "private_storage",
]
