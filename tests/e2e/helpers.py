"""Helpers shared by the browser tests: marks, signing in through the form, screenshots, and
`check_page`, the accessibility and layout check every journey runs on each page it visits."""

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext
from playwright.sync_api import Locator, Page

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "e2e"
PASSWORD = "lentera-uji-123"  # learners.factories.UserFactory's password
VIEWPORTS = {"mobile": {"width": 360, "height": 640}, "desktop": {"width": 1280, "height": 800}}

#: Every browser test module's marks: deselected by `make test`, and a database the live server
#: thread shares (committed data; the migrations' rows, such as Wagtail's root page, restored).
E2E = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def sign_in_with_form(page: Page, email: str, password: str = PASSWORD) -> None:
    """Sign in through allauth's form at /accounts/login/, as a person would."""
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    click_and_wait(page, page.locator("main form button[type=submit]").first)


def click_and_wait(page: Page, locator: Locator) -> None:
    """Click something that submits a form or follows a link, and wait for the new page."""
    with page.expect_navigation():
        locator.click()


def screenshot(page: Page, name: str) -> None:
    """Save the current page at phone and desktop sizes into test-artifacts/e2e/."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    original = page.viewport_size
    for size_name, size in VIEWPORTS.items():
        page.set_viewport_size(size)
        page.screenshot(path=ARTIFACTS / f"{name}-{size_name}.png", full_page=True)
    if original:
        page.set_viewport_size(original)


WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
_AXE = Axe()

#: WCAG 2.2 2.5.8 Target Size (Minimum): every pointer target at least 24x24 CSS px, or spaced so
#: that a 24 px circle around its centre touches no other target (nor another small target's
#: circle). Exempt, as the criterion says: links inline in running text (a sentence in a p or li).
#: A label wrapping (or touching) its checkbox or radio is part of that control's target. Returns
#: the offenders, the first 15, described for a person to find them.
SMALL_TARGETS = r"""() => {
    const MIN = 24, RADIUS = 12;
    const SELECTOR = 'a[href], button, input:not([type=hidden]), select, textarea, summary, '
        + '[role=button]';
    const shown = (element) => element.checkVisibility({visibilityProperty: true})
        && getComputedStyle(element).pointerEvents !== 'none';
    const box = (r) => ({left: r.left, top: r.top, right: r.right, bottom: r.bottom});
    const union = (a, b) => ({left: Math.min(a.left, b.left), top: Math.min(a.top, b.top),
        right: Math.max(a.right, b.right), bottom: Math.max(a.bottom, b.bottom)});
    const gap = (a, b) => Math.max(a.left - b.right, b.left - a.right, a.top - b.bottom,
        b.top - a.bottom, 0);
    const inRunningText = (element) => {
        if (element.tagName !== 'A' || getComputedStyle(element).display !== 'inline') return false;
        const block = element.closest('p, li');
        if (!block) return false;
        // A sentence: three words or more around the link, not a lone badge such as "Done".
        const rest = block.textContent.replace(element.textContent, '');
        return (rest.match(/\p{L}{2,}/gu) || []).length >= 3;
    };
    // Under something else (an open menu drawn over the page): not a target while it is covered.
    // Only measurable inside the viewport.
    const covered = (element, rect) => {
        const x = (rect.left + rect.right) / 2, y = (rect.top + rect.bottom) / 2;
        if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) return false;
        const top = document.elementFromPoint(x, y);
        if (!top || element.contains(top) || top.contains(element)) return false;
        return ![...(element.labels || [])].some((label) => label.contains(top));
    };
    // Visually hidden elements (1 px, clipped, or moved off the page until focused) are no targets.
    const pageX = window.scrollX, pageY = window.scrollY;
    const targets = [];
    for (const element of document.querySelectorAll(SELECTOR)) {
        if (!shown(element) || element.closest('[inert], [aria-hidden=true]')) continue;
        let rect = box(element.getBoundingClientRect());
        const type = (element.getAttribute('type') || '').toLowerCase();
        if (element.tagName === 'INPUT' && (type === 'checkbox' || type === 'radio')) {
            for (const label of element.labels || []) {
                const labelRect = box(label.getBoundingClientRect());
                if (label.contains(element) || gap(rect, labelRect) <= 8) {
                    rect = union(rect, labelRect);
                }
            }
        }
        const width = rect.right - rect.left, height = rect.bottom - rect.top;
        if (width <= 1 || height <= 1) continue;
        if (rect.right + pageX <= 0 || rect.bottom + pageY <= 0) continue;
        if (covered(element, rect)) continue;
        targets.push({element, rect, width, height, exempt: inRunningText(element),
            small: width < MIN - 0.5 || height < MIN - 0.5});
    }
    const centre = (t) => [(t.rect.left + t.rect.right) / 2, (t.rect.top + t.rect.bottom) / 2];
    const distanceToRect = ([x, y], r) => Math.hypot(
        Math.max(r.left - x, 0, x - r.right), Math.max(r.top - y, 0, y - r.bottom));
    const nests = (a, b) => a.element.contains(b.element) || b.element.contains(a.element);
    const describe = (element) => {
        const parts = [];
        for (let node = element; node && node !== document.body && parts.length < 3;
            node = node.parentElement) {
            let part = node.tagName.toLowerCase();
            if (node.id) { parts.unshift(part + '#' + node.id); break; }
            const classes = [...node.classList].slice(0, 2);
            if (classes.length) part += '.' + classes.join('.');
            parts.unshift(part);
        }
        return parts.join(' > ');
    };
    const offenders = [];
    for (const target of targets) {
        if (!target.small || target.exempt) continue;
        const c = centre(target);
        const crowded = targets.some((other) => other !== target && !nests(target, other) && (
            other.small ? Math.hypot(c[0] - centre(other)[0], c[1] - centre(other)[1]) < 2 * RADIUS
                : distanceToRect(c, other.rect) < RADIUS));
        if (!crowded) continue;
        const element = target.element;
        const text = (element.getAttribute('aria-label') || element.innerText || element.value
            || element.getAttribute('name') || '').trim().replace(/\s+/g, ' ').slice(0, 40);
        offenders.push(`${describe(element)} "${text}" ${Math.round(target.width)}x`
            + `${Math.round(target.height)} px`);
    }
    return offenders.slice(0, 15);
}"""

#: What sticks out to the right of the viewport outside any scroll container: why a page scrolls
#: sideways.
OVERFLOWING = """() => {
    const width = document.documentElement.clientWidth;
    const scrolls = (element) => {
        for (let node = element.parentElement; node; node = node.parentElement) {
            const overflow = getComputedStyle(node).overflowX;
            if (overflow === "auto" || overflow === "scroll" || overflow === "hidden") return true;
        }
        return false;
    };
    return [...document.body.querySelectorAll("*")]
        .filter((element) => element.getBoundingClientRect().right > width + 0.5)
        .filter((element) => !scrolls(element))
        .slice(0, 5)
        .map((element) => element.outerHTML.slice(0, 160));
}"""


def axe_violations(page: Page) -> list[str]:
    """axe-core's WCAG 2.1 A/AA violations on the current page, one readable line each."""
    results = _AXE.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.response["passes"], "axe-core checked nothing"
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} -> "
        + "; ".join(
            f"{node['target']} {node.get('failureSummary', '')}".replace("\n", " ")
            for node in violation["nodes"][:4]
        )
        for violation in results.response["violations"]
    ]


def small_targets(page: Page) -> list[str]:
    """Pointer targets smaller than WCAG 2.2's 24x24 CSS px minimum without the spacing that
    excuses them (2.5.8), each as `selector "text" WxH px`."""
    return page.evaluate(SMALL_TARGETS)


def sideways_overflow(page: Page) -> list[str]:
    """Why the page scrolls sideways at the current viewport width; empty when it does not."""
    if page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth"):
        return []
    return page.evaluate(OVERFLOWING) or ["(the document is wider than the viewport)"]


def check_page(page: Page, *, name: str | None = None) -> None:
    """Fail on anything a person on this page at this viewport would hit: an axe-core WCAG 2.1
    A/AA violation, a tap target under 24x24 CSS px (WCAG 2.2 2.5.8), or sideways scrolling."""
    problems = {
        "axe WCAG 2.1 A/AA": axe_violations(page),
        "tap targets under 24x24 px": small_targets(page),
        "sideways scroll": sideways_overflow(page),
    }
    problems = {kind: found for kind, found in problems.items() if found}
    width = (page.viewport_size or {}).get("width")
    assert not problems, f"{name or page.url} at {width} px:\n" + "\n".join(
        f"  {kind}:\n    " + "\n    ".join(found) for kind, found in problems.items()
    )


def _(message: str) -> str:
    """The interface's text in Indonesian, the default language the browser gets."""
    with translation.override("id-id"):
        return gettext(message)
