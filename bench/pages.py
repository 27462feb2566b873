"""The page benchmark: server time, SQL queries and weight of every key page on a generated data
set, measured in one process through Django's WSGI handler (the path a request takes inside
gunicorn, minus the socket), against a bare Wagtail page measured beside it in the same run.

For each target: two warm-up requests (caches filled, image renditions generated) and one request
with the SQL captured (query count, and any rendition generated inside the request). Then
`rounds` timed rounds: each round takes every target once in a shuffled order (seeded), and
each target's request is paired with a request of the bare Wagtail page right before or right
after it (the side drawn too). Every request is timed in wall-clock time (`perf_counter`) and
in this process's CPU time (`process_time`: Python, templates, the ORM, and SQLite's work, but
not a PostgreSQL server's). A target's ratio to the bare page is its median over the medians
of the bare requests paired with it, so both drift together on a noisy machine.

The deterministic budgets of `bench.budgets` (queries, weight, renditions) always gate; its
ratio goals gate once met and only with enough rounds (`budgets.MIN_GATED_ROUNDS`).
"""

import gzip
import io
import os
import platform
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime
from html.parser import HTMLParser
from importlib import import_module
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.db.models import Count
from django.middleware.csrf import _get_new_csrf_string
from django.test.client import FakePayload
from django.utils import timezone
from django.utils.http import urlencode
from wagtail.models import Page

from bench import budgets
from cohorts.models import Cohort
from courses.models import CatalogPage, CoursePage, LessonPage
from demo.scale import MARKER_PREFIX, OUTLINE_LESSONS, SUPERVISOR_EMAIL, outline_slug
from development.models import DevelopmentRecord
from learners.models import Certificate, Enrollment, LessonCompletion, OrganizationRole, User
from paths.models import LearningPathPage

RENDITION_TABLE = "wagtailimages_rendition"


@dataclass
class Target:
    key: str
    label: str
    path: str
    user: User | None = None
    method: str = "GET"
    data: dict | None = None
    before_each: Callable[[], None] | None = None
    expect: int = 200
    kind: str = "page"  # page, api, baseline


@dataclass
class Measurement:
    """One target. Times in ms over the timed rounds: wall clock and this process's CPU, with
    the same for the bare Wagtail requests paired with it (`bare_*`) and the ratios to them."""

    key: str
    label: str
    kind: str
    status: int
    queries: int
    renditions_created: int
    html_bytes: int
    html_gz: int
    css_gz: int
    js_gz: int
    median_ms: float = 0.0
    p95_ms: float = 0.0
    cpu_median_ms: float = 0.0
    cpu_p95_ms: float = 0.0
    bare_median_ms: float = 0.0
    bare_cpu_median_ms: float = 0.0
    ratio_wall: float | None = None
    ratio_cpu: float | None = None
    ratio_cpu_p95: float | None = None
    samples: int = 0

    @property
    def total_gz(self) -> int:
        return self.html_gz + self.css_gz + self.js_gz


@dataclass
class Run:
    size: str
    database: str
    cpus: int
    python: str
    started_at: str
    repeat: int  # timed rounds
    data: dict
    seed: int = 0
    method: str = "interleaved"  # shuffled rounds, each request paired with a bare one
    measurements: list[Measurement] = field(default_factory=list)
    scale_ratios: dict[str, float] = field(default_factory=dict)
    scale_queries: dict[str, list[int]] = field(default_factory=dict)
    budget_failures: list[str] = field(default_factory=list)
    time_failures: list[str] = field(default_factory=list)
    goal_misses: list[str] = field(default_factory=list)
    goals_met: list[str] = field(default_factory=list)
    time_gated: bool = False

    def as_json(self) -> dict:
        payload = asdict(self)
        for row, measurement in zip(payload["measurements"], self.measurements, strict=True):
            row["total_gz"] = measurement.total_gz
        return payload


class _Assets(HTMLParser):
    """The stylesheets and scripts a page pulls in."""

    def __init__(self):
        super().__init__()
        self.css: list[str] = []
        self.js: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and "stylesheet" in (attrs.get("rel") or "").split() and attrs.get("href"):
            self.css.append(attrs["href"])
        elif tag == "script" and attrs.get("src"):
            self.js.append(attrs["src"])


def _served_size(url: str) -> int:
    """Bytes of a static file as whitenoise serves it: its pre-compressed .gz copy."""
    path = urlsplit(url).path
    if not path.startswith(settings.STATIC_URL):
        return 0  # not ours (a CDN would be a budget question of its own; there is none)
    name = path[len(settings.STATIC_URL) :]
    file = Path(staticfiles_storage.path(name))
    compressed = file.with_name(file.name + ".gz")
    if compressed.exists():
        return compressed.stat().st_size
    return len(gzip.compress(file.read_bytes(), 9)) if file.exists() else 0


class Requester:
    """Requests through the WSGI handler with a session cookie per user, as a browser would."""

    def __init__(self):
        self.handler = WSGIHandler()
        self.cookies: dict[int | None, str] = {None: ""}
        self.csrf = _get_new_csrf_string()

    def cookie_for(self, user: User | None) -> str:
        key = user.pk if user else None
        if key not in self.cookies:
            store = import_module(settings.SESSION_ENGINE).SessionStore()
            store[SESSION_KEY] = str(user.pk)
            store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
            store[HASH_SESSION_KEY] = user.get_session_auth_hash()
            store.create()
            self.cookies[key] = f"{settings.SESSION_COOKIE_NAME}={store.session_key}"
        return self.cookies[key]

    def __call__(self, target: Target) -> tuple[int, bytes]:
        path, _, query = target.path.partition("?")
        body = urlencode(target.data or {}).encode()
        cookie = self.cookie_for(target.user)
        environ = {
            "REQUEST_METHOD": target.method,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_HOST": "testserver",
            "HTTP_ACCEPT_ENCODING": "gzip",
            "HTTP_COOKIE": "; ".join(
                filter(None, [cookie, f"{settings.CSRF_COOKIE_NAME}={self.csrf}"])
            ),
            "HTTP_X_CSRFTOKEN": self.csrf,
            "CONTENT_TYPE": "application/x-www-form-urlencoded",
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.input": FakePayload(body),
            "wsgi.errors": io.StringIO(),
            "wsgi.url_scheme": "http",
            "wsgi.version": (1, 0),
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        status, headers = [], {}

        def start_response(s, response_headers, exc_info=None):
            status.append(s)
            headers.update((name.lower(), value) for name, value in response_headers)

        response = self.handler(environ, start_response)
        try:
            content = b"".join(response)
        finally:
            response.close()
        # Pages come gzipped (lentera.compression), as a browser asks for them; the sizes and
        # the assets are read from the page itself (`html_gz` compresses it at a fixed level).
        if headers.get("content-encoding") == "gzip":
            content = gzip.decompress(content)
        return int(status[0].split()[0]), content


def prepare(requester: Requester, target: Target) -> Measurement:
    """Warm the target up and capture one request's SQL, status and bytes (no timing)."""
    for _ in range(2):
        if target.before_each:
            target.before_each()
        requester(target)
    if target.before_each:
        target.before_each()
    statements: list[str] = []

    def record(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    # An execute wrapper, not connection.queries: the handler resets that log at each request.
    with connection.execute_wrapper(record):
        status, content = requester(target)
    if status != target.expect:
        raise RuntimeError(f"{target.label}: {target.path} answered {status}, not {target.expect}")
    renditions = sum(1 for sql in statements if sql.startswith("INSERT") and RENDITION_TABLE in sql)
    assets = _Assets()
    if target.kind != "api":
        assets.feed(content.decode("utf-8", "replace"))
    return Measurement(
        key=target.key,
        label=target.label,
        kind=target.kind,
        status=status,
        queries=len(statements),
        renditions_created=renditions,
        html_bytes=len(content),
        html_gz=len(gzip.compress(content, 6)),
        css_gz=sum(_served_size(url) for url in dict.fromkeys(assets.css)),
        js_gz=sum(_served_size(url) for url in dict.fromkeys(assets.js)),
    )


def timed(requester: Requester, target: Target) -> tuple[float, float]:
    """One request's wall-clock and CPU milliseconds (its `before_each` untimed)."""
    if target.before_each:
        target.before_each()
    wall, cpu = time.perf_counter(), time.process_time()
    status, _ = requester(target)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    if status != target.expect:
        raise RuntimeError(f"{target.label}: {target.path} answered {status}, not {target.expect}")
    return wall * 1000, cpu * 1000


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def interleaved(
    requester: Requester, bare: Target, targets: list[Target], rounds: int, seed: int
) -> dict[str, dict[str, list[float]]]:
    """`rounds` shuffled rounds; in each, every target once, each paired with one bare request
    right before or after it. Returns per target key its `wall`/`cpu` samples and those of its
    paired bare requests (`bare_wall`/`bare_cpu`); the bare page's own key holds them all."""
    rng = random.Random(seed)  # noqa: S311 - the order of a benchmark, not a secret
    samples = {
        t.key: {"wall": [], "cpu": [], "bare_wall": [], "bare_cpu": []} for t in [bare, *targets]
    }
    for _ in range(rounds):
        for target in rng.sample(targets, len(targets)):
            bare_first = rng.random() < 0.5
            if bare_first:
                bare_wall, bare_cpu = timed(requester, bare)
            wall, cpu = timed(requester, target)
            if not bare_first:
                bare_wall, bare_cpu = timed(requester, bare)
            row = samples[target.key]
            row["wall"].append(wall)
            row["cpu"].append(cpu)
            row["bare_wall"].append(bare_wall)
            row["bare_cpu"].append(bare_cpu)
            samples[bare.key]["wall"].append(bare_wall)
            samples[bare.key]["cpu"].append(bare_cpu)
    own = samples[bare.key]
    own["bare_wall"], own["bare_cpu"] = own["wall"], own["cpu"]
    return samples


def summarize(measurement: Measurement, samples: dict[str, list[float]]) -> None:
    """Fill the times and the ratios of a measurement from its interleaved samples."""
    median = statistics.median
    measurement.samples = len(samples["wall"])
    measurement.median_ms = round(median(samples["wall"]), 3)
    measurement.p95_ms = round(percentile(samples["wall"], 0.95), 3)
    measurement.cpu_median_ms = round(median(samples["cpu"]), 3)
    measurement.cpu_p95_ms = round(percentile(samples["cpu"], 0.95), 3)
    measurement.bare_median_ms = round(median(samples["bare_wall"]), 3)
    measurement.bare_cpu_median_ms = round(median(samples["bare_cpu"]), 3)

    def ratio(value: float, bare: float) -> float | None:
        return round(value / bare, 2) if bare else None

    measurement.ratio_wall = ratio(median(samples["wall"]), median(samples["bare_wall"]))
    measurement.ratio_cpu = ratio(median(samples["cpu"]), median(samples["bare_cpu"]))
    measurement.ratio_cpu_p95 = ratio(
        percentile(samples["cpu"], 0.95), percentile(samples["bare_cpu"], 0.95)
    )


@dataclass
class Subjects:
    """The generated objects the targets point at."""

    small_course: CoursePage
    big_course: CoursePage
    small_lesson: LessonPage
    big_lesson: LessonPage
    learner: User
    completion_lesson: LessonPage
    completion_enrollment: Enrollment
    certificate: Certificate
    cohort: Cohort
    trainer: User
    hr_admin: User
    organization_id: int
    bare_page: Page
    supervisor: User
    learning_path: LearningPathPage | None = None
    # The measured learner's development plan this year and its number of activities.
    plan_pk: int = 0
    plan_items: int = 0
    # The supervisor's team member with the most development records.
    team_member: User | None = None
    member_records: int = 0
    cohort_size: int = 0
    staff_size: int = 0
    team_size: int = 0
    records_size: int = 0
    queue_size: int = 0
    # Lesson count -> (outline course, the lesson measured in it): the measured learner is
    # enrolled in each and has completed the lessons before that one (the first half).
    outline: dict[int, tuple[CoursePage, LessonPage]] = field(default_factory=dict)


def _bench_path(courses: list[CoursePage], learner: User) -> LearningPathPage:
    """A learning path of 15 steps (12 generated courses, three non-classical activities) that
    the measured learner follows: made once in the data set, as the bare page is."""
    from development.models import DevelopmentForm
    from paths.factories import activity_step, course_step, learning_path
    from paths.services import path_follow

    path = LearningPathPage.objects.filter(slug="bench-jalur-belajar").first()
    if path is None:
        forms = DevelopmentForm.objects.filter(mode="nonklasikal").order_by("pk")[:3]
        path = learning_path(
            provider_page=courses[0].get_parent().specific,
            title="Jalur belajar uji skala",
            slug="bench-jalur-belajar",
            steps=[course_step(course) for course in courses[:12]]
            + [activity_step(form, min_jp=2) for form in forms],
        )
    path_follow(user=learner, path=path)
    return path


def _bench_profile(learner: User, courses: list[CoursePage]) -> tuple[int, int]:
    """Made once in the data set, as the path is: a competency standard of 12 competencies for
    the measured learner's position, evidence of every source for each (an endorsed need, a
    passed post-test, a supervisor's rating) and a development plan for this year of a course
    activity for each of up to 15 courses and a form activity for each of 15 forms. Returns the
    plan's id and its number of activities."""
    from datetime import date
    from decimal import Decimal

    from content.models import Competency
    from courses.models import CourseCompetency
    from development.models import DevelopmentForm
    from evaluation.models import BehaviourFollowUp, LearningNeed
    from learners.models import PositionCompetency
    from planning.models import DevelopmentPlan, PlanItem

    year = timezone.localdate().year
    plan = DevelopmentPlan.objects.filter(user=learner, year=year).first()
    if plan is not None:
        return plan.pk, plan.items.count()
    now = timezone.now()
    competencies = list(Competency.objects.order_by("pk")[:12])
    if learner.position_id:
        PositionCompetency.objects.bulk_create(
            [
                PositionCompetency(position_id=learner.position_id, competency=c, target_level=3)
                for c in competencies
            ],
            ignore_conflicts=True,
        )
    LearningNeed.objects.bulk_create(
        LearningNeed(
            user=learner, competency=c, current_level=1, target_level=3, reason="Uji skala",
            status=LearningNeed.Status.ENDORSED, submitted_at=now, endorsed_at=now,
        )
        for c in competencies
    )  # fmt: skip
    completed = list(
        Enrollment.objects.filter(user=learner, status=Enrollment.Status.COMPLETED).order_by("pk")
    )
    Enrollment.objects.filter(pk__in=[e.pk for e in completed]).update(final_score=Decimal(85))
    levels = CourseCompetency.objects.filter(page_id__in=[e.course_id for e in completed])
    ratings_of: dict[int, dict[str, int]] = {}
    for link in levels:
        ratings_of.setdefault(link.page_id, {})[str(link.competency_id)] = 3
    BehaviourFollowUp.objects.bulk_create(
        BehaviourFollowUp(
            enrollment=enrollment, recipient_email="atasan@bench.go.id", sent_at=now,
            answered_at=now, ratings=ratings_of[enrollment.course_id], average_rating=3,
        )
        for enrollment in completed
        if ratings_of.get(enrollment.course_id)
        and not BehaviourFollowUp.objects.filter(enrollment=enrollment).exists()
    )  # fmt: skip
    plan = DevelopmentPlan.objects.create(user=learner, year=year)
    forms = list(DevelopmentForm.objects.order_by("pk")[:15])
    items = [
        PlanItem(plan=plan, course=course, title=course.title, planned_jp=2,
                 target_date=date(year, 1 + n % 12, 15), competency=competencies[n % 12])
        for n, course in enumerate(courses[:15])
    ] + [
        PlanItem(plan=plan, form=form, title=form.name, planned_jp=4,
                 target_date=date(year, 1 + n % 12, 20))
        for n, form in enumerate(forms)
    ]  # fmt: skip
    PlanItem.objects.bulk_create(items)
    return plan.pk, len(items)


def _middle(lessons):
    return lessons[len(lessons) // 2]


def find_subjects() -> Subjects:
    """Deterministic picks from the generated data set (see demo.scale)."""
    from bench.models import BarePage

    cohort = Cohort.objects.select_related("course").get(name="Angkatan Uji Skala I")
    big_course = cohort.course.specific
    outline_courses = {
        lessons: CoursePage.objects.filter(slug=outline_slug(lessons)).first()
        for lessons in OUTLINE_LESSONS
    }
    if not all(outline_courses.values()):
        raise RuntimeError(
            "This data set has no outline courses (2, 200 and 1,000 lessons): generate it again "
            "(rm the database)."
        )
    courses = (
        CoursePage.objects.live()
        .filter(provider__slug__startswith=MARKER_PREFIX)
        .exclude(pk__in=[course.pk for course in outline_courses.values()])
        .order_by("pk")
    )
    lessons_of = {}
    for course in courses[:50]:
        lessons_of[course.pk] = list(
            LessonPage.objects.live().descendant_of(course).order_by("path")
        )
    small_course_id = min(
        (pk for pk in lessons_of if pk != big_course.pk), key=lambda pk: (len(lessons_of[pk]), pk)
    )
    small_course = CoursePage.objects.get(pk=small_course_id)
    big_lessons = list(LessonPage.objects.live().descendant_of(big_course).order_by("path"))

    # A cohort member who also learns the small course, and is in the middle of the big one.
    members = Enrollment.objects.filter(
        course=big_course, status=Enrollment.Status.ACTIVE, cohort_membership__cohort=cohort
    ).order_by("pk")
    learner = None
    for enrollment in members[:200]:
        done = set(
            LessonCompletion.objects.filter(enrollment=enrollment).values_list(
                "lesson_id", flat=True
            )
        )
        missing = [lesson for lesson in big_lessons if lesson.pk not in done]
        if len(missing) >= 2:
            learner, completion_enrollment, completion_lesson = (
                enrollment.user,
                enrollment,
                missing[0],
            )
            break
    if learner is None:
        raise RuntimeError("No cohort member with lessons left: is this a generated data set?")
    Enrollment.objects.get_or_create(
        user=learner,
        course=small_course,
        defaults={"status": Enrollment.Status.ACTIVE, "started_at": timezone.now()},
    )
    # The generator gives every staff member dozens of development records (issue 16) and the
    # supervisor a confirmed team; a data set from before has neither.
    supervisor = User.objects.filter(email=SUPERVISOR_EMAIL).first()
    if supervisor is None or not DevelopmentRecord.objects.filter(owner=learner).exists():
        raise RuntimeError(
            "This data set has no development records: generate it again (rm the database)."
        )
    certificate = Certificate.objects.filter(revoked_at__isnull=True).order_by("pk").first()
    hr_role = OrganizationRole.objects.select_related("user").get(
        user__email="sdm@bench.go.id", role="admin"
    )
    plan_pk, plan_items = _bench_profile(learner, list(courses[:15]))
    outline = {
        lessons: (course, _outline_enrollment(learner, course))
        for lessons, course in outline_courses.items()
    }
    from learners.progress import recount_progress

    # The enrollments made here (the small course's too) with their stored progress counted.
    recount_progress(Enrollment.objects.filter(user=learner))
    home = CatalogPage.objects.get().get_parent()
    bare_page = BarePage.objects.filter(slug="bench-bare").first()
    if bare_page is None:
        bare_page = home.add_child(
            instance=BarePage(
                title=big_lessons[0].title, slug="bench-bare", body=big_lessons[0].body.raw_data
            )
        )
    return Subjects(
        small_course=small_course,
        big_course=big_course,
        small_lesson=_middle(lessons_of[small_course_id]),
        big_lesson=_middle(big_lessons),
        learner=learner,
        completion_lesson=completion_lesson,
        completion_enrollment=completion_enrollment,
        certificate=certificate,
        cohort=cohort,
        trainer=User.objects.get(email="pelatih@bench.go.id"),
        hr_admin=hr_role.user,
        organization_id=hr_role.organization_id,
        bare_page=bare_page,
        supervisor=supervisor,
        learning_path=_bench_path(list(courses[:12]), learner),
        plan_pk=plan_pk,
        plan_items=plan_items,
        outline=outline,
    )


def _outline_enrollment(learner: User, course: CoursePage) -> LessonPage:
    """Enroll the measured learner in an outline course with its first half of lessons completed
    (once; kept in the data set) and return the lesson after them, the one measured."""
    from learners.progress import recount_progress

    lessons = list(LessonPage.objects.live().descendant_of(course).order_by("path"))
    current = lessons[len(lessons) // 2]
    enrollment, created = Enrollment.objects.get_or_create(
        user=learner,
        course=course,
        defaults={"status": Enrollment.Status.ACTIVE, "started_at": timezone.now()},
    )
    if created:
        now = timezone.now()
        LessonCompletion.objects.bulk_create(
            LessonCompletion(enrollment=enrollment, lesson=lesson, completed_at=now)
            for lesson in lessons[: len(lessons) // 2]
        )
        Enrollment.objects.filter(pk=enrollment.pk).update(last_lesson=current, last_visited_at=now)
        recount_progress(Enrollment.objects.filter(pk=enrollment.pk))
    return current


def _hr_targets(s: Subjects) -> list[Target]:
    """HR's drill-down on the staff member of the organization with the most development
    records (every one has dozens in a generated data set)."""
    from django.db.models import Count

    busiest = (
        DevelopmentRecord.objects.filter(owner__organization_id=s.organization_id)
        .values("owner")
        .annotate(records=Count("pk"))
        .order_by("-records", "owner")
        .first()
    )
    if busiest is None:
        return []
    return [
        Target(
            "compliance_person",
            f"HR: one staff member's JP ({busiest['records']} records)",
            f"/kepatuhan/{s.organization_id}/pegawai/{busiest['owner']}/",
            user=s.hr_admin,
        )
    ]


def targets_for(s: Subjects) -> list[Target]:
    catalog_url = CatalogPage.objects.get().url
    lesson_of = s.big_lesson.url

    def uncomplete():
        from learners.progress import recount_progress

        LessonCompletion.objects.filter(
            enrollment=s.completion_enrollment, lesson=s.completion_lesson
        ).delete()
        # The completion service keeps the stored progress; undo its count as well.
        recount_progress(Enrollment.objects.filter(pk=s.completion_enrollment.pk))

    # Terms and filters that match courses at every size: an empty result page is cheaper.
    filters = urlencode({"q": "pelatihan", "mode": "e_learning", "language": "id"})
    return [
        Target("bare_django", "Baseline: bare Django view (same bytes)", "/bench/bare/",
               kind="baseline"),
        Target("bare_wagtail", "Baseline: bare Wagtail page (same body)", s.bare_page.url,
               kind="baseline"),
        Target("home", "Home", "/"),
        Target("catalog", "Catalog", catalog_url),
        Target("catalog_search", "Catalog search with filters", f"{catalog_url}?{filters}"),
        Target("search", "Search", "/cari/?q=pelatihan+pelayanan"),
        Target("course_small", "Course, smallest (anonymous)", s.small_course.url),
        Target("course_large", "Course, largest (anonymous)", s.big_course.url),
        Target("lesson_small_anon", "Lesson, smallest course (anonymous)", s.small_lesson.url),
        Target("lesson_large_anon", "Lesson, largest course (anonymous)", lesson_of),
        Target("lesson_small", "Lesson, smallest course (enrolled)", s.small_lesson.url,
               user=s.learner),
        Target("lesson_large", "Lesson, largest course (enrolled)", lesson_of, user=s.learner),
        *[
            target
            for lessons, (course, lesson) in s.outline.items()
            for target in (
                Target(f"course_{lessons}", f"Course of {lessons:,} lessons (enrolled)",
                       course.url, user=s.learner),
                Target(f"lesson_{lessons}", f"Lesson, course of {lessons:,} lessons (enrolled)",
                       lesson.url, user=s.learner),
            )
        ],
        Target("lesson_complete", "Lesson completion (POST)",
               f"/pelajaran/{s.completion_lesson.pk}/selesai/", user=s.learner, method="POST",
               before_each=uncomplete, expect=302),
        Target("my_learning", "My learning", "/saya/", user=s.learner),
        Target("learning_path", "Learning path, 15 steps (follower)", s.learning_path.url,
               user=s.learner),
        Target("jp_ledger", "JP ledger (CSV)", "/saya/jp.csv", user=s.learner),
        Target("competency_profile", "Competency profile (12 competencies, every source)",
               "/saya/kompetensi/", user=s.learner),
        Target("development_plan", f"Development plan ({s.plan_items} activities)",
               f"/saya/rencana/{s.plan_pk}/", user=s.learner),
        Target("development_records", f"My development records ({s.records_size})",
               "/saya/pengembangan/", user=s.learner),
        Target("verification_queue", f"Verification queue ({s.queue_size} records, team of "
               f"{s.team_size})", "/saya/pengembangan/verifikasi/", user=s.supervisor),
        Target("team", f"Supervisor's team ({s.team_size} people)", "/saya/tim/",
               user=s.supervisor),
        Target("team_member", f"Team member ({s.member_records} records)",
               f"/saya/tim/{s.team_member.pk}/", user=s.supervisor),
        Target("certificate_verify", "Certificate verification",
               f"/sertifikat/{s.certificate.code}/"),
        Target("cohort", f"Trainer cohort page ({s.cohort_size} learners)",
               f"/pelatih/kelas/{s.cohort.pk}/", user=s.trainer),
        Target("compliance", f"Organization compliance ({s.staff_size} staff)",
               f"/kepatuhan/{s.organization_id}/", user=s.hr_admin),
        *_hr_targets(s),
        Target("api_enrollments", "API: my enrollments", "/api/v1/me/enrollments",
               user=s.learner, kind="api"),
        Target("api_jp", "API: my JP ledger", "/api/v1/me/jp", user=s.learner, kind="api"),
        Target("api_profile", "API: my competency profile", "/api/v1/me/profile",
               user=s.learner, kind="api"),
        Target("api_plan", "API: my development plan", "/api/v1/me/plan", user=s.learner,
               kind="api"),
        Target("api_development_records", "API: my development records",
               "/api/v1/me/development-records?page_size=100", user=s.learner, kind="api"),
        Target("api_verification_queue", "API: verification queue (supervisor)",
               "/api/v1/development-records/verification-queue?page_size=100",
               user=s.supervisor, kind="api"),
        Target("api_certificate", "API: certificate verification",
               f"/api/v1/certificates/{s.certificate.code}", kind="api"),
        Target("api_cohort", "API: cohort progress",
               f"/api/v1/cohorts/{s.cohort.pk}/progress", user=s.trainer, kind="api"),
        Target("api_compliance", "API: organization compliance",
               f"/api/v1/organizations/{s.organization_id}/compliance", user=s.hr_admin,
               kind="api"),
        Target("api_pages", "API: catalog pages (Wagtail API v2)",
               "/api/v2/pages/?type=courses.CoursePage&limit=20", kind="api"),
        Target("api_offline_small", "API: offline manifest, smallest course",
               f"/api/v1/pages/{s.small_course.pk}/offline?videos=include", user=s.learner,
               kind="api"),
        Target("api_offline_large", "API: offline manifest, largest course",
               f"/api/v1/pages/{s.big_course.pk}/offline?videos=include", user=s.learner,
               kind="api"),
    ]  # fmt: skip


def run(*, size: str, repeat: int, seed: int = 2026, out=print) -> Run:
    subjects = find_subjects()
    subjects.cohort_size = Enrollment.objects.filter(
        cohort_membership__cohort=subjects.cohort
    ).count()
    subjects.staff_size = User.objects.filter(organization_id=subjects.organization_id).count()
    subjects.team_size = User.objects.filter(
        supervisor=subjects.supervisor, supervisor_confirmed_at__isnull=False
    ).count()
    subjects.records_size = DevelopmentRecord.objects.filter(owner=subjects.learner).count()
    busiest = (
        User.objects.filter(supervisor=subjects.supervisor, supervisor_confirmed_at__isnull=False)
        .annotate(records=Count("development_records"))
        .order_by("-records", "pk")
        .first()
    )
    subjects.team_member = busiest
    subjects.member_records = busiest.records if busiest else 0
    subjects.queue_size = DevelopmentRecord.objects.filter(
        owner__supervisor=subjects.supervisor, status=DevelopmentRecord.Status.SUBMITTED
    ).count()
    requester = Requester()
    result = Run(
        size=size,
        database=connection.vendor,
        cpus=os.cpu_count() or 0,
        python=platform.python_version(),
        started_at=datetime.now().astimezone().isoformat(timespec="seconds"),
        repeat=repeat,
        seed=seed,
        data={
            "courses": CoursePage.objects.count(),
            "lessons": LessonPage.objects.count(),
            "learners": User.objects.count(),
            "completions": LessonCompletion.objects.count(),
            "smallest_course_lessons": LessonPage.objects.descendant_of(
                subjects.small_course
            ).count(),
            "largest_course_lessons": LessonPage.objects.descendant_of(subjects.big_course).count(),
            "cohort_learners": subjects.cohort_size,
            "organization_staff": subjects.staff_size,
            "development_records": DevelopmentRecord.objects.count(),
            "learner_records": subjects.records_size,
            "supervisor_team": subjects.team_size,
            "team_member_records": subjects.member_records,
            "verification_queue": subjects.queue_size,
        },
    )
    targets = targets_for(subjects)
    # The bare Django view answers with the enrolled lesson page's bytes.
    from bench import views

    views.BARE_BODY = requester(next(t for t in targets if t.key == "lesson_large"))[1]
    by_key: dict[str, Measurement] = {}
    for target in targets:
        started = time.monotonic()
        by_key[target.key] = prepare(requester, target)
        out(f"  {target.label:<52} {time.monotonic() - started:5.1f} s")
    bare = next(t for t in targets if t.key == budgets.BARE)
    others = [t for t in targets if t is not bare]
    started = time.monotonic()
    out(f"Timed: {repeat} shuffled rounds of {len(others)} targets, each beside a bare page…")
    samples = interleaved(requester, bare, others, repeat, seed)
    out(f"  {2 * repeat * len(others)} requests in {time.monotonic() - started:.1f} s")
    for target in targets:
        summarize(by_key[target.key], samples[target.key])
        result.measurements.append(by_key[target.key])
    for small, large in budgets.SCALE_PAIRS:
        small_cpu, large_cpu = by_key[small].cpu_median_ms, by_key[large].cpu_median_ms
        result.scale_ratios[large] = round(large_cpu / small_cpu, 2) if small_cpu else 0.0
        result.scale_queries[large] = [by_key[small].queries, by_key[large].queries]
    result.budget_failures = budgets.check(by_key)
    gates = budgets.ratio_gates(by_key, rounds=repeat, database=result.database)
    result.time_failures, result.goal_misses, result.goals_met = gates
    result.time_gated = repeat >= budgets.MIN_GATED_ROUNDS
    return result


def _kb(size: int) -> str:
    return f"{size / 1024:.1f}"


def markdown(result: Run) -> str:
    lines = [
        f"Size {result.size} on {result.database}, {result.cpus} CPUs, Python {result.python}, "
        f"{result.repeat} shuffled rounds (seed {result.seed}), every request beside a bare "
        f"Wagtail page ({result.started_at}).",
        "Data: " + ", ".join(f"{k.replace('_', ' ')} {v:,}" for k, v in result.data.items()) + ".",
        "",
        "| Page | Wall ms | p95 | CPU ms | p95 | × bare wall | × bare CPU | Queries | HTML KB "
        "| HTML gz KB | +CSS+JS gz KB |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for m in result.measurements:
        lines.append(
            f"| {m.label} | {m.median_ms:.1f} | {m.p95_ms:.1f} | {m.cpu_median_ms:.1f} "
            f"| {m.cpu_p95_ms:.1f} | {_times(m.ratio_wall)} | {_times(m.ratio_cpu)} "
            f"| {m.queries} | {_kb(m.html_bytes)} | {_kb(m.html_gz)} | {_kb(m.total_gz)} |"
        )
    lines.append("")
    for large, ratio in result.scale_ratios.items():
        small_queries, large_queries = result.scale_queries[large]
        lines.append(
            f"Same run, {large}: CPU time {ratio:.2f}× its smallest counterpart, "
            f"queries {small_queries} vs {large_queries}."
        )
    return "\n".join(lines)


def _times(ratio: float | None) -> str:
    return "–" if ratio is None else f"{ratio:.2f}"
