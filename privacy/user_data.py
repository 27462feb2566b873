"""Every relation from any installed model to the user, accounted for: either exported by
`privacy.data_export` (the section of `data.json` that holds it) or excluded with the reason why.

A declaration of its own, beside the export it answers for: a test fails when a new relation
appears that `USER_DATA` does not account for, so adding a model that points at a person means
deciding here whether it is theirs to download (UU PDP art. 7 and 13).
"""

#: Sections of data.json.
EXPORTED = "exported"

# Staff actions: the person acted on someone else's record. That record belongs to the other
# person's data (and is in their archive); keeping the staff member's name on it is the
# accountability UU PDP asks of the controller.
_STAFF_ACTION = "a staff action on another person's record, exported with that person's data"
_EDITORIAL = "editorial work in the CMS (pages, media, moderation), not personal learning data"

#: Every relation to the user: ("app_label.Model", "field") -> (EXPORTED, section) or a reason.
USER_DATA: dict[tuple[str, str], tuple[str, str]] = {
    ("learners.User", "supervisor"): (EXPORTED, "profile"),
    ("learners.OrganizationRole", "user"): (EXPORTED, "roles"),
    ("learners.CourseTrainer", "user"): (EXPORTED, "roles"),
    ("cohorts.Cohort", "trainers"): (EXPORTED, "roles"),
    ("learners.Enrollment", "user"): (EXPORTED, "enrollments"),
    ("learners.LearningRecord", "learner"): (EXPORTED, "learning_record"),
    ("quizzes.QuizAttempt", "user"): (EXPORTED, "quiz_attempts"),
    ("assignments.Submission", "user"): (EXPORTED, "assignment_submissions"),
    ("assignments.Submission", "graded_by"): ("excluded", _STAFF_ACTION),
    ("evaluation.LearningNeed", "user"): (EXPORTED, "learning_needs"),
    ("cohorts.Reminder", "learner"): (EXPORTED, "reminders_received"),
    ("compliance.ComplianceReminder", "person"): (EXPORTED, "jp_reminders_received"),
    ("development.DevelopmentRecord", "owner"): (EXPORTED, "development_records"),
    ("coaching.CoachingAgreement", "coachee"): (EXPORTED, "coaching_agreements"),
    ("coaching.CoachingAgreement", "coach"): (EXPORTED, "coaching_agreements"),
    ("paths.PathEnrollment", "user"): (EXPORTED, "learning_paths"),
    ("planning.DevelopmentPlan", "user"): (EXPORTED, "development_plans"),
    ("learners.NIPClaim", "claimant"): (EXPORTED, "nip_claims"),
    ("learners.NIPClaim", "decided_by"): ("excluded", _STAFF_ACTION),
    ("account.EmailAddress", "user"): (EXPORTED, "email_addresses"),
    ("socialaccount.SocialAccount", "user"): (EXPORTED, "agency_sign_in"),
    ("mfa.Authenticator", "user"): (EXPORTED, "two_factor_authentication"),
    ("wagtailusers.UserProfile", "user"): (EXPORTED, "interface_preferences"),
    ("audit.AuditEvent", "subject_user"): (EXPORTED, "processing_log"),
    ("learners.Enrollment", "decided_by"): ("excluded", _STAFF_ACTION),
    ("learners.Certificate", "revoked_by"): ("excluded", _STAFF_ACTION),
    ("learners.LearningRecord", "actor"): (
        "excluded",
        "the person's own events are exported by `learner`; the rest are staff actions on "
        "other people's learning",
    ),
    ("evaluation.BehaviourFollowUp", "supervisor"): (
        "excluded",
        "a rating given as someone's supervisor; follow-ups about the person are exported "
        "with their enrollments",
    ),
    ("evaluation.LearningNeed", "endorsed_by"): ("excluded", _STAFF_ACTION),
    ("development.DevelopmentRecord", "decided_by"): ("excluded", _STAFF_ACTION),
    ("planning.DevelopmentPlan", "agreed_by"): ("excluded", _STAFF_ACTION),
    ("cohorts.Cohort", "created_by"): ("excluded", _STAFF_ACTION),
    ("cohorts.CohortMembership", "added_by"): ("excluded", _STAFF_ACTION),
    ("cohorts.CohortInvitation", "created_by"): ("excluded", _STAFF_ACTION),
    ("cohorts.CohortInvitation", "sent_by"): ("excluded", _STAFF_ACTION),
    ("cohorts.CohortImport", "uploaded_by"): ("excluded", _STAFF_ACTION),
    ("cohorts.Reminder", "sent_by"): ("excluded", _STAFF_ACTION),
    ("compliance.ComplianceReminder", "sent_by"): ("excluded", _STAFF_ACTION),
    ("audit.AuditEvent", "actor"): (
        "excluded",
        "staff actions on other people's data; the person's own downloads and deletion are "
        "exported as the subject",
    ),
    ("privacy.AccountErasure", "user"): (
        "excluded",
        "exists only once the account is erased, when nothing is left to export",
    ),
    ("wagtailcore.Page", "owner"): ("excluded", _EDITORIAL),
    # Content review (content.review, the review app): who owns and reviewed a course or resource.
    ("courses.CoursePage", "content_owner"): ("excluded", _EDITORIAL),
    ("courses.CoursePage", "last_reviewed_by"): ("excluded", _EDITORIAL),
    ("content.ResourcePage", "content_owner"): ("excluded", _EDITORIAL),
    ("content.ResourcePage", "last_reviewed_by"): ("excluded", _EDITORIAL),
    ("review.ReviewReminder", "recipient"): (
        "excluded",
        _EDITORIAL + "; the in-app reminder itself is in the person's notifications",
    ),
    ("wagtailcore.Page", "locked_by"): ("excluded", _EDITORIAL),
    ("wagtailcore.Revision", "user"): ("excluded", _EDITORIAL),
    ("wagtailcore.PageLogEntry", "user"): ("excluded", _EDITORIAL),
    ("wagtailcore.ModelLogEntry", "user"): ("excluded", _EDITORIAL),
    ("wagtailcore.WorkflowState", "requested_by"): ("excluded", _EDITORIAL),
    ("wagtailcore.TaskState", "finished_by"): ("excluded", _EDITORIAL),
    ("wagtailcore.Comment", "user"): ("excluded", _EDITORIAL),
    ("wagtailcore.Comment", "resolved_by"): ("excluded", _EDITORIAL),
    ("wagtailcore.CommentReply", "user"): ("excluded", _EDITORIAL),
    ("wagtailcore.PageSubscription", "user"): ("excluded", _EDITORIAL),
    ("packages.Package", "uploaded_by"): ("excluded", _EDITORIAL),
    ("wagtailcore.UploadedFile", "uploaded_by_user"): ("excluded", _EDITORIAL),
    ("wagtaildocs.Document", "uploaded_by_user"): ("excluded", _EDITORIAL),
    ("wagtailimages.Image", "uploaded_by_user"): ("excluded", _EDITORIAL),
    ("wagtailadmin.EditingSession", "user"): (
        "excluded",
        "a short-lived marker of who has a page open in the editor",
    ),
    ("wagtailadmin.FormState", "user"): (
        "excluded",
        "the admin's unsaved form drafts, short-lived editorial state",
    ),
    ("wagtailcore.APIToken", "user"): ("excluded", "a credential: secrets are never exported"),
    # Discussions: what the person wrote (questions are their thread's first post), reported,
    # announced and was sent; hiding and locking are moderation of other people's posts.
    ("discussions.Thread", "author"): (EXPORTED, "discussion_posts"),
    ("discussions.Post", "author"): (EXPORTED, "discussion_posts"),
    ("discussions.Report", "reporter"): (EXPORTED, "discussion_reports"),
    ("discussions.Announcement", "author"): (EXPORTED, "announcements_posted"),
    ("discussions.AnnouncementDelivery", "recipient"): (EXPORTED, "announcements_received"),
    ("discussions.Thread", "locked_by"): ("excluded", _STAFF_ACTION),
    ("discussions.Post", "hidden_by"): ("excluded", _STAFF_ACTION),
    # Communities of practice: the ones the person joined or moderates, what they shared or
    # announced there, and their claims of participation (whose records are exported above).
    ("discussions.Membership", "user"): (EXPORTED, "communities"),
    ("discussions.Community", "moderators"): (EXPORTED, "communities"),
    ("discussions.CommunityResource", "author"): (EXPORTED, "community_resources"),
    ("discussions.CommunityEvent", "author"): (EXPORTED, "community_events"),
    ("discussions.ParticipationClaim", "member"): (EXPORTED, "community_claims"),
    # Live sessions: scheduling and taking attendance are a trainer's work on a cohort; the hours
    # a person attended are exported as their verified development records.
    ("live.LiveSession", "created_by"): ("excluded", _STAFF_ACTION),
    ("live.Attendance", "recorded_by"): ("excluded", _STAFF_ACTION),
    ("live.SessionNotice", "recipient"): (EXPORTED, "live_session_emails_received"),
    # In-app notifications: the person's own and their digest setting.
    ("notifications.Notification", "recipient"): (EXPORTED, "notifications"),
    ("notifications.NotificationPreference", "user"): (EXPORTED, "notifications"),
    ("notifications.Notification", "actor"): (
        "excluded",
        "who caused someone else's notification: it is the recipient's data, exported with it",
    ),
    # Change projects: the learner's own, whole; mentoring and coaching them, and the comments
    # written there, are listed in the same section.
    ("projects.ChangeProject", "learner"): (EXPORTED, "change_projects"),
    ("projects.ChangeProject", "mentor"): (EXPORTED, "change_projects"),
    ("projects.ChangeProject", "coach"): (EXPORTED, "change_projects"),
    ("projects.ProjectComment", "author"): (EXPORTED, "change_projects"),
    ("projects.Milestone", "reviewed_by"): ("excluded", _STAFF_ACTION),
    ("lti.Identity", "user"): (EXPORTED, "lti_identities"),
    # Who last translated a piece of a page in wagtail-localize's editor.
    ("wagtail_localize.StringTranslation", "last_translated_by"): ("excluded", _EDITORIAL),
    ("wagtail_localize.SegmentOverride", "last_translated_by"): ("excluded", _EDITORIAL),
    ("live.CalendarFeed", "user"): (
        "excluded",
        "a credential (the calendar address's secret token): secrets are never exported",
    ),
    # xAPI: the random name a person's statements carry in the learning record store. The
    # learning it stands for is exported (learning_record); the row goes with the account.
    ("xapi.Actor", "user"): (
        "excluded",
        "the opaque name (a random UUID) of the person's xAPI statements in the learning record "
        "store; the records sent are exported as the learning record",
    ),
}
