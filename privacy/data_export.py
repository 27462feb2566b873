"""The right of access (UU PDP art. 7 and 13): everything Lentera holds about a person, as one
ZIP archive with a machine-readable `data.json` and their certificate PDFs.

Every relation from any installed model to the user is either exported here (a section of
`data.json`) or excluded with the reason why: `privacy.user_data.USER_DATA` keeps that account,
and a test fails when a new relation appears that it does not cover.
"""

import io
import json
import zipfile
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation

from assignments.models import Submission, SubmissionFile
from audit.models import AuditEvent
from coaching.models import CoachingAgreement, CoachingSession
from cohorts.models import CohortMembership, Reminder
from development.models import DevelopmentRecord, EvidenceFile
from discussions.models import (
    Announcement,
    AnnouncementDelivery,
    CommunityEvent,
    CommunityResource,
    Membership,
    ParticipationClaim,
    Post,
    Report,
)
from evaluation.models import BehaviourFollowUp, CourseEvaluation, LearningNeed
from learners.certificates import (
    certificate_pdf_filename,
    certificate_pdf_is_stored,
    certificate_pdf_store,
)
from learners.models import (
    Certificate,
    Enrollment,
    LearningRecord,
    LessonCompletion,
    NIPClaim,
    User,
)
from live.models import SessionNotice
from lti.models import GradeLink, Identity
from notifications.selectors import notifications_personal_data
from packages.models import ScoState
from paths.certificates import (
    path_certificate_pdf_filename,
    path_certificate_pdf_store,
    path_certificate_verify_url,
)
from paths.models import PathCertificate, PathEnrollment
from planning.models import DevelopmentPlan, PlanItem
from projects.selectors import (
    evidence_archive_name as project_evidence_archive_name,
)
from projects.selectors import projects_evidence_of, projects_personal_data
from quizzes.models import QuizAttempt

FORMAT_VERSION = 1


def _values(queryset, *fields: str) -> list[dict[str, Any]]:
    return list(queryset.values(*fields))


def _profile(user: User) -> dict[str, Any]:
    return {
        "id": user.pk,
        "full_name": user.full_name,
        "email": user.email,
        "account_kind": user.account_kind,
        "nip": user.nip,
        "organization": user.organization.name if user.organization_id else None,
        "work_unit": user.work_unit.name if user.work_unit_id else None,
        "position": user.position.name if user.position_id else None,
        "rank_grade": user.rank_grade,
        "organization_membership": user.membership_status,
        # The account behind a typed address is named only once its holder confirmed the link.
        "supervisor": (
            {
                "full_name": user.supervisor.full_name if user.supervisor_confirmed_at else None,
                "email": user.supervisor.email,
            }
            if user.supervisor_id
            else None
        ),
        "supervisor_confirmed_at": user.supervisor_confirmed_at,
        "supervisor_name": user.supervisor_name,
        "supervisor_email": user.supervisor_email,
        "date_joined": user.date_joined,
        "last_login": user.last_login,
    }


def _certificates(user: User) -> list[Certificate]:
    return list(Certificate.objects.filter(enrollment__user=user).order_by("issued_at", "pk"))


def _certificate_row(certificate: Certificate) -> dict[str, Any]:
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("learners:certificate_verify", args=[certificate.code])
    return {
        "enrollment_id": certificate.enrollment_id,
        "serial": certificate.serial,
        "verify_url": settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path,
        "issued_at": certificate.issued_at,
        "valid_until": certificate.valid_until,
        "course_title": certificate.course_title,
        "jp": certificate.jp,
        "holder_name": certificate.holder_name,
        "holder_nip": certificate.holder_nip,
        "holder_agency": certificate.holder_agency,
        "holder_position": certificate.holder_position,
        "holder_rank_grade": certificate.holder_rank_grade,
        "competencies": certificate.competencies,
        "provider_name": certificate.provider_name,
        "final_score": certificate.final_score,
        "pass_band": certificate.pass_band,
        "started_on": certificate.started_on,
        "completed_on": certificate.completed_on,
        "revoked_at": certificate.revoked_at,
        "revoked_reason": certificate.revoked_reason,
        "pdf": f"sertifikat/{certificate_pdf_filename(certificate)}",
    }


def _path_certificates(user: User) -> list[PathCertificate]:
    return list(PathCertificate.objects.filter(enrollment__user=user).order_by("issued_at", "pk"))


def _learning_paths(user: User, certificates: list[PathCertificate]) -> list[dict[str, Any]]:
    """The learning paths the person follows or completed, each with its path certificate."""
    by_enrollment = {certificate.enrollment_id: certificate for certificate in certificates}
    rows = []
    enrollments = (
        PathEnrollment.objects.filter(user=user).select_related("path").order_by("started_at", "pk")
    )
    for enrollment in enrollments:
        certificate = by_enrollment.get(enrollment.pk)
        rows.append(
            {
                "path_id": enrollment.path_id,
                "path_title": enrollment.path.title,
                "started_at": enrollment.started_at,
                "completed_at": enrollment.completed_at,
                "certificate": None
                if certificate is None
                else {
                    "serial": certificate.serial,
                    "verify_url": path_certificate_verify_url(certificate),
                    "issued_at": certificate.issued_at,
                    "path_title": certificate.path_title,
                    "jp": certificate.jp,
                    "steps": certificate.steps,
                    "competencies": certificate.competencies,
                    "holder_name": certificate.holder_name,
                    "holder_nip": certificate.holder_nip,
                    "holder_agency": certificate.holder_agency,
                    "holder_position": certificate.holder_position,
                    "holder_rank_grade": certificate.holder_rank_grade,
                    "provider_name": certificate.provider_name,
                    "started_on": certificate.started_on,
                    "completed_on": certificate.completed_on,
                    "pdf": f"sertifikat/{path_certificate_pdf_filename(certificate)}",
                },
            }
        )
    return rows


def _enrollments(user: User) -> list[dict[str, Any]]:
    enrollments = _values(
        Enrollment.objects.filter(user=user).order_by("created_at", "pk"),
        "id",
        "course_id",
        "course__title",
        "status",
        "created_at",
        "started_at",
        "completed_at",
        "ended_at",
        "decided_by__full_name",
        "decision_note",
        "jp_credited",
        "final_score",
        "pass_band",
        "last_lesson__title",
        "last_visited_at",
        "evaluation_submitted_at",
    )
    by_id = {row["id"]: row for row in enrollments}
    for row in by_id.values():
        row["course_title"] = row.pop("course__title")
        row["decided_by"] = row.pop("decided_by__full_name")
        row["last_lesson"] = row.pop("last_lesson__title")
        row.update(lesson_completions=[], status_history=[], course_evaluation=None)
        row.update(behaviour_followup=None, cohort=None)
    for completion in _values(
        LessonCompletion.objects.filter(enrollment__user=user).order_by("completed_at", "pk"),
        "enrollment_id",
        "lesson_id",
        "lesson__title",
        "completed_at",
        "source",
    ):
        completion["lesson_title"] = completion.pop("lesson__title")
        by_id[completion.pop("enrollment_id")]["lesson_completions"].append(completion)
    for evaluation in _values(
        CourseEvaluation.objects.filter(enrollment__user=user),
        "enrollment_id",
        *CourseEvaluation.SCORE_FIELDS,
        "comment",
        "submitted_at",
    ):
        by_id[evaluation.pop("enrollment_id")]["course_evaluation"] = evaluation
    for followup in _values(
        BehaviourFollowUp.objects.filter(enrollment__user=user),
        "enrollment_id",
        "sent_at",
        "answered_at",
        "ratings",
        "average_rating",
        "comment",
    ):
        by_id[followup.pop("enrollment_id")]["behaviour_followup"] = followup
    for membership in _values(
        CohortMembership.objects.filter(enrollment__user=user),
        "enrollment_id",
        "cohort_id",
        "cohort__name",
        "via",
        "added_at",
    ):
        membership["cohort_name"] = membership.pop("cohort__name")
        by_id[membership.pop("enrollment_id")]["cohort"] = membership
    return enrollments


def _coaching_agreements(user: User) -> list[dict[str, Any]]:
    """The person's coaching and mentoring agreements, as coachee or as coach, each with its
    sessions (notes and agreed actions are both parties' words); two queries."""
    agreements = _values(
        CoachingAgreement.objects.filter(Q(coachee=user) | Q(coach=user)).order_by(
            "created_at", "pk"
        ),
        "id",
        "coachee_id",
        "coachee__full_name",
        "coach__full_name",
        "kind",
        "title",
        "goals",
        "start_date",
        "status",
        "proposed_by",
        "accepted_at",
        "ended_at",
        "created_at",
    )
    by_id = {}
    for row in agreements:
        row["role"] = "coachee" if row.pop("coachee_id") == user.pk else "coach"
        by_id[row["id"]] = row | {"sessions": []}
    sessions = CoachingSession.objects.filter(agreement_id__in=list(by_id)).order_by("date", "pk")
    for session in _values(
        sessions,
        "agreement_id",
        "date",
        "duration_minutes",
        "notes",
        "agreed_actions",
        "logged_by",
        "confirmed_by_coachee_at",
        "confirmed_by_coach_at",
        "record_id",
    ):
        by_id[session.pop("agreement_id")]["sessions"].append(session)
    return list(by_id.values())


def _development_plans(user: User) -> list[dict[str, Any]]:
    """The person's yearly development plans, each with its planned activities; two queries."""
    plans = _values(
        DevelopmentPlan.objects.filter(user=user).order_by("year", "pk"),
        "id",
        "year",
        "status",
        "submitted_at",
        "supervisor_note",
        "agreed_by__full_name",
        "agreed_at",
        "created_at",
    )
    by_id = {row["id"]: row | {"activities": []} for row in plans}
    for item in _values(
        PlanItem.objects.filter(plan__user=user).order_by("target_date", "pk"),
        "plan_id",
        "title",
        "course__title",
        "form__name",
        "competency__code",
        "competency__name",
        "need_id",
        "target_date",
        "planned_jp",
    ):
        by_id[item.pop("plan_id")]["activities"].append(item)
    return list(by_id.values())


def _development_records(user: User) -> list[dict[str, Any]]:
    """The person's development records outside courses, with the competencies they named and
    their evidence files (the files themselves are in the archive); three queries."""
    records = _values(
        DevelopmentRecord.objects.filter(owner=user).order_by("created_at", "pk"),
        "id",
        "form__name",
        "form__mode",
        "title",
        "organizer",
        "start_date",
        "end_date",
        "hours",
        "jp",
        "jp_credited",
        "report",
        "evidence_url",
        "status",
        "created_at",
        "decided_by__full_name",
        "decided_at",
        "decision_note",
    )
    by_id = {row["id"]: row | {"competencies": [], "evidence_files": []} for row in records}
    links = DevelopmentRecord.competencies.through.objects.filter(
        developmentrecord__owner=user
    ).order_by("competency__name")
    for link in links.values("developmentrecord_id", "competency__code", "competency__name"):
        by_id[link["developmentrecord_id"]]["competencies"].append(
            f"{link['competency__code']} {link['competency__name']}"
        )
    for evidence in _evidence_files(user):
        by_id[evidence.record_id]["evidence_files"].append(
            {
                "file": _evidence_archive_name(evidence),
                "original_name": evidence.original_name,
                "content_type": evidence.content_type,
                "size": evidence.size,
                "uploaded_at": evidence.uploaded_at,
            }
        )
    return list(by_id.values())


def _evidence_files(user: User) -> list[EvidenceFile]:
    return list(EvidenceFile.objects.filter(record__owner=user).order_by("record_id", "pk"))


def _evidence_archive_name(evidence: EvidenceFile) -> str:
    extension = evidence.file.name.rsplit(".", 1)[-1]
    return f"bukti-pengembangan/{evidence.record_id}-{evidence.pk}.{extension}"


def _submission_files(user: User) -> list[SubmissionFile]:
    return list(
        SubmissionFile.objects.filter(submission__user=user).order_by("submission_id", "pk")
    )


def _submission_archive_name(stored: SubmissionFile) -> str:
    extension = stored.file.name.rsplit(".", 1)[-1]
    return f"tugas/{stored.submission_id}-{stored.pk}.{extension}"


def personal_data(user: User, *, certificates: list[Certificate] | None = None) -> dict:
    """Everything Lentera holds about `user`, as JSON-ready data; a fixed number of queries."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.socialaccount.models import SocialAccount
    from wagtail.users.models import UserProfile

    user = User.objects.select_related("organization", "work_unit", "position", "supervisor").get(
        pk=user.pk
    )
    certificates = _certificates(user) if certificates is None else certificates
    enrollments = _enrollments(user)
    history = _values(
        LearningRecord.objects.filter(learner=user).order_by("timestamp"),
        "timestamp",
        "verb",
        "object_type",
        "object_id",
        "object_label",
        "result",
    )
    by_enrollment = {row["id"]: row for row in enrollments}
    for event in history:
        enrollment = by_enrollment.get((event["result"] or {}).get("enrollment_id"))
        if enrollment is not None:
            enrollment["status_history"].append(
                {"timestamp": event["timestamp"], "event": event["verb"]}
            )
    return {
        "format_version": FORMAT_VERSION,
        "generated_at": timezone.now(),
        "controller": "Lembaga Administrasi Negara (LAN) — Lentera",
        "profile": _profile(user),
        "roles": {
            "organization_roles": _values(
                user.organization_roles.order_by("pk"), "organization__name", "role"
            ),
            "course_trainer_of": _values(
                user.trained_courses.order_by("pk"), "course_id", "course__title"
            ),
            "cohort_trainer_of": _values(
                user.trained_cohorts.order_by("pk"), "id", "name", "course__title"
            ),
        },
        "enrollments": enrollments,
        "certificates": [_certificate_row(certificate) for certificate in certificates],
        "quiz_attempts": _values(
            QuizAttempt.objects.filter(user=user).order_by("started_at", "pk"),
            "enrollment_id",
            "quiz_id",
            "quiz__title",
            "number",
            "status",
            "started_at",
            "submitted_at",
            "answered_offline_at",
            "answers",
            "points",
            "max_points",
            "score",
            "passed",
            "pass_band",
        ),
        # What e-learning packages (SCORM, H5P) recorded: positions, answers, scores, times.
        "package_attempts": _values(
            ScoState.objects.filter(attempt__enrollment__user=user).order_by(
                "attempt__started_at", "attempt_id", "pk"
            ),
            "attempt__enrollment_id",
            "attempt__lesson_id",
            "attempt__lesson__title",
            "attempt__started_at",
            "attempt__completed_at",
            "item",
            "completion_status",
            "success_status",
            "score_scaled",
            "score_raw",
            "total_time",
            "cmi",
            "updated_at",
        ),
        "learning_needs": _values(
            LearningNeed.objects.filter(user=user).order_by("created_at", "pk"),
            "competency__code",
            "competency__name",
            "current_level",
            "target_level",
            "priority",
            "reason",
            "appraisal_reference",
            "status",
            "created_at",
            "submitted_at",
            "endorsed_by__full_name",
            "endorsed_at",
            "decision_note",
        ),
        "reminders_received": _values(
            Reminder.objects.filter(learner=user).order_by("created_at", "pk"),
            "cohort__name",
            "sent_on",
            "status",
            "sent_at",
        ),
        # HR's reminders of the JP target. By name: compliance is privacy's sibling floor, which
        # it does not import.
        "jp_reminders_received": _values(
            apps.get_model("compliance", "ComplianceReminder")
            .objects.filter(person=user)
            .order_by("created_at", "pk"),
            "organization__name",
            "year",
            "jp",
            "target",
            "status",
            "created_at",
            "sent_at",
        ),
        "development_records": _development_records(user),
        "development_plans": _development_plans(user),
        "coaching_agreements": _coaching_agreements(user),
        "change_projects": projects_personal_data(user=user),
        # Accounts of other learning platforms linked by LTI, and where grades go back to.
        "lti_identities": _values(
            Identity.objects.filter(user=user).order_by("linked_at", "pk"),
            "platform__name",
            "platform__issuer",
            "sub",
            "linked_at",
        ),
        "lti_grade_links": _values(
            GradeLink.objects.filter(identity__user=user).order_by("created_at", "pk"),
            "identity__platform__name",
            "course__title",
            "lineitem_url",
            "created_at",
            "last_sent_at",
        ),
        "learning_paths": _learning_paths(user, _path_certificates(user)),
        # Questions (the first post of the thread they asked) and answers in discussions.
        "discussion_posts": _values(
            Post.objects.filter(author=user).order_by("created_at", "pk"),
            "thread_id",
            "thread__title",
            "thread__course__title",
            "thread__cohort__name",
            "thread__community__name",
            "is_question",
            "by_trainer",
            "body",
            "created_at",
            "hidden_at",
        ),
        "discussion_reports": _values(
            Report.objects.filter(reporter=user).order_by("created_at", "pk"),
            "post_id",
            "post__thread__title",
            "reason",
            "created_at",
            "resolved_at",
        ),
        "announcements_posted": _values(
            Announcement.objects.filter(author=user).order_by("created_at", "pk"),
            "cohort__name",
            "title",
            "body",
            "created_at",
        ),
        "communities": {
            "member_of": _values(
                Membership.objects.filter(user=user).order_by("pk"),
                "community__name",
                "joined_at",
            ),
            "moderator_of": _values(user.moderated_communities.order_by("pk"), "id", "name"),
        },
        "community_resources": _values(
            CommunityResource.objects.filter(author=user).order_by("created_at", "pk"),
            "community__name",
            "title",
            "description",
            "url",
            "original_name",
            "created_at",
            "hidden_at",
        ),
        "community_events": _values(
            CommunityEvent.objects.filter(author=user).order_by("starts_at", "pk"),
            "community__name",
            "title",
            "description",
            "starts_at",
            "ends_at",
            "place",
            "link",
        ),
        "community_claims": _values(
            ParticipationClaim.objects.filter(member=user).order_by("start_date", "pk"),
            "community__name",
            "start_date",
            "end_date",
            "report",
            "record_id",
            "created_at",
        ),
        "announcements_received": _values(
            AnnouncementDelivery.objects.filter(recipient=user).order_by("pk"),
            "announcement__cohort__name",
            "announcement__title",
            "announcement__created_at",
            "sent_at",
        ),
        "notifications": notifications_personal_data(user=user),
        # The e-mails telling the person a session of their cohort was scheduled, moved or
        # cancelled.
        "live_session_emails_received": _values(
            SessionNotice.objects.filter(recipient=user).order_by("pk"),
            "session__cohort__name",
            "session__title",
            "change",
            "sent_at",
        ),
        "assignment_submissions": _values(
            Submission.objects.filter(user=user).order_by("submitted_at", "pk"),
            "enrollment_id",
            "assignment_id",
            "assignment__title",
            "version",
            "status",
            "text",
            "submitted_at",
            "due_at",
            "late",
            "criterion_scores",
            "points",
            "max_points",
            "score",
            "passed",
            "feedback",
            "graded_at",
        ),
        "learning_record": history,
        "nip_claims": _values(
            NIPClaim.objects.filter(claimant=user).order_by("created_at", "pk"),
            "nip",
            "organization__name",
            "source",
            "status",
            "created_at",
            "decided_at",
        ),
        "email_addresses": _values(
            EmailAddress.objects.filter(user=user).order_by("pk"), "email", "verified", "primary"
        ),
        "agency_sign_in": _values(
            SocialAccount.objects.filter(user=user).order_by("pk"),
            "provider",
            "uid",
            "date_joined",
            "last_login",
        ),
        "two_factor_authentication": _values(
            Authenticator.objects.filter(user=user).order_by("pk"),
            "type",
            "created_at",
            "last_used_at",
        ),
        "interface_preferences": _values(
            UserProfile.objects.filter(user=user),
            "preferred_language",
            "current_time_zone",
        ),
        "processing_log": _values(
            AuditEvent.objects.filter(subject_user=user).order_by("created_at", "pk"),
            "created_at",
            "action",
            "actor_label",
            "organization__name",
            "target",
            "detail",
        ),
    }


def personal_data_export(*, user: User) -> bytes:
    """The person's own archive, recorded in the audit log by the service itself (UU PDP: every
    export of personal data is logged, whatever entry point asks for it)."""
    from audit.services import Action, audit_record

    with transaction.atomic():
        archive = personal_data_archive(user)
        audit_record(
            user,
            Action.DATA_EXPORTED,
            organization=user.organization_id,
            subject=user,
            detail={"format": "zip", "bytes": len(archive)},
        )
    return archive


def personal_data_archive(user: User) -> bytes:
    """The ZIP archive: data.json, the certificate PDFs (rendered now if not yet stored) and
    the evidence files of development records."""
    certificates = _certificates(user)
    data = personal_data(user, certificates=certificates)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "data.json",
            json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        )
        for certificate in certificates:
            if not certificate_pdf_is_stored(certificate):
                certificate = certificate_pdf_store(certificate_id=certificate.pk)
                if certificate is None:
                    continue
            with certificate.pdf.open("rb") as pdf:
                archive.writestr(
                    f"sertifikat/{certificate_pdf_filename(certificate)}",
                    pdf.read(),
                    compress_type=zipfile.ZIP_STORED,
                )
        for path_certificate in _path_certificates(user):
            path_certificate = path_certificate_pdf_store(certificate_id=path_certificate.pk)
            if path_certificate is None:
                continue
            with path_certificate.pdf.open("rb") as pdf:
                archive.writestr(
                    f"sertifikat/{path_certificate_pdf_filename(path_certificate)}",
                    pdf.read(),
                    compress_type=zipfile.ZIP_STORED,
                )
        # The files the person handed in with their assignments.
        for stored in _submission_files(user):
            try:
                with stored.file.open("rb") as handle:
                    archive.writestr(_submission_archive_name(stored), handle.read())
            except FileNotFoundError:
                continue
        # The evidence the person uploaded for their change projects' milestones.
        for evidence in projects_evidence_of(user=user):
            try:
                with evidence.file.open("rb") as handle:
                    archive.writestr(project_evidence_archive_name(evidence), handle.read())
            except FileNotFoundError:
                continue
        # The evidence the person uploaded for their development records.
        for evidence in _evidence_files(user):
            try:
                with evidence.file.open("rb") as handle:
                    archive.writestr(_evidence_archive_name(evidence), handle.read())
            except FileNotFoundError:
                continue
    return buffer.getvalue()
