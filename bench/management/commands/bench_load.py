"""`make bench-load`: learners under concurrency on several app servers.

Two gunicorn servers (by default) on their own ports serve the project on PostgreSQL (with the
read replica when DATABASE_REPLICA_URL is set), with the task worker of the configured
TASKS_BACKEND beside them, while client threads act as learners spread over the servers:

- the **mix**: learners open lessons and complete them, now and then opening their learning page
  or searching the catalog; afterwards the database must hold every acknowledged completion
  exactly once, and every finished enrollment exactly one certificate;
- **lesson**: learners only read their course's lessons, one after another (the busiest page
  on a launch day);
- the **race**: two completions of the same enrollment arrive at the same moment on two different
  servers (the last two lessons of a course, or the same last lesson twice); each lesson must be
  completed once, the course once (one record, JP credited, one certificate).

The report gives throughput per server and in total, requests per second of server CPU (what one
busy core serves: the figure the README's capacity plan is derived from) and latency percentiles.

Sessions are created directly in the session store: signing in through the form would measure
the password hasher and trip the login rate limits, neither of which is the point here.
"""

import http.client
import json
import os
import random
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from importlib import import_module
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections
from django.middleware.csrf import _get_new_csrf_string

from courses.models import CatalogPage, CoursePage, LessonPage
from demo.scale import MARKER_PREFIX, scale_data_exists
from learners import services
from learners.models import Certificate, Enrollment, LearningRecord, LessonCompletion, User

# Relative weights: reading lessons ≫ completing them ≫ my learning ≫ catalog search.
ACTIONS = [("lesson", 60), ("complete", 25), ("my_learning", 10), ("catalog_search", 5)]
SCENARIOS = {"mix": ACTIONS, "lesson": [("lesson", 1)]}
SEARCHES = ["pelayanan", "analisis kebijakan", "etika", "data", "kepemimpinan"]
PERCENTILES = (50, 90, 95, 99)


@dataclass
class Learner:
    enrollment_id: int
    cookie: str
    lessons: list[tuple[int, str]]  # (id, url) in course order
    done: set[int] = field(default_factory=set)
    read: int = 0  # lessons read so far in the lesson-only scenario


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    per_server: Counter = field(default_factory=Counter)  # port -> answered requests
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    error_samples: dict[str, str] = field(default_factory=dict)
    acknowledged: set[tuple[int, int]] = field(default_factory=set)  # (enrollment, lesson)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, *, action: str, port: int, latency_ms: float, status: int, request: str):
        with self.lock:
            self.latencies[action].append(latency_ms)
            self.per_server[port] += 1
            if status == 0 or status >= 400:
                self.errors[action] += 1
                self.error_samples.setdefault(action, f"{request} → {status or 'no answer'}")


# Pure parts (tests/bench/test_load.py): figures and checks from plain data.


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (nearest rank) of `values`, which must not be empty."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))  # ceil without floats
    return ordered[min(len(ordered), int(rank)) - 1]


def latency_rows(latencies: dict[str, list[float]], errors: dict[str, int], order) -> list[dict]:
    """One row per action that ran, in `order`: requests, percentiles in ms, errors."""
    rows = []
    for action in order:
        values = latencies.get(action) or []
        if not values:
            continue
        rows.append(
            {
                "action": action,
                "requests": len(values),
                **{f"p{q}_ms": round(percentile(values, q), 1) for q in PERCENTILES},
                "errors": errors.get(action, 0),
            }
        )
    return rows


def server_rows(
    requests: dict[int, int], cpu_seconds: dict[int, float], elapsed: float, workers: int
) -> list[dict]:
    """Throughput of each server (by port) and in total: requests/s, per worker, and per second
    of the server's CPU (how many requests one fully busy core serves)."""
    rows = []
    for port in sorted(requests.keys() | cpu_seconds.keys()):
        count, cpu = requests.get(port, 0), cpu_seconds.get(port, 0.0)
        rows.append(_throughput(str(port), count, cpu, elapsed, workers))
    if len(rows) > 1:
        total_cpu = sum(cpu_seconds.values())
        rows.append(
            _throughput("total", sum(requests.values()), total_cpu, elapsed, workers * len(rows))
        )
    return rows


def _throughput(name: str, count: int, cpu: float, elapsed: float, workers: int) -> dict:
    return {
        "server": name,
        "requests": count,
        "rps": round(count / elapsed, 1) if elapsed else 0.0,
        "rps_per_worker": round(count / elapsed / workers, 1) if elapsed and workers else 0.0,
        "cpu_s": round(cpu, 1),
        "requests_per_cpu_s": round(count / cpu, 1) if cpu else None,
    }


def completion_checks(
    *,
    acknowledged: set[tuple[int, int]],
    rows: list[tuple[int, int]],
    fully_done: set[int],
    finished: set[int],
    certificates: dict[int, int],
) -> dict[str, tuple[bool, str]]:
    """The mix's integrity: completions (enrollment, lesson) acknowledged by the API against the
    rows stored, enrollments whose every lesson was acknowledged against those marked completed,
    and certificates per enrollment."""
    stored = set(rows)
    lost = acknowledged - stored
    unacknowledged = stored - acknowledged
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
            fully_done <= finished,
            f"{len(fully_done - finished)} of {len(fully_done)} not marked completed",
        ),
        "one certificate per finished enrollment": (
            all(certificates.get(pk) == 1 for pk in finished) and set(certificates) <= finished,
            f"{len(finished)} finished, {sum(certificates.values())} certificates",
        ),
    }


@dataclass
class RaceOutcome:
    """What the database holds for one raced enrollment, and how the racing requests ended."""

    lessons: list[int]  # every lesson of the course
    completion_rows: list[int]  # lesson ids of the stored completion rows (one per row)
    lesson_records: list[int]  # lesson ids of the "completed lesson" learning records
    course_records: int  # "completed course" learning records of this enrollment
    status: str
    jp_credited: Decimal | None
    course_jp: Decimal
    certificates: int
    certificate_enabled: bool
    answers: list[int]  # HTTP status of each racing request


def race_checks(outcomes: dict[int, RaceOutcome]) -> dict[str, tuple[bool, str]]:
    """Two completions of the same enrollment raced on two servers: each lesson completed once,
    the course once (one record, its JP credited, one certificate when it gives one)."""

    def failing(predicate) -> list[int]:
        return sorted(pk for pk, outcome in outcomes.items() if not predicate(outcome))

    def detail(bad: list[int], what: str) -> str:
        return f"{len(bad)} of {len(outcomes)} enrollments {what}" + (
            f" (e.g. {bad[0]})" if bad else ""
        )

    def one_each(ids: list[int], lessons: list[int]) -> bool:
        return sorted(ids) == sorted(lessons)

    checks = {
        "race: every racing request answered 2xx": lambda o: all(200 <= s < 300 for s in o.answers),
        "race: exactly one completion row per lesson": lambda o: one_each(
            o.completion_rows, o.lessons
        ),
        "race: exactly one lesson record per lesson": lambda o: one_each(
            o.lesson_records, o.lessons
        ),
        "race: enrollment completed once": lambda o: (
            o.status == Enrollment.Status.COMPLETED and o.course_records == 1
        ),
        "race: JP credited once": lambda o: o.jp_credited == o.course_jp and o.course_records == 1,
        "race: one certificate": lambda o: o.certificates == (1 if o.certificate_enabled else 0),
    }
    result = {}
    for name, predicate in checks.items():
        bad = failing(predicate)
        result[name] = (bool(outcomes) and not bad, detail(bad, "wrong"))
    return result


def report_lines(result: dict) -> list[str]:
    """The report of one run (the JSON `result` written beside it) as Markdown lines."""
    lines = [
        f"{result['servers']} gunicorn servers x {result['workers']} workers "
        f"({result['worker_class']}, {result['threads']} threads), {result['users']} client "
        f"threads, task backend {result['tasks_backend']}, replica "
        f"{'on' if result['replica'] else 'off'}; {result['cpus']} CPUs, load average "
        f"{result['load_before']} before.",
    ]
    for scenario in result["scenarios"]:
        lines += [
            "",
            f"### {scenario['name']}: {scenario['elapsed_s']} s, "
            f"{scenario['total_rps']} requests/s",
            "",
            "| Server | Requests | Requests/s | Per worker | Server CPU s | Requests/CPU s |",
            "| --- | ---: | ---: | ---: | ---: | ---: |",
            *(
                f"| {r['server']} | {r['requests']} | {r['rps']} | {r['rps_per_worker']} "
                f"| {r['cpu_s']} | {r['requests_per_cpu_s']} |"
                for r in scenario["servers"]
            ),
            "",
            "| Action | Requests | p50 ms | p90 ms | p95 ms | p99 ms | Errors |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
            *(
                f"| {r['action']} | {r['requests']} | {r['p50_ms']} | {r['p90_ms']} "
                f"| {r['p95_ms']} | {r['p99_ms']} | {r['errors']} |"
                for r in scenario["actions"]
            ),
        ]
        per_request = scenario["database_cpu_ms_per_request"]
        lines.append(
            "\nDatabase CPU: "
            + ", ".join(
                f"{alias} {seconds} s ({per_request[alias]} ms per request)"
                for alias, seconds in scenario["database_cpu_s"].items()
            )
            + "."
        )
        if scenario.get("replica_transactions") is not None:
            lines.append(
                f"\nTransactions: primary {scenario['primary_transactions']}, "
                f"replica {scenario['replica_transactions']}."
            )
        lines += [f"- error, e.g. {sample}" for sample in scenario["error_samples"]]
    lines.append("")
    lines += [
        f"- {'ok' if ok else 'FAILED'}: {name} ({detail})"
        for name, (ok, detail) in result["checks"].items()
    ]
    return lines


def failures(result: dict) -> list[str]:
    """Why the run fails: a broken integrity check or any failed request."""
    broken = [name for name, (ok, _detail) in result["checks"].items() if not ok]
    errors = sum(sum(r["errors"] for r in s["actions"]) for s in result["scenarios"])
    return broken + ([f"{errors} request errors"] if errors else [])


def worker_command(tasks_backend: str) -> list[str]:
    """The task worker for the configured backend (the database one or the Redis one)."""
    module, _dot, name = tasks_backend.rpartition(".")
    if name.lower().startswith("rq") or module.endswith("rq"):
        # Retries wait in rq's scheduled-job registry: the worker runs its scheduler.
        return ["manage.py", "rqworker", "default", "--with-scheduler"]
    return ["manage.py", "db_worker", "--interval", "1"]


# Processes


def _cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a process and its live children, from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # After the command name: state(0) ppid(1) … utime(11) stime(12).
        if int(entry.name) == pid or int(fields[1]) == pid:
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def _process_cpu(pid: int) -> float | None:
    """CPU time (user + system) of one process, None once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def backend_cpu(samples: list[dict[int, float]]) -> float:
    """CPU seconds spent by database backends over samples of {pid: cpu}, taken in order: each
    backend from its first sample to its last (one present from the start counts from there, one
    that appeared later from its beginning)."""
    if not samples:
        return 0.0
    first, last = {}, {}
    for sample in samples:
        for pid, cpu in sample.items():
            first.setdefault(pid, cpu if sample is samples[0] else 0.0)
            last[pid] = cpu
    return sum(last[pid] - first[pid] for pid in last)


class DatabaseCpu(threading.Thread):
    """Samples the CPU of this database's backends (primary and replica: PostgreSQL runs one
    process per connection, on this machine) twice a second, until stopped."""

    def __init__(self, aliases: list[str]):
        super().__init__(daemon=True)
        self.aliases = aliases
        self.samples: dict[str, list[dict[int, float]]] = {alias: [] for alias in aliases}
        self.stopped = threading.Event()

    def sample(self):
        for alias in self.aliases:
            with connections[alias].cursor() as cursor:
                cursor.execute(
                    "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                )
                pids = [row[0] for row in cursor.fetchall()]
            cpu = {pid: _process_cpu(pid) for pid in pids}
            self.samples[alias].append({pid: v for pid, v in cpu.items() if v is not None})

    def run(self):
        try:
            while not self.stopped.wait(0.5):
                self.sample()
            self.sample()
        finally:
            for alias in self.aliases:
                connections[alias].close()

    def stop(self) -> dict[str, float]:
        self.stopped.set()
        self.join()
        return {alias: round(backend_cpu(samples), 1) for alias, samples in self.samples.items()}


def _transactions(alias: str) -> int | None:
    """Committed transactions of this database so far (pg_stat_database), or None."""
    if alias not in connections.databases:
        return None
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()"
        )
        return cursor.fetchone()[0]


class Command(BaseCommand):
    help = (
        "Concurrent learners against two gunicorn servers on PostgreSQL; checks nothing was lost."
    )

    def add_arguments(self, parser):
        parser.add_argument("--servers", type=int, default=2, help="gunicorn servers (ports)")
        parser.add_argument("--workers", type=int, default=2, help="workers per server")
        parser.add_argument("--worker-class", default="gthread", choices=["sync", "gthread"])
        parser.add_argument("--threads", type=int, default=4, help="threads per gthread worker")
        parser.add_argument("--users", type=int, default=16, help="concurrent client threads")
        parser.add_argument("--duration", type=int, default=60, help="seconds per scenario")
        parser.add_argument(
            "--scenarios", default="mix,lesson", help="comma-separated: mix, lesson"
        )
        parser.add_argument(
            "--warmup", type=int, default=5, help="seconds of unmeasured lesson reading first"
        )
        parser.add_argument("--race", type=int, default=20, help="enrollments raced (0: none)")
        parser.add_argument("--learners-per-user", type=int, default=4)
        parser.add_argument("--port", type=int, default=8790, help="first server's port")
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError(
                "The concurrency benchmark runs on PostgreSQL: set DATABASE_URL=postgres://…"
            )
        if not scale_data_exists():
            raise CommandError("No generated data here: run `make bench-data` on it first.")
        scenarios = [name.strip() for name in options["scenarios"].split(",") if name.strip()]
        if unknown := set(scenarios) - SCENARIOS.keys():
            raise CommandError(f"Unknown scenario: {', '.join(sorted(unknown))}.")
        rng = random.Random(options["seed"])  # noqa: S311 - load pattern, not secrets
        ports = [options["port"] + n for n in range(options["servers"])]
        tasks_backend = settings.TASKS["default"]["BACKEND"]
        result = {
            "started_at": datetime.now().astimezone().isoformat(timespec="seconds"),
            "database": connection.vendor,
            "cpus": os.cpu_count(),
            "load_before": round(os.getloadavg()[0], 2),
            "servers": len(ports),
            "workers": options["workers"],
            "worker_class": options["worker_class"],
            "threads": options["threads"] if options["worker_class"] == "gthread" else 1,
            "users": options["users"],
            "duration": options["duration"],
            "tasks_backend": tasks_backend,
            "replica": "replica" in connections.databases,
            "scenarios": [],
            "checks": {},
        }
        processes = self.start(ports, options, tasks_backend)
        try:
            servers = dict(zip(ports, processes, strict=False))
            for number, name in enumerate(scenarios):
                learners = self.prepare(options["users"] * options["learners_per_user"], rng)
                if number == 0 and options["warmup"]:
                    # Every worker loads its templates and code before anything is measured.
                    self.run("lesson", learners, servers, options, duration=options["warmup"])
                scenario, tally = self.run(name, learners, servers, options)
                result["scenarios"].append(scenario)
                if name == "mix":
                    result["checks"].update(self.verify(learners, tally))
            if options["race"]:
                result["checks"].update(self.race(options["race"], ports, rng))
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                process.wait(timeout=30)
        self.stdout.write("\n".join(report_lines(result)))
        self.write(result)
        if broken := failures(result):
            raise CommandError(f"Failed: {', '.join(broken)}.")

    def start(self, ports: list[int], options, tasks_backend: str) -> list[subprocess.Popen]:
        """The servers (one per port, bench.wsgi as production serves it) and the task worker."""
        gunicorn = [sys.executable, "-m", "gunicorn", "bench.wsgi", "--workers",
                    str(options["workers"]), "--worker-class", options["worker_class"],
                    "--threads", str(options["threads"]), "--log-level", "warning"]  # fmt: skip
        processes = [
            subprocess.Popen([*gunicorn, "--bind", f"127.0.0.1:{port}"])  # noqa: S603
            for port in ports
        ]
        processes.append(
            subprocess.Popen(  # noqa: S603 - fixed argument list
                [sys.executable, *worker_command(tasks_backend)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        for port in ports:
            for _ in range(150):
                try:
                    probe = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                    probe.request("GET", "/healthz")
                    if probe.getresponse().status == 200:
                        break
                except OSError:
                    pass
                time.sleep(0.2)
            else:
                for process in processes:
                    process.terminate()
                raise CommandError(f"gunicorn on port {port} did not answer /healthz in 30 s.")
        if processes[-1].poll() is not None:
            raise CommandError(f"The task worker ({tasks_backend}) did not start.")
        return processes

    def prepare(self, count: int, rng: random.Random) -> list[Learner]:
        """`count` learners, each newly enrolled in a regular (12-lesson) generated course."""
        courses = list(
            CoursePage.objects.live()
            .filter(provider__slug__startswith=MARKER_PREFIX, enrollment_policy="open")
            .order_by("pk")
        )
        lessons = {}
        for course in rng.sample(courses, len(courses)):
            rows = list(LessonPage.objects.live().descendant_of(course).order_by("path"))
            if 2 <= len(rows) <= 20 and all(r.specific_class is LessonPage for r in rows):
                lessons[course.pk] = [(lesson.pk, lesson.url) for lesson in rows]
            if len(lessons) == 20:
                break
        taken = set(
            Enrollment.objects.filter(course_id__in=lessons).values_list("user_id", "course_id")
        )
        candidates = User.objects.filter(
            email__endswith="@bench.lentera.id", is_active=True
        ).order_by("?")
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
            taken.add((user.pk, course_id))
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

    def run(self, name: str, learners: list[Learner], servers: dict, options, duration=None):
        """One scenario: client threads spread evenly over the servers until the deadline."""
        tally = Tally()
        per_user = options["learners_per_user"]
        ports = list(servers)
        cpu_before = {port: _cpu_seconds(process.pid) for port, process in servers.items()}
        primary_before, replica_before = _transactions("default"), _transactions("replica")
        database_cpu = DatabaseCpu(
            [a for a in ("default", "replica") if a in connections.databases]
        )
        database_cpu.start()
        started = time.monotonic()
        threads = [
            threading.Thread(
                target=self.act,
                args=(
                    SCENARIOS[name],
                    learners[n * per_user : (n + 1) * per_user],
                    ports[n % len(ports)],
                    started + (duration or options["duration"]),
                    tally,
                    random.Random(options["seed"] + n),  # noqa: S311
                ),
            )
            for n in range(options["users"])
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        database_seconds = database_cpu.stop()
        cpu = {port: _cpu_seconds(process.pid) - cpu_before[port] for port, process in
               servers.items()}  # fmt: skip
        rows = server_rows(tally.per_server, cpu, elapsed, options["workers"])
        scenario = {
            "name": name,
            "elapsed_s": round(elapsed, 1),
            "total_rps": rows[-1]["rps"],
            "servers": rows,
            "actions": latency_rows(tally.latencies, tally.errors, [a for a, _w in ACTIONS]),
            "error_samples": list(tally.error_samples.values()),
            # Database CPU per request: what the capacity plan sizes the database from.
            "database_cpu_s": database_seconds,
            "database_cpu_ms_per_request": {
                alias: round(1000 * seconds / rows[-1]["requests"], 2)
                if rows[-1]["requests"]
                else None
                for alias, seconds in database_seconds.items()
            },
            "primary_transactions": None,
            "replica_transactions": None,
        }
        if replica_before is not None:
            scenario["primary_transactions"] = _transactions("default") - primary_before
            scenario["replica_transactions"] = _transactions("replica") - replica_before
        return scenario, tally

    def act(self, actions, learners, port, deadline, tally: Tally, rng: random.Random):
        csrf = _get_new_csrf_string()
        client = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        catalog = CatalogPage.objects.values_list("url_path", flat=True).first()
        names, weights = zip(*actions, strict=True)
        current = 0
        while time.monotonic() < deadline and current < len(learners):
            learner = learners[current]
            action = rng.choices(names, weights)[0]
            headers = {"Cookie": f"{learner.cookie}; {settings.CSRF_COOKIE_NAME}={csrf}"}
            body = None
            todo = [lesson for lesson in learner.lessons if lesson[0] not in learner.done]
            if action == "lesson" and len(actions) == 1:
                # Reading only: each learner reads the course through, the next one takes over.
                method, path = "GET", learner.lessons[learner.read % len(learner.lessons)][1]
                learner.read += 1
                if learner.read % len(learner.lessons) == 0:
                    current = (current + 1) % len(learners)
            elif action == "lesson":
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
            status, latency = _request(client, method, path, body, headers)
            tally.record(
                action=action, port=port, latency_ms=latency, status=status,
                request=f"{method} {path}",
            )  # fmt: skip
            if action == "complete" and status in (200, 201):
                with tally.lock:
                    tally.acknowledged.add((learner.enrollment_id, lesson_id))
                learner.done.add(lesson_id)
                if len(learner.done) == len(learner.lessons):
                    current += 1  # course finished: the next learner takes over
        client.close()

    def verify(self, learners: list[Learner], tally: Tally) -> dict[str, tuple[bool, str]]:
        ids = [learner.enrollment_id for learner in learners]
        certificates = Counter(
            Certificate.objects.filter(enrollment_id__in=ids).values_list(
                "enrollment_id", flat=True
            )
        )
        return completion_checks(
            acknowledged=tally.acknowledged,
            rows=list(
                LessonCompletion.objects.filter(enrollment_id__in=ids).values_list(
                    "enrollment_id", "lesson_id"
                )
            ),
            fully_done={
                learner.enrollment_id
                for learner in learners
                if learner.done and len(learner.done) == len(learner.lessons)
            },
            finished=set(
                Enrollment.objects.filter(
                    pk__in=ids, status=Enrollment.Status.COMPLETED
                ).values_list("pk", flat=True)
            ),
            certificates=dict(certificates),
        )

    def race(self, count: int, ports: list[int], rng) -> dict[str, tuple[bool, str]]:
        """`count` enrollments finished by two completions at once on two servers: half by the
        last two lessons, half by the same last lesson twice (each with its own event id)."""
        learners = self.prepare(count, rng)
        csrf = _get_new_csrf_string()
        # Every lesson but the last two is completed first, one request at a time.
        for learner in learners:
            client = http.client.HTTPConnection("127.0.0.1", ports[0], timeout=30)
            for lesson_id, _url in learner.lessons[:-2]:
                status, _ms = _request(client, *_completion(learner, lesson_id, csrf))
                if status not in (200, 201):
                    raise CommandError(f"Preparing the race: completion answered {status}.")
            client.close()
        answers: dict[int, list[int]] = defaultdict(list)
        for n, learner in enumerate(learners):
            last_two = [lesson_id for lesson_id, _url in learner.lessons[-2:]]
            targets = last_two if n % 2 == 0 else [last_two[1], last_two[1]]
            if n % 2:
                # The same lesson twice: the one left before it is completed beforehand.
                client = http.client.HTTPConnection("127.0.0.1", ports[0], timeout=30)
                _request(client, *_completion(learner, last_two[0], csrf))
                client.close()
            barrier = threading.Barrier(2)
            clients = [
                http.client.HTTPConnection("127.0.0.1", ports[i % len(ports)], timeout=30)
                for i in range(2)
            ]
            for client in clients:
                client.connect()

            def fire(i, learner=learner, targets=targets, barrier=barrier, clients=clients):
                request = _completion(learner, targets[i], csrf)
                barrier.wait()
                status, _ms = _request(clients[i], *request)
                answers[learner.enrollment_id].append(status)

            racers = [threading.Thread(target=fire, args=(i,)) for i in range(2)]
            for racer in racers:
                racer.start()
            for racer in racers:
                racer.join()
            for client in clients:
                client.close()
        return race_checks(self.race_outcomes(learners, answers))

    def race_outcomes(self, learners: list[Learner], answers) -> dict[int, RaceOutcome]:
        ids = [learner.enrollment_id for learner in learners]
        enrollments = Enrollment.objects.select_related("course").in_bulk(ids)
        completions = defaultdict(list)
        for enrollment_id, lesson_id in LessonCompletion.objects.filter(
            enrollment_id__in=ids
        ).values_list("enrollment_id", "lesson_id"):
            completions[enrollment_id].append(lesson_id)
        lesson_records, course_records = defaultdict(list), Counter()
        for verb, object_id, result in LearningRecord.objects.filter(
            verb__in=[LearningRecord.Verb.LESSON_COMPLETED, LearningRecord.Verb.COURSE_COMPLETED],
            result__enrollment_id__in=ids,
        ).values_list("verb", "object_id", "result"):
            if verb == LearningRecord.Verb.COURSE_COMPLETED:
                course_records[result["enrollment_id"]] += 1
            else:
                lesson_records[result["enrollment_id"]].append(int(object_id))
        certificates = Counter(
            Certificate.objects.filter(enrollment_id__in=ids).values_list(
                "enrollment_id", flat=True
            )
        )
        return {
            learner.enrollment_id: RaceOutcome(
                lessons=[lesson_id for lesson_id, _url in learner.lessons],
                completion_rows=completions[learner.enrollment_id],
                lesson_records=lesson_records[learner.enrollment_id],
                course_records=course_records[learner.enrollment_id],
                status=enrollments[learner.enrollment_id].status,
                jp_credited=enrollments[learner.enrollment_id].jp_credited,
                course_jp=enrollments[learner.enrollment_id].course.jp,
                certificates=certificates[learner.enrollment_id],
                certificate_enabled=enrollments[learner.enrollment_id].course.certificate_enabled,
                answers=answers[learner.enrollment_id],
            )
            for learner in learners
        }

    def write(self, result: dict):
        stamp = result["started_at"][:19].replace(":", "")
        path = (
            Path(settings.BASE_DIR)
            / "bench"
            / "results"
            / f"load-{result['database']}-{stamp}.json"
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        saved = {**result, "checks": {name: ok for name, (ok, _d) in result["checks"].items()}}
        path.write_text(json.dumps(saved, indent=2, default=str) + "\n")
        self.stdout.write(f"\nResults: {path}")


def _completion(learner: Learner, lesson_id: int, csrf: str):
    """The completion request of one lesson: method, path, body, headers."""
    headers = {
        "Cookie": f"{learner.cookie}; {settings.CSRF_COOKIE_NAME}={csrf}",
        "X-CSRFToken": csrf,
        "Content-Type": "application/json",
    }
    body = json.dumps({"event_id": str(uuid.uuid4())}).encode()
    return "POST", f"/api/v1/lessons/{lesson_id}/completion", body, headers


def _request(client: http.client.HTTPConnection, method, path, body, headers):
    """Send one request: its status (0 when none came) and its latency in ms."""
    started = time.perf_counter()
    try:
        client.request(method, path, body=body, headers=headers)
        response = client.getresponse()
        response.read()
        status = response.status
    except (OSError, http.client.HTTPException):
        status = 0
        client.close()
    return status, (time.perf_counter() - started) * 1000


def _site_path(url_path: str) -> str:
    """The public path of a page from its url_path (the site root's own segment dropped)."""
    return "/" + url_path.strip("/").split("/", 1)[-1] + "/"
