# ruff: noqa: E501 (the matrix is a table, one row per line)
"""The permission matrix: every URL of Lentera's own apps, every page type, every endpoint of the
learner API and the Wagtail admin views that matter, requested as each role, against objects
that belong to someone else (learner L1's, organization B's).

`MATRIX` below is the policy, written by hand from the README and the product rules, never
derived from the permission code. A project URL, page type or API operation without a row fails
`test_every_endpoint_has_a_row`; a request that answers anything else than its cell, or a 500,
fails its row. State-changing requests are POSTed with a real payload, and the objects they aim
at must be unchanged for every role not allowed to change them.

The world is built once per module inside a transaction that is rolled back at the end; each
test runs in a savepoint (pytest-django's `db`), and each role's request in a savepoint of its
own, so the owner's own action (withdrawing, submitting) never leaks into another role's cell.
"""

import io
import json
import re
import secrets
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.models import Page, TaskState, get_page_models
from wagtail_factories import DocumentFactory, ImageFactory
from wagtail_localize.models import TranslationSource

from assignments import services as assignment_services
from assignments.factories import AssignmentPageFactory
from assignments.models import Submission
from audit.models import AuditEvent
from coaching import services as coaching_services
from coaching.models import CoachingAgreement, CoachingSession
from cohorts.factories import CohortInvitationFactory
from cohorts.invitations import invitation_token
from cohorts.members import cohort_join_request, cohort_member_add
from cohorts.models import CohortImport, CohortInvitation, Reminder
from cohorts.services import cohort_create
from compliance.models import ComplianceReminder
from content.factories import CompetencyFactory, OrganizationFactory, ResourcePageFactory
from content.models import LibrarySectionPage, StandardPage
from courses.factories import (
    CourseCompetencyFactory,
    CoursePageFactory,
    LessonPageFactory,
    ModulePageFactory,
    ProviderFactory,
    provider_page_of,
)
from courses.models import CoursePage
from courses.services import site_structure_ensure
from credentials.services import credential_for_certificate
from development import services as development_services
from development.factories import form_of
from development.models import DevelopmentRecord, EvidenceFile, FormRule
from discussions import communities as community_services
from discussions import services as discussion_services
from discussions.models import (
    Announcement,
    Community,
    CommunityEvent,
    CommunityResource,
    Membership,
    ParticipationClaim,
    Post,
    Report,
    Thread,
)
from evaluation import followup_links
from evaluation import services as evaluation_services
from evaluation.models import (
    BehaviourFollowUp,
    FeedbackAspect,
    LearningNeed,
    ServiceUnit,
)
from learners import progress as learner_progress
from learners.factories import (
    CourseTrainerFactory,
    EnrollmentFactory,
    OrganizationRoleFactory,
    UserFactory,
    WorkUnitFactory,
)
from learners.membership import nip_help_request
from learners.models import (
    Certificate,
    Enrollment,
    LessonCompletion,
    NIPClaim,
    User,
)
from learners.nip import nip_format
from live import services as live_services
from live.models import Attendance, CalendarFeed, LiveSession
from lti.models import Platform as LtiPlatform
from lti.models import UsedNonce as LtiUsedNonce
from notifications.models import Notification, NotificationPreference
from notifications.services import notify
from packages import samples as package_samples
from packages.factories import PackageFactory, PackageLessonPageFactory
from packages.models import Package, ScoState
from paths.factories import activity_step, course_step, learning_path
from paths.models import PathEnrollment
from paths.services import path_follow
from planning import services as planning_services
from planning.models import DevelopmentPlan, PlanItem
from projects import services as project_services
from projects.models import ChangeProject, Milestone, MilestoneEvidence, ProjectComment
from quizzes import services as quiz_services
from quizzes.factories import QuizPageFactory
from quizzes.models import QuizAttempt
from search.models import SearchSynonym
from xapi.models import Delivery


def project_apps() -> set[str]:
    """Lentera's own apps (those inside the repository, not installed packages) and `lentera`."""
    root = str(settings.BASE_DIR)
    return {"lentera"} | {
        config.name.split(".")[0]
        for config in apps.get_app_configs()
        if config.path.startswith(root) and "site-packages" not in config.path
    }


# Outcomes. Redirects are told apart by where they lead.
OK = 200
NEW = 201  # the API created something for the caller themself
DONE = 204  # the API did what was asked and has nothing to answer
LOGIN = "login"  # 302 to the sign-in page (allauth, or Wagtail's /admin/login/ that leads there)
DENY = "admin-denied"  # 302 to the admin dashboard: Wagtail's "no permission" answer
AWAY = "redirect"  # 302 anywhere else (back to the course, to the list...)

ROLES = (
    "anonymous",
    "learner",  # L1, of organization B: owns the enrollment, certificate, attempt, needs...
    "other_learner",  # L2, of organization B too
    "trainer",  # trains a course and a cohort of organization A, not L1's cohort
    "editor",  # editor of organization A
    "moderator",  # moderator of organization A
    "org_admin",  # organization admin (HR) of A
    "superuser",
    "course_only_trainer",  # trains course B (CourseTrainer), not L1's cohort of it
    "org_admin_c",  # organization admin (HR) of C, whose employee L3 is in L1's cohort
)

# fmt: off
MATRIX = {
    # row                                                  anon   L1     L2     train  edit   mod    HR A   super  trn B  HR C
    # Operational
    "favicon":                                            (AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY),
    "healthz":                                            (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    # Pages through content.translation.serve (each page type has its rows): the home page.
    "wagtail_serve":                                      (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    # Wagtail's way in: on to the sign-in page, or a 403 saying why for people without access
    "admin_login":                                        (LOGIN, 403,   403,   403,   LOGIN, LOGIN, 403,   LOGIN, 403,   403),
    # My learning and its exports
    "learners:my_learning":                               (LOGIN, OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "development:jp_ledger_csv":                          (LOGIN, OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "development:siasn_export_csv":                       (LOGIN, OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "learners:profile":                                   (LOGIN, OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    # Enrollment: deciding L1's pending request is for the course's people and B's admins only
    "learners:enrollment_requests":                       (LOGIN, 404,   404,   404,   404,   404,   404,   AWAY,  404,   404),
    "learners:enroll":                                    (LOGIN, AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY),
    # L1's supervisor link is confirmed by the person L1 named (not a column), never by L1
    "learners:supervisor_requests":                       (LOGIN, 404,   404,   404,   404,   404,   404,   404,   404,   404),
    "learners:withdraw":                                  (LOGIN, AWAY,  404,   404,   404,   404,   404,   404,   404,   404),
    "learners:complete_lesson":                           (LOGIN, AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY),
    # Certificates: verification is public, the PDF (with the NIP) is the holder's and B's admins'
    "learners:certificate_verify":                        (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "learners:certificate_pdf":                           (LOGIN, OK,    404,   404,   404,   404,   404,   OK,    404,   404),
    # JP compliance of organization B: its admins only
    "compliance:index":                                   (LOGIN, 404,   404,   404,   404,   404,   AWAY,  OK,    404,   AWAY),
    "compliance:report":                                  (LOGIN, 404,   404,   404,   404,   404,   404,   OK,    404,   404),
    "compliance:report_csv":                              (LOGIN, 404,   404,   404,   404,   404,   404,   OK,    404,   404),
    "compliance:report_xlsx":                             (LOGIN, 404,   404,   404,   404,   404,   404,   OK,    404,   404),
    # L1's drill-down, reminders and the SIASN export: B's admins (not a column) and the superuser;
    # not L1, nor L1's supervisor (their team page is theirs), nor HR of A or C
    "compliance:person":                                  (LOGIN, 404,   404,   404,   404,   404,   404,   OK,    404,   404),
    "compliance:reminders":                               (LOGIN, 404,   404,   404,   404,   404,   404,   AWAY,  404,   404),
    "compliance:siasn":                                   (LOGIN, 404,   404,   404,   404,   404,   404,   OK,    404,   404),
    "compliance:siasn_csv":                               (LOGIN, 404,   404,   404,   404,   404,   404,   OK,    404,   404),
    "compliance:siasn_xlsx":                              (LOGIN, 404,   404,   404,   404,   404,   404,   OK,    404,   404),
    # Organization B's members awaiting confirmation, staff list and NIP claims: its admins only
    "learners:members":                                   (LOGIN, 404,   404,   404,   404,   404,   404,   OK,    404,   404),
    "learners:member_decide":                             (LOGIN, 404,   404,   404,   404,   404,   404,   AWAY,  404,   404),
    "learners:staff_list_import":                         (LOGIN, 404,   404,   404,   404,   404,   404,   AWAY,  404,   404),
    # Organization B's supervisor links from its structure: its admins only
    "learners:supervisor_links_import":                   (LOGIN, 404,   404,   404,   404,   404,   404,   AWAY,  404,   404),
    "learners:nip_claim_decide":                          (LOGIN, 404,   404,   404,   404,   404,   404,   AWAY,  404,   404),
    # "My NIP is used by someone else": anyone, from the sign-up page
    "learners:nip_help":                                  (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    # Quiz attempts: L1's attempt is L1's alone
    "quizzes:attempt_start":                          (LOGIN, AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY),
    "quizzes:attempt":                                (LOGIN, OK,    404,   404,   404,   404,   404,   404,   404,   404),
    "quizzes:attempt_submit":                         (LOGIN, AWAY,  404,   404,   404,   404,   404,   404,   404,   404),
    "quizzes:attempt_result":                         (LOGIN, AWAY,  404,   404,   404,   404,   404,   404,   404,   404),
    # Package lessons: the package origin serves the same files and player to everyone (no
    # session exists there, whatever cookies come with the request) and nothing of the site:
    # not the learner API, even with the learner's session cookie; the site serves no package
    "packages:player":                                    (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "packages:file":                                      (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "packages:service_worker":                            (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "packages:save":                                      (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "packages:player (on the site)":                      (404,   404,   404,   404,   404,   404,   404,   404,   404,   404),
    "packages:file (on the site)":                        (404,   404,   404,   404,   404,   404,   404,   404,   404,   404),
    "packages:player (on another package's host)":        (404,   404,   404,   404,   404,   404,   404,   404,   404,   404),
    "packages:file (on another package's host)":          (404,   404,   404,   404,   404,   404,   404,   404,   404,   404),
    "api:GET /me/enrollments (on the package origin)":    (404,   404,   404,   404,   404,   404,   404,   404,   404,   404),
    "learners:my_learning (on the package origin)":       (404,   404,   404,   404,   404,   404,   404,   404,   404,   404),
    # Evaluation: L1's survey; course B's results for B's people
    "evaluation:evaluation_index":                        (LOGIN, OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "evaluation:evaluation_form":                         (LOGIN, OK,    404,   404,   404,   404,   404,   404,   404,   404),
    "evaluation:course_evaluation":                       (LOGIN, 404,   404,   404,   404,   404,   404,   OK,    OK,    404),
    # Learning needs: L1's own; endorsement by L1's supervisor or B's admins
    "evaluation:needs_list":                              (LOGIN, OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "evaluation:need_edit":                               (LOGIN, OK,    404,   404,   404,   404,   404,   404,   404,   404),
    "evaluation:need_submit":                             (LOGIN, AWAY,  404,   404,   404,   404,   404,   404,   404,   404),
    "evaluation:need_delete":                             (LOGIN, AWAY,  404,   404,   404,   404,   404,   404,   404,   404),
    "evaluation:needs_endorsement":                       (LOGIN, 404,   404,   404,   404,   404,   404,   AWAY,  404,   404),
    "evaluation:needs_report":                            (LOGIN, 403,   403,   403,   403,   403,   OK,    OK,    403,   OK),
    "evaluation:needs_report_csv":                        (LOGIN, 403,   403,   403,   403,   403,   OK,    OK,    403,   OK),
    "evaluation:needs_report_xlsx":                       (LOGIN, 403,   403,   403,   403,   403,   OK,    OK,    403,   OK),
    # The supervisor's follow-up link is its own credential; public feedback needs no account
    "evaluation:followup_form":                           (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "evaluation:followup_thanks":                         (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "evaluation:feedback_index":                          (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "evaluation:feedback_form":                           (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "evaluation:feedback_thanks":                         (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    # Development outside courses: L1's records are L1's; verified by L1's confirmed supervisor
    # and B's HR (not columns: L1's supervisor has not answered) and the superuser
    "development:record_list":                            (LOGIN, OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "development:record_create":                          (LOGIN, OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "development:record_detail":                          (LOGIN, OK,    404,   404,   404,   404,   404,   OK,    404,   404),
    "development:record_edit":                            (LOGIN, OK,    404,   404,   404,   404,   404,   404,   404,   404),
    "development:evidence_download":                      (LOGIN, OK,    404,   404,   404,   404,   404,   OK,    404,   404),
    "development:evidence_remove":                        (LOGIN, AWAY,  404,   404,   404,   404,   404,   404,   404,   404),
    "development:verification_queue":                     (LOGIN, OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    # Everyone's own confirmed team (nobody's is L1: L1's supervisor has not answered); L1's page
    # is their confirmed supervisor's only (not a column), not even HR's or the superuser's
    "team:my_team":                                       (LOGIN, OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "team:member_detail":                                 (LOGIN, 404,   404,   404,   404,   404,   404,   404,   404,   404),
    "development:record_decide":                          (LOGIN, 404,   404,   404,   404,   404,   404,   AWAY,  404,   404),
    "development:record_revoke":                          (LOGIN, 404,   404,   404,   404,   404,   404,   AWAY,  404,   404),
    # Rules of organization B: its HR (not a column) and the superuser; other HR see their own
    # Coaching and mentoring: L1 and their coach (not a column) only, not even HR or the superuser
    # Competency profiles and development plans: L1's are L1's, their confirmed supervisor's
    # (not a column: L1's supervisor has not answered) and B's HR's (the superuser); only the
    # confirmed supervisor decides a plan, so nobody here can
    "planning:my_profile":                                (LOGIN, OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "planning:person_profile":                            (LOGIN, AWAY,  404,   404,   404,   404,   404,   OK,    404,   404),
    "planning:plan_index":                                (LOGIN, OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "planning:team_plans":                                (LOGIN, OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "planning:plan_detail":                               (LOGIN, OK,    404,   404,   404,   404,   404,   OK,    404,   404),
    "planning:item_create":                               (LOGIN, OK,    404,   404,   404,   404,   404,   404,   404,   404),
    "planning:item_edit":                                 (LOGIN, OK,    404,   404,   404,   404,   404,   404,   404,   404),
    "planning:item_delete":                               (LOGIN, AWAY,  404,   404,   404,   404,   404,   404,   404,   404),
    "planning:plan_submit":                               (LOGIN, AWAY,  404,   404,   404,   404,   404,   404,   404,   404),
    "planning:plan_decide":                               (LOGIN, 404,   404,   404,   404,   404,   404,   404,   404,   404),
    "coaching:agreement_list":                            (LOGIN, OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "coaching:agreement_create":                          (LOGIN, OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "coaching:agreement_detail":                          (LOGIN, OK,    404,   404,   404,   404,   404,   404,   404,   404),
    "coaching:agreement_accept":                          (LOGIN, AWAY,  404,   404,   404,   404,   404,   404,   404,   404),
    "coaching:agreement_end":                             (LOGIN, AWAY,  404,   404,   404,   404,   404,   404,   404,   404),
    "coaching:session_log":                               (LOGIN, AWAY,  404,   404,   404,   404,   404,   404,   404,   404),
    "coaching:session_confirm":                           (LOGIN, AWAY,  404,   404,   404,   404,   404,   404,   404,   404),
    # Learning paths: anyone signed in follows a published path; only L1 follows path B (and has
    # completed it: leaving is refused, back to the path); the certificate's PDF is L1's alone
    "paths:path_list":                                   (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "paths:follow":                                      (LOGIN, AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY),
    "paths:leave":                                       (LOGIN, AWAY,  404,   404,   404,   404,   404,   404,   404,   404),
    "paths:certificate_verify":                          (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "paths:certificate_pdf":                             (LOGIN, OK,    404,   404,   404,   404,   404,   404,   404,   404),
    # Open Badges credentials: the issuer profile, its status list and the check are public; a
    # certificate's credential (JSON, PNG badge) is its holder's alone, as the path PDF
    "credentials:issuer":                                 (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "credentials:status_list":                            (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "credentials:verify":                                 (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "credentials:certificate":                            (LOGIN, OK,    404,   404,   404,   404,   404,   404,   404,   404),
    "credentials:path_certificate":                       (LOGIN, OK,    404,   404,   404,   404,   404,   404,   404,   404),
    "development:rule_list":                              (LOGIN, 404,   404,   404,   404,   404,   OK,    OK,    404,   OK),
    "development:rule_edit":                              (LOGIN, 404,   404,   404,   404,   404,   404,   AWAY,  404,   404),
    # Cohorts: L1's cohorts of course B are their trainers' (not a column) and the superuser's
    "cohorts:dashboard":                                  (LOGIN, 404,   404,   OK,    404,   404,   404,   OK,    OK,    404),
    "cohorts:create":                                     (LOGIN, 404,   404,   OK,    404,   404,   404,   OK,    OK,    404),
    "cohorts:detail":                                     (LOGIN, 404,   404,   404,   404,   404,   404,   OK,    404,   404),
    "cohorts:edit":                                       (LOGIN, 404,   404,   404,   404,   404,   404,   OK,    404,   404),
    "cohorts:learners_add":                               (LOGIN, 404,   404,   404,   404,   404,   404,   OK,    404,   404),
    "cohorts:import":                                     (LOGIN, 404,   404,   404,   404,   404,   404,   OK,    404,   404),
    "cohorts:remind":                                     (LOGIN, 404,   404,   404,   404,   404,   404,   AWAY,  404,   404),
    "cohorts:request_decide":                             (LOGIN, 404,   404,   404,   404,   404,   404,   AWAY,  404,   404),
    "cohorts:export_csv":                                 (LOGIN, 404,   404,   404,   404,   404,   404,   OK,    404,   404),
    "cohorts:export_xlsx":                                (LOGIN, 404,   404,   404,   404,   404,   404,   OK,    404,   404),
    "cohorts:join":                                       (LOGIN, AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY),
    "cohorts:course_join":                                (LOGIN, AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY),
    "cohorts:invitation_resend":                          (LOGIN, 404,   404,   404,   404,   404,   404,   AWAY,  404,   404),
    "cohorts:invitation_cancel":                          (LOGIN, 404,   404,   404,   404,   404,   404,   AWAY,  404,   404),
    # The e-mailed link is its own credential, for its address only: signed out, on to sign-up
    "cohorts:invitation":                                 (AWAY,  403,   403,   403,   403,   403,   403,   403,   403,   403),
    # Training a course is not training each of its cohorts: course A's cohort of another trainer
    "cohorts:detail (course A, not the trainer's)":       (LOGIN, 404,   404,   404,   404,   404,   404,   OK,    404,   404),
    "cohorts:export_csv (course A, not the trainer's)":   (LOGIN, 404,   404,   404,   404,   404,   404,   OK,    404,   404),
    "cohorts:export_xlsx (course A, not the trainer's)":  (LOGIN, 404,   404,   404,   404,   404,   404,   OK,    404,   404),
    "api:GET /cohorts/{cohort_id}/progress (course A, not the trainer's)": (401,   404,   404,   404,   404,   404,   404,   OK,    404,   404),
    # Discussions of course B (L1 asked, B's trainer answered) and of L1's cohort of it: the
    # course's learners and trainers see the course's, the cohort's members and trainers the
    # cohort's (course B's trainer does not train L1's cohort); moderators of A moderate only A's
    "discussions:course":                                 (LOGIN, OK,    404,   404,   404,   404,   404,   OK,    OK,    404),
    "discussions:course (ask)":                           (LOGIN, AWAY,  404,   404,   404,   404,   404,   AWAY,  AWAY,  404),
    "discussions:cohort":                                 (LOGIN, OK,    404,   404,   404,   404,   404,   OK,    404,   404),
    "discussions:cohort (ask)":                           (LOGIN, AWAY,  404,   404,   404,   404,   404,   AWAY,  404,   404),
    "discussions:thread":                                 (LOGIN, OK,    404,   404,   404,   404,   404,   OK,    OK,    404),
    "discussions:thread (answer)":                        (LOGIN, AWAY,  404,   404,   404,   404,   404,   AWAY,  AWAY,  404),
    "discussions:thread (cohort)":                        (LOGIN, OK,    404,   404,   404,   404,   404,   OK,    404,   404),
    # The asker (L1) or a trainer accepts an answer; moderators (trainers, the superuser) hide and lock
    "discussions:accept":                                 (LOGIN, AWAY,  404,   404,   404,   404,   404,   AWAY,  AWAY,  404),
    "discussions:lock":                                   (LOGIN, 404,   404,   404,   404,   404,   404,   AWAY,  AWAY,  404),
    "discussions:hide":                                   (LOGIN, 404,   404,   404,   404,   404,   404,   AWAY,  AWAY,  404),
    "discussions:report":                                 (LOGIN, OK,    404,   404,   404,   404,   404,   OK,    OK,    404),
    "discussions:report (send)":                          (LOGIN, AWAY,  404,   404,   404,   404,   404,   AWAY,  AWAY,  404),
    # The reports page: every trainer and organization moderator (each sees their own discussions')
    "discussions:reports":                                (LOGIN, 404,   404,   OK,    404,   OK,    404,   OK,    OK,    404),
    "discussions:report_dismiss":                         (LOGIN, 404,   404,   404,   404,   404,   404,   AWAY,  404,   404),
    # Announcements to L1's cohort: its trainers (not a column) and the superuser
    "discussions:announcement_create":                    (LOGIN, 404,   404,   404,   404,   404,   404,   OK,    404,   404),
    "discussions:announcement_create (post)":             (LOGIN, 404,   404,   404,   404,   404,   404,   AWAY,  404,   404),
    # Live sessions of L1's cohort: its members see them, its trainers (not a column) and the
    # superuser schedule, change, cancel and take attendance; course B's trainer sees nothing
    # Communities of practice (A's, L1 a member; A's moderator and the superuser moderate it):
    # everyone signed in sees what it is and joins or leaves; its topics, resources and events
    # are for its members and moderators; only members claim participation
    "discussions:communities":                            (LOGIN, OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "discussions:community":                              (LOGIN, OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "discussions:community (topic)":                      (LOGIN, AWAY,  404,   404,   404,   AWAY,  404,   AWAY,  404,   404),
    "discussions:community_join":                         (LOGIN, AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY),
    "discussions:community_leave":                        (LOGIN, AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY),
    "discussions:community_resources":                    (LOGIN, OK,    404,   404,   404,   OK,    404,   OK,    404,   404),
    "discussions:community_resources (share)":            (LOGIN, AWAY,  404,   404,   404,   AWAY,  404,   AWAY,  404,   404),
    "discussions:resource_download":                      (LOGIN, OK,    404,   404,   404,   OK,    404,   OK,    404,   404),
    "discussions:resource_hide":                          (LOGIN, 404,   404,   404,   404,   AWAY,  404,   AWAY,  404,   404),
    "discussions:community_events":                       (LOGIN, OK,    404,   404,   404,   OK,    404,   OK,    404,   404),
    "discussions:community_events (announce)":            (LOGIN, 404,   404,   404,   404,   AWAY,  404,   AWAY,  404,   404),
    "discussions:event_cancel":                           (LOGIN, 404,   404,   404,   404,   AWAY,  404,   AWAY,  404,   404),
    "discussions:community_claim":                        (LOGIN, OK,    404,   404,   404,   404,   404,   404,   404,   404),
    "discussions:community_claim (claim)":                (LOGIN, AWAY,  404,   404,   404,   404,   404,   404,   404,   404),
    "live:cohort_sessions":                               (LOGIN, OK,    404,   404,   404,   404,   404,   OK,    404,   404),
    "live:session_ics":                                   (LOGIN, OK,    404,   404,   404,   404,   404,   OK,    404,   404),
    "live:session_create":                                (LOGIN, 404,   404,   404,   404,   404,   404,   OK,    404,   404),
    "live:session_create (post)":                         (LOGIN, 404,   404,   404,   404,   404,   404,   AWAY,  404,   404),
    "live:session_edit":                                  (LOGIN, 404,   404,   404,   404,   404,   404,   OK,    404,   404),
    "live:session_edit (post)":                           (LOGIN, 404,   404,   404,   404,   404,   404,   AWAY,  404,   404),
    "live:session_cancel":                                (LOGIN, 404,   404,   404,   404,   404,   404,   AWAY,  404,   404),
    "live:attendance":                                    (LOGIN, 404,   404,   404,   404,   404,   404,   OK,    404,   404),
    "live:attendance (post)":                             (LOGIN, 404,   404,   404,   404,   404,   404,   AWAY,  404,   404),
    # Everyone's own calendar address; renewing or revoking touches one's own, never L1's
    "live:calendar":                                      (LOGIN, OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "live:calendar_renew":                                (LOGIN, AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY),
    "live:calendar_revoke":                               (LOGIN, AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY),
    # L1's calendar feed: its secret address is the credential (calendar apps send no cookie)
    "live:feed":                                          (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "live:feed (wrong token)":                            (404,   404,   404,   404,   404,   404,   404,   404,   404,   404),
    # Everyone's own notifications; L1's notification is marked read by L1 alone, 404 to others
    "notifications:list":                                 (LOGIN, OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "notifications:mark_read":                            (LOGIN, AWAY,  404,   404,   404,   404,   404,   404,   404,   404),
    "notifications:mark_all_read":                        (LOGIN, AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY),
    "notifications:preferences":                          (LOGIN, AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY),
    "api:GET /me/notifications/unread-count":             (401,   OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "api:GET /me/notifications":                          (401,   OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "api:POST /me/notifications/{notification_id}/read":  (401,   OK,    404,   404,   404,   404,   404,   404,   404,   404),
    "api:POST /me/notifications/read":                    (401,   OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    # Change projects: L1's is L1's, its mentor's and its coach's (B's trainer; neither a
    # column), nobody else's, not even the superuser's; the superuser assigns coaches of cohort B
    # as its trainers do. L1's project is in progress: its proposal is no longer editable, its
    # final report waits for its milestones, publication for the coach's assessment.
    "projects:list":                                      (LOGIN, OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "projects:create":                                    (LOGIN, OK,    404,   404,   404,   404,   404,   404,   404,   404),
    "projects:create (post)":                             (LOGIN, 400,   404,   404,   404,   404,   404,   404,   404,   404),
    "projects:detail":                                    (LOGIN, OK,    404,   404,   404,   404,   404,   404,   404,   404),
    "projects:edit":                                      (LOGIN, 404,   404,   404,   404,   404,   404,   404,   404,   404),
    "projects:submit":                                    (LOGIN, AWAY,  404,   404,   404,   404,   404,   404,   404,   404),
    "projects:review":                                    (LOGIN, 404,   404,   404,   404,   404,   404,   404,   404,   404),
    "projects:comment":                                   (LOGIN, AWAY,  404,   404,   404,   404,   404,   404,   404,   404),
    "projects:milestone_report":                          (LOGIN, OK,    404,   404,   404,   404,   404,   404,   404,   404),
    "projects:milestone_report (post)":                   (LOGIN, AWAY,  404,   404,   404,   404,   404,   404,   404,   404),
    "projects:milestone_review":                          (LOGIN, 404,   404,   404,   404,   404,   404,   404,   404,   404),
    "projects:evidence":                                  (LOGIN, OK,    404,   404,   404,   404,   404,   404,   404,   404),
    "projects:final_report":                              (LOGIN, OK,    404,   404,   404,   404,   404,   404,   404,   404),
    "projects:final_report (post)":                       (LOGIN, 400,   404,   404,   404,   404,   404,   404,   404,   404),
    "projects:assess":                                    (LOGIN, 404,   404,   404,   404,   404,   404,   404,   404,   404),
    "projects:publication":                               (LOGIN, OK,    404,   404,   404,   404,   404,   404,   404,   404),
    "projects:publication (post)":                        (LOGIN, 400,   404,   404,   404,   404,   404,   404,   404,   404),
    "projects:publication_approve":                       (LOGIN, 404,   404,   404,   404,   404,   404,   404,   404,   404),
    "projects:publication_withdraw":                      (LOGIN, AWAY,  404,   404,   404,   404,   404,   404,   404,   404),
    "projects:cohort_projects":                           (LOGIN, 404,   404,   404,   404,   404,   404,   OK,    404,   404),
    "projects:cohort_projects (post)":                    (LOGIN, 404,   404,   404,   404,   404,   404,   AWAY,  404,   404),
    # The innovation gallery is public: a published project for everyone, an unpublished one
    # (L1's) for nobody
    "projects:gallery":                                   (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "projects:gallery_detail":                            (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "projects:gallery_detail (unpublished)":              (404,   404,   404,   404,   404,   404,   404,   404,   404,   404),
    # Assignments of course B: L1 submits their own (anyone else is sent back: not enrolled);
    # L1's file for L1 and the trainers of course B or of L1's cohort (not a column); the queues
    # and the grading form for those trainers only, never the superuser (nobody else's work)
    "assignments:submit":                                 (LOGIN, AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY),
    "assignments:file":                                   (LOGIN, OK,    404,   404,   404,   404,   404,   404,   OK,    404),
    "assignments:queue":                                  (LOGIN, OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "assignments:course_queue":                           (LOGIN, 404,   404,   404,   404,   404,   404,   404,   OK,    404),
    "assignments:cohort_queue":                           (LOGIN, 404,   404,   404,   404,   404,   404,   404,   404,   404),
    "assignments:grade":                                  (LOGIN, 404,   404,   404,   404,   404,   404,   404,   OK,    404),
    "assignments:grade (post)":                           (LOGIN, 404,   404,   404,   404,   404,   404,   404,   AWAY,  404),
    # Privacy: one's own data; organization B's audit log for its admins
    # The data-saver switch: anyone's own device choice (a cookie), back to the page (or home)
    "content:data_saver":                                 (AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY),
    "privacy:notice":                                     (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    # The installable app: its manifest, service worker and offline page are the same for everyone
    "offline:webmanifest":                                (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "offline:service_worker":                             (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "offline:index":                                      (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "offline:strings":                                    (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    # Offline API: a CSRF token for one's own session; any live public course's file list
    "api:GET /me/csrf-token":                             (401,   OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "api:GET /pages/{page_id}/offline":                   (401,   OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "api:GET /pages/{page_id}/offline (draft lesson)":    (401,   404,   404,   404,   404,   404,   404,   404,   404,   404),
    "privacy:data_download":                              (LOGIN, OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "privacy:account_delete":                             (LOGIN, OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "privacy:audit_index":                                (LOGIN, 404,   404,   404,   404,   404,   AWAY,  OK,    404,   AWAY),
    "privacy:audit_log":                                  (LOGIN, 404,   404,   404,   404,   404,   404,   OK,    404,   404),
    "privacy:audit_log_all":                              (LOGIN, 404,   404,   404,   404,   404,   404,   OK,    404,   404),
    # Search
    "search:search":                                      (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "search:suggest":                                     (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    # Pages (all live and public), and a draft lesson nobody sees on the site
    "page:courses.HomePage":                              (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "page:courses.CatalogPage":                           (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "page:courses.ProviderPage":                          (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "page:courses.CoursePage":                            (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "page:courses.ModulePage":                            (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "page:courses.LessonPage":                            (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "page:quizzes.QuizPage":                          (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "page:packages.PackageLessonPage":                    (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "page:assignments.AssignmentPage":                    (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "page:content.StandardPage":                          (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "page:content.LibraryPage":                           (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "page:content.LibrarySectionPage":                    (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "page:paths.LearningPathPage":                        (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "page:content.ResourcePage":                          (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "page:draft lesson":                                  (404,   404,   404,   404,   404,   404,   404,   404,   404,   404),
    # Learner API (/api/v1/): 401 without a session; enrolling and starting are for oneself
    "api:POST /courses/{course_id}/enrollment":           (401,   OK,    NEW,   NEW,   NEW,   NEW,   NEW,   NEW,   NEW,   NEW),
    "api:GET /me/enrollments":                            (401,   OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "api:POST /lessons/{lesson_id}/completion":           (401,   OK,    403,   403,   403,   403,   403,   403,   403,   403),
    # xAPI "experienced": L1 read L1's lesson (xAPI is off here: 204, nothing written); nobody
    # else is enrolled in course B, the superuser included
    "api:POST /lessons/{lesson_id}/experienced":          (401,   DONE,  403,   403,   403,   403,   403,   403,   403,   403),
    "api:GET /me/certificates":                           (401,   OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "api:GET /certificates/{code}":                       (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    # Checking an Open Badges credential is public (L1's, signed for the request)
    "api:POST /credentials/verify":                       (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "api:POST /credentials/verify/file":                  (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "api:GET /me/jp":                                     (401,   OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    # Everyone's own profile; L1's plan of this year is L1's (nobody else has one)
    "api:GET /me/profile":                                (401,   OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "api:GET /me/plan":                                   (401,   OK,    404,   404,   404,   404,   404,   404,   404,   404),
    # Development records in the API: L1's own under /me (404 for everyone else, the superuser too;
    # L1's record waits, so resubmitting is a 409 and removing its only evidence a 422); deciding
    # as in the pages: L1's confirmed supervisor and B's HR (not columns) and the superuser
    "api:GET /development-forms":                         (401,   OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "api:GET /me/development-records":                    (401,   OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "api:POST /me/development-records":                   (401,   NEW,   NEW,   NEW,   NEW,   NEW,   NEW,   NEW,   NEW,   NEW),
    "api:GET /me/development-records/{record_id}":        (401,   OK,    404,   404,   404,   404,   404,   404,   404,   404),
    "api:PUT /me/development-records/{record_id}":        (401,   OK,    404,   404,   404,   404,   404,   404,   404,   404),
    "api:POST /me/development-records/{record_id}/submission": (401, 409, 404,   404,   404,   404,   404,   404,   404,   404),
    "api:PUT /me/development-records/{record_id}/evidence-link": (401, OK, 404,  404,   404,   404,   404,   404,   404,   404),
    "api:POST /me/development-records/{record_id}/evidence-files": (401, NEW, 404, 404,  404,   404,   404,   404,   404,   404),
    "api:DELETE /me/development-records/{record_id}/evidence-files/{evidence_id}": (401, 422, 404, 404, 404, 404, 404, 404, 404, 404),
    "api:GET /development-records/verification-queue":    (401,   OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "api:GET /development-records/{record_id}":           (401,   OK,    404,   404,   404,   404,   404,   OK,    404,   404),
    "api:POST /development-records/{record_id}/decision": (401,   404,   404,   404,   404,   404,   404,   OK,    404,   404),
    "api:POST /development-records/{record_id}/revocation": (401, 404,   404,   404,   404,   404,   404,   OK,    404,   404),
    "api:POST /quizzes/{quiz_id}/attempts":               (401,   OK,    403,   403,   403,   403,   403,   403,   403,   403),
    "api:POST /attempts/{attempt_id}/submission":         (401,   OK,    404,   404,   404,   404,   404,   404,   404,   404),
    "api:GET /me/attempts":                               (401,   OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    # Quiz papers (offline): for learners who may take the quiz; L1's paper is refused to anyone
    # else (400 invalid_paper) before anything is looked up
    "api:GET /quizzes/{quiz_id}/paper":                   (401,   OK,    403,   403,   403,   403,   403,   403,   403,   403),
    "api:POST /quizzes/{quiz_id}/offline-submissions":    (401,   NEW,   400,   400,   400,   400,   400,   400,   400,   400),
    # Package lessons: the runtime config for anyone signed in (browse mode when not enrolled);
    # commits and statements only into the caller's own attempt, from their learning enrollment
    # (L1's, completed: review mode); nobody addresses another learner's attempt
    "api:GET /package-lessons/{lesson_id}/runtime":       (401,   OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "api:POST /package-lessons/{lesson_id}/commits":      (401,   OK,    403,   403,   403,   403,   403,   403,   403,   403),
    "api:POST /package-lessons/{lesson_id}/xapi":         (401,   OK,    403,   403,   403,   403,   403,   403,   403,   403),
    "api:GET /cohorts/{cohort_id}/progress":              (401,   404,   404,   404,   404,   404,   404,   OK,    404,   404),
    "api:GET /organizations/{organization_id}/compliance": (401,   404,   404,   404,   404,   404,   404,   OK,    404,   404),
    "api:GET /organizations/{organization_id}/people/{person_id}": (401, 404, 404, 404, 404, 404, 404, OK,   404,   404),
    "api:GET /organizations/{organization_id}/siasn":     (401,   404,   404,   404,   404,   404,   404,   OK,    404,   404),
    "api:GET /openapi.json":                              (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    # Wagtail's read-only content API (v2): live public pages and the media library, for all
    "wagtailapi:pages:listing":                           (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "wagtailapi:pages:detail":                            (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "wagtailapi:pages:detail (draft)":                    (404,   404,   404,   404,   404,   404,   404,   404,   404,   404),
    "wagtailapi:pages:find":                              (AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY),
    "wagtailapi:images:listing":                          (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "wagtailapi:images:detail":                           (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "wagtailapi:images:find":                             (AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY),
    "wagtailapi:documents:listing":                       (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "wagtailapi:documents:detail":                        (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "wagtailapi:documents:find":                          (AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY,  AWAY),
    # Admin reports (Reports menu): editors and moderators of any organization; the needs report
    # also for organization admins, who have no admin access (they use /saya/kebutuhan/laporan/)
    "evaluation_programme":                               (LOGIN, LOGIN, LOGIN, LOGIN, OK,    OK,    LOGIN, OK,    LOGIN, LOGIN),
    "evaluation_programme (xlsx)":                        (LOGIN, LOGIN, LOGIN, LOGIN, OK,    OK,    LOGIN, OK,    LOGIN, LOGIN),
    "evaluation_course":                                  (LOGIN, LOGIN, LOGIN, LOGIN, 404,   404,   LOGIN, OK,    LOGIN, LOGIN),
    "evaluation_needs":                                   (LOGIN, LOGIN, LOGIN, LOGIN, OK,    OK,    LOGIN, OK,    LOGIN, LOGIN),
    "evaluation_needs (csv)":                             (LOGIN, LOGIN, LOGIN, LOGIN, OK,    OK,    LOGIN, OK,    LOGIN, LOGIN),
    # xAPI delivery report (Wagtail admin): platform administrators and LAN's HR admins (A is no LAN)
    "xapi_delivery_report":                               (LOGIN, LOGIN, LOGIN, LOGIN, DENY,  DENY,  LOGIN, OK,    LOGIN, LOGIN),
    "search_terms":                                       (LOGIN, LOGIN, LOGIN, LOGIN, OK,    OK,    LOGIN, OK,    LOGIN, LOGIN),
    "search_terms (csv)":                                 (LOGIN, LOGIN, LOGIN, LOGIN, OK,    OK,    LOGIN, OK,    LOGIN, LOGIN),
    # Content review: editors and moderators see their own organizations' content (B's chosen in
    # the address shows A's only: tests/review); B's course is not theirs to mark reviewed
    "content_review":                                     (LOGIN, LOGIN, LOGIN, LOGIN, OK,    OK,    LOGIN, OK,    LOGIN, LOGIN),
    "content_review (csv)":                               (LOGIN, LOGIN, LOGIN, LOGIN, OK,    OK,    LOGIN, OK,    LOGIN, LOGIN),
    "content_review_mark (get)":                          (LOGIN, LOGIN, LOGIN, LOGIN, 404,   404,   LOGIN, OK,    LOGIN, LOGIN),
    "content_review_mark":                                (LOGIN, LOGIN, LOGIN, LOGIN, 404,   404,   LOGIN, AWAY,  LOGIN, LOGIN),
    # LTI 1.3: the key set is public; login, launch and the pages after them are public too but
    # refuse a message or a session without a validated launch (400), whoever asks
    "lti:jwks":                                           (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
    "lti:login":                                          (400,   400,   400,   400,   400,   400,   400,   400,   400,   400),
    "lti:launch":                                         (400,   400,   400,   400,   400,   400,   400,   400,   400,   400),
    "lti:link":                                           (400,   400,   400,   400,   400,   400,   400,   400,   400,   400),
    "lti:deep_link":                                      (400,   400,   400,   400,   400,   400,   400,   400,   400,   400),
    # LTI platforms in the admin: platform administrators only
    "lti_platforms:index":                                (LOGIN, LOGIN, LOGIN, LOGIN, DENY,  DENY,  LOGIN, OK,    LOGIN, LOGIN),
    "lti_platforms:add":                                  (LOGIN, LOGIN, LOGIN, LOGIN, DENY,  DENY,  LOGIN, OK,    LOGIN, LOGIN),
    "lti_platforms:edit":                                 (LOGIN, LOGIN, LOGIN, LOGIN, DENY,  DENY,  LOGIN, OK,    LOGIN, LOGIN),
    "lti_platforms:delete":                               (LOGIN, LOGIN, LOGIN, LOGIN, DENY,  DENY,  LOGIN, AWAY,  LOGIN, LOGIN),
    # Certificates in the admin: platform administrators only
    "certificates:index":                                 (LOGIN, LOGIN, LOGIN, LOGIN, DENY,  DENY,  LOGIN, OK,    LOGIN, LOGIN),
    "certificates:index_results":                         (LOGIN, LOGIN, LOGIN, LOGIN, DENY,  DENY,  LOGIN, OK,    LOGIN, LOGIN),
    "certificates:inspect":                               (LOGIN, LOGIN, LOGIN, LOGIN, DENY,  DENY,  LOGIN, OK,    LOGIN, LOGIN),
    "certificates:revoke":                                (LOGIN, LOGIN, LOGIN, LOGIN, DENY,  DENY,  LOGIN, AWAY,  LOGIN, LOGIN),
    # E-learning packages in the admin: each organization's editors and moderators manage their
    # own; organization B's package (used by a lesson) is invisible to A's (404) and undeletable
    "package_admin:index":                                (LOGIN, LOGIN, LOGIN, LOGIN, OK,    OK,    LOGIN, OK,    LOGIN, LOGIN),
    "package_admin:index_results":                        (LOGIN, LOGIN, LOGIN, LOGIN, OK,    OK,    LOGIN, OK,    LOGIN, LOGIN),
    "package_admin:add":                                  (LOGIN, LOGIN, LOGIN, LOGIN, OK,    OK,    LOGIN, OK,    LOGIN, LOGIN),
    "package_admin:inspect":                              (LOGIN, LOGIN, LOGIN, LOGIN, 404,   404,   LOGIN, OK,    LOGIN, LOGIN),
    "package_admin:edit":                                 (LOGIN, LOGIN, LOGIN, LOGIN, 404,   404,   LOGIN, OK,    LOGIN, LOGIN),
    "package_admin:delete":                               (LOGIN, LOGIN, LOGIN, LOGIN, 404,   404,   LOGIN, AWAY,  LOGIN, LOGIN),
    "package_admin:history":                              (LOGIN, LOGIN, LOGIN, LOGIN, 404,   404,   LOGIN, OK,    LOGIN, LOGIN),
    "package_admin:history_results":                      (LOGIN, LOGIN, LOGIN, LOGIN, 404,   404,   LOGIN, OK,    LOGIN, LOGIN),
    "package_admin:usage":                                (LOGIN, LOGIN, LOGIN, LOGIN, 404,   404,   LOGIN, OK,    LOGIN, LOGIN),
    # Organization B's snippets: A's editors and moderators may not touch them
    "wagtailsnippets_evaluation_serviceunit:edit":       (LOGIN, LOGIN, LOGIN, LOGIN, DENY,  DENY,  LOGIN, OK,    LOGIN, LOGIN),
    "wagtailsnippets_evaluation_serviceunit:delete":     (LOGIN, LOGIN, LOGIN, LOGIN, DENY,  DENY,  LOGIN, AWAY,  LOGIN, LOGIN),
    "wagtailsnippets_evaluation_feedbackaspect:edit":    (LOGIN, LOGIN, LOGIN, LOGIN, DENY,  DENY,  LOGIN, OK,    LOGIN, LOGIN),
    "wagtailsnippets_evaluation_feedbackaspect:delete":  (LOGIN, LOGIN, LOGIN, LOGIN, DENY,  DENY,  LOGIN, AWAY,  LOGIN, LOGIN),
    "wagtailsnippets_content_organization:edit":          (LOGIN, LOGIN, LOGIN, LOGIN, DENY,  DENY,  LOGIN, OK,    LOGIN, LOGIN),
    "wagtailsnippets_content_competency:edit":            (LOGIN, LOGIN, LOGIN, LOGIN, DENY,  DENY,  LOGIN, OK,    LOGIN, LOGIN),
    # Forms of development and their national rules: platform administrators only
    "wagtailsnippets_development_developmentform:edit":   (LOGIN, LOGIN, LOGIN, LOGIN, DENY,  DENY,  LOGIN, OK,    LOGIN, LOGIN),
    "wagtailsnippets_development_formrule:edit":          (LOGIN, LOGIN, LOGIN, LOGIN, DENY,  DENY,  LOGIN, OK,    LOGIN, LOGIN),
    # Synonyms are shared by all organizations and looked after by every moderator
    "wagtailsnippets_search_searchsynonym:edit":          (LOGIN, LOGIN, LOGIN, LOGIN, DENY,  OK,    LOGIN, OK,    LOGIN, LOGIN),
    "wagtailsnippets_learners_workunit:edit":             (LOGIN, LOGIN, LOGIN, LOGIN, DENY,  DENY,  LOGIN, OK,    LOGIN, LOGIN),
    "wagtailsnippets_learners_organizationrole:edit":     (LOGIN, LOGIN, LOGIN, LOGIN, DENY,  DENY,  LOGIN, OK,    LOGIN, LOGIN),
    "wagtailsnippets_learners_coursetrainer:edit":        (LOGIN, LOGIN, LOGIN, LOGIN, DENY,  DENY,  LOGIN, OK,    LOGIN, LOGIN),
    # L1's account in the admin
    "wagtailusers_users:edit":                            (LOGIN, LOGIN, LOGIN, LOGIN, DENY,  DENY,  LOGIN, OK,    LOGIN, LOGIN),
    # Organization B's pages in the admin
    "wagtailadmin_pages:edit":                            (LOGIN, LOGIN, LOGIN, LOGIN, DENY,  DENY,  LOGIN, OK,    LOGIN, LOGIN),
    "wagtailadmin_pages:view_draft":                      (LOGIN, LOGIN, LOGIN, LOGIN, DENY,  DENY,  LOGIN, OK,    LOGIN, LOGIN),
    # (a course takes one page type, so the superuser goes straight to its form)
    "wagtailadmin_pages:add_subpage":                     (LOGIN, LOGIN, LOGIN, LOGIN, DENY,  DENY,  LOGIN, AWAY,  LOGIN, LOGIN),
    "wagtailadmin_pages:workflow_action":                 (LOGIN, LOGIN, LOGIN, LOGIN, DENY,  DENY,  LOGIN, AWAY,  LOGIN, LOGIN),
    "wagtailadmin_pages:unpublish":                       (LOGIN, LOGIN, LOGIN, LOGIN, DENY,  DENY,  LOGIN, AWAY,  LOGIN, LOGIN),
    "wagtailadmin_pages:delete":                          (LOGIN, LOGIN, LOGIN, LOGIN, DENY,  DENY,  LOGIN, AWAY,  LOGIN, LOGIN),
    "wagtailadmin_pages:delete (course with learners)":   (LOGIN, LOGIN, LOGIN, LOGIN, DENY,  DENY,  LOGIN, AWAY,  LOGIN, LOGIN),
    "wagtailadmin_pages:lock":                            (LOGIN, LOGIN, LOGIN, LOGIN, DENY,  DENY,  LOGIN, AWAY,  LOGIN, LOGIN),
    # wagtail-localize's views on organization B's course (content.translation wraps them):
    # translate, sync; the snippet look-ups of its editor (competencies: the superuser alone
    # may edit them); its Translations report lists, for each person, what they may edit
    "wagtail_localize:submit_page_translation":           (LOGIN, LOGIN, LOGIN, LOGIN, DENY,  DENY,  LOGIN, OK,    LOGIN, LOGIN),
    "wagtail_localize:update_translations":               (LOGIN, LOGIN, LOGIN, LOGIN, DENY,  DENY,  LOGIN, OK,    LOGIN, LOGIN),
    "wagtail_localize:snippets_api_listing":              (LOGIN, LOGIN, LOGIN, LOGIN, DENY,  DENY,  LOGIN, OK,    LOGIN, LOGIN),
    "wagtail_localize:translations_report":               (LOGIN, LOGIN, LOGIN, LOGIN, OK,    OK,    LOGIN, OK,    LOGIN, LOGIN),
    # Course requests: organization B's request (on its course) is for B's moderators only; A's
    # editor and moderator see their own (empty) list and are sent away from B's request
    "moderation_course_requests":                         (LOGIN, LOGIN, LOGIN, LOGIN, OK,    OK,    LOGIN, OK,    LOGIN, LOGIN),
    "moderation_course_request":                          (LOGIN, LOGIN, LOGIN, LOGIN, DENY,  DENY,  LOGIN, OK,    LOGIN, LOGIN),
    "moderation_course_request (approve)":                (LOGIN, LOGIN, LOGIN, LOGIN, DENY,  DENY,  LOGIN, AWAY,  LOGIN, LOGIN),
    "moderation_course_request (request changes)":        (LOGIN, LOGIN, LOGIN, LOGIN, DENY,  DENY,  LOGIN, AWAY,  LOGIN, LOGIN),
    # Organization B's media (its collection)
    "wagtailimages:edit":                                 (LOGIN, LOGIN, LOGIN, LOGIN, DENY,  DENY,  LOGIN, OK,    LOGIN, LOGIN),
    "wagtailimages:delete":                               (LOGIN, LOGIN, LOGIN, LOGIN, DENY,  DENY,  LOGIN, AWAY,  LOGIN, LOGIN),
    "wagtaildocs:edit":                                   (LOGIN, LOGIN, LOGIN, LOGIN, DENY,  DENY,  LOGIN, OK,    LOGIN, LOGIN),
    "wagtaildocs:delete":                                 (LOGIN, LOGIN, LOGIN, LOGIN, DENY,  DENY,  LOGIN, AWAY,  LOGIN, LOGIN),
    "wagtaildocs_serve":                                  (OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK,    OK),
}
# fmt: on


# Personal data in the cells that answer 200: opening a page is not seeing everyone on it. The
# people behind the URLs (L1, and L3 of organization C, who learns in L1's cohort) have a name,
# e-mail and NIP of their own; in every 200 (or 201) cell, a role sees its own and the superuser
# everyone's, SEES lists who else a role may see on a row, and SHOWS the cells that must show
# someone (so that an absence elsewhere proves something).

NIP_L1 = "197811222006041013"
NIP_L3 = "198205172009032005"
PEOPLE = ("learner", "employee_c")  # world attributes; "learner" is also L1's role
#: L1's name, and nothing else about L1, for whoever holds the URL: the certificate check is
#: public and names the holder; the follow-up link (its own credential) says whom it asks about.
NAME_ONLY = {
    "learners:certificate_verify",
    "paths:certificate_verify",
    "api:GET /certificates/{code}",
    "evaluation:followup_form",
}
#: (row, role): people other than themselves that role may see there. None today: the needs
#: reports HR admins get are counts per competency, course B's results for its trainers are
#: anonymous.
SEES: dict[tuple[str, str], set[str]] = {
    # A discussion names who asked (L1) to the course's trainers, who answer it.
    ("discussions:course", "course_only_trainer"): {"learner"},
    ("discussions:thread", "course_only_trainer"): {"learner"},
    # Course B's trainer grades L1's work: the queues and the form name whose it is.
    ("assignments:queue", "course_only_trainer"): {"learner"},
    ("assignments:course_queue", "course_only_trainer"): {"learner"},
    ("assignments:grade", "course_only_trainer"): {"learner"},
    # Course B's trainer is told of L1's submission: the notification names who submitted.
    ("notifications:list", "course_only_trainer"): {"learner"},
    ("api:GET /me/notifications", "course_only_trainer"): {"learner"},
}
SHOWS = {
    ("learners:profile", "learner"): {"learner"},
    ("privacy:data_download", "learner"): {"learner"},
    ("cohorts:detail", "superuser"): {"learner", "employee_c"},
    ("cohorts:export_csv", "superuser"): {"learner", "employee_c"},
    ("cohorts:export_xlsx", "superuser"): {"learner", "employee_c"},
    ("compliance:person", "superuser"): {"learner"},
    ("discussions:thread", "course_only_trainer"): {"learner"},
    ("discussions:reports", "superuser"): {"learner"},
    ("live:attendance", "superuser"): {"learner", "employee_c"},
    ("assignments:queue", "course_only_trainer"): {"learner"},
    ("assignments:course_queue", "course_only_trainer"): {"learner"},
    ("assignments:grade", "course_only_trainer"): {"learner"},
    ("api:GET /organizations/{organization_id}/people/{person_id}", "superuser"): {"learner"},
}


def _personal_data(person: User) -> dict[str, str]:
    return {
        "name": person.full_name,
        "e-mail": person.email,
        "NIP": person.nip,
        "NIP as written": nip_format(person.nip),
    }


def _text(response) -> str:
    """What a person reads in the response: the page, the JSON, the CSV or the sheets' cells."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if "spreadsheetml" in kind:
        sheets = load_workbook(io.BytesIO(content), read_only=True).worksheets
        return "\n".join(
            str(value)
            for sheet in sheets
            for values in sheet.iter_rows(values_only=True)
            for value in values
            if value is not None
        )
    if kind.startswith("application/zip"):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "\n".join(
                archive.read(name).decode("utf-8", "replace")
                for name in archive.namelist()
                if name.endswith((".json", ".csv", ".txt"))
            )
    if kind.startswith("application/pdf"):
        return ""  # the holder's and the superuser's only (its row says so)
    return content.decode("utf-8", "replace")


def personal_data_problems(world, row: str, role: str, text: str) -> list[str]:
    problems = []
    for attribute in PEOPLE:
        allowed = role in (attribute, "superuser") or attribute in SEES.get((row, role), ())
        shown = [
            field
            for field, value in _personal_data(getattr(world, attribute)).items()
            # (not inside a longer word or address: "atasan.l1@..." is not "l1@...")
            if value and re.search(rf"(?<![\w.+-]){re.escape(value)}", text)
        ]
        if not allowed:
            shown = [field for field in shown if not (row in NAME_ONLY and field == "name")]
            if shown:
                problems.append(f"{role}: shows {attribute}'s {', '.join(shown)}")
        elif attribute in SHOWS.get((row, role), ()) and not shown:
            problems.append(f"{role}: does not show {attribute}, as its cell should")
    return problems


# What each row requests


@dataclass(frozen=True)
class Target:
    """How a row is requested: its URL, method and payload, and what must stay as it was.

    `unchanged` reads the state of the object the request aims at; it must read the same after
    the request for every role except those in `may_change` (who may legitimately change it).
    """

    url: Callable
    method: str = "get"
    data: Callable | None = None
    json: bool = False
    unchanged: Callable | None = None
    may_change: tuple[str, ...] = ()
    #: The Host header, for requests to a package origin (the site's by default); a callable
    #: reads it from the world.
    host: str | Callable | None = None


def _live_session_data(*, title: str) -> dict:
    """A valid session form: tomorrow 09:00-10:30 in Jakarta, within L1's cohort."""
    return {
        "title": title,
        "date": (timezone.localdate() + timedelta(days=1)).isoformat(),
        "starts": "09:00",
        "ends": "10:30",
        "time_zone": "Asia/Jakarta",
        "url": "https://meet.example.go.id/b",
    }


def named(name: str, *args: Callable, query: str = "", **kwargs) -> Target:
    """A target at a named URL whose arguments are read from the world."""

    def url(w) -> str:
        return reverse(name, args=[arg(w) for arg in args]) + query

    return Target(url=url, **kwargs)


def api_call(method: str, path: str, args: Callable | None = None, **kwargs) -> Target:
    def url(w) -> str:
        return "/api/v1" + path.format(**(args(w) if args else {}))

    return Target(url=url, method=method, json=True, **kwargs)


def _status(model, pk_of: Callable, field: str = "status") -> Callable:
    return lambda w: model.objects.filter(pk=pk_of(w)).values_list(field, flat=True).first()


def _exists(model, pk_of: Callable) -> Callable:
    return lambda w: model.objects.filter(pk=pk_of(w)).exists()


class _RewoundUpload(SimpleUploadedFile):
    """An upload read from its start each time: one payload serves every role's request."""

    def read(self, *args, **kwargs):
        self.seek(0)
        return super().read(*args, **kwargs)


def _lti_platform() -> LtiPlatform:
    """Organization B's LMS registered as an LTI platform (made on first need)."""
    platform, _created = LtiPlatform.objects.get_or_create(
        issuer="https://lms.instansi-b.go.id",
        client_id="lentera",
        defaults={
            "name": "Moodle B",
            "auth_login_url": "https://lms.instansi-b.go.id/auth",
            "auth_token_url": "https://lms.instansi-b.go.id/token",
            "key_set_url": "https://lms.instansi-b.go.id/jwks",
            "deployment_ids": "1",
        },
    )
    return platform


COURSE_B = lambda w: w.course_b.pk  # noqa: E731
CERT = lambda w: w.certificate.code  # noqa: E731
ORG_B = lambda w: w.org_b.pk  # noqa: E731
COHORT_B = lambda w: w.cohort_b.pk  # noqa: E731
COHORT_A2 = lambda w: w.cohort_a2.pk  # noqa: E731
THREAD_B = lambda w: w.thread_b.pk  # noqa: E731
COMMUNITY = lambda w: w.community.slug  # noqa: E731
LIVE_B = lambda w: w.live_session_b.pk  # noqa: E731
NOTIFICATION_B = lambda w: w.notification_b.pk  # noqa: E731
PROJECT_B = lambda w: w.project_b.pk  # noqa: E731
MILESTONE_B = lambda w: w.milestone_b.pk  # noqa: E731
SUBMISSION_B = lambda w: w.submission_b.pk  # noqa: E731
ATTEMPT = lambda w: w.attempt.pk  # noqa: E731
RECORD = lambda w: w.record.pk  # noqa: E731
AGREEMENT = lambda w: w.agreement.pk  # noqa: E731
PLAN = lambda w: w.plan.pk  # noqa: E731
PACKAGE_B = lambda w: w.package_lesson_b.package.uuid  # noqa: E731
#: Package B's own host for the test client's site ("testserver"): p-<uuid hex>.localhost.
PACKAGE_HOST = lambda w: f"p-{w.package_lesson_b.package.uuid.hex}.localhost"  # noqa: E731
#: Another package's host (a package of no lesson): package B's pages must not be served there.
OTHER_PACKAGE_HOST = lambda w: f"p-{w.package_other.uuid.hex}.localhost"  # noqa: E731

TARGETS = {
    "favicon": named("favicon"),
    "healthz": named("healthz"),
    "wagtail_serve": named("wagtail_serve", lambda w: ""),
    "admin_login": named("admin_login", query="?next=/admin/"),
    "learners:my_learning": named("learners:my_learning"),
    "development:jp_ledger_csv": named("development:jp_ledger_csv"),
    "development:siasn_export_csv": named("development:siasn_export_csv"),
    "learners:profile": named("learners:profile"),
    "learners:enrollment_requests": named(
        "learners:enrollment_requests",
        method="post",
        data=lambda w: {"enrollment": w.pending.pk, "decision": "approve"},
        unchanged=_status(Enrollment, lambda w: w.pending.pk),
        may_change=("superuser",),
    ),
    "learners:supervisor_requests": named(
        "learners:supervisor_requests",
        method="post",
        data=lambda w: {"learner": w.learner.pk, "decision": "accept"},
        unchanged=_status(User, lambda w: w.learner.pk, "supervisor_accepted_at"),
    ),
    "learners:enroll": named(
        "learners:enroll",
        COURSE_B,
        method="post",
        unchanged=_status(Enrollment, lambda w: w.enrollment_b.pk),
    ),
    "learners:withdraw": named(
        "learners:withdraw",
        lambda w: w.course_b2.pk,
        method="post",
        unchanged=_status(Enrollment, lambda w: w.pending.pk),
        may_change=("learner",),
    ),
    "learners:complete_lesson": named(
        "learners:complete_lesson",
        lambda w: w.lesson_b.pk,
        method="post",
        unchanged=lambda w: LessonCompletion.objects.filter(enrollment__user=w.learner).count(),
    ),
    "learners:certificate_verify": named("learners:certificate_verify", CERT),
    "learners:certificate_pdf": named("learners:certificate_pdf", CERT),
    "compliance:index": named("compliance:index"),
    "compliance:report": named("compliance:report", ORG_B),
    "compliance:report_csv": named("compliance:report_csv", ORG_B),
    "compliance:report_xlsx": named("compliance:report_xlsx", ORG_B),
    "compliance:person": named("compliance:person", ORG_B, lambda w: w.learner.pk),
    "compliance:reminders": named(
        "compliance:reminders",
        ORG_B,
        method="post",
        data=lambda w: {},
        unchanged=lambda w: ComplianceReminder.objects.count(),
        may_change=("superuser",),
    ),
    "compliance:siasn": named("compliance:siasn", ORG_B),
    "compliance:siasn_csv": named("compliance:siasn_csv", ORG_B),
    "compliance:siasn_xlsx": named("compliance:siasn_xlsx", ORG_B),
    "learners:members": named("learners:members", ORG_B),
    "learners:member_decide": named(
        "learners:member_decide",
        ORG_B,
        lambda w: w.learner.pk,
        method="post",
        data=lambda w: {"decision": "reject"},
        unchanged=_status(User, lambda w: w.learner.pk, "membership_status"),
        may_change=("superuser",),
    ),
    "learners:staff_list_import": named(
        "learners:staff_list_import",
        ORG_B,
        method="post",
        data=lambda w: {
            "file": SimpleUploadedFile("pegawai.csv", b"email\nl1@kub.go.id\n", "text/csv")
        },
        unchanged=lambda w: AuditEvent.objects.filter(action="staff_list_imported").count(),
        may_change=("superuser",),
    ),
    "learners:supervisor_links_import": named(
        "learners:supervisor_links_import",
        ORG_B,
        method="post",
        data=lambda w: {
            "file": _RewoundUpload(
                "atasan.csv", b"email,supervisor_email\nl1@kub.go.id,l2@kub.go.id\n", "text/csv"
            )
        },
        unchanged=_status(User, lambda w: w.learner.pk, "supervisor_id"),
        may_change=("superuser",),
    ),
    "learners:nip_claim_decide": named(
        "learners:nip_claim_decide",
        ORG_B,
        lambda w: w.nip_claim.pk,
        method="post",
        data=lambda w: {"decision": "holder"},
        unchanged=_status(NIPClaim, lambda w: w.nip_claim.pk),
        may_change=("superuser",),
    ),
    "learners:nip_help": named("learners:nip_help"),
    "quizzes:attempt_start": named(
        "quizzes:attempt_start",
        lambda w: w.quiz_b.pk,
        method="post",
        unchanged=lambda w: QuizAttempt.objects.filter(user=w.learner).count(),
    ),
    "quizzes:attempt": named("quizzes:attempt", ATTEMPT),
    "quizzes:attempt_submit": named(
        "quizzes:attempt_submit",
        ATTEMPT,
        method="post",
        unchanged=_status(QuizAttempt, ATTEMPT),
        may_change=("learner",),
    ),
    "quizzes:attempt_result": named("quizzes:attempt_result", ATTEMPT),
    "packages:player": named("packages:player", PACKAGE_B, host=PACKAGE_HOST),
    "packages:file": named(
        "packages:file", PACKAGE_B, lambda w: w.package_b_launch, host=PACKAGE_HOST
    ),
    "packages:service_worker": named("packages:service_worker", host=PACKAGE_HOST),
    "packages:save": named("packages:save", host=PACKAGE_HOST),
    "packages:player (on the site)": named("packages:player", PACKAGE_B),
    "packages:file (on the site)": named("packages:file", PACKAGE_B, lambda w: w.package_b_launch),
    "packages:player (on another package's host)": named(
        "packages:player", PACKAGE_B, host=OTHER_PACKAGE_HOST
    ),
    "packages:file (on another package's host)": named(
        "packages:file", PACKAGE_B, lambda w: w.package_b_launch, host=OTHER_PACKAGE_HOST
    ),
    "api:GET /me/enrollments (on the package origin)": api_call(
        "get", "/me/enrollments", host=PACKAGE_HOST
    ),
    "learners:my_learning (on the package origin)": named(
        "learners:my_learning", host=PACKAGE_HOST
    ),
    "evaluation:evaluation_index": named("evaluation:evaluation_index"),
    "evaluation:feedback_index": named("evaluation:feedback_index"),
    "evaluation:evaluation_form": named("evaluation:evaluation_form", lambda w: w.enrollment_b.pk),
    "evaluation:course_evaluation": named("evaluation:course_evaluation", COURSE_B),
    "evaluation:needs_list": named("evaluation:needs_list"),
    "evaluation:need_edit": named("evaluation:need_edit", lambda w: w.need_draft.pk),
    "evaluation:need_submit": named(
        "evaluation:need_submit",
        lambda w: w.need_draft.pk,
        method="post",
        unchanged=_status(LearningNeed, lambda w: w.need_draft.pk),
        may_change=("learner",),
    ),
    "evaluation:need_delete": named(
        "evaluation:need_delete",
        lambda w: w.need_draft.pk,
        method="post",
        unchanged=_exists(LearningNeed, lambda w: w.need_draft.pk),
        may_change=("learner",),
    ),
    "evaluation:needs_endorsement": named(
        "evaluation:needs_endorsement",
        method="post",
        data=lambda w: {"need": w.need_submitted.pk, "decision": "endorse", "note": ""},
        unchanged=_status(LearningNeed, lambda w: w.need_submitted.pk),
        may_change=("superuser",),
    ),
    # Organization admins asking for organization B's report get their own organizations'.
    "evaluation:needs_report": named("evaluation:needs_report"),
    "evaluation:needs_report_csv": named(
        "evaluation:needs_report_csv", query="?organization={org_b}"
    ),
    "evaluation:needs_report_xlsx": named(
        "evaluation:needs_report_xlsx", query="?organization={org_b}"
    ),
    "evaluation:followup_form": named("evaluation:followup_form", lambda w: w.followup_token),
    "evaluation:followup_thanks": named("evaluation:followup_thanks"),
    "evaluation:feedback_form": named("evaluation:feedback_form", lambda w: w.service_unit.slug),
    "evaluation:feedback_thanks": named(
        "evaluation:feedback_thanks", lambda w: w.service_unit.slug
    ),
    "development:record_list": named("development:record_list"),
    "development:record_create": named("development:record_create"),
    "development:record_detail": named("development:record_detail", RECORD),
    "development:record_edit": named("development:record_edit", RECORD),
    "development:evidence_download": named(
        "development:evidence_download", RECORD, lambda w: w.evidence.pk
    ),
    "development:evidence_remove": named(
        "development:evidence_remove",
        RECORD,
        lambda w: w.evidence.pk,
        method="post",
        unchanged=_exists(EvidenceFile, lambda w: w.evidence.pk),
        may_change=("learner",),
    ),
    "development:verification_queue": named("development:verification_queue"),
    "team:my_team": named("team:my_team"),
    "team:member_detail": named("team:member_detail", lambda w: w.learner.pk),
    "development:record_decide": named(
        "development:record_decide",
        RECORD,
        method="post",
        data=lambda w: {"decision": "verify", "note": ""},
        unchanged=_status(DevelopmentRecord, RECORD),
        may_change=("superuser",),
    ),
    "development:record_revoke": named(
        "development:record_revoke",
        lambda w: w.record_verified.pk,
        method="post",
        data=lambda w: {"reason": "Uji matriks izin"},
        unchanged=_status(DevelopmentRecord, lambda w: w.record_verified.pk),
        may_change=("superuser",),
    ),
    "planning:my_profile": named("planning:my_profile"),
    "planning:person_profile": named("planning:person_profile", lambda w: w.learner.pk),
    "planning:plan_index": named("planning:plan_index"),
    "planning:team_plans": named("planning:team_plans"),
    "planning:plan_detail": named("planning:plan_detail", PLAN),
    "planning:item_create": named("planning:item_create", PLAN),
    "planning:item_edit": named("planning:item_edit", PLAN, lambda w: w.plan_item.pk),
    "planning:item_delete": named(
        "planning:item_delete",
        PLAN,
        lambda w: w.plan_item.pk,
        method="post",
        unchanged=_exists(PlanItem, lambda w: w.plan_item.pk),
        may_change=("learner",),
    ),
    "planning:plan_submit": named(
        "planning:plan_submit",
        PLAN,
        method="post",
        unchanged=_status(DevelopmentPlan, PLAN),
        may_change=("learner",),
    ),
    "planning:plan_decide": named(
        "planning:plan_decide",
        PLAN,
        method="post",
        data=lambda w: {"decision": "agree", "note": ""},
        unchanged=_status(DevelopmentPlan, PLAN),
    ),
    "coaching:agreement_list": named("coaching:agreement_list"),
    "coaching:agreement_create": named("coaching:agreement_create"),
    "coaching:agreement_detail": named("coaching:agreement_detail", AGREEMENT),
    "coaching:agreement_accept": named(
        "coaching:agreement_accept",
        lambda w: w.agreement_proposed.pk,
        method="post",
        unchanged=_status(CoachingAgreement, lambda w: w.agreement_proposed.pk),
        may_change=("learner",),
    ),
    "coaching:agreement_end": named(
        "coaching:agreement_end",
        AGREEMENT,
        method="post",
        unchanged=_status(CoachingAgreement, AGREEMENT),
        may_change=("learner",),
    ),
    "coaching:session_log": named(
        "coaching:session_log",
        AGREEMENT,
        method="post",
        data=lambda w: {
            "session_date": (timezone.localdate() - timedelta(days=1)).isoformat(),
            "duration_minutes": "60",
            "notes": "Uji matriks izin",
            "agreed_actions": "",
        },
        unchanged=lambda w: CoachingSession.objects.count(),
        may_change=("learner",),
    ),
    "coaching:session_confirm": named(
        "coaching:session_confirm",
        AGREEMENT,
        lambda w: w.session.pk,
        method="post",
        unchanged=_status(CoachingSession, lambda w: w.session.pk, "confirmed_by_coachee_at"),
        may_change=("learner",),
    ),
    "development:rule_list": named("development:rule_list"),
    "paths:path_list": named("paths:path_list"),
    "paths:follow": named("paths:follow", lambda w: w.path_b.pk, method="post"),
    "paths:leave": named(
        "paths:leave",
        lambda w: w.path_b.pk,
        method="post",
        unchanged=lambda w: PathEnrollment.objects.filter(user=w.learner).exists(),
    ),
    "paths:certificate_verify": named(
        "paths:certificate_verify", lambda w: w.path_certificate.code
    ),
    "paths:certificate_pdf": named("paths:certificate_pdf", lambda w: w.path_certificate.code),
    "credentials:issuer": named("credentials:issuer", lambda w: w.org_b.slug),
    "credentials:status_list": named(
        "credentials:status_list", lambda w: w.org_b.slug, lambda w: 0
    ),
    "credentials:verify": named("credentials:verify"),
    "credentials:certificate": named("credentials:certificate", CERT, lambda w: "json"),
    "credentials:path_certificate": named(
        "credentials:path_certificate", lambda w: w.path_certificate.code, lambda w: "png"
    ),
    "development:rule_edit": named(
        "development:rule_edit",
        ORG_B,
        lambda w: form_of("seminar").pk,
        method="post",
        data=lambda w: {"max_jp_per_activity": "1", "max_jp_per_year": "", "evidence": "none"},
        unchanged=lambda w: FormRule.objects.filter(organization=w.org_b).count(),
        may_change=("superuser",),
    ),
    "wagtailsnippets_development_developmentform:edit": named(
        "wagtailsnippets_development_developmentform:edit", lambda w: form_of("seminar").pk
    ),
    "wagtailsnippets_development_formrule:edit": named(
        "wagtailsnippets_development_formrule:edit",
        lambda w: FormRule.objects.get(form__code="seminar", organization=None).pk,
    ),
    "cohorts:dashboard": named("cohorts:dashboard"),
    "cohorts:create": named("cohorts:create"),
    "cohorts:detail": named("cohorts:detail", COHORT_B),
    "cohorts:edit": named("cohorts:edit", COHORT_B),
    "cohorts:learners_add": named("cohorts:learners_add", COHORT_B),
    "cohorts:import": named("cohorts:import", COHORT_B, lambda w: w.cohort_import.pk),
    "cohorts:remind": named(
        "cohorts:remind",
        COHORT_B,
        method="post",
        data=lambda w: {"learners": [w.learner.pk]},
        unchanged=lambda w: Reminder.objects.filter(cohort=w.cohort_b).count(),
        may_change=("superuser",),
    ),
    "cohorts:request_decide": named(
        "cohorts:request_decide",
        lambda w: w.cohort_b2.pk,
        method="post",
        data=lambda w: {"enrollment": w.pending.pk, "decision": "approve"},
        unchanged=_status(Enrollment, lambda w: w.pending.pk),
        may_change=("superuser",),
    ),
    "cohorts:export_csv": named("cohorts:export_csv", COHORT_B),
    "cohorts:detail (course A, not the trainer's)": named("cohorts:detail", COHORT_A2),
    "cohorts:export_csv (course A, not the trainer's)": named("cohorts:export_csv", COHORT_A2),
    "cohorts:export_xlsx (course A, not the trainer's)": named("cohorts:export_xlsx", COHORT_A2),
    "api:GET /cohorts/{cohort_id}/progress (course A, not the trainer's)": api_call(
        "get", "/cohorts/{cohort_id}/progress", lambda w: {"cohort_id": w.cohort_a2.pk}
    ),
    "cohorts:export_xlsx": named("cohorts:export_xlsx", COHORT_B),
    "cohorts:invitation_resend": named(
        "cohorts:invitation_resend",
        COHORT_B,
        method="post",
        data=lambda w: {"invitation": w.invitation.pk},
        unchanged=_status(CohortInvitation, lambda w: w.invitation.pk, "expires_at"),
        may_change=("superuser",),
    ),
    "cohorts:invitation_cancel": named(
        "cohorts:invitation_cancel",
        COHORT_B,
        method="post",
        data=lambda w: {"invitation": w.invitation.pk},
        unchanged=_exists(CohortInvitation, lambda w: w.invitation.pk),
        may_change=("superuser",),
    ),
    "cohorts:invitation": named(
        "cohorts:invitation",
        lambda w: invitation_token(w.invitation),
        unchanged=_status(CohortInvitation, lambda w: w.invitation.pk, "accepted_at"),
    ),
    "cohorts:join": named(
        "cohorts:join",
        lambda w: w.cohort_b2.pk,
        method="post",
        unchanged=_status(Enrollment, lambda w: w.pending.pk),
    ),
    "cohorts:course_join": named(
        "cohorts:course_join",
        COURSE_B,
        method="post",
        data=lambda w: {"cohort": "own-pace"},
        unchanged=_status(Enrollment, lambda w: w.enrollment_b.pk),
    ),
    "discussions:course": named("discussions:course", COURSE_B),
    "discussions:course (ask)": named(
        "discussions:course",
        COURSE_B,
        method="post",
        data=lambda w: {"title": "Pertanyaan baru", "body": "Bagaimana caranya?"},
        unchanged=lambda w: Thread.objects.filter(course=w.course_b, cohort=None).count(),
        may_change=("learner", "superuser", "course_only_trainer"),
    ),
    "discussions:cohort": named("discussions:cohort", COHORT_B),
    "discussions:cohort (ask)": named(
        "discussions:cohort",
        COHORT_B,
        method="post",
        data=lambda w: {"title": "Pertanyaan kelas", "body": "Tugasnya apa?"},
        unchanged=lambda w: Thread.objects.filter(cohort=w.cohort_b).count(),
        may_change=("learner", "superuser"),
    ),
    "discussions:thread": named("discussions:thread", THREAD_B),
    "discussions:thread (answer)": named(
        "discussions:thread",
        THREAD_B,
        method="post",
        data=lambda w: {"body": "Jawaban lain."},
        unchanged=lambda w: Post.objects.filter(thread=w.thread_b).count(),
        may_change=("learner", "superuser", "course_only_trainer"),
    ),
    "discussions:thread (cohort)": named("discussions:thread", lambda w: w.cohort_thread_b.pk),
    "discussions:accept": named(
        "discussions:accept",
        THREAD_B,
        method="post",
        data=lambda w: {"post": w.answer_b.pk},
        unchanged=_status(Thread, THREAD_B, "accepted_answer_id"),
        may_change=("learner", "superuser", "course_only_trainer"),
    ),
    "discussions:lock": named(
        "discussions:lock",
        THREAD_B,
        method="post",
        data=lambda w: {"locked": "1"},
        unchanged=_status(Thread, THREAD_B, "locked_at"),
        may_change=("superuser", "course_only_trainer"),
    ),
    "discussions:hide": named(
        "discussions:hide",
        lambda w: w.answer_b.pk,
        method="post",
        data=lambda w: {"hidden": "1"},
        unchanged=_status(Post, lambda w: w.answer_b.pk, "hidden_at"),
        may_change=("superuser", "course_only_trainer"),
    ),
    "discussions:report": named("discussions:report", lambda w: w.answer_b.pk),
    "discussions:report (send)": named(
        "discussions:report",
        lambda w: w.answer_b.pk,
        method="post",
        data=lambda w: {"reason": "Tidak sopan."},
        unchanged=lambda w: Report.objects.filter(post=w.answer_b).count(),
        may_change=("learner", "superuser", "course_only_trainer"),
    ),
    "discussions:reports": named("discussions:reports"),
    "discussions:report_dismiss": named(
        "discussions:report_dismiss",
        lambda w: w.report_b.pk,
        method="post",
        unchanged=_status(Report, lambda w: w.report_b.pk, "resolved_at"),
        may_change=("superuser",),
    ),
    "discussions:announcement_create": named("discussions:announcement_create", COHORT_B),
    "discussions:announcement_create (post)": named(
        "discussions:announcement_create",
        COHORT_B,
        method="post",
        data=lambda w: {"title": "Jadwal", "body": "Sesi Kamis pukul 09.00."},
        unchanged=lambda w: Announcement.objects.filter(cohort=w.cohort_b).count(),
        may_change=("superuser",),
    ),
    "discussions:communities": named("discussions:communities"),
    "discussions:community": named("discussions:community", COMMUNITY),
    "discussions:community (topic)": named(
        "discussions:community",
        COMMUNITY,
        method="post",
        data=lambda w: {"title": "Praktik baik", "body": "Siapa punya contoh?"},
        unchanged=lambda w: Thread.objects.filter(community=w.community).count(),
        may_change=("learner", "moderator", "superuser"),
    ),
    "discussions:community_join": named(
        "discussions:community_join",
        COMMUNITY,
        method="post",
        unchanged=lambda w: Membership.objects.filter(community=w.community).count(),
        may_change=tuple(role for role in ROLES if role not in ("anonymous", "learner")),
    ),
    "discussions:community_leave": named(
        "discussions:community_leave",
        COMMUNITY,
        method="post",
        unchanged=lambda w: Membership.objects.filter(community=w.community).count(),
        may_change=("learner",),
    ),
    "discussions:community_resources": named("discussions:community_resources", COMMUNITY),
    "discussions:community_resources (share)": named(
        "discussions:community_resources",
        COMMUNITY,
        method="post",
        data=lambda w: {"title": "Panduan", "url": "https://lan.go.id/panduan"},
        unchanged=lambda w: CommunityResource.objects.filter(community=w.community).count(),
        may_change=("learner", "moderator", "superuser"),
    ),
    "discussions:resource_download": named(
        "discussions:resource_download", lambda w: w.community_file.pk
    ),
    "discussions:resource_hide": named(
        "discussions:resource_hide",
        lambda w: w.community_file.pk,
        method="post",
        data=lambda w: {"hidden": "1"},
        unchanged=_status(CommunityResource, lambda w: w.community_file.pk, "hidden_at"),
        may_change=("moderator", "superuser"),
    ),
    "discussions:community_events": named("discussions:community_events", COMMUNITY),
    "discussions:community_events (announce)": named(
        "discussions:community_events",
        COMMUNITY,
        method="post",
        data=lambda w: {
            "title": "Temu daring",
            "starts_at": (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (timezone.localtime() + timedelta(days=3, hours=1)).strftime(
                "%Y-%m-%dT%H:%M"
            ),
            "link": "https://meet.example.go.id/komunitas",
        },
        unchanged=lambda w: CommunityEvent.objects.filter(community=w.community).count(),
        may_change=("moderator", "superuser"),
    ),
    "discussions:event_cancel": named(
        "discussions:event_cancel",
        lambda w: w.community_event.pk,
        method="post",
        unchanged=_exists(CommunityEvent, lambda w: w.community_event.pk),
        may_change=("moderator", "superuser"),
    ),
    "discussions:community_claim": named("discussions:community_claim", COMMUNITY),
    "discussions:community_claim (claim)": named(
        "discussions:community_claim",
        COMMUNITY,
        method="post",
        data=lambda w: {
            "start_date": (timezone.localdate() - timedelta(days=3)).isoformat(),
            "end_date": timezone.localdate().isoformat(),
            "hours": "3",
            "report": "Saya mengikuti diskusi komunitas tentang penyusunan SKP dan berbagi contoh.",
        },
        unchanged=lambda w: ParticipationClaim.objects.filter(community=w.community).count(),
        may_change=("learner",),
    ),
    "live:cohort_sessions": named("live:cohort_sessions", COHORT_B),
    "live:session_ics": named("live:session_ics", LIVE_B),
    "live:session_create": named("live:session_create", COHORT_B),
    "live:session_create (post)": named(
        "live:session_create",
        COHORT_B,
        method="post",
        data=lambda w: _live_session_data(title="Sesi tambahan"),
        unchanged=lambda w: LiveSession.objects.filter(cohort=w.cohort_b).count(),
        may_change=("superuser",),
    ),
    "live:session_edit": named("live:session_edit", LIVE_B),
    "live:session_edit (post)": named(
        "live:session_edit",
        LIVE_B,
        method="post",
        data=lambda w: _live_session_data(title="Sesi diubah"),
        unchanged=_status(LiveSession, LIVE_B, "title"),
        may_change=("superuser",),
    ),
    "live:session_cancel": named(
        "live:session_cancel",
        LIVE_B,
        method="post",
        unchanged=_status(LiveSession, LIVE_B),
        may_change=("superuser",),
    ),
    "live:attendance": named("live:attendance", lambda w: w.held_session_b.pk),
    "live:attendance (post)": named(
        "live:attendance",
        lambda w: w.held_session_b.pk,
        method="post",
        data=lambda w: {f"m{w.enrollment_b.cohort_membership.pk}": "present"},
        unchanged=lambda w: Attendance.objects.filter(session=w.held_session_b).count(),
        may_change=("superuser",),
    ),
    "live:calendar": named("live:calendar"),
    "live:calendar_renew": named(
        "live:calendar_renew",
        method="post",
        unchanged=_status(CalendarFeed, lambda w: w.feed_b.pk, "token"),
        may_change=("learner",),
    ),
    "live:calendar_revoke": named(
        "live:calendar_revoke",
        method="post",
        unchanged=_exists(CalendarFeed, lambda w: w.feed_b.pk),
        may_change=("learner",),
    ),
    "live:feed": named("live:feed", lambda w: w.feed_b.token),
    "live:feed (wrong token)": named("live:feed", lambda w: w.feed_b.token[::-1] + "x"),
    "notifications:list": named("notifications:list"),
    "notifications:mark_read": named(
        "notifications:mark_read",
        NOTIFICATION_B,
        method="post",
        unchanged=_status(Notification, NOTIFICATION_B, "read_at"),
        may_change=("learner",),
    ),
    "notifications:mark_all_read": named(
        "notifications:mark_all_read",
        method="post",
        unchanged=_status(Notification, NOTIFICATION_B, "read_at"),
        may_change=("learner",),
    ),
    "notifications:preferences": named(
        "notifications:preferences",
        method="post",
        unchanged=lambda w: list(
            NotificationPreference.objects.filter(user=w.learner).values_list("daily_digest")
        ),
        may_change=("learner",),
    ),
    "api:GET /me/notifications/unread-count": api_call("get", "/me/notifications/unread-count"),
    "api:GET /me/notifications": api_call("get", "/me/notifications"),
    "api:POST /me/notifications/{notification_id}/read": api_call(
        "post",
        "/me/notifications/{notification_id}/read",
        lambda w: {"notification_id": w.notification_b.pk},
        unchanged=_status(Notification, NOTIFICATION_B, "read_at"),
        may_change=("learner",),
    ),
    "api:POST /me/notifications/read": api_call(
        "post",
        "/me/notifications/read",
        unchanged=_status(Notification, NOTIFICATION_B, "read_at"),
        may_change=("learner",),
    ),
    "projects:list": named("projects:list"),
    "projects:create": named("projects:create", lambda w: w.enrollment_b.pk),
    "projects:create (post)": named(
        "projects:create",
        lambda w: w.enrollment_b.pk,
        method="post",
        data=lambda w: {
            "title": "Proyek kedua",
            "topic": "digital",
            "problem": "Masalah.",
            "goals": "Tujuan.",
            "stakeholders": "Pemangku.",
            "milestone_1_title": "Tahap",
            "milestone_1_due": (timezone.localdate() + timedelta(days=9)).isoformat(),
        },
        unchanged=lambda w: ChangeProject.objects.count(),
    ),
    "projects:detail": named("projects:detail", PROJECT_B),
    "projects:edit": named("projects:edit", PROJECT_B),
    "projects:submit": named(
        "projects:submit",
        PROJECT_B,
        method="post",
        unchanged=_status(ChangeProject, PROJECT_B),
    ),
    "projects:review": named(
        "projects:review",
        PROJECT_B,
        method="post",
        data=lambda w: {"decision": "changes", "comment": "Ubah."},
        unchanged=_status(ChangeProject, PROJECT_B),
    ),
    "projects:comment": named(
        "projects:comment",
        PROJECT_B,
        method="post",
        data=lambda w: {"body": "Catatan."},
        unchanged=lambda w: ProjectComment.objects.filter(project=w.project_b).count(),
        may_change=("learner",),
    ),
    "projects:milestone_report": named("projects:milestone_report", PROJECT_B, MILESTONE_B),
    "projects:milestone_report (post)": named(
        "projects:milestone_report",
        PROJECT_B,
        MILESTONE_B,
        method="post",
        data=lambda w: {"report": "Tahap selesai."},
        unchanged=_status(Milestone, MILESTONE_B),
        may_change=("learner",),
    ),
    "projects:milestone_review": named(
        "projects:milestone_review",
        PROJECT_B,
        lambda w: w.project_evidence_b.milestone_id,
        method="post",
        data=lambda w: {"decision": "approve"},
        unchanged=_status(Milestone, lambda w: w.project_evidence_b.milestone_id),
    ),
    "projects:evidence": named("projects:evidence", PROJECT_B, lambda w: w.project_evidence_b.pk),
    "projects:final_report": named("projects:final_report", PROJECT_B),
    "projects:final_report (post)": named(
        "projects:final_report",
        PROJECT_B,
        method="post",
        data=lambda w: {"final_report": "Laporan akhir."},
        unchanged=_status(ChangeProject, PROJECT_B),
    ),
    "projects:assess": named("projects:assess", PROJECT_B),
    "projects:publication": named("projects:publication", PROJECT_B),
    "projects:publication (post)": named(
        "projects:publication",
        PROJECT_B,
        method="post",
        data=lambda w: {"public_summary": "Ringkasan.", "consent": "on"},
        unchanged=_status(ChangeProject, PROJECT_B, "consent_at"),
    ),
    "projects:publication_approve": named(
        "projects:publication_approve",
        lambda w: w.project_published.pk,
        method="post",
        unchanged=_status(ChangeProject, lambda w: w.project_published.pk, "published_at"),
    ),
    "projects:publication_withdraw": named(
        "projects:publication_withdraw",
        PROJECT_B,
        method="post",
        unchanged=_status(ChangeProject, PROJECT_B, "consent_at"),
    ),
    "projects:cohort_projects": named("projects:cohort_projects", COHORT_B),
    "projects:cohort_projects (post)": named(
        "projects:cohort_projects",
        COHORT_B,
        method="post",
        data=lambda w: {"project": w.project_b.pk, "coach": w.coach_b2.pk},
        unchanged=_status(ChangeProject, PROJECT_B, "coach_id"),
        may_change=("superuser",),
    ),
    "projects:gallery": named("projects:gallery", query="?q=inovasi"),
    "projects:gallery_detail": named("projects:gallery_detail", lambda w: w.project_published.pk),
    "projects:gallery_detail (unpublished)": named("projects:gallery_detail", PROJECT_B),
    "assignments:submit": named(
        "assignments:submit",
        lambda w: w.assignment_b2.pk,
        method="post",
        data=lambda w: {"text": "Rencana aksi B2"},
        unchanged=lambda w: Submission.objects.filter(assignment=w.assignment_b2).count(),
        may_change=("learner",),
    ),
    "assignments:file": named("assignments:file", lambda w: w.submission_file_b.pk),
    "assignments:queue": named("assignments:queue"),
    "assignments:course_queue": named("assignments:course_queue", COURSE_B),
    "assignments:cohort_queue": named("assignments:cohort_queue", COHORT_B),
    "assignments:grade": named("assignments:grade", SUBMISSION_B),
    "assignments:grade (post)": named(
        "assignments:grade",
        SUBMISSION_B,
        method="post",
        data=lambda w: {
            "decision": "grade",
            "feedback": "Baik",
            **{f"score_{criterion['id']}": 5 for criterion in w.assignment_b.criteria()},
        },
        unchanged=_status(Submission, SUBMISSION_B),
        may_change=("course_only_trainer",),
    ),
    "content:data_saver": named(
        "content:data_saver", method="post", data=lambda w: {"data_saver": "on", "next": "/"}
    ),
    "privacy:notice": named("privacy:notice"),
    "offline:webmanifest": named("offline:webmanifest"),
    "offline:service_worker": named("offline:service_worker"),
    "offline:index": named("offline:index"),
    "offline:strings": named("offline:strings"),
    "api:GET /me/csrf-token": api_call("get", "/me/csrf-token"),
    "api:GET /pages/{page_id}/offline": api_call(
        "get", "/pages/{page_id}/offline?videos=include", lambda w: {"page_id": w.course_b.pk}
    ),
    # Not a course or module, and not live: nobody gets a file list for it.
    "api:GET /pages/{page_id}/offline (draft lesson)": api_call(
        "get", "/pages/{page_id}/offline", lambda w: {"page_id": w.draft_lesson.pk}
    ),
    "privacy:data_download": named("privacy:data_download", method="post"),
    # GET only: the form; deleting one's account is the owner's alone by construction.
    "privacy:account_delete": named("privacy:account_delete"),
    "privacy:audit_index": named("privacy:audit_index"),
    "privacy:audit_log": named("privacy:audit_log", ORG_B),
    "privacy:audit_log_all": named("privacy:audit_log_all"),
    "search:search": named("search:search", query="?q=kursus"),
    "search:suggest": named("search:suggest", query="?q=kursus"),
    "page:draft lesson": Target(url=lambda w: w.draft_lesson_url),
    "api:POST /courses/{course_id}/enrollment": api_call(
        "post",
        "/courses/{course_id}/enrollment",
        lambda w: {"course_id": w.course_b.pk},
        unchanged=_status(Enrollment, lambda w: w.enrollment_b.pk),
    ),
    "api:GET /me/enrollments": api_call("get", "/me/enrollments"),
    "api:POST /lessons/{lesson_id}/completion": api_call(
        "post",
        "/lessons/{lesson_id}/completion",
        lambda w: {"lesson_id": w.lesson_b.pk},
        unchanged=lambda w: LessonCompletion.objects.filter(enrollment__user=w.learner).count(),
    ),
    "api:POST /lessons/{lesson_id}/experienced": api_call(
        "post",
        "/lessons/{lesson_id}/experienced",
        lambda w: {"lesson_id": w.lesson_b.pk},
        unchanged=lambda w: Delivery.objects.count(),
    ),
    "api:GET /me/certificates": api_call("get", "/me/certificates"),
    "api:GET /certificates/{code}": api_call(
        "get", "/certificates/{code}", lambda w: {"code": w.certificate.code}
    ),
    "api:POST /credentials/verify": api_call(
        "post",
        "/credentials/verify",
        data=lambda w: credential_for_certificate(certificate=w.certificate).document,
    ),
    "api:POST /credentials/verify/file": Target(
        url=lambda w: "/api/v1/credentials/verify/file",
        method="post",
        data=lambda w: {
            "file": _RewoundUpload(
                "lencana.json",
                json.dumps(credential_for_certificate(certificate=w.certificate).document).encode(),
                "application/ld+json",
            )
        },
    ),
    "api:GET /me/jp": api_call("get", "/me/jp"),
    "api:GET /me/profile": api_call("get", "/me/profile"),
    "api:GET /me/plan": api_call("get", "/me/plan"),
    "api:GET /development-forms": api_call("get", "/development-forms"),
    "api:GET /me/development-records": api_call("get", "/me/development-records?status=submitted"),
    "api:POST /me/development-records": api_call(
        "post",
        "/me/development-records",
        data=lambda w: {
            "form": "seminar",
            "title": "Seminar Matriks",
            "start_date": str(timezone.localdate() - timedelta(days=2)),
            "end_date": str(timezone.localdate() - timedelta(days=2)),
            "hours": "2",
            "evidence_url": "https://kub.go.id/matriks",
        },
    ),
    "api:GET /me/development-records/{record_id}": api_call(
        "get", "/me/development-records/{pk}", lambda w: {"pk": w.record.pk}
    ),
    "api:PUT /me/development-records/{record_id}": api_call(
        "put",
        "/me/development-records/{pk}",
        lambda w: {"pk": w.record.pk},
        data=lambda w: {
            "form": "workshop",
            "title": "Lokakarya B diubah",
            "start_date": str(w.record.start_date),
            "end_date": str(w.record.end_date),
            "hours": "5",
        },
        unchanged=_status(DevelopmentRecord, RECORD, "title"),
        may_change=("learner",),
    ),
    "api:POST /me/development-records/{record_id}/submission": api_call(
        "post",
        "/me/development-records/{pk}/submission",
        lambda w: {"pk": w.record.pk},
        unchanged=_status(DevelopmentRecord, RECORD),
    ),
    "api:PUT /me/development-records/{record_id}/evidence-link": api_call(
        "put",
        "/me/development-records/{pk}/evidence-link",
        lambda w: {"pk": w.record.pk},
        data=lambda w: {"url": "https://kub.go.id/bukti"},
        unchanged=_status(DevelopmentRecord, RECORD, "evidence_url"),
        may_change=("learner",),
    ),
    "api:POST /me/development-records/{record_id}/evidence-files": Target(
        url=lambda w: f"/api/v1/me/development-records/{w.record.pk}/evidence-files",
        method="post",
        data=lambda w: {"file": _RewoundUpload("bukti.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")},
        unchanged=lambda w: EvidenceFile.objects.filter(record=w.record).count(),
        may_change=("learner",),
    ),
    "api:DELETE /me/development-records/{record_id}/evidence-files/{evidence_id}": api_call(
        "delete",
        "/me/development-records/{pk}/evidence-files/{evidence}",
        lambda w: {"pk": w.record.pk, "evidence": w.evidence.pk},
        unchanged=_exists(EvidenceFile, lambda w: w.evidence.pk),
    ),
    "api:GET /development-records/verification-queue": api_call(
        "get", "/development-records/verification-queue"
    ),
    "api:GET /development-records/{record_id}": api_call(
        "get", "/development-records/{pk}", lambda w: {"pk": w.record.pk}
    ),
    "api:POST /development-records/{record_id}/decision": api_call(
        "post",
        "/development-records/{pk}/decision",
        lambda w: {"pk": w.record.pk},
        data=lambda w: {"decision": "verify", "note": ""},
        unchanged=_status(DevelopmentRecord, RECORD),
        may_change=("superuser",),
    ),
    "api:POST /development-records/{record_id}/revocation": api_call(
        "post",
        "/development-records/{pk}/revocation",
        lambda w: {"pk": w.record_verified.pk},
        data=lambda w: {"reason": "Uji matriks izin"},
        unchanged=_status(DevelopmentRecord, lambda w: w.record_verified.pk),
        may_change=("superuser",),
    ),
    "api:POST /quizzes/{quiz_id}/attempts": api_call(
        "post",
        "/quizzes/{quiz_id}/attempts",
        lambda w: {"quiz_id": w.quiz_b.pk},
        unchanged=lambda w: QuizAttempt.objects.filter(user=w.learner).count(),
    ),
    "api:POST /attempts/{attempt_id}/submission": api_call(
        "post",
        "/attempts/{attempt_id}/submission",
        lambda w: {"attempt_id": w.attempt.pk},
        unchanged=_status(QuizAttempt, ATTEMPT),
        may_change=("learner",),
    ),
    "api:GET /me/attempts": api_call("get", "/me/attempts"),
    "api:GET /quizzes/{quiz_id}/paper": api_call(
        "get", "/quizzes/{quiz_id}/paper", lambda w: {"quiz_id": w.quiz_b.pk}
    ),
    "api:POST /quizzes/{quiz_id}/offline-submissions": api_call(
        "post",
        "/quizzes/{quiz_id}/offline-submissions",
        lambda w: {"quiz_id": w.quiz_b.pk},
        # L1's paper for the attempt in progress, answered offline.
        data=lambda w: {
            "event_id": "6f1c2a44-0d3e-4b8e-9a51-2f7d8c9b0e11",
            "token": quiz_services.paper_issue(user=w.learner, quiz=w.quiz_b).token,
            "answers": {},
            "answered_at": timezone.now().isoformat(),
        },
        unchanged=lambda w: list(
            QuizAttempt.objects.filter(user=w.learner).values_list("pk", "status")
        ),
        may_change=("learner",),
    ),
    "api:GET /package-lessons/{lesson_id}/runtime": api_call(
        "get", "/package-lessons/{pk}/runtime", lambda w: {"pk": w.package_lesson_b.pk}
    ),
    "api:POST /package-lessons/{lesson_id}/commits": api_call(
        "post",
        "/package-lessons/{pk}/commits",
        lambda w: {"pk": w.package_lesson_b.pk},
        data=lambda w: {
            "item": w.package_lesson_b.package.items[0]["identifier"],
            "event_id": "0b6f7f6e-3c1d-4d0a-8f5e-6a7b8c9d0e12",
            "committed_at": timezone.now().isoformat(),
            "cmi": {"core": {"lesson_location": "halaman-2", "lesson_status": "incomplete"}},
            "terminate": False,
        },
        unchanged=lambda w: list(ScoState.objects.values_list("pk", "cmi")),
        may_change=("learner",),
    ),
    "api:POST /package-lessons/{lesson_id}/xapi": api_call(
        "post",
        "/package-lessons/{pk}/xapi",
        lambda w: {"pk": w.h5p_lesson_b.pk},
        data=lambda w: {
            "event_id": "5d2e8a41-7b6c-4f3e-9a1d-0c2b3e4f5a61",
            "committed_at": timezone.now().isoformat(),
            "statement": {
                "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
                "object": {"id": "http://localhost/paket/b/putar/"},
                "result": {"score": {"raw": 3, "min": 0, "max": 4}, "completion": True},
            },
            "state": "{}",
        },
        unchanged=lambda w: list(ScoState.objects.values_list("pk", "cmi", "completion_status")),
        may_change=("learner",),
    ),
    "api:GET /cohorts/{cohort_id}/progress": api_call(
        "get", "/cohorts/{cohort_id}/progress", lambda w: {"cohort_id": w.cohort_b.pk}
    ),
    "api:GET /organizations/{organization_id}/compliance": api_call(
        "get",
        "/organizations/{organization_id}/compliance",
        lambda w: {"organization_id": w.org_b.pk},
    ),
    "api:GET /organizations/{organization_id}/people/{person_id}": api_call(
        "get",
        "/organizations/{organization_id}/people/{person_id}",
        lambda w: {"organization_id": w.org_b.pk, "person_id": w.learner.pk},
    ),
    "api:GET /organizations/{organization_id}/siasn": api_call(
        "get", "/organizations/{organization_id}/siasn", lambda w: {"organization_id": w.org_b.pk}
    ),
    "api:GET /openapi.json": api_call("get", "/openapi.json"),
    "wagtailapi:pages:listing": named(
        "wagtailapi:pages:listing", query="?type=quizzes.QuizPage&fields=*&search=kuis"
    ),
    "wagtailapi:pages:detail": named("wagtailapi:pages:detail", lambda w: w.quiz_b.pk),
    "wagtailapi:pages:detail (draft)": named(
        "wagtailapi:pages:detail", lambda w: w.draft_lesson.pk
    ),
    "wagtailapi:pages:find": named("wagtailapi:pages:find", query="?html_path={course_b_path}"),
    "wagtailapi:images:listing": named("wagtailapi:images:listing"),
    "wagtailapi:images:detail": named("wagtailapi:images:detail", lambda w: w.image_b.pk),
    "wagtailapi:images:find": named("wagtailapi:images:find", query="?id={image_b}"),
    "wagtailapi:documents:listing": named("wagtailapi:documents:listing"),
    "wagtailapi:documents:detail": named("wagtailapi:documents:detail", lambda w: w.document_b.pk),
    "wagtailapi:documents:find": named("wagtailapi:documents:find", query="?id={document_b}"),
    "evaluation_programme": named("evaluation_programme"),
    "evaluation_programme (xlsx)": named("evaluation_programme", query="?export=xlsx"),
    "evaluation_course": named("evaluation_course", COURSE_B),
    "evaluation_needs": named("evaluation_needs", query="?organization={org_b}"),
    "evaluation_needs (csv)": named("evaluation_needs", query="?export=csv"),
    "xapi_delivery_report": named("xapi_delivery_report"),
    "search_terms": named("search_terms"),
    "search_terms (csv)": named("search_terms", query="?export=csv"),
    "content_review": named("content_review", query="?organization={org_b}&status=all"),
    "content_review (csv)": named("content_review", query="?status=all&export=csv"),
    "content_review_mark (get)": named("content_review_mark", COURSE_B),
    "content_review_mark": named(
        "content_review_mark",
        COURSE_B,
        method="post",
        data=lambda w: {"review_by": (timezone.localdate() + timedelta(days=30)).isoformat()},
        unchanged=_status(CoursePage, COURSE_B, "last_reviewed_on"),
        may_change=("superuser",),
    ),
    "certificates:index": named("certificates:index"),
    "certificates:index_results": named("certificates:index_results"),
    "lti:jwks": named("lti:jwks"),
    "lti:login": named("lti:login", query="?iss=https://unknown.example&login_hint=1"),
    "lti:launch": named(
        "lti:launch",
        method="post",
        data=lambda w: {"state": "forged", "id_token": "not.a.jwt"},
        unchanged=lambda w: LtiUsedNonce.objects.count(),
    ),
    "lti:link": named("lti:link", method="post", data=lambda w: {}),
    "lti:deep_link": named(
        "lti:deep_link", method="post", data=lambda w: {"courses": [w.course_b.pk]}
    ),
    "lti_platforms:index": named("lti_platforms:index"),
    "lti_platforms:add": named("lti_platforms:add"),
    "lti_platforms:edit": named("lti_platforms:edit", lambda w: _lti_platform().pk),
    "lti_platforms:delete": named(
        "lti_platforms:delete",
        lambda w: _lti_platform().pk,
        method="post",
        unchanged=lambda w: LtiPlatform.objects.filter(
            issuer="https://lms.instansi-b.go.id"
        ).exists(),
        may_change=("superuser",),
    ),
    "certificates:inspect": named("certificates:inspect", lambda w: w.certificate.pk),
    "certificates:revoke": named(
        "certificates:revoke",
        lambda w: w.certificate.pk,
        method="post",
        data=lambda w: {"reason": "Uji matriks izin"},
        unchanged=_status(Certificate, lambda w: w.certificate.pk, "revoked_at"),
        may_change=("superuser",),
    ),
    "package_admin:index": named("package_admin:index"),
    "package_admin:index_results": named("package_admin:index_results"),
    "package_admin:add": named("package_admin:add"),
    "package_admin:inspect": named(
        "package_admin:inspect", lambda w: w.package_lesson_b.package.pk
    ),
    "package_admin:edit": named("package_admin:edit", lambda w: w.package_lesson_b.package.pk),
    # Used by a lesson: refused even to the superuser, with the lessons named.
    "package_admin:delete": named(
        "package_admin:delete",
        lambda w: w.package_lesson_b.package.pk,
        method="post",
        unchanged=_exists(Package, lambda w: w.package_lesson_b.package.pk),
    ),
    "package_admin:history": named(
        "package_admin:history", lambda w: w.package_lesson_b.package.pk
    ),
    "package_admin:history_results": named(
        "package_admin:history_results", lambda w: w.package_lesson_b.package.pk
    ),
    "package_admin:usage": named("package_admin:usage", lambda w: w.package_lesson_b.package.pk),
    "wagtailsnippets_evaluation_serviceunit:edit": named(
        "wagtailsnippets_evaluation_serviceunit:edit", lambda w: w.service_unit.pk
    ),
    "wagtailsnippets_evaluation_serviceunit:delete": named(
        "wagtailsnippets_evaluation_serviceunit:delete",
        lambda w: w.service_unit.pk,
        method="post",
        unchanged=_exists(ServiceUnit, lambda w: w.service_unit.pk),
        may_change=("superuser",),
    ),
    "wagtailsnippets_evaluation_feedbackaspect:edit": named(
        "wagtailsnippets_evaluation_feedbackaspect:edit", lambda w: w.aspect.pk
    ),
    "wagtailsnippets_evaluation_feedbackaspect:delete": named(
        "wagtailsnippets_evaluation_feedbackaspect:delete",
        lambda w: w.aspect.pk,
        method="post",
        unchanged=_exists(FeedbackAspect, lambda w: w.aspect.pk),
        may_change=("superuser",),
    ),
    "wagtailsnippets_content_organization:edit": named(
        "wagtailsnippets_content_organization:edit", ORG_B
    ),
    "wagtailsnippets_content_competency:edit": named(
        "wagtailsnippets_content_competency:edit", lambda w: w.competency.pk
    ),
    "wagtailsnippets_search_searchsynonym:edit": named(
        "wagtailsnippets_search_searchsynonym:edit", lambda w: w.synonym.pk
    ),
    "wagtailsnippets_learners_workunit:edit": named(
        "wagtailsnippets_learners_workunit:edit", lambda w: w.work_unit_b.pk
    ),
    "wagtailsnippets_learners_organizationrole:edit": named(
        "wagtailsnippets_learners_organizationrole:edit", lambda w: w.role_b.pk
    ),
    "wagtailsnippets_learners_coursetrainer:edit": named(
        "wagtailsnippets_learners_coursetrainer:edit", lambda w: w.course_trainer_b.pk
    ),
    "wagtailusers_users:edit": named("wagtailusers_users:edit", lambda w: w.learner.pk),
    "wagtailadmin_pages:edit": named("wagtailadmin_pages:edit", COURSE_B),
    "wagtailadmin_pages:view_draft": named("wagtailadmin_pages:view_draft", COURSE_B),
    "wagtailadmin_pages:add_subpage": named("wagtailadmin_pages:add_subpage", COURSE_B),
    "wagtailadmin_pages:workflow_action": named(
        "wagtailadmin_pages:workflow_action",
        COURSE_B,
        lambda w: "approve",
        lambda w: w.task_state.pk,
        method="post",
        data=lambda w: {"comment": ""},
        unchanged=_status(TaskState, lambda w: w.task_state.pk),
        may_change=("superuser",),
    ),
    "wagtailadmin_pages:unpublish": named(
        "wagtailadmin_pages:unpublish",
        COURSE_B,
        method="post",
        unchanged=_status(Page, COURSE_B, "live"),
        may_change=("superuser",),
    ),
    "wagtailadmin_pages:delete": named(
        "wagtailadmin_pages:delete",
        lambda w: w.resource_b.pk,
        method="post",
        unchanged=_exists(Page, lambda w: w.resource_b.pk),
        may_change=("superuser",),
    ),
    # Enrollments protect their course: even the superuser cannot delete it.
    "wagtailadmin_pages:delete (course with learners)": named(
        "wagtailadmin_pages:delete",
        COURSE_B,
        method="post",
        unchanged=_exists(Page, COURSE_B),
    ),
    "wagtailadmin_pages:lock": named(
        "wagtailadmin_pages:lock",
        COURSE_B,
        method="post",
        unchanged=_status(Page, COURSE_B, "locked"),
        may_change=("superuser",),
    ),
    "wagtail_localize:submit_page_translation": named(
        "wagtail_localize:submit_page_translation", COURSE_B
    ),
    "wagtail_localize:update_translations": named(
        "wagtail_localize:update_translations",
        lambda w: TranslationSource.get_or_create_from_instance(w.course_b)[0].pk,
    ),
    "wagtail_localize:snippets_api_listing": named(
        "wagtail_localize:snippets_api_listing", lambda w: "content", lambda w: "competency"
    ),
    "wagtail_localize:translations_report": named("wagtail_localize:translations_report"),
    "moderation_course_requests": named("moderation_course_requests"),
    "moderation_course_request": named("moderation_course_request", lambda w: w.task_state.pk),
    "moderation_course_request (approve)": named(
        "moderation_course_request",
        lambda w: w.task_state.pk,
        method="post",
        data=lambda w: {"action": "approve", "comment": ""},
        unchanged=_status(TaskState, lambda w: w.task_state.pk),
        may_change=("superuser",),
    ),
    "moderation_course_request (request changes)": named(
        "moderation_course_request",
        lambda w: w.task_state.pk,
        method="post",
        data=lambda w: {"action": "reject", "comment": "Perbaiki modul 1."},
        unchanged=_status(TaskState, lambda w: w.task_state.pk),
        may_change=("superuser",),
    ),
    "wagtailimages:edit": named("wagtailimages:edit", lambda w: w.image_b.pk),
    "wagtailimages:delete": named(
        "wagtailimages:delete",
        lambda w: w.image_b.pk,
        method="post",
        unchanged=lambda w: type(w.image_b).objects.filter(pk=w.image_b.pk).exists(),
        may_change=("superuser",),
    ),
    "wagtaildocs:edit": named("wagtaildocs:edit", lambda w: w.document_b.pk),
    "wagtaildocs:delete": named(
        "wagtaildocs:delete",
        lambda w: w.document_b.pk,
        method="post",
        unchanged=lambda w: type(w.document_b).objects.filter(pk=w.document_b.pk).exists(),
        may_change=("superuser",),
    ),
    "wagtaildocs_serve": Target(url=lambda w: w.document_b.url),
}


def _page_target(attribute: str) -> Target:
    return Target(url=lambda w: getattr(w, attribute).get_url())


PAGE_OF_TYPE = {
    "courses.HomePage": "home",
    "courses.CatalogPage": "catalog",
    "courses.ProviderPage": "provider_page_b",
    "courses.CoursePage": "course_b",
    "courses.ModulePage": "module_b",
    "courses.LessonPage": "lesson_b",
    "quizzes.QuizPage": "quiz_b",
    "packages.PackageLessonPage": "package_lesson_b",
    "assignments.AssignmentPage": "assignment_b",
    "content.StandardPage": "standard_page",
    "content.LibraryPage": "library",
    "content.LibrarySectionPage": "library_section_b",
    "content.ResourcePage": "resource_b",
    "paths.LearningPathPage": "path_b",
}
TARGETS.update(
    {f"page:{label}": _page_target(attribute) for label, attribute in PAGE_OF_TYPE.items()}
)


# The world


def _member(organization, group: str, email: str) -> User:
    user = UserFactory(email=email, full_name=email.split("@")[0].title())
    user.groups.add(getattr(organization, f"{group}_group"))
    return user


def _published_child(parent: Page, page: Page) -> Page:
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def _followup_token(enrollment: Enrollment) -> str:
    """A live follow-up link for L1's supervisor, made as `followup_links.behaviour_followup_send` makes it."""
    secret = secrets.token_urlsafe(32)
    BehaviourFollowUp.objects.create(
        enrollment=enrollment,
        recipient_email="atasan.l1@instansi.go.id",
        token_hash=followup_links.followup_token_hash(secret),
        sent_at=timezone.now(),
        expires_at=timezone.now() + timedelta(days=30),
    )
    return followup_links.followup_signer().sign(secret)


def build_world() -> SimpleNamespace:
    """Organizations A and B, course B with its module, lesson, quiz and draft, and the people:
    L1 owns an enrollment, a certificate, an attempt, cohort memberships, needs and a survey."""
    w = SimpleNamespace()
    w.home, w.catalog, w.library = site_structure_ensure()
    w.org_a = ProviderFactory(name="Lembaga Uji A", short_name="LUA", slug="lua")
    w.org_b = ProviderFactory(name="Kementerian Uji B", short_name="KUB", slug="kub")
    w.provider_page_b = provider_page_of(w.org_b)
    w.library_section_b = LibrarySectionPage.objects.get(organization=w.org_b)
    w.standard_page = _published_child(w.home, StandardPage(title="Tentang", slug="tentang"))
    w.resource_b = ResourcePageFactory(parent=w.library_section_b, title="Panduan B")

    w.course_a = CoursePageFactory(parent=provider_page_of(w.org_a), title="Kursus A")
    LessonPageFactory(parent=ModulePageFactory(parent=w.course_a, title="Modul A"))
    w.course_b = CoursePageFactory(parent=w.provider_page_b, title="Kursus B")
    w.competency = CourseCompetencyFactory(page=w.course_b).competency
    w.module_b = ModulePageFactory(parent=w.course_b, title="Modul B")
    w.lesson_b = LessonPageFactory(parent=w.module_b, title="Pelajaran B")
    w.quiz_b = QuizPageFactory(parent=w.module_b, title="Kuis B", required_for_completion=False)
    w.package_lesson_b = PackageLessonPageFactory(
        parent=w.module_b,
        title="Paket B",
        required_for_completion=False,
        package=PackageFactory(organization=w.org_b),
    )
    w.package_b_launch = w.package_lesson_b.package.items[0]["launch"].split("?")[0]
    w.package_other = PackageFactory(organization=w.package_lesson_b.package.organization)
    w.h5p_lesson_b = PackageLessonPageFactory(
        parent=w.module_b,
        title="Kuis H5P B",
        required_for_completion=False,
        package=PackageFactory(organization=w.org_b, archive=package_samples.h5p_quiz()),
    )
    draft = LessonPageFactory(parent=w.module_b, title="Pelajaran Draf B")
    draft.unpublish()
    w.draft_lesson = draft
    w.draft_lesson_url = draft.get_url()
    w.course_b2 = CoursePageFactory(
        parent=w.provider_page_b, title="Kursus B Persetujuan", enrollment_policy="approval"
    )
    LessonPageFactory(parent=ModulePageFactory(parent=w.course_b2, title="Modul B2"))

    # People
    w.learner = UserFactory(
        email="l1@kub.go.id",
        full_name="Peserta Satu",
        organization=w.org_b,
        account_kind="pns",
        nip=NIP_L1,
    )
    # L1 named a supervisor who has not answered yet.
    w.learner.supervisor = UserFactory(email="atasan.l1@kub.go.id", full_name="Atasan L1")
    w.learner.save(update_fields=["supervisor"])
    w.other_learner = UserFactory(
        email="l2@kub.go.id", full_name="Peserta Dua", organization=w.org_b, account_kind="pns"
    )
    w.nip_claim = nip_help_request(
        nip="198609262015052001",
        name="Peserta Tiga",
        email="l3@kub.go.id",
        organization=w.org_b,
        message="",
    )
    w.trainer = UserFactory(email="pelatih@lua.go.id", full_name="Pelatih A", trainer_of=w.course_a)
    today = timezone.localdate()
    cohort_create(
        course=w.course_a,
        name="Angkatan A",
        starts_on=today - timedelta(days=7),
        ends_on=today + timedelta(days=21),
        created_by=w.trainer,
    )
    # Another cohort of course A, run by another of its trainers: not the trainer's to see.
    co_trainer_a = UserFactory(
        email="pelatih2@lua.go.id", full_name="Pelatih A Dua", trainer_of=w.course_a
    )
    w.cohort_a2 = cohort_create(
        course=w.course_a,
        name="Angkatan A2",
        starts_on=today - timedelta(days=7),
        ends_on=today + timedelta(days=21),
        created_by=co_trainer_a,
    )
    w.editor = _member(w.org_a, "editors", "editor@lua.go.id")
    w.moderator = _member(w.org_a, "moderators", "moderator@lua.go.id")
    w.org_admin = UserFactory(
        email="sdm@lua.go.id", full_name="SDM A", organization=w.org_a, admin_of=w.org_a
    )
    w.superuser = UserFactory(
        email="admin@lentera.go.id", full_name="Admin", is_superuser=True, is_staff=True
    )
    # Organization B's own people (no column: they are the ones allowed).
    trainer_b = UserFactory(email="pelatih@kub.go.id", full_name="Pelatih B")
    w.course_trainer_b = CourseTrainerFactory(course=w.course_b, user=trainer_b)
    hr_b = UserFactory(email="sdm@kub.go.id", full_name="SDM B", organization=w.org_b)
    w.role_b = OrganizationRoleFactory(user=hr_b, organization=w.org_b)
    w.editor_b = _member(w.org_b, "editors", "editor@kub.go.id")
    w.work_unit_b = WorkUnitFactory(organization=w.org_b, name="Biro Umum B")

    # L1's learning: a cohort of course B, an attempt in progress, the course completed
    w.cohort_b = cohort_create(
        course=w.course_b,
        name="Angkatan B",
        starts_on=today - timedelta(days=7),
        ends_on=today + timedelta(days=21),
        created_by=trainer_b,
    )
    w.enrollment_b = cohort_member_add(
        cohort=w.cohort_b, user=w.learner, added_by=trainer_b
    ).enrollment
    w.attempt = quiz_services.attempt_start(user=w.learner, quiz=w.quiz_b)
    learner_progress.lesson_complete(user=w.learner, lesson=w.lesson_b)
    w.certificate = Certificate.objects.get(enrollment=w.enrollment_b)
    w.invitation = CohortInvitationFactory(
        cohort=w.cohort_b, email="calon@kub.go.id", created_by=trainer_b
    )
    w.cohort_import = CohortImport.objects.create(
        cohort=w.cohort_b, uploaded_by=trainer_b, filename="peserta.csv", rows=[]
    )
    # L1's request to join a cohort of the approval course: pending, for B's people to decide
    w.cohort_b2 = cohort_create(
        course=w.course_b2,
        name="Angkatan B2",
        starts_on=today + timedelta(days=7),
        ends_on=today + timedelta(days=35),
        created_by=trainer_b,
    )
    w.pending = cohort_join_request(cohort=w.cohort_b2, user=w.learner)
    assert w.pending.status == Enrollment.Status.PENDING
    w.followup_token = _followup_token(w.enrollment_b)
    w.need_draft = evaluation_services.learning_need_create(
        user=w.learner,
        competency=w.competency,
        current_level=1,
        target_level=3,
        priority="high",
        reason="Untuk tugas analisis.",
    )
    w.need_submitted = evaluation_services.learning_need_create(
        user=w.learner,
        competency=CompetencyFactory(code="T.99", name="Kompetensi Lain"),
        current_level=1,
        target_level=2,
        priority="medium",
        reason="Untuk tugas pelayanan.",
        submit=True,
    )

    # L1's development records outside courses: one waiting, with a PDF, one verified by B's HR
    today = timezone.localdate()
    w.record = development_services.record_create(
        owner=w.learner,
        form=form_of("workshop"),
        title="Lokakarya B",
        start_date=today - timedelta(days=3),
        end_date=today - timedelta(days=3),
        hours=Decimal("6"),
        files=[SimpleUploadedFile("sertifikat.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")],
    )
    w.evidence = w.record.evidence_files.get()
    w.record_verified = development_services.record_create(
        owner=w.learner,
        form=form_of("seminar"),
        title="Seminar B",
        start_date=today - timedelta(days=10),
        end_date=today - timedelta(days=10),
        hours=Decimal("3"),
        evidence_url="https://kub.go.id/seminar",
    )
    development_services.record_verify(record=w.record_verified, verifier=hr_b)

    # Path B: course B (L1 completed it) and an optional mentoring; L1 follows it, which
    # completes it and issues L1's path certificate
    w.path_b = learning_path(
        provider_page=w.provider_page_b,
        title="Jalur B",
        steps=[course_step(w.course_b), activity_step(form_of("mentoring"), required=False)],
    )
    w.path_certificate = path_follow(user=w.learner, path=w.path_b).certificate

    # L1 coached by the supervisor they named (no column): an active agreement with a session
    # the coach logged, waiting for L1; a mentoring agreement the coach proposed, waiting too
    coach = w.learner.supervisor
    w.agreement = coaching_services.agreement_propose(
        proposer=w.learner,
        role="coachee",
        other_email=coach.email,
        kind="coaching",
        title="Telaahan staf B",
        goals="Menyusun telaahan staf.",
        start_date=today - timedelta(days=20),
    )
    coaching_services.agreement_accept(agreement=w.agreement, user=coach)
    w.session = coaching_services.session_log(
        agreement=w.agreement,
        user=coach,
        session_date=today - timedelta(days=2),
        duration_minutes=60,
        notes="Membahas struktur telaahan.",
    )
    w.agreement_proposed = coaching_services.agreement_propose(
        proposer=coach,
        role="coach",
        other_email=w.learner.email,
        kind="mentoring",
        title="Karier B",
        goals="Merencanakan karier.",
        start_date=today - timedelta(days=5),
    )

    # L1's development plan for this year, a draft with one seminar
    w.plan = planning_services.plan_create(user=w.learner, year=today.year)
    w.plan_item = planning_services.item_add(
        plan=w.plan,
        user=w.learner,
        form=form_of("seminar"),
        title="Seminar B",
        target_date=date(today.year, 12, 31),
        planned_jp=Decimal("4"),
    )

    # A trainer of course B who does not train L1's cohort; organization C's HR admin, whose
    # employee L3 learns in L1's cohort and asks for the same competency
    w.course_only_trainer = UserFactory(
        email="pelatih.kursus@kub.go.id", full_name="Pelatih Kursus B", trainer_of=w.course_b
    )
    w.org_c = OrganizationFactory(name="Badan Uji C", short_name="BUC", slug="buc")
    w.employee_c = UserFactory(
        email="l3@buc.go.id",
        full_name="Pegawai Tiga Cempaka",
        organization=w.org_c,
        account_kind="pns",
        nip=NIP_L3,
    )
    cohort_member_add(cohort=w.cohort_b, user=w.employee_c, added_by=trainer_b)
    evaluation_services.learning_need_create(
        user=w.employee_c,
        competency=w.competency,
        current_level=1,
        target_level=2,
        priority="low",
        reason="Untuk tugas di C.",
        submit=True,
    )
    w.org_admin_c = UserFactory(
        email="sdm@buc.go.id", full_name="SDM C", organization=w.org_c, admin_of=w.org_c
    )

    # Organization B's snippets, media and a revision in moderation
    w.service_unit = ServiceUnit.objects.create(
        organization=w.org_b, name="Loket B", slug="loket-b"
    )
    w.aspect = FeedbackAspect.objects.create(organization=w.org_b, name="Keramahan B")
    w.synonym = SearchSynonym.objects.create(term="SKP", expansions="sasaran kinerja pegawai")
    w.image_b = ImageFactory(title="Gambar B", collection=w.org_b.collection)
    w.document_b = DocumentFactory(title="Dokumen B", collection=w.org_b.collection)
    course_b = w.course_b.specific
    course_b.save_revision(user=w.editor_b)
    workflow_state = course_b.get_workflow().start(course_b, w.editor_b)
    w.task_state = workflow_state.current_task_state

    # Discussions: L1 asks in course B's and in their cohort's; B's trainer answers both; L1
    # reported the answer in the cohort (for its trainers, not course B's other trainer)
    w.thread_b = discussion_services.thread_create(
        author=w.learner, course=w.course_b, title="Cara mengisi SKP?", body="Mohon penjelasan."
    )
    w.answer_b = discussion_services.reply_create(
        thread=w.thread_b, author=trainer_b, body="Lihat modul 2."
    )
    w.cohort_thread_b = discussion_services.thread_create(
        author=w.learner, course=w.course_b, cohort=w.cohort_b, title="Tugas kelas?", body="Apa?"
    )
    cohort_answer = discussion_services.reply_create(
        thread=w.cohort_thread_b, author=trainer_b, body="Tugas ada di modul 1."
    )
    w.report_b = discussion_services.report_create(
        post=cohort_answer, reporter=w.learner, reason="Kurang jelas."
    )

    # A community of practice of organization A: L1 joined it two weeks ago; someone else
    # shared a file and opened a topic
    w.community = Community.objects.create(
        name="Komunitas SKP",
        slug="komunitas-skp",
        occupational_group="Analis SDM",
        organization=w.org_a,
    )
    community_author = UserFactory(email="penggiat@komunitas.go.id", full_name="Penggiat Komunitas")
    for person in (w.learner, community_author):
        community_services.community_join(community=w.community, user=person)
    Membership.objects.filter(user=w.learner).update(joined_at=timezone.now() - timedelta(days=14))
    discussion_services.thread_create(
        author=community_author, community=w.community, title="Contoh SKP", body="Berbagi."
    )
    w.community_event = CommunityEvent.objects.create(
        community=w.community,
        author=community_author,
        title="Temu SKP",
        starts_at=timezone.now() + timedelta(days=5),
        ends_at=timezone.now() + timedelta(days=5, hours=1),
        place="Aula A",
    )
    w.community_file = community_services.resource_create(
        community=w.community,
        author=community_author,
        title="Contoh SKP (PDF)",
        file=SimpleUploadedFile("contoh.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"),
    )

    # Live sessions of L1's cohort: one tomorrow, one held yesterday; L1's calendar address
    tomorrow = timezone.localtime() + timedelta(days=1)
    w.live_session_b = live_services.session_create(
        cohort=w.cohort_b,
        created_by=trainer_b,
        title="Kelas daring B",
        starts_at=tomorrow.replace(hour=9, minute=0, second=0, microsecond=0),
        ends_at=tomorrow.replace(hour=10, minute=30, second=0, microsecond=0),
        url="https://meet.example.go.id/b",
    )
    yesterday = (timezone.localtime() - timedelta(days=1)).replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    w.held_session_b = LiveSession.objects.create(
        cohort=w.cohort_b,
        title="Kelas B kemarin",
        starts_at=yesterday,
        ends_at=yesterday + timedelta(minutes=90),
        place="Aula B",
    )
    w.feed_b = live_services.calendar_feed_renew(user=w.learner)
    # L1's notification (no actor: nobody else's name on L1's list).
    w.notification_b = notify(
        recipient=w.learner,
        kind=Notification.Kind.REMINDER,
        subject="Kursus B",
        url="/saya/",
    )

    # Assignments of course B (optional: L1's course stays completed): L1's work awaiting the
    # grade, with a file, and an assignment L1 has not submitted yet
    w.assignment_b = AssignmentPageFactory(
        parent=w.module_b,
        title="Tugas B",
        required_for_completion=False,
        allowed_file_types=["pdf", "txt"],
    )
    w.assignment_b2 = AssignmentPageFactory(
        parent=w.module_b, title="Tugas B2", required_for_completion=False
    )
    w.submission_b = assignment_services.submission_create(
        user=w.learner,
        assignment=w.assignment_b,
        text="Rencana aksi B",
        files=[SimpleUploadedFile("rencana.txt", b"Rencana aksi unit kerja B")],
    )
    w.submission_file_b = w.submission_b.files.get()
    # L1's change project in cohort B (course B asks for one), in progress: mentored by L1's
    # mentor and coached by B's trainer (neither a column); its second milestone reported with a
    # PDF. Someone else's project of cohort B is published in the public gallery.
    CoursePage.objects.filter(pk=w.course_b.pk).update(requires_change_project=True)
    w.coach_b2 = UserFactory(email="pelatih2@kub.go.id", full_name="Pelatih B Dua")
    w.cohort_b.trainers.add(w.coach_b2)
    due = timezone.localdate() + timedelta(days=30)
    w.project_b = ChangeProject.objects.create(
        enrollment=w.enrollment_b,
        learner=w.learner,
        cohort=w.cohort_b,
        organization=w.org_b,
        mentor=UserFactory(email="mentor.l1@kub.go.id", full_name="Mentor L1"),
        coach=trainer_b,
        title="Proyek perubahan L1",
        topic="public_service",
        problem="Masalah L1.",
        goals="Tujuan L1.",
        stakeholders="Pemangku L1.",
        status=ChangeProject.Status.IN_PROGRESS,
        mentor_approved_at=timezone.now(),
        coach_approved_at=timezone.now(),
    )
    w.milestone_b, reported = Milestone.objects.bulk_create(
        [
            Milestone(project=w.project_b, position=1, title="Tahap 1", due_on=due),
            Milestone(
                project=w.project_b, position=2, title="Tahap 2", due_on=due + timedelta(days=9)
            ),
        ]
    )
    project_services.milestone_report(
        milestone=reported,
        user=w.learner,
        report="Laporan tahap 2.",
        files=[SimpleUploadedFile("bukti.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")],
    )
    w.project_evidence_b = MilestoneEvidence.objects.get(milestone=reported)
    innovator = UserFactory(
        email="inovator@kub.go.id", full_name="Inovator B", organization=w.org_b
    )
    w.project_published = ChangeProject.objects.create(
        enrollment=EnrollmentFactory(user=innovator, course=w.course_b),
        learner=innovator,
        cohort=w.cohort_b,
        organization=w.org_b,
        title="Inovasi layanan B",
        topic="digital",
        problem="Masalah rahasia.",
        goals="-",
        stakeholders="-",
        status=ChangeProject.Status.PASSED,
        score=90,
        outcome="passed",
        assessed_at=timezone.now(),
        public_summary="Ringkasan publik inovasi.",
        consent_at=timezone.now(),
        summary_approved_at=timezone.now(),
        published_at=timezone.now(),
        published_year=timezone.localdate().year,
    )
    w.sessions = {role: _signed_in(getattr(w, role)) for role in ROLES if role != "anonymous"}
    return w


def _signed_in(user: User) -> str:
    """The key of a session signed in as `user`, made once with the world: a client per role
    and row signing in again cost about a sixth of the matrix's time."""
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


@pytest.fixture(scope="module")
def matrix_world(django_db_setup, django_db_blocker):
    """The world, built once for this module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        world = build_world()
        yield world
        transaction.set_rollback(True)


# Requests and outcomes


LOGIN_PATHS = ("/accounts/login/", "/admin/login/")


def outcome(response) -> object:
    if response.status_code in (301, 302, 303):
        path = urlsplit(response["Location"]).path
        if path.startswith(LOGIN_PATHS):
            return LOGIN
        if path == reverse("wagtailadmin_home"):
            return DENY
        return AWAY
    return response.status_code


def _client(world, role: str) -> Client:
    client = Client(raise_request_exception=False)
    if role != "anonymous":
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[role]
    return client


def _request(client: Client, target: Target, url: str, data: dict, host: str | None = None):
    if host:
        return getattr(client, target.method)(url, data=data, HTTP_HOST=host)
    if target.json:
        return getattr(client, target.method)(url, data=data, content_type="application/json")
    return getattr(client, target.method)(url, data=data)


@pytest.mark.parametrize("row", list(MATRIX))
def test_permission_matrix(row, matrix_world, db):
    world = matrix_world
    target = TARGETS[row]
    url = target.url(world).format(
        org_b=world.org_b.pk,
        course_b_path=world.course_b.get_url(),
        image_b=world.image_b.pk,
        document_b=world.document_b.pk,
    )
    data = target.data(world) if target.data else {}
    host = target.host(world) if callable(target.host) else target.host
    before = target.unchanged(world) if target.unchanged else None
    problems = []
    for role, expected in zip(ROLES, MATRIX[row], strict=True):
        client = _client(world, role)
        # Each role's request is undone before the next, so an allowed change (the owner
        # withdrawing) never shows in another role's cell.
        with transaction.atomic():
            response = _request(client, target, url, data, host)
            after = target.unchanged(world) if target.unchanged else None
            text = _text(response) if response.status_code in (OK, NEW) else ""
            transaction.set_rollback(True)
        got = outcome(response)
        if text:
            problems += personal_data_problems(world, row, role, text)
        if response.status_code >= 500:
            problems.append(f"{role}: server error {response.status_code} on {url}")
        elif got != expected:
            problems.append(f"{role}: got {got!r}, expected {expected!r}")
        if target.unchanged and role not in target.may_change and after != before:
            problems.append(f"{role}: changed the object ({before!r} -> {after!r})")
    assert not problems, f"{target.method.upper()} {url}\n" + "\n".join(problems)


# Completeness: every endpoint of the project has a row


def _walk(resolver: URLResolver, namespaces: tuple = ()):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            namespace = (pattern.namespace,) if pattern.namespace else ()
            yield from _walk(pattern, namespaces + namespace)
        elif isinstance(pattern, URLPattern):
            yield ":".join((*namespaces, pattern.name or str(pattern.pattern))), pattern.callback


def project_url_names() -> set[str]:
    """Names of the URL patterns whose views live in Lentera's own apps (admin hooks too)."""
    project = project_apps()
    return {
        name
        for name, callback in _walk(get_resolver())
        if getattr(callback, "__module__", "").split(".")[0] in project
    }


def project_page_types() -> set[str]:
    return {
        f"page:{model._meta.app_label}.{model.__name__}"
        for model in get_page_models()
        if model._meta.app_label in project_apps() and not model._meta.abstract
    }


def api_operations() -> set[str]:
    from lentera.learner_api import api as learner_api

    schema = learner_api.get_openapi_schema()
    prefix = reverse("learner-api:api-root").rstrip("/")
    return {
        f"api:{method.upper()} {path.removeprefix(prefix)}"
        for path, operations in schema["paths"].items()
        for method in operations
    }


def test_every_endpoint_has_a_row():
    expected = project_url_names() | project_page_types() | api_operations()
    missing = sorted(expected - set(MATRIX))
    assert not missing, "Add a row to MATRIX (and TARGETS) for: " + ", ".join(missing)
    assert set(MATRIX) <= set(TARGETS), "No target for: " + ", ".join(set(MATRIX) - set(TARGETS))


@pytest.mark.parametrize("page_type", list(PAGE_OF_TYPE))
def test_every_page_type_previews_without_error(page_type, matrix_world, db):
    """The draft view (Wagtail's preview) renders each page type: a preview holds relations in
    memory (modelcluster's FakeQuerySet), where a queryset method in `get_context` fails."""
    page = getattr(matrix_world, PAGE_OF_TYPE[page_type])
    response = _client(matrix_world, "superuser").get(
        reverse("wagtailadmin_pages:view_draft", args=[page.pk])
    )
    assert response.status_code == 200, f"{page_type}: {response.status_code}"
