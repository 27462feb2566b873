"""The benchmark's budgets. Deterministic ones (queries, weight, renditions) fail `make bench`;
time goals are reported only, because shared machines are noisy.

Query budgets are the same numbers at every size: a page whose queries grow with the course,
cohort or catalog breaks them at the larger sizes first.
"""

# Queries per request: today's counts, the same at every size (tiny to L). A page that needs one
# more query must say so here, in review; `make bench-compare` shows any change.
QUERY_BUDGETS = {
    "bare_django": 0,
    "bare_wagtail": 8,
    "home": 12,
    "catalog": 22,
    "catalog_search": 33,
    "search": 32,
    "course_small": 17,
    "course_large": 17,
    "lesson_small_anon": 13,
    "lesson_large_anon": 13,
    "lesson_small": 21,
    "lesson_large": 21,
    "lesson_complete": 15,
    # +2: the JP block's development records (this year's list, and the history per year).
    # +4: the learning paths block (the learner's paths, their steps, courses completed and
    # records verified among them).
    # +1: the measured learner now holds a position (for the competency profile), so the
    # recommendations read the position's competency standard too (search.recommendations).
    "my_learning": 28,
    # The page's steps, the follower's enrollment, courses completed and records verified: one
    # query each whatever the number of steps; the provider and the targets one each.
    "learning_path": 17,
    # +1: the verified development records beside the courses.
    "jp_ledger": 4,
    # The learner's dozens of development records (issue 16), 50 a page: the count and the page.
    "development_records": 11,
    # The records of a supervisor's whole confirmed team waiting for them, 50 a page: the count
    # and the page.
    "verification_queue": 7,
    # The supervisor's whole confirmed team: the people with their counts (one query), their
    # active enrollments, those courses' lessons and the lessons done, the requests to decide.
    "team": 10,
    # One member with dozens of records: the member, the ledger (courses, records), open
    # enrollments with their lessons and completions, records and needs waiting, coaching
    # agreements with the supervisor, requests to decide: one query each.
    "team_member": 15,
    # Twelve required competencies with evidence of every source: the position's standard,
    # needs, follow-ups, post-tests, courses and paths for the gaps, one query each.
    "competency_profile": 13,
    # A plan of dozens of activities against its realisation: the plan, its activities, completed
    # courses and verified records of the year.
    "development_plan": 9,
    "certificate_verify": 1,
    # +1: opening a cohort page is written to the audit log (who looked at whose progress).
    "cohort": 23,
    # +1: the people awaiting confirmation of their membership (count and first rows, one query).
    "compliance": 14,
    # One staff member with dozens of records: the person, the ledger (courses, records), records
    # waiting, active enrollments with their lessons and completions, reminders, the audit event.
    "compliance_person": 15,
    "api_enrollments": 6,
    # +1: the verified development records beside the courses.
    "api_jp": 4,
    # A page of the learner's records and of the supervisor's queue: count, page, session, user.
    "api_development_records": 4,
    "api_verification_queue": 4,
    # The profile's seven queries (see competency_profile) and the session and user.
    "api_profile": 9,
    # The plan, its activities, completed courses, verified records, session and user.
    "api_plan": 6,
    "api_certificate": 1,
    "api_cohort": 13,
    # +2: the shared filter form checks the unit and position belong to the organization.
    "api_compliance": 9,
    "api_pages": 6,
    # The offline manifest of a whole course: session, user, the page and its view
    # restrictions, modules, lessons, quizzes, images with their renditions, documents.
    "api_offline_small": 13,
    "api_offline_large": 13,
}

# Pages measured on the smallest and on the largest course: same queries, and a time goal.
SCALE_PAIRS = [
    ("course_small", "course_large"),
    ("lesson_small_anon", "lesson_large_anon"),
    ("lesson_small", "lesson_large"),
    ("api_offline_small", "api_offline_large"),
]
SCALE_GOAL = 1.2  # largest course within 1.2× the smallest
LESSON_GOAL = 1.5  # lesson page within 1.5× the bare Wagtail page

# The lesson page on a slow mobile connection: everything it pulls, compressed as served.
LESSON_WEIGHT_KEYS = ["lesson_small", "lesson_large", "lesson_small_anon", "lesson_large_anon"]
LESSON_TOTAL_GZ = 60 * 1024
LESSON_JS_GZ = 20 * 1024


def check(by_key: dict) -> list[str]:
    """Broken deterministic budgets, as sentences."""
    failures = []
    for key, measurement in by_key.items():
        budget = QUERY_BUDGETS.get(key)
        if budget is None:
            failures.append(f"{key}: no query budget set (add one to bench/budgets.py)")
        elif measurement.queries > budget:
            failures.append(f"{key}: {measurement.queries} queries, budget {budget}")
        if measurement.renditions_created:
            failures.append(
                f"{key}: {measurement.renditions_created} image renditions generated in a "
                "request after the page had been seen"
            )
    for small, large in SCALE_PAIRS:
        if by_key[small].queries != by_key[large].queries:
            failures.append(
                f"{large}: {by_key[large].queries} queries on the largest course, "
                f"{by_key[small].queries} on the smallest"
            )
    for key in LESSON_WEIGHT_KEYS:
        lesson = by_key[key]
        if lesson.total_gz > LESSON_TOTAL_GZ:
            failures.append(f"{key}: {lesson.total_gz / 1024:.1f} KB compressed, budget 60 KB")
        if lesson.js_gz > LESSON_JS_GZ:
            failures.append(f"{key}: {lesson.js_gz / 1024:.1f} KB of JavaScript, budget 20 KB")
    return failures


def goals(by_key: dict, scale_ratios: dict[str, float]) -> list[str]:
    """Missed time goals, as sentences (reported, not gated)."""
    misses = [
        f"{large}: {ratio:.2f}× the smallest course (goal ≤ {SCALE_GOAL}×)"
        for large, ratio in scale_ratios.items()
        if ratio > SCALE_GOAL
    ]
    bare = by_key["bare_wagtail"].median_ms
    for key in ("lesson_small", "lesson_large"):
        ratio = by_key[key].median_ms / bare if bare else 0
        if ratio > LESSON_GOAL:
            misses.append(f"{key}: {ratio:.2f}× the bare Wagtail page (goal ≤ {LESSON_GOAL}×)")
    return misses
