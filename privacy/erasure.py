"""The right to erasure (UU PDP art. 8): deleting an account at its holder's request.

What goes and what stays, and why:
- The person goes: name, e-mail, NIP, work unit, position, rank, supervisor, password, e-mail
  addresses, agency sign-in, two-factor devices, roles, admin preferences; free text they wrote
  (quiz short answers, course comments, learning-need reasons, what e-learning packages
  recorded) and notes written about them.
- The learning stays, anonymised: enrollments, completions, scores and JP still count in
  course, cohort and programme statistics, which agencies must keep (PP 17/2020 art. 203(5):
  evaluate development) and which name nobody once the user row is anonymised. The user row
  itself stays (as "Pengguna terhapus #<id>", inactive, no password) because those records
  point at it.
- Development records outside courses stay as learning (form, dates, hours, JP, status), their
  report, evidence link and the verifier's note are blanked and their evidence files deleted.
- Development plans stay as plans (year, status, dates, planned JP, the course or form of each
  activity), the supervisor's note is blanked and each activity's title becomes its course's
  title or its form's name.
- Coaching and mentoring agreements and sessions the person took part in (as coachee or as
  coach) stay as dates and durations; their goals, notes and agreed actions are blanked. The
  records the person's sessions as coach became keep their learning but no longer name them as
  organizer.
- Certificates stay verifiable as records: an agency may have filed the paper copy, so the
  verification page keeps answering "valid" with serial, course, JP and date, and says that
  the holder's data was deleted at their request instead of the name. The PDFs (which carry the
  name and NIP) are deleted from private storage. Learning paths followed stay (anonymised, as
  enrollments), their path certificates as course certificates.
- Discussions keep their threads for the others in them: the person's questions, answers,
  reports and announcements lose their text (a question's title becomes ERASED_THREAD_TITLE),
  and the pages say the post was deleted at its author's request. In communities of practice
  the person's memberships and moderator rights end, the resources they shared are deleted
  (their files from private storage), the events they announced keep their schedule for the
  members, and their participation claims lose their report like their records.
- Notifications: the person's own and their digest setting are deleted; in other people's
  they are no longer named, and the announcement titles they wrote are blanked.
- The audit log keeps its events about the person (the controller's accountability), pointing
  at the anonymised row; an `account_deleted` event is added.

Everything happens in one transaction; files are deleted only once it has committed.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import gettext as _
from wagtail.models import Page

from assignments.models import SubmissionFile
from assignments.services import submissions_scrub
from audit.models import AuditEvent
from audit.services import Action, audit_record
from coaching.models import CoachingAgreement, CoachingSession
from cohorts.models import CohortImport, CohortInvitation
from development.models import DevelopmentForm, DevelopmentRecord, EvidenceFile
from discussions.models import (
    Announcement,
    CommunityResource,
    Membership,
    ParticipationClaim,
    Post,
    Report,
    Thread,
)
from evaluation.models import BehaviourFollowUp, CourseEvaluation, LearningNeed
from learners.models import Certificate, Enrollment, LearningRecord
from live.models import CalendarFeed
from notifications.services import notifications_erase
from packages.models import ScoState
from paths.models import PathCertificate
from planning.models import DevelopmentPlan, PlanItem
from privacy.models import AccountErasure
from projects.models import MilestoneEvidence
from projects.services import projects_erase
from quizzes.models import QuizAttempt

User = get_user_model()

#: Stored data, not interface text: the platform's language, whatever the requester's.
ERASED_NAME = "Pengguna terhapus #{id}"
#: An erased person's question keeps its answers under this title (stored data, as above).
ERASED_THREAD_TITLE = "Pertanyaan dari pengguna terhapus"
#: `.invalid` is reserved (RFC 2606): the address can never reach anyone.
ERASED_EMAIL = "terhapus-{id}@pengguna-terhapus.invalid"


class ErasureRefused(Exception):
    """An account that cannot be deleted by its holder (the message says why)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _scrub_text_answers(attempts) -> list[QuizAttempt]:
    """Short answers are free text: blank them, keep the chosen options and the score."""
    changed = []
    for attempt in attempts:
        if any(isinstance(value, str) and value for value in attempt.answers.values()):
            attempt.answers = {
                key: ("" if isinstance(value, str) else value)
                for key, value in attempt.answers.items()
            }
            changed.append(attempt)
    return changed


def _scrub_import_rows(user, *, nip: str | None, email: str) -> None:
    """Blank the person's rows in the learner lists uploaded to their cohorts."""
    imports = CohortImport.objects.filter(cohort__memberships__enrollment__user=user).distinct()
    for cohort_import in imports:
        changed = False
        for row in cohort_import.rows:
            if (
                row.get("user") == user.pk
                or (nip and row.get("nip") == nip)
                or (row.get("email") or "").lower() == email.lower()
            ):
                row.update(nip="", email="", name="")
                changed = True
        if changed:
            CohortImport.objects.filter(pk=cohort_import.pk).update(rows=cohort_import.rows)


def account_erase(*, user) -> AuditEvent:
    """Erase `user`'s personal data, keep their learning anonymised; all or nothing.

    Raises ErasureRefused for a platform administrator (who could lock everyone out).
    """
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.socialaccount.models import SocialAccount
    from wagtail.users.models import UserProfile

    if user.is_superuser:
        raise ErasureRefused(
            _(
                "A platform administrator's account cannot be deleted here: ask another "
                "administrator to remove your administrator rights first."
            )
        )
    pdf_names: list[str] = []
    evidence_names: list[str] = []
    resource_names: list[str] = []
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        nip, email = user.nip, user.email
        placeholder = ERASED_NAME.format(id=user.pk)

        certificates = Certificate.objects.filter(enrollment__user=user)
        pdf_names = [name for name in certificates.values_list("pdf", flat=True) if name]
        certificates.update(
            holder_name=placeholder,
            holder_nip="",
            holder_position="",
            holder_rank_grade="",
            pdf="",
        )
        path_certificates = PathCertificate.objects.filter(enrollment__user=user)
        pdf_names += [name for name in path_certificates.values_list("pdf", flat=True) if name]
        path_certificates.update(
            holder_name=placeholder,
            holder_nip="",
            holder_position="",
            holder_rank_grade="",
            pdf="",
        )
        Enrollment.objects.filter(user=user).update(decision_note="")
        # An empty text is how the discussion pages tell an erased post (posts cannot be empty).
        Post.objects.filter(author=user).update(body="")
        Thread.objects.filter(author=user).update(title=ERASED_THREAD_TITLE)
        Report.objects.filter(reporter=user).update(reason="")
        Announcement.objects.filter(author=user).update(body="")
        Membership.objects.filter(user=user).delete()
        user.moderated_communities.clear()
        resources = CommunityResource.objects.filter(author=user)
        resource_names = [name for name in resources.values_list("file", flat=True) if name]
        resources.delete()
        ParticipationClaim.objects.filter(member=user).update(report="")
        for record in LearningRecord.objects.filter(learner=user, result__has_key="note"):
            LearningRecord.objects.filter(pk=record.pk).update(
                result={key: value for key, value in record.result.items() if key != "note"}
            )
        QuizAttempt.objects.bulk_update(
            _scrub_text_answers(QuizAttempt.objects.filter(user=user)), ["answers"]
        )
        # A package's runtime data can hold free text (answers, comments, suspend data); the
        # statuses and scores stay for the course's statistics.
        ScoState.objects.filter(attempt__enrollment__user=user).update(cmi={})
        CourseEvaluation.objects.filter(enrollment__user=user).update(comment="")
        # Answered follow-ups count in the course's L3 results; unanswered ones would e-mail a
        # supervisor about someone who is gone.
        BehaviourFollowUp.objects.filter(enrollment__user=user, answered_at=None).delete()
        BehaviourFollowUp.objects.filter(enrollment__user=user).update(comment="")
        LearningNeed.objects.filter(user=user).update(
            reason="", appraisal_reference="", decision_note=""
        )
        DevelopmentRecord.objects.filter(owner=user).update(
            report="", evidence_url="", decision_note=""
        )
        DevelopmentPlan.objects.filter(user=user).update(supervisor_note="")
        plan_items = PlanItem.objects.filter(plan__user=user)
        plan_items.filter(course__isnull=False).update(
            title=Subquery(Page.objects.filter(pk=OuterRef("course_id")).values("title")[:1])
        )
        plan_items.filter(form__isnull=False).update(
            title=Subquery(
                DevelopmentForm.objects.filter(pk=OuterRef("form_id")).values("name")[:1]
            )
        )
        agreements = CoachingAgreement.objects.filter(Q(coachee=user) | Q(coach=user))
        CoachingSession.objects.filter(agreement__in=agreements).update(notes="", agreed_actions="")
        DevelopmentRecord.objects.filter(coaching_session__agreement__coach=user).update(
            organizer=placeholder
        )
        agreements.update(goals="")
        # Assignment answers and the feedback on them are blanked, their files deleted; the
        # versions and grades stay, anonymised, for the course's results.
        submission_names = submissions_scrub(user=user)
        # Their change projects go (out of the public gallery too), their comments are blanked.
        project_evidence_names = projects_erase(user=user)
        evidence = EvidenceFile.objects.filter(record__owner=user)
        evidence_names = [name for name in evidence.values_list("file", flat=True) if name]
        evidence.delete()
        _scrub_import_rows(user, nip=nip, email=email)
        invitations = Q(membership__enrollment__user=user) | Q(email__iexact=email)
        if nip:
            invitations |= Q(nip=nip)
        CohortInvitation.objects.filter(invitations).delete()

        EmailAddress.objects.filter(user=user).delete()
        SocialAccount.objects.filter(user=user).delete()
        Authenticator.objects.filter(user=user).delete()
        UserProfile.objects.filter(user=user).delete()
        # The calendar address is a credential: its secret goes with the account.
        CalendarFeed.objects.filter(user=user).delete()
        notifications_erase(user=user)
        user.organization_roles.all().delete()
        user.trained_courses.all().delete()
        user.trained_cohorts.clear()
        user.groups.clear()
        user.user_permissions.clear()
        User.objects.filter(supervisor=user).update(supervisor=None)
        AuditEvent.objects.filter(actor=user).update(actor_label=placeholder)

        user.full_name = placeholder
        user.email = ERASED_EMAIL.format(id=user.pk)
        user.nip = None
        user.work_unit = None
        user.position = None
        user.rank_grade = ""
        user.supervisor = None
        user.supervisor_name = ""
        user.supervisor_email = ""
        user.is_active = False
        user.is_staff = False
        user.last_login = None
        # A new (unusable) password hash also ends every session: Django checks it on each
        # request.
        user.set_unusable_password()
        user.save()
        AccountErasure.objects.create(user=user)
        event = audit_record(
            user,
            Action.ACCOUNT_DELETED,
            organization=user.organization_id,
            subject=user,
            detail={"certificates_kept": certificates.count()},
        )

        def delete_files():
            storage = Certificate._meta.get_field("pdf").storage
            for name in pdf_names:
                storage.delete(name)
            submission_storage = SubmissionFile._meta.get_field("file").storage
            for name in submission_names:
                submission_storage.delete(name)
            evidence_storage = EvidenceFile._meta.get_field("file").storage
            for name in evidence_names:
                evidence_storage.delete(name)
            project_storage = MilestoneEvidence._meta.get_field("file").storage
            for name in project_evidence_names:
                project_storage.delete(name)
            resource_storage = CommunityResource._meta.get_field("file").storage
            for name in resource_names:
                resource_storage.delete(name)

        transaction.on_commit(delete_files)
    return event
