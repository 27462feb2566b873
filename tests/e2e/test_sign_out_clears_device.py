"""Signing out clears this site's data on the device, in Chromium, even where the page script
never ran: the sign-out answer's `Clear-Site-Data: "cache", "storage"` header empties Cache
Storage, IndexedDB (the saved courses and queued records of the account) and the service
worker on http://localhost, a secure context as HTTPS is."""

from playwright.sync_api import BrowserContext

from learners.factories import UserFactory
from tests.e2e.helpers import E2E

pytestmark = E2E

FILL_DEVICE = """async () => {
    const cache = await caches.open("lentera-saved-test");
    await cache.put("/luring/", new Response("tersimpan"));
    await new Promise((resolve, reject) => {
        const request = indexedDB.open("lentera", 1);
        request.onupgradeneeded = () => request.result.createObjectStore("outbox");
        request.onsuccess = () => {
            const tx = request.result.transaction("outbox", "readwrite");
            tx.objectStore("outbox").put({kind: "completion"}, "event-1");
            tx.oncomplete = () => { request.result.close(); resolve(); };
        };
        request.onerror = () => reject(request.error);
    });
}"""

DEVICE_STATE = """async () => ({
    caches: await caches.keys(),
    databases: (await indexedDB.databases()).map((database) => database.name),
    workers: (await navigator.serviceWorker.getRegistrations()).length,
})"""

REGISTER_WORKER = """async () => {
    await navigator.serviceWorker.register("/sw.js", {scope: "/"});
    await navigator.serviceWorker.ready;
}"""


def test_signing_out_clears_cache_storage_and_indexeddb(
    context: BrowserContext, base_url, sign_in, provider
):
    user = UserFactory(email="bersama@instansi.go.id")
    sign_in(user)
    page = context.new_page()
    # Without the page script: the header alone must clear the device (a script that failed to
    # load, or one the sign-out raced).
    page.route("**/static/js/lentera.js", lambda route: route.abort())
    page.goto("/")
    page.evaluate(REGISTER_WORKER)
    page.evaluate(FILL_DEVICE)
    before = page.evaluate(DEVICE_STATE)
    assert "lentera-saved-test" in before["caches"]
    assert "lentera" in before["databases"]
    assert before["workers"] == 1

    with page.expect_response(lambda response: response.request.method == "POST") as answer:
        page.locator("form[data-sign-out] button").click()
    page.wait_for_load_state()

    # all_headers(): Playwright's `headers` leaves security-related ones out.
    assert answer.value.all_headers()["clear-site-data"] == '"cache", "storage"'
    assert page.evaluate(DEVICE_STATE) == {"caches": [], "databases": [], "workers": 0}
    assert page.locator('meta[name="lentera-account"]').count() == 0


def test_other_pages_leave_the_device_alone(context: BrowserContext, base_url, sign_in, provider):
    sign_in(UserFactory(email="tetap@instansi.go.id"))
    page = context.new_page()
    page.route("**/static/js/lentera.js", lambda route: route.abort())
    page.goto("/")
    page.evaluate(FILL_DEVICE)

    page.goto("/luring/")

    assert page.evaluate(DEVICE_STATE) == {
        "caches": ["lentera-saved-test"],
        "databases": ["lentera"],
        "workers": 0,
    }
