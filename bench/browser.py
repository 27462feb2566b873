"""The browser benchmark (`make bench-browser`, issue 17): what a phone on a slow link gets.

gunicorn serves the generated data set with `lentera.settings.bench` (debug off, static files
collected and served by whitenoise, media beside them: `bench.wsgi`). Debian's Chromium, driven by
Playwright, then measures:

- the enrolled learner's lesson page in a fresh browser (first visit) and again in the same
  browser once the service worker is active (repeat visit): the bytes that crossed the network.
  Two independent counts, the larger gated: what the server sent down the TCP connections (a
  counting relay between Chromium and gunicorn: every target, headers included) and DevTools'
  own figures (`Network.loadingFinished.encodedDataLength` of the page's requests that neither a
  cache nor the service worker answered, plus the service worker's own requests);
- time to lesson text under DevTools network emulation (400 kbit/s each way, 800 ms round trip)
  for the lesson page and for the bare Wagtail page (the same body in a minimal template), in
  interleaved rounds, each in a fresh browser context: the time from the start of navigation to
  the first frame that shows the `<h1>` and the first paragraph of the text, with every
  stylesheet applied;
- Lighthouse's mobile performance score (the npm package pinned in bench/lighthouse/) on home,
  catalog, course and lesson.
"""

import asyncio
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from django.conf import settings

from bench import browser_budgets as budgets
from bench.pages import Requester, Subjects, find_subjects
from courses.models import CatalogPage

CHROMIUM = os.environ.get("LENTERA_CHROMIUM", "/usr/bin/chromium")
LIGHTHOUSE_DIR = Path(__file__).resolve().parent / "lighthouse"
LIGHTHOUSE = LIGHTHOUSE_DIR / "node_modules" / ".bin" / "lighthouse"
# Lighthouse's mobile screen (a Moto G Power), so the byte counts see the same images.
PHONE = {
    "viewport": {"width": 412, "height": 823},
    "device_scale_factor": 1.75,
    "is_mobile": True,
    "has_touch": True,
    "locale": "id-ID",
}
# Set before the page's own scripts run: the first frame where the title and the text's first
# paragraph are laid out with every stylesheet applied (a frame is not painted before the
# render-blocking stylesheets have arrived). performance.now() counts from navigation start.
TEXT_PROBE = """
(() => {
  const shown = (el) => {
    if (!el) return false;
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && getComputedStyle(el).visibility !== "hidden";
  };
  const styled = () => [...document.querySelectorAll('link[rel~="stylesheet"]')]
    .every((link) => link.sheet !== null);
  const check = () => {
    const title = document.querySelector("main h1");
    const text = document.querySelector(window.__lenteraTextSelector || "main p");
    if (shown(title) && shown(text) && styled()) {
      requestAnimationFrame(() => { window.__lenteraTextAt = performance.now(); });
    } else {
      requestAnimationFrame(check);
    }
  };
  requestAnimationFrame(check);
})();
"""
# The first paragraph of the lesson's own text (its StreamField body), not the "Lesson 3 of 8"
# line above the title; the bare page renders the body straight into <main>.
LESSON_TEXT = ".stream p"
BARE_TEXT = "main p"


@dataclass
class Transfer:
    url: str
    kind: str  # Document, Stylesheet, Script, Image, Fetch… (DevTools' resource type)
    by: str  # "page", or "service worker" for what the page itself did not ask for
    status: int
    bytes: int  # the page's: encodedDataLength (headers and body); else the body as sent


@dataclass
class Visit:
    wire_bytes: int  # what gunicorn's side of the relay sent to Chromium
    devtools_bytes: int  # encodedDataLength of the page's requests that went to the network
    service_worker: bool  # a service worker controlled the page
    transfers: list[Transfer] = field(default_factory=list)
    answered_locally: list[str] = field(default_factory=list)  # by the SW or the HTTP cache

    @property
    def bytes(self) -> int:
        return max(self.wire_bytes, self.devtools_bytes)


@dataclass
class TextTiming:
    key: str
    label: str
    url: str
    rounds_ms: list[float] = field(default_factory=list)
    median_ms: float = 0.0


@dataclass
class LighthouseResult:
    key: str
    label: str
    url: str
    scores: list[float] = field(default_factory=list)
    score: float | None = None  # the median run's
    metrics: dict[str, float] = field(default_factory=dict)  # the median run's, ms or unitless
    total_byte_weight: int = 0


@dataclass
class BrowserRun:
    size: str
    started_at: str
    chromium: str
    lighthouse_version: str
    cpus: int
    slow_link: dict
    first_visit: Visit | None = None
    repeat_visit: Visit | None = None
    text: list[TextTiming] = field(default_factory=list)
    text_ratio: float | None = None
    lighthouse: list[LighthouseResult] = field(default_factory=list)
    budget_failures: list[str] = field(default_factory=list)
    goal_misses: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        payload = asdict(self)
        for key in ("first_visit", "repeat_visit"):
            visit = getattr(self, key)
            if visit is not None:
                payload[key]["bytes"] = visit.bytes
        return payload


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class ByteRelay:
    """A TCP relay in front of gunicorn that counts the bytes sent to the browser: the network's
    own view of a visit, whichever browser target (page, service worker) asked."""

    def __init__(self, upstream_port: int):
        self.upstream_port = upstream_port
        self.port = free_port()
        self._down = 0
        self._lock = threading.Lock()
        self._ready = threading.Event()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self._thread.start()
        self._ready.wait(10)
        return self

    def __exit__(self, *exc):
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)

    def take(self) -> int:
        """The bytes sent to the browser since the last call."""
        with self._lock:
            down, self._down = self._down, 0
        return down

    def _run(self):
        asyncio.set_event_loop(self._loop)
        self._loop.run_until_complete(asyncio.start_server(self._serve, "127.0.0.1", self.port))
        self._ready.set()
        self._loop.run_forever()

    async def _serve(self, client_reader, client_writer):
        try:
            upstream_reader, upstream_writer = await asyncio.open_connection(
                "127.0.0.1", self.upstream_port
            )
        except OSError:
            client_writer.close()
            return
        await asyncio.gather(
            self._pipe(client_reader, upstream_writer, count=False),
            self._pipe(upstream_reader, client_writer, count=True),
        )

    async def _pipe(self, reader, writer, *, count: bool):
        try:
            while chunk := await reader.read(65536):
                if count:
                    with self._lock:
                        self._down += len(chunk)
                writer.write(chunk)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            writer.close()


@contextmanager
def gunicorn(port: int, access_log: Path):
    """The project under gunicorn, as production serves it (plus media, see bench.wsgi)."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE}
    server = subprocess.Popen(  # noqa: S603 - fixed argument list
        [
            sys.executable, "-m", "gunicorn", "bench.wsgi:application",
            "--workers", "2", "--worker-class", "gthread", "--threads", "4",
            "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
            "--access-logfile", str(access_log), "--access-logformat", AccessLog.FORMAT,
        ],
        env=env,
    )  # fmt: skip
    try:
        for _ in range(150):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):  # noqa: S310
                    break
            except OSError as error:
                if server.poll() is not None:
                    raise RuntimeError(
                        "gunicorn stopped while starting: see its output."
                    ) from error
                time.sleep(0.2)
        else:
            raise RuntimeError("gunicorn did not answer /healthz within 30 s.")
        yield
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()


def _session_cookie(subjects: Subjects) -> dict:
    value = Requester().cookie_for(subjects.learner).split("=", 1)[1]
    return {"name": settings.SESSION_COOKIE_NAME, "value": value}


def _warm(base: str, paths: list[str], cookie: dict):
    """Fill the template caches and create every image rendition before anything is measured."""
    for path in paths:
        for _ in range(2):
            request = urllib.request.Request(  # noqa: S310 - our own server
                base + path,
                headers={
                    "Cookie": f"{cookie['name']}={cookie['value']}",
                    "Accept-Encoding": "gzip",
                },
            )
            with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
                response.read()


class AccessLog:
    """gunicorn's access log: every request that reached the server, whichever browser target
    (page, service worker) made it, with the body bytes sent."""

    # The body's length as counted by gunicorn, and as announced: a file whitenoise hands to
    # sendfile is not counted by gunicorn.
    FORMAT = "%(r)s %(s)s %(B)s %({content-length}o)s"

    def __init__(self, path: Path):
        self.path = path
        self.offset = 0

    def mark(self):
        self.offset = self.path.stat().st_size if self.path.exists() else 0

    def since_mark(self) -> list[tuple[str, int, int]]:
        """(path, status, body bytes) of each request since the mark."""
        if not self.path.exists():
            return []
        with self.path.open() as log:
            log.seek(self.offset)
            lines = log.read().splitlines()
        rows = []
        for line in lines:
            parts = line.split()
            if len(parts) == 6:  # GET /path?query HTTP/1.1 200 4632 4632
                _, path, _, status, counted, announced = parts
                sizes = [int(n) for n in (counted, announced) if n.isdigit()]
                rows.append((path, int(status), max(sizes, default=0)))
        return rows


class _Recorder:
    """The network as DevTools sees it for one page (CDP Network domain), and every request the
    server answered meanwhile (the service worker's own among them)."""

    def __init__(self, context, page, log: AccessLog):
        self.requests: dict[str, dict] = {}
        self.last_event = time.monotonic()
        self.log = log
        log.mark()
        self.cdp = context.new_cdp_session(page)
        self.cdp.send("Network.enable")
        self.cdp.on("Network.requestWillBeSent", self._sent)
        self.cdp.on("Network.responseReceived", self._received)
        self.cdp.on("Network.loadingFinished", self._finished)
        self.cdp.on("Network.loadingFailed", self._touch)
        context.on("request", self._touch)
        context.on("requestfinished", self._touch)
        self._context = context

    def close(self):
        self._context.remove_listener("request", self._touch)
        self._context.remove_listener("requestfinished", self._touch)
        self.cdp.detach()

    def _touch(self, *_):
        self.last_event = time.monotonic()

    def _sent(self, event):
        self._touch()
        self.requests[event["requestId"]] = {
            "url": event["request"]["url"], "kind": event.get("type", ""), "status": 0,
            "local": False, "bytes": 0,
        }  # fmt: skip

    def _received(self, event):
        self._touch()
        row = self.requests.get(event["requestId"])
        if row is not None:
            response = event["response"]
            row["status"] = response.get("status", 0)
            row["kind"] = event.get("type", row["kind"])
            row["local"] = bool(
                response.get("fromServiceWorker")
                or response.get("fromDiskCache")
                or response.get("fromPrefetchCache")
            )

    def _finished(self, event):
        self._touch()
        row = self.requests.get(event["requestId"])
        if row is not None:
            row["bytes"] = int(event.get("encodedDataLength", 0))

    def settle(self, page, quiet: float = 3.0, limit: float = 30.0):
        """Wait until the network has been quiet for `quiet` seconds."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline and time.monotonic() - self.last_event < quiet:
            page.wait_for_timeout(200)

    def visit(self, wire_bytes: int, service_worker: bool) -> Visit:
        page_rows = [r for r in self.requests.values() if not r["url"].startswith("data:")]
        network = {}
        for row in page_rows:
            if not row["local"]:
                path = "/" + row["url"].split("://", 1)[-1].split("/", 1)[-1]
                network.setdefault(path, []).append(row)
        transfers = []
        # The server's list decides what crossed the network; DevTools' rows name the page's.
        for path, status, size in self.log.since_mark():
            rows = network.get(path)
            if rows:
                row = rows.pop(0)
                transfers.append(Transfer(path, row["kind"], "page", status, row["bytes"] or size))
            else:
                transfers.append(Transfer(path, "", "service worker", status, size))
        return Visit(
            wire_bytes=wire_bytes,
            devtools_bytes=sum(r["bytes"] for r in page_rows if not r["local"]),
            service_worker=service_worker,
            transfers=transfers,
            answered_locally=[r["url"] for r in page_rows if r["local"]],
        )


SW_SETTLE = """
async () => {
  if (!("serviceWorker" in navigator)) return "unsupported";
  const registration = await navigator.serviceWorker.getRegistration();
  if (!registration) return "none";
  const timeout = new Promise((resolve) => setTimeout(resolve, 20000));
  await Promise.race([navigator.serviceWorker.ready, timeout]);
  return registration.active ? "active" : "installing";
}
"""


def measure_visits(browser, base: str, url: str, cookie: dict, relay: ByteRelay, log: AccessLog):
    """First and repeat visit of `url` in one fresh browser context."""
    context = browser.new_context(**PHONE)
    context.add_cookies([{**cookie, "url": base}])
    try:
        page = context.new_page()
        recorder = _Recorder(context, page, log)
        relay.take()
        page.goto(base + url, wait_until="load")
        recorder.settle(page)
        # The service worker registers after load and precaches while installing.
        state = page.evaluate(SW_SETTLE)
        recorder.settle(page)
        first = recorder.visit(relay.take(), service_worker=False)
        recorder.close()
        page.close()

        page = context.new_page()
        recorder = _Recorder(context, page, log)
        page.goto(base + url, wait_until="load")
        recorder.settle(page)
        controlled = page.evaluate(
            "() => !!(navigator.serviceWorker && navigator.serviceWorker.controller)"
        )
        repeat = recorder.visit(relay.take(), service_worker=controlled)
        recorder.close()
        return first, repeat, state
    finally:
        context.close()


def time_to_text(browser, base: str, url: str, cookie: dict | None, selector: str) -> float:
    """Milliseconds from navigation start to the lesson text on screen, on the slow link."""
    context = browser.new_context(**PHONE)
    if cookie:
        context.add_cookies([{**cookie, "url": base}])
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        link = budgets.SLOW_LINK
        cdp.send(
            "Network.emulateNetworkConditions",
            {
                "offline": False,
                "latency": link["latency"],
                "downloadThroughput": link["down_kbps"] * 1000 / 8,
                "uploadThroughput": link["up_kbps"] * 1000 / 8,
            },
        )
        page.add_init_script(f"window.__lenteraTextSelector = {json.dumps(selector)};")
        page.add_init_script(TEXT_PROBE)
        page.goto(base + url, wait_until="commit", timeout=120_000)
        # Polled from here: wait_for_function would evaluate a string, which the CSP forbids.
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            shown = page.evaluate("() => window.__lenteraTextAt ?? null")
            if shown is not None:
                return float(shown)
            page.wait_for_timeout(100)
        raise RuntimeError(f"{url}: the lesson text did not show within 120 s on the slow link.")
    finally:
        context.close()


LIGHTHOUSE_METRICS = {
    "first-contentful-paint": "fcp_ms",
    "largest-contentful-paint": "lcp_ms",
    "total-blocking-time": "tbt_ms",
    "cumulative-layout-shift": "cls",
    "speed-index": "speed_index_ms",
}


def lighthouse(url: str, cookie: dict | None, runs: int) -> tuple[list[dict], str]:
    """Lighthouse's default (mobile) run of the performance category, `runs` times
    (bench/lighthouse/run.mjs: the session cookie goes into the browser's cookie jar)."""
    if not LIGHTHOUSE.exists():
        raise RuntimeError(
            f"{LIGHTHOUSE} is missing: `npm ci --prefix {LIGHTHOUSE_DIR}` (make bench-browser)."
        )
    reports, version, errors = [], "", []
    env = {**os.environ, "CHROME_PATH": CHROMIUM}
    # A run that Lighthouse itself reports as broken (e.g. NO_NAVSTART, a trace it failed to
    # record on a busy machine) is run again, twice at most over all.
    while len(reports) < runs:
        with tempfile.TemporaryDirectory(prefix="lentera-lh-") as tmp:
            output = Path(tmp) / "report.json"
            command = ["node", str(LIGHTHOUSE_DIR / "run.mjs"), url, str(output)]
            if cookie:
                command += [cookie["name"], cookie["value"]]
            done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)  # noqa: S603
            report = json.loads(output.read_text()) if output.exists() else None
        problem = (
            f"exit {done.returncode}: {done.stderr[-2000:]}"
            if done.returncode != 0 or report is None
            else report.get("runtimeError")
        )
        if problem:
            errors.append(problem)
            if len(errors) > 2:
                raise RuntimeError(f"Lighthouse failed on {url}: {errors}")
            continue
        version = report.get("lighthouseVersion", "")
        reports.append(report)
    return reports, version


def _lighthouse_result(key: str, label: str, url: str, reports: list[dict]) -> LighthouseResult:
    scored = sorted(reports, key=lambda r: r["categories"]["performance"]["score"] or 0)
    median = scored[len(scored) // 2]
    audits = median["audits"]
    return LighthouseResult(
        key=key,
        label=label,
        url=url,
        scores=[r["categories"]["performance"]["score"] for r in reports],
        score=median["categories"]["performance"]["score"],
        metrics={
            name: round(audits[audit]["numericValue"], 3)
            for audit, name in LIGHTHOUSE_METRICS.items()
            if audit in audits and audits[audit].get("numericValue") is not None
        },
        total_byte_weight=int(audits.get("total-byte-weight", {}).get("numericValue") or 0),
    )


def chromium_version() -> str:
    done = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, check=False)  # noqa: S603
    return done.stdout.strip()


def run(*, size: str, rounds: int, lighthouse_runs: int, out=print) -> BrowserRun:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"Chromium not found at {CHROMIUM}: install Debian's `chromium`.")
    subjects = find_subjects()
    cookie = _session_cookie(subjects)
    lesson = subjects.big_lesson.url
    bare_url = subjects.bare_page.url
    pages = {
        "home": ("Home (anonymous)", "/", None),
        "catalog": ("Catalog (anonymous)", CatalogPage.objects.get().url, None),
        "course": ("Course, largest (enrolled)", subjects.big_course.url, cookie),
        "lesson": ("Lesson, largest course (enrolled)", lesson, cookie),
    }
    result = BrowserRun(
        size=size,
        started_at=datetime.now().astimezone().isoformat(timespec="seconds"),
        chromium=chromium_version(),
        lighthouse_version="",
        cpus=os.cpu_count() or 0,
        slow_link=budgets.SLOW_LINK,
    )
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = AccessLog(Path(tempfile.mkdtemp(prefix="lentera-bench-")) / "access.log")
    with gunicorn(port, log.path), ByteRelay(port) as relay:
        relayed = f"http://127.0.0.1:{relay.port}"
        _warm(base, [url for _, url, _ in pages.values()] + [bare_url], cookie)
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's loop; no ORM below
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=["--no-sandbox"]
            )
            try:
                out("Lesson page, first and repeat visit…")
                first, repeat, state = measure_visits(browser, relayed, lesson, cookie, relay, log)
                result.first_visit, result.repeat_visit = first, repeat
                out(f"  first {first.bytes:,} B, repeat {repeat.bytes:,} B (worker: {state})")

                out(f"Time to lesson text on the slow link, {rounds} interleaved rounds…")
                timings = {
                    "lesson": TextTiming("lesson", "Lesson, largest course (enrolled)", lesson),
                    "bare_wagtail": TextTiming(
                        "bare_wagtail", "Bare Wagtail page (same body)", bare_url
                    ),
                }
                for _ in range(rounds):
                    timings["lesson"].rounds_ms.append(
                        time_to_text(browser, base, lesson, cookie, LESSON_TEXT)
                    )
                    timings["bare_wagtail"].rounds_ms.append(
                        time_to_text(browser, base, bare_url, None, BARE_TEXT)
                    )
                for timing in timings.values():
                    timing.median_ms = round(statistics.median(timing.rounds_ms), 1)
                    out(f"  {timing.label:<40} {timing.median_ms:8.0f} ms")
                result.text = list(timings.values())
                bare = timings["bare_wagtail"].median_ms
                result.text_ratio = round(timings["lesson"].median_ms / bare, 2) if bare else None
            finally:
                browser.close()
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)

        out(f"Lighthouse (mobile), {lighthouse_runs} run(s) per page…")
        for key, (label, url, page_cookie) in pages.items():
            reports, result.lighthouse_version = lighthouse(
                base + url, page_cookie, lighthouse_runs
            )
            row = _lighthouse_result(key, label, url, reports)
            result.lighthouse.append(row)
            out(f"  {label:<40} {row.score}")

    result.budget_failures = budgets.check(
        first_visit_bytes=first.bytes,
        repeat_visit_bytes=repeat.bytes,
        service_worker=repeat.service_worker,
        lighthouse={row.key: row.score for row in result.lighthouse},
    )
    result.goal_misses = budgets.goals(result.text_ratio)
    return result


def _kb(size: int) -> str:
    return f"{size / 1024:.1f}"


def _short(url: str) -> str:
    path = url.split("://", 1)[-1]
    path = path[path.find("/") :] if "/" in path else path
    return path if len(path) <= 70 else path[:67] + "…"


def markdown(result: BrowserRun) -> str:
    link = result.slow_link
    lines = [
        f"Size {result.size}, {result.chromium}, Lighthouse {result.lighthouse_version}, "
        f"{result.cpus} CPUs ({result.started_at}).",
        "",
        "| Measure | Figure | Budget |",
        "| --- | ---: | ---: |",
    ]
    visits = [
        ("first", result.first_visit, budgets.FIRST_VISIT_BYTES),
        ("repeat", result.repeat_visit, budgets.REPEAT_VISIT_BYTES),
    ]
    for name, visit, budget in visits:
        if visit is not None:
            lines.append(
                f"| Lesson, {name} visit (KB over the network) | {_kb(visit.bytes)} "
                f"| ≤ {_kb(budget)} |"
            )
    for row in result.lighthouse:
        score = "—" if row.score is None else f"{row.score:.2f}"
        lines.append(
            f"| Lighthouse mobile performance, {row.label} | {score} | ≥ {budgets.LIGHTHOUSE_MIN} |"
        )
    for timing in result.text:
        lines.append(
            f"| Time to lesson text, {timing.label} ({link['down_kbps']} kbit/s, "
            f"{link['latency']} ms RTT), median ms | {timing.median_ms:.0f} | — |"
        )
    if result.text_ratio is not None:
        lines.append(
            f"| Lesson ÷ bare Wagtail page, time to text | {result.text_ratio:.2f}× "
            f"| goal ≤ {budgets.TEXT_GOAL}× (reported) |"
        )
    for name, visit in (("First visit", result.first_visit), ("Repeat visit", result.repeat_visit)):
        if visit is None:
            continue
        lines += [
            "",
            f"{name}: {visit.wire_bytes:,} B sent by the server, {visit.devtools_bytes:,} B in "
            f"DevTools; service worker in control: {'yes' if visit.service_worker else 'no'}; "
            f"{len(visit.answered_locally)} request(s) answered by the service worker or a cache.",
            "",
            "| Resource | Type | By | Status | KB |",
            "| --- | --- | --- | ---: | ---: |",
        ]
        for transfer in sorted(visit.transfers, key=lambda t: -t.bytes):
            lines.append(
                f"| {_short(transfer.url)} | {transfer.kind} | {transfer.by} | {transfer.status} "
                f"| {_kb(transfer.bytes)} |"
            )
    if result.lighthouse:
        lines += [
            "",
            "| Lighthouse page | Score(s) | FCP ms | LCP ms | TBT ms | CLS | Speed index ms | KB |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for row in result.lighthouse:
            m = row.metrics
            lines.append(
                f"| {row.label} | {', '.join(f'{s:.2f}' for s in row.scores)} "
                f"| {m.get('fcp_ms', 0):.0f} | {m.get('lcp_ms', 0):.0f} | {m.get('tbt_ms', 0):.0f} "
                f"| {m.get('cls', 0):.3f} | {m.get('speed_index_ms', 0):.0f} "
                f"| {_kb(row.total_byte_weight)} |"
            )
    return "\n".join(lines)


def lighthouse_ready() -> bool:
    return LIGHTHOUSE.exists() and shutil.which("node") is not None
