"""The benchmark's budgets and goals, as declared data and pure functions (no Django).

Deterministic budgets (queries, weight, renditions, HTML size) fail `make bench` at any number
of rounds. Time goals are ratios measured in one run, never milliseconds: a page's median CPU
time over the median of the bare Wagtail requests interleaved with it (`bench.pages`). A ratio
goal gates once it has been met (its key leaves `REPORTED_ONLY`) and only in a run of at least
`MIN_GATED_ROUNDS` rounds: CI's smoke run (`--repeat 1`) checks the deterministic budgets only.
CPU, not wall time, is gated: on a shared machine waiting for a core inflates wall time, not
CPU time (wall time is reported beside it).

Query budgets are the same numbers at every size: a page whose queries grow with the course,
cohort or catalog breaks them at the larger sizes first.
"""

# Queries per request: today's counts, the same at every size (tiny to L). A page that needs one
# more query must say so here, in review; `make bench-compare` shows any change.
# Issue 19 (measured at S on SQLite, 2026-12-05): lesson, module and course pages read the outline
# from the cache per course version and the learner's state in one query (enrolled lesson
# 21 -> 13, anonymous 13 -> 9, course 17 -> 11); signed-in pages no longer ask for Wagtail's user
# bar unless the user may use the admin (-2); the team, cohort, compliance and profile pages read
# the stored per-enrollment progress instead of counting completions.
QUERY_BUDGETS = {
    "bare_django": 0,
    "bare_wagtail": 8,
    "home": 12,
    "catalog": 22,
    # Search results are read per page type: one more query for each type among the first
    # results (34 and 35 at S, whose results mix more types than tiny's).
    "catalog_search": 35,
    "search": 34,
    "course_small": 11,
    "course_large": 11,
    "lesson_small_anon": 9,
    "lesson_large_anon": 9,
    "lesson_small": 13,
    "lesson_large": 13,
    # +3 (issue 19): the completion writes the enrollment's stored progress in its transaction.
    "lesson_complete": 18,
    # The enrolled learner on the outline courses of 2, 200 and 1,000 lessons (issue 19): the
    # same count at every length.
    "course_2": 16,
    "course_200": 16,
    "course_1000": 16,
    "lesson_2": 13,
    "lesson_200": 13,
    "lesson_1000": 13,
    # +2: the JP block's development records (this year's list, and the history per year).
    # +4: the learning paths block (the learner's paths, their steps, courses completed and
    # records verified among them).
    # +1: the measured learner now holds a position (for the competency profile), so the
    # recommendations read the position's competency standard too (search.recommendations).
    "my_learning": 26,
    # The page's steps, the follower's enrollment, courses completed and records verified: one
    # query each whatever the number of steps; the provider and the targets one each.
    "learning_path": 15,
    # +1: the verified development records beside the courses.
    "jp_ledger": 4,
    # The learner's dozens of development records (issue 16), 50 a page: the count and the page.
    "development_records": 9,
    # The records of a supervisor's whole confirmed team waiting for them, 50 a page: the count
    # and the page.
    "verification_queue": 5,
    # The supervisor's team, 50 people a page: the ordered ids, the page's people with their
    # figures, their pending requests, the team's oldest requests with their total (a window
    # count), and the pager's count.
    "team": 8,
    # One member with dozens of records: the member, the ledger (courses, records), open
    # enrollments with their lessons and completions, records and needs waiting, coaching
    # agreements with the supervisor, requests to decide: one query each.
    "team_member": 11,
    # Twelve required competencies with evidence of every source: the position's standard,
    # needs, follow-ups, post-tests, courses and paths for the gaps, one query each.
    # 10 at S, 11 at tiny (a data-dependent query of the profile): the ceiling is the larger.
    "competency_profile": 11,
    # A plan of dozens of activities against its realisation: the plan, its activities, completed
    # courses and verified records of the year.
    "development_plan": 7,
    "certificate_verify": 1,
    # +1: opening a cohort page is written to the audit log (who looked at whose progress).
    "cohort": 19,
    # +1: the people awaiting confirmation of their membership (count and first rows, one query).
    "compliance": 12,
    # One staff member with dozens of records: the person, the ledger (courses, records), records
    # waiting, active enrollments with their lessons and completions, reminders, the audit event.
    "compliance_person": 11,
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
    "api_cohort": 10,
    # +2: the shared filter form checks the unit and position belong to the organization.
    "api_compliance": 9,
    # With i18n on (issue 22), one more: the site root's translations (Wagtail's public pages).
    "api_pages": 7,
    # The offline manifest of a whole course: session, user, the page and its view
    # restrictions, modules, lessons, quizzes, images with their renditions, documents.
    "api_offline_small": 13,
    "api_offline_large": 13,
}

BARE = "bare_wagtail"  # the page every ratio is taken to

# Pages measured on the smallest and on the largest course: the same queries (gated), and their
# CPU time ratio in the same run (reported).
SCALE_PAIRS = [
    ("course_small", "course_large"),
    ("lesson_small_anon", "lesson_large_anon"),
    ("lesson_small", "lesson_large"),
    ("api_offline_small", "api_offline_large"),
    ("course_2", "course_200"),
    ("course_2", "course_1000"),
    ("lesson_2", "lesson_200"),
    ("lesson_2", "lesson_1000"),
]

# Issue 19: the lesson and the course page within 1.5× the bare Wagtail page, at 2, 200 and 1,000
# lessons, for a signed-in, enrolled learner (median CPU time ratio, one run, interleaved).
RATIO_GOALS: dict[str, float] = {
    f"{page}_{lessons}": 1.5 for page in ("lesson", "course") for lessons in (2, 200, 1000)
}
# Goals not met yet: reported, not gated. Take a key out once `make bench` (S, 30 rounds) meets
# it; from then on a run of MIN_GATED_ROUNDS or more fails when it is missed.
# All six met and gated since 2026-12-05 (`make bench SIZE=S BENCH_ARGS="--repeat 15"`, SQLite,
# two runs on a shared 2-core machine, load 7-9): lesson_2/200/1000 1.45/1.39/1.42x and
# 1.41/1.40/1.41x, course_2/200/1000 1.34/1.32/1.34x and 1.34/1.31/1.31x (from 1.56-1.58x and
# 1.54-1.56x): per-request queries written once per process instead of built by the ORM, the
# header's links reversed once per language, the lesson's "Course contents" cached but for the
# learner's own lessons done. The lesson pages keep the least margin (runs of 1.37-1.50x were
# seen while the machine was busiest).
REPORTED_ONLY: frozenset[str] = frozenset()
MIN_GATED_ROUNDS = 10
# The engine the ratio goals are measured on, as the issue measured them: on SQLite this
# process's CPU time holds the database's work as well, on PostgreSQL it leaves the server's out
# and keeps the client's (more queries weigh more there). Runs on another engine report them.
RATIO_GOALS_DATABASE = "sqlite"

# Issue 19: HTML of the lesson and course pages at 1,000 lessons (bytes, uncompressed). Gated.
HTML_BUDGETS = {"lesson_1000": 60 * 1024, "course_1000": 60 * 1024}

# Issue 19, across sizes (`make bench-compare --sizes`): every key page's ratio to the bare page
# at M within 1.3× its ratio at S, at L within 1.5×. Gated per key like RATIO_GOALS: keys in
# SIZE_REPORTED_ONLY (goal not met yet) are reported only.
SIZE_GOALS = {"M": 1.3, "L": 1.5}
# Queries that run only when the data calls for them, not more of them as it grows: the
# recommended courses for a profile's gaps (planning.selectors.recommended_courses) are read
# only when the person has a gap. Across sizes a difference within this many queries is
# reported, not flagged.
DATA_DEPENDENT_QUERIES = {"competency_profile": 1, "api_profile": 1}
SIZE_REFERENCE = "S"
# Pages whose output is a list of the data the sizes grow on purpose: the offline manifest of the
# largest course lists each of its lessons (100 at S, 200 at M, 1,000 at L), so it is compared
# across sizes per lesson (its ratio's growth divided by the growth of the run's `data` count
# named here); query counts stay gated as for every page.
SIZE_PER_ITEM = {"api_offline_large": "largest_course_lessons"}
# Missed in the first S/M comparison on PostgreSQL (2026-12-05, 10 rounds each, load 10-15):
# search 1.38×, my learning 1.40×, cohort 1.86×, compliance 1.50×, catalog search 1.69×, the
# supervisor's team 4.10× (its team grows from 100 to 300 people), my enrollments API 1.48×, the
# offline manifest of the largest course 1.90× (that course grows from 100 to 200 lessons).
# S, M and L on PostgreSQL (2026-12-05 06:13-06:48 UTC, up to four runs of each size, 10 rounds,
# load 8-10): gated again, met at M and at L in every run: api_cohort (M 0.98-1.06×, L
# 1.19-1.28×), my_learning (M 1.04-1.10×, L 1.33-1.46×), api_pages (M 0.98×, L 0.95-1.02×).
# Gated again once their work-unit table and list are paged (25 units a page, the unit
# drop-down replaced by a search beyond 30 units): compliance and api_compliance, S/L on
# PostgreSQL (h3_bench_S, h3_bench_L; 2026-12-05 07:04-07:27 UTC, four runs of each, 10
# rounds): compliance L 1.23×, 1.16×, 1.06×, 1.13× (page 166 -> 50 KB at L), api_compliance L
# 1.22×, 1.19×, 1.14×, 1.24×; at M (10,000 staff, 1.29-1.32× before) not measured again: its
# units are paged alike and L, with five times the staff, is within M's 1.3× in every run.
# Still missed: cohort (before: M 1.48-1.55×, L 2.58-2.95×; with the chart per module, the
# summary grouped in the database and no unit drop-down beyond 30 units: L 1.27× and 1.34×, and
# 1.25× with the course's lessons cached (16 -> 14 queries); page 385 -> 62 KB at L; M, which
# has L's 5,000 learners, not measured again and likely near 1.3×; its wall time still grows,
# 59 -> 364 ms, in the database),
# api_enrollments (L 1.38-1.60×), api_offline_large (L 5.98-6.83×; the manifest lists each of
# the course's 1,000 lessons at L).
# Cohort gated again (2026-12-05 08:14-08:24 UTC, one S run against one M and one L run on
# PostgreSQL, 10 rounds each, a quiet machine): M 1.08×, L 1.24× (same 14 queries). In the same
# runs api_enrollments was M 1.01×, L 1.64× (it reads every lesson of every course the learner
# is enrolled in to find the next one) and api_offline_large M 1.32×, L 6.06×.
# Both gated since 2026-12-05 09:22-09:47 UTC (three S/L pairs on PostgreSQL, 10 rounds, load 2-4
# with other work alongside): api_enrollments L 1.42x, 1.45x, 1.46x once finished enrollments
# are listed from their stored progress (it read every lesson of every course the learner had
# finished); api_offline_large, compared per lesson (SIZE_PER_ITEM), L 0.68x, 0.74x, 0.66x.
SIZE_REPORTED_ONLY: frozenset[str] = frozenset()

# The lesson page on a slow mobile connection: everything it pulls, compressed as served.
LESSON_WEIGHT_KEYS = [
    "lesson_small", "lesson_large", "lesson_small_anon", "lesson_large_anon",
    "lesson_2", "lesson_200", "lesson_1000",
]  # fmt: skip
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
        if small in by_key and large in by_key and by_key[small].queries != by_key[large].queries:
            failures.append(
                f"{large}: {by_key[large].queries} queries on the larger course, "
                f"{by_key[small].queries} on {small}"
            )
    for key in LESSON_WEIGHT_KEYS:
        lesson = by_key.get(key)
        if lesson is None:
            continue
        if lesson.total_gz > LESSON_TOTAL_GZ:
            failures.append(f"{key}: {lesson.total_gz / 1024:.1f} KB compressed, budget 60 KB")
        if lesson.js_gz > LESSON_JS_GZ:
            failures.append(f"{key}: {lesson.js_gz / 1024:.1f} KB of JavaScript, budget 20 KB")
    for key, budget in HTML_BUDGETS.items():
        page = by_key.get(key)
        if page is not None and page.html_bytes > budget:
            failures.append(
                f"{key}: {page.html_bytes / 1024:.1f} KB of HTML, budget {budget / 1024:.0f} KB"
            )
    return failures


def ratio_gates(
    by_key: dict, *, rounds: int, database: str = RATIO_GOALS_DATABASE
) -> tuple[list[str], list[str], list[str]]:
    """The ratio goals of a run, as sentences: (failures that gate, misses reported only, goals
    met). Nothing gates below MIN_GATED_ROUNDS rounds nor on another engine than
    RATIO_GOALS_DATABASE; a goal in REPORTED_ONLY never gates."""
    failures, misses, met = [], [], []
    for key, goal in RATIO_GOALS.items():
        measurement = by_key.get(key)
        if measurement is None or measurement.ratio_cpu is None:
            continue
        text = (
            f"{key}: {measurement.ratio_cpu:.2f}× the bare Wagtail page in CPU time "
            f"({measurement.ratio_wall:.2f}× wall), goal ≤ {goal}×"
        )
        if measurement.ratio_cpu <= goal:
            met.append(text + (" (reported only: gate it)" if key in REPORTED_ONLY else ""))
        elif key in REPORTED_ONLY:
            misses.append(text + " (not met yet: reported only)")
        elif rounds < MIN_GATED_ROUNDS:
            misses.append(text + f" (not gated: {rounds} rounds < {MIN_GATED_ROUNDS})")
        elif database != RATIO_GOALS_DATABASE:
            misses.append(text + f" (not gated on {database}: measured on {RATIO_GOALS_DATABASE})")
        else:
            failures.append(text)
    return failures, misses, met


def size_gates(
    growth: dict[str, float], *, size: str, rounds: int
) -> tuple[list[str], list[str], list[str]]:
    """Across sizes: `growth` maps each page to its ratio at `size` over its ratio at S. Returns
    (failures that gate, misses reported only, goals met) as sentences, as `ratio_gates`."""
    goal = SIZE_GOALS.get(size)
    failures, misses, met = [], [], []
    if goal is None:
        return failures, misses, met
    for key, value in growth.items():
        text = f"{key}: {value:.2f}× its ratio at {SIZE_REFERENCE}, goal at {size} ≤ {goal}×"
        if value <= goal:
            met.append(text)
        elif key in SIZE_REPORTED_ONLY:
            misses.append(text + " (not met yet: reported only)")
        elif rounds < MIN_GATED_ROUNDS:
            misses.append(text + f" (not gated: {rounds} rounds < {MIN_GATED_ROUNDS})")
        else:
            failures.append(text)
    return failures, misses, met
