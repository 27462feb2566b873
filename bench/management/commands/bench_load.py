"""`make bench-load`: learners under concurrency. gunicorn serves the project on PostgreSQL (the
task worker beside it), while client threads act as learners who open lessons and complete
them, now and then opening their learning page or searching the catalog. Afterwards the
database must hold every acknowledged completion exactly once, and every finished enrollment
exactly one certificate.

Sessions are created directly in the session store: signing in through the form would measure
the password hasher and trip the login rate limits, neither of which is the point here.
"""

import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from importlib import import_module
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count
from django.middleware.csrf import _get_new_csrf_string

from courses.models import CatalogPage, CoursePage, LessonPage
from demo.scale import MARKER_PREFIX, scale_data_exists
from learners import services
from learners.models import Certificate, Enrollment, LessonCompletion, User

# Relative weights: reading lessons ≫ completing them ≫ my learning ≫ catalog search.
ACTIONS = [("lesson", 60), ("complete", 25), ("my_learning", 10), ("catalog_search", 5)]
SEARCHES = ["pelayanan", "analisis kebijakan", "etika", "data", "kepemimpinan"]


@dataclass
class Learner:
    enrollment_id: int
    cookie: str
    lessons: list[tuple[int, str]]  # (id, url) in course order
    done: set[int] = field(default_factory=set)


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    error_samples: dict[str, str] = field(default_factory=dict)
    acknowledged: set[tuple[int, int]] = field(default_factory=set)  # (enrollment, lesson)
    lock: threading.Lock = field(default_factory=threading.Lock)


class Command(BaseCommand):
    help = "Concurrent learners against gunicorn on PostgreSQL; checks nothing was lost."

    def add_arguments(self, parser):
        parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
        parser.add_argument("--users", type=int, default=16, help="concurrent client threads")
        parser.add_argument("--duration", type=int, default=60, help="seconds of load")
        parser.add_argument("--learners-per-user", type=int, default=4)
        parser.add_argument("--port", type=int, default=8790)
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args, workers, users, duration, learners_per_user, port, seed, **options):
        if connection.vendor != "postgresql":
            raise CommandError(
                "The concurrency benchmark runs on PostgreSQL: set DATABASE_URL=postgres://…"
            )
        if not scale_data_exists():
            raise CommandError("No generated data here: run `make bench SIZE=…` on it first.")
        rng = random.Random(seed)  # noqa: S311 - load pattern, not secrets
        learners = self.prepare(users * learners_per_user, rng)
        self.stdout.write(f"{len(learners)} learners, each with a fresh 12-lesson enrollment.")
        server, worker = self.start(workers, port)
        tally = Tally()
        try:
            started = time.monotonic()
            threads = [
                threading.Thread(
                    target=self.act,
                    args=(
                        learners[n * learners_per_user : (n + 1) * learners_per_user],
                        port,
                        started + duration,
                        tally,
                        random.Random(seed + n),  # noqa: S311
                    ),
                )
                for n in range(users)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.monotonic() - started
        finally:
            for process in (server, worker):
                process.terminate()
            for process in (server, worker):
                process.wait(timeout=30)
        checks = self.verify(learners, tally)
        self.report(tally, elapsed, checks, workers=workers, users=users, duration=duration)
        failures = [name for name, (ok, _detail) in checks.items() if not ok]
        if failures or sum(tally.errors.values()):
            raise CommandError(f"Failed: {', '.join(failures) or 'request errors'}.")

    def prepare(self, count: int, rng: random.Random) -> list[Learner]:
        """`count` learners, each newly enrolled in a regular (12-lesson) generated course."""
        courses = list(
            CoursePage.objects.live()
            .filter(provider__slug__startswith=MARKER_PREFIX, enrollment_policy="open")
            .order_by("pk")
        )
        lessons = {
            course.pk: [
                (lesson.pk, lesson.url)
                for lesson in LessonPage.objects.live().descendant_of(course).order_by("path")
            ]
            for course in rng.sample(courses, min(len(courses), 20))
        }
        taken = set(
            Enrollment.objects.filter(course_id__in=lessons).values_list("user_id", "course_id")
        )
        candidates = User.objects.filter(
            email__endswith="@bench.lentera.id", is_active=True
        ).order_by("-pk")
        session_store = import_module(settings.SESSION_ENGINE).SessionStore
        learners = []
        for user in candidates.iterator():
            free = [course_id for course_id in lessons if (user.pk, course_id) not in taken]
            if not free:
                continue
            course_id = rng.choice(free)
            enrollment, _created = services.enrollment_create(
                user=user, course=CoursePage.objects.get(pk=course_id)
            )
            if enrollment.status != Enrollment.Status.ACTIVE:
                continue
            session = session_store()
            session[SESSION_KEY] = str(user.pk)
            session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            session.create()
            learners.append(
                Learner(
                    enrollment_id=enrollment.pk,
                    cookie=f"{settings.SESSION_COOKIE_NAME}={session.session_key}",
                    lessons=lessons[course_id],
                )
            )
            if len(learners) == count:
                return learners
        raise CommandError("Not enough learners without these courses left: generate a new set.")

    def start(self, workers: int, port: int):
        server = subprocess.Popen(  # noqa: S603 - fixed argument list
            [
                sys.executable, "-m", "gunicorn", "lentera.wsgi", "--workers", str(workers),
                "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
            ]
        )  # fmt: skip
        worker = subprocess.Popen(  # noqa: S603
            [sys.executable, "manage.py", "db_worker", "--interval", "1"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(100):
            try:
                connection_ = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                connection_.request("GET", "/healthz")
                if connection_.getresponse().status == 200:
                    return server, worker
            except OSError:
                time.sleep(0.2)
        server.terminate()
        worker.terminate()
        raise CommandError("gunicorn did not answer /healthz within 20 s.")

    def act(self, learners, port, deadline, tally: Tally, rng: random.Random):
        csrf = _get_new_csrf_string()
        client = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        catalog = CatalogPage.objects.values_list("url_path", flat=True).first()
        names, weights = zip(*ACTIONS, strict=True)
        current = 0
        while time.monotonic() < deadline and current < len(learners):
            learner = learners[current]
            action = rng.choices(names, weights)[0]
            headers = {"Cookie": f"{learner.cookie}; {settings.CSRF_COOKIE_NAME}={csrf}"}
            body = None
            todo = [lesson for lesson in learner.lessons if lesson[0] not in learner.done]
            if action == "lesson":
                method, path = "GET", (todo or learner.lessons)[0][1]
            elif action == "complete":
                lesson_id = todo[0][0]
                method, path = "POST", f"/api/v1/lessons/{lesson_id}/completion"
                headers["X-CSRFToken"] = csrf
                headers["Content-Type"] = "application/json"
                # A fresh event id per attempt: the API's way to make a retried request safe.
                body = json.dumps({"event_id": str(uuid.uuid4())}).encode()
            elif action == "my_learning":
                method, path = "GET", "/saya/"
            else:
                method, path = (
                    "GET",
                    f"{_site_path(catalog)}?{urlencode({'q': rng.choice(SEARCHES)})}",
                )
            started = time.perf_counter()
            try:
                client.request(method, path, body=body, headers=headers)
                response = client.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                status = 0
                client.close()
            latency = (time.perf_counter() - started) * 1000
            with tally.lock:
                tally.latencies[action].append(latency)
                if status == 0 or status >= 400:
                    tally.errors[action] += 1
                    tally.error_samples.setdefault(
                        action, f"{method} {path} → {status or 'no answer'}"
                    )
                elif action == "complete":
                    tally.acknowledged.add((learner.enrollment_id, lesson_id))
            if action == "complete" and status in (200, 201):
                learner.done.add(lesson_id)
                if len(learner.done) == len(learner.lessons):
                    current += 1  # course finished: the next learner takes over

    def verify(self, learners: list[Learner], tally: Tally) -> dict[str, tuple[bool, str]]:
        ids = [learner.enrollment_id for learner in learners]
        rows = list(
            LessonCompletion.objects.filter(enrollment_id__in=ids).values_list(
                "enrollment_id", "lesson_id"
            )
        )
        stored = set(rows)
        lost = tally.acknowledged - stored
        unacknowledged = stored - tally.acknowledged
        finished = Enrollment.objects.filter(pk__in=ids, status=Enrollment.Status.COMPLETED)
        certificates = dict(
            Certificate.objects.filter(enrollment_id__in=ids)
            .values_list("enrollment_id")
            .annotate(n=Count("pk"))
        )
        finished_ids = set(finished.values_list("pk", flat=True))
        fully_done = {learner.enrollment_id for learner in learners if learner.done and len(
            learner.done) == len(learner.lessons)}  # fmt: skip
        return {
            "no completion lost": (not lost, f"{len(lost)} acknowledged but missing"),
            "no completion duplicated": (
                len(rows) == len(stored),
                f"{len(rows) - len(stored)} duplicate rows",
            ),
            "no completion stored unacknowledged": (
                not unacknowledged,
                f"{len(unacknowledged)} stored without a 2xx answer",
            ),
            "every finished course is completed": (
                fully_done <= finished_ids,
                f"{len(fully_done - finished_ids)} of {len(fully_done)} not marked completed",
            ),
            "one certificate per finished enrollment": (
                all(certificates.get(pk) == 1 for pk in finished_ids)
                and set(certificates) <= finished_ids,
                f"{len(finished_ids)} finished, {sum(certificates.values())} certificates",
            ),
        }

    def report(self, tally: Tally, elapsed: float, checks, **params):
        total = sum(len(values) for values in tally.latencies.values())
        rows = []
        for action, _weight in ACTIONS:
            values = sorted(tally.latencies.get(action, []))
            if not values:
                continue
            rows.append(
                {
                    "action": action,
                    "requests": len(values),
                    "p50_ms": round(statistics.median(values), 1),
                    "p95_ms": round(values[min(len(values) - 1, int(0.95 * len(values)))], 1),
                    "errors": tally.errors.get(action, 0),
                }
            )
        lines = [
            f"gunicorn {params['workers']} workers, {params['users']} concurrent learners, "
            f"{elapsed:.0f} s on {connection.vendor}; {total} requests, "
            f"{total / elapsed:.1f} requests/s.",
            "",
            "| Action | Requests | p50 ms | p95 ms | Errors |",
            "| --- | ---: | ---: | ---: | ---: |",
            *(
                f"| {r['action']} | {r['requests']} | {r['p50_ms']} | {r['p95_ms']} "
                f"| {r['errors']} |"
                for r in rows
            ),
            "",
            *(f"- error, e.g. {sample}" for sample in tally.error_samples.values()),
            *(f"- {'ok' if ok else 'FAILED'}: {name} ({detail})" for name, (ok, detail) in
              checks.items()),
        ]  # fmt: skip
        self.stdout.write("\n".join(lines))
        stamp = datetime.now().astimezone().isoformat(timespec="seconds")
        path = Path(settings.BASE_DIR) / "bench" / "results" / (
            f"load-{connection.vendor}-{stamp[:19].replace(':', '')}.json"
        )  # fmt: skip
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(
            json.dumps(
                {
                    "started_at": stamp,
                    "database": connection.vendor,
                    "cpus": os.cpu_count(),
                    **params,
                    "elapsed_s": round(elapsed, 1),
                    "requests": total,
                    "throughput_rps": round(total / elapsed, 1),
                    "actions": rows,
                    "checks": {name: ok for name, (ok, _detail) in checks.items()},
                },
                indent=2,
            )
            + "\n"
        )
        self.stdout.write(f"\nResults: {path}")


def _site_path(url_path: str) -> str:
    """The public path of a page from its url_path (the site root's own segment dropped)."""
    return "/" + url_path.strip("/").split("/", 1)[-1] + "/"
