"""The browser benchmark's budgets (`make bench-browser`, issue 17). Bytes and Lighthouse scores
fail the run; time to lesson text on the emulated slow link is reported against the bare Wagtail
page, not gated (a shared machine is noisy, and the link's emulation dominates it anyway).
"""

# The enrolled learner's lesson page in a fresh browser: every byte that crossed the network,
# headers included, the service worker's script and what it precaches included.
FIRST_VISIT_BYTES = 60 * 1024
# The same page again in the same browser once the service worker is active.
REPEAT_VISIT_BYTES = 5 * 1024
# Lighthouse's mobile preset (simulated slow 4G, a mid-range phone), performance category.
LIGHTHOUSE_PAGES = ["home", "catalog", "course", "lesson"]
LIGHTHOUSE_MIN = 0.95
# The DevTools network emulation of a rural link: 400 kbit/s each way, 800 ms round trip.
SLOW_LINK = {"latency": 800, "down_kbps": 400, "up_kbps": 400}
TEXT_GOAL = 1.5  # lesson text within 1.5× the bare Wagtail page's (reported only)


def _kb(size: int) -> str:
    return f"{size / 1024:.1f} KB"


def check(
    *,
    first_visit_bytes: int,
    repeat_visit_bytes: int,
    service_worker: bool,
    lighthouse: dict[str, float | None],
) -> list[str]:
    """Broken budgets, as sentences."""
    failures = []
    if first_visit_bytes > FIRST_VISIT_BYTES:
        failures.append(
            f"lesson first visit: {_kb(first_visit_bytes)} over the network, "
            f"budget {_kb(FIRST_VISIT_BYTES)}"
        )
    if not service_worker:
        failures.append("lesson repeat visit: no service worker controlled the page")
    if repeat_visit_bytes > REPEAT_VISIT_BYTES:
        failures.append(
            f"lesson repeat visit: {_kb(repeat_visit_bytes)} over the network, "
            f"budget {_kb(REPEAT_VISIT_BYTES)}"
        )
    for key in LIGHTHOUSE_PAGES:
        score = lighthouse.get(key)
        if score is None:
            failures.append(f"Lighthouse {key}: no performance score")
        elif score < LIGHTHOUSE_MIN:
            failures.append(f"Lighthouse {key}: performance {score:.2f}, budget ≥ {LIGHTHOUSE_MIN}")
    return failures


def goals(text_ratio: float | None) -> list[str]:
    """Missed goals, as sentences (reported, not gated)."""
    if text_ratio is not None and text_ratio > TEXT_GOAL:
        return [
            f"time to lesson text: {text_ratio:.2f}× the bare Wagtail page's (goal ≤ {TEXT_GOAL}×)"
        ]
    return []
