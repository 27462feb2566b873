"""The browser benchmark's gate and the server log it reads: pure functions, no browser."""

from bench import browser_budgets as budgets
from bench.browser import AccessLog

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
