"""Signing out empties the whole device (Clear-Site-Data "storage"), so the unsent records of
another account that signed in on this device go too: the sign-out's question counts them and
says so, and cancelling keeps everything."""

from django.utils import translation
from playwright.sync_api import BrowserContext, expect

from learners.factories import UserFactory
from offline.accounts import device_account_key
from offline.strings import STRINGS
from tests.e2e.helpers import E2E
from tests.e2e.test_offline import REPLAY, store

pytestmark = E2E


def test_the_sign_out_question_counts_another_accounts_unsent_records(
    context: BrowserContext, base_url, sign_in, provider
):
    user = UserFactory(email="kedua@instansi.go.id")
    sign_in(user)
    page = context.new_page()
    page.goto("/")
    # The page script has made the database and named the account on the device.
    expect(page.locator("body")).to_be_visible()
    page.wait_for_function(
        "async () => (await indexedDB.databases()).some((db) => db.name === 'lentera')"
    )
    # A record another account queued on this device and never sent (its lesson is unknown
    # to the server; it is never sent in this test: only its account could send it).
    other = {
        "event_id": "00000000-0000-4000-8000-000000000001",
        "account": "another-account-key",
        "kind": "completion",
        "lesson_id": 999999,
        "completed_at": "2026-01-01T09:00:00Z",
    }
    page.evaluate(REPLAY, [other])

    questions = []

    def answer(dialog):
        questions.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", answer)
    page.locator("form[data-sign-out] button").click()
    # The question comes once the script has tried to send this account's (empty) outbox;
    # waiting through Playwright lets it deliver the dialog event.
    for _ in range(100):
        if questions:
            break
        page.wait_for_timeout(100)

    expect(page.locator('meta[name="lentera-account"]')).to_have_attribute(
        "content", device_account_key(user)
    )
    with translation.override("id-id"):
        expected = str(STRINGS["sign_out_unsent_others"]) % {"count": 1, "others": 1}
    assert questions == [expected]
    # Cancelled: still signed in, the other account's record still on the device.
    assert [item["event_id"] for item in store(page, "outbox")] == [other["event_id"]]
