"""The browser benchmark's gate and the server log it reads: pure functions, no browser."""

import socket
import threading

from bench import browser_budgets as budgets
from bench.browser import (
    AccessLog,
    BrowserRun,
    ByteRelay,
    LighthouseResult,
    TextTiming,
    Transfer,
    Visit,
    _lighthouse_result,
    free_port,
    markdown,
)

SCORES = dict.fromkeys(budgets.LIGHTHOUSE_PAGES, 0.97)


def gate(**changes):
    arguments = {
        "first_visit_bytes": budgets.FIRST_VISIT_BYTES,
        "repeat_visit_bytes": budgets.REPEAT_VISIT_BYTES,
        "service_worker": True,
        "lighthouse": SCORES,
    }
    return budgets.check(**{**arguments, **changes})


def test_figures_on_every_budget_pass():
    assert gate() == []


def test_one_byte_over_either_visit_budget_fails():
    assert gate(first_visit_bytes=budgets.FIRST_VISIT_BYTES + 1) == [
        "lesson first visit: 60.0 KB over the network, budget 60.0 KB"
    ]
    assert gate(repeat_visit_bytes=6 * 1024) == [
        "lesson repeat visit: 6.0 KB over the network, budget 5.0 KB"
    ]


def test_a_repeat_visit_without_the_service_worker_fails_however_light():
    assert gate(service_worker=False, repeat_visit_bytes=0) == [
        "lesson repeat visit: no service worker controlled the page"
    ]


def test_a_low_or_missing_lighthouse_score_fails():
    scores = {**SCORES, "course": 0.94}
    del scores["home"]
    assert gate(lighthouse=scores) == [
        "Lighthouse home: no performance score",
        "Lighthouse course: performance 0.94, budget ≥ 0.95",
    ]


def test_time_to_text_is_a_goal_not_a_budget():
    assert budgets.goals(1.4) == []
    assert budgets.goals(2.1) == [
        "time to lesson text: 2.10× the bare Wagtail page's (goal ≤ 1.5×)"
    ]


def test_access_log_reads_the_requests_after_the_mark(tmp_path):
    log = AccessLog(tmp_path / "access.log")
    log.path.write_text("GET /before HTTP/1.1 200 10 10\n")
    log.mark()
    with log.path.open("a") as file:
        # gunicorn does not count a file handed to sendfile: the announced length counts then.
        file.write(
            "GET /static/icon.png HTTP/1.1 200 0 6548\nGET /katalog/?q=x HTTP/1.1 200 4632 -\n"
        )
    assert log.since_mark() == [("/static/icon.png", 200, 6548), ("/katalog/?q=x", 200, 4632)]


# The report and the byte relay: what `make bench-browser` writes and how it counts.


def _report(score: float, fcp: float) -> dict:
    return {
        "lighthouseVersion": "12.8.2",
        "categories": {"performance": {"score": score}},
        "audits": {
            "first-contentful-paint": {"numericValue": fcp},
            "largest-contentful-paint": {"numericValue": 1200.0},
            "total-blocking-time": {"numericValue": 10.0},
            "cumulative-layout-shift": {"numericValue": 0.0},
            "speed-index": {"numericValue": 900.0},
            "total-byte-weight": {"numericValue": 33_700},
        },
    }


def test_the_median_lighthouse_run_is_kept_with_its_metrics():
    result = _lighthouse_result(
        "lesson",
        "Lesson",
        "http://127.0.0.1/x/",
        [_report(0.99, 800.0), _report(0.90, 2000.0), _report(1.0, 700.0)],
    )

    assert result.scores == [0.99, 0.90, 1.0]
    assert result.score == 0.99
    assert result.metrics["fcp_ms"] == 800.0
    assert result.total_byte_weight == 33_700


def test_the_report_lists_the_figures_and_every_request_heaviest_first():
    first = Visit(
        wire_bytes=49_359,
        devtools_bytes=29_640,
        service_worker=False,
        transfers=[
            Transfer("http://h/static/css/lentera.css", "Stylesheet", "page", 200, 8_090),
            Transfer("http://h/sw.js", "", "service worker", 200, 11_776),
        ],
    )
    repeat = Visit(
        wire_bytes=4_463,
        devtools_bytes=0,
        service_worker=True,
        transfers=[Transfer("http://h/sw.js", "", "service worker", 304, 0)],
        answered_locally=["http://h/static/css/lentera.css"],
    )
    run = BrowserRun(
        size="S",
        started_at="2026-12-05T04:18:16+07:00",
        chromium="Chromium 156",
        lighthouse_version="12.8.2",
        cpus=2,
        slow_link={"down_kbps": 400, "latency": 800},
        first_visit=first,
        repeat_visit=repeat,
        text=[TextTiming("lesson", "Lesson", "/x/", [2000.0, 2024.0], 2012.0)],
        text_ratio=2.24,
        lighthouse=[LighthouseResult("home", "Home", "/", [1.0], 1.0, {"fcp_ms": 762.0}, 43_520)],
    )

    report = markdown(run)

    assert "| Lesson, first visit (KB over the network) | 48.2 | ≤ 60.0 |" in report
    assert "| Lesson, repeat visit (KB over the network) | 4.4 | ≤ 5.0 |" in report
    assert "| Lesson ÷ bare Wagtail page, time to text | 2.24× |" in report
    assert "(400 kbit/s, 800 ms RTT), median ms | 2012 |" in report
    assert "service worker in control: yes; 1 request(s) answered" in report
    assert report.index("| /sw.js |") < report.index("| /static/css/lentera.css |")
    assert "| Home | 1.00 | 762 |" in report
    assert run.as_json()["first_visit"]["bytes"] == 49_359


def test_the_relay_counts_the_bytes_the_server_sends():
    upstream = socket.socket()
    upstream.bind(("127.0.0.1", free_port()))
    upstream.listen()
    answer = b"HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\nhello"

    def serve_once():
        connection, _address = upstream.accept()
        with connection:
            connection.recv(1024)
            connection.sendall(answer)

    server = threading.Thread(target=serve_once, daemon=True)
    server.start()
    with ByteRelay(upstream.getsockname()[1]) as relay:
        with socket.create_connection(("127.0.0.1", relay.port), timeout=5) as client:
            client.sendall(b"GET / HTTP/1.0\r\n\r\n")
            received = b""
            while chunk := client.recv(1024):
                received += chunk
        server.join(5)

        assert received == answer
        assert relay.take() == len(answer)
        assert relay.take() == 0  # counted once
    upstream.close()
