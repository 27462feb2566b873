"""Notifications in a real browser: the header shows the unread count, the notifications page
passes the accessibility checks at each size, marks one and then all read, and turns the daily
digest off."""

import re

import pytest
from playwright.sync_api import Page, expect

from learners.factories import UserFactory
from notifications.models import Notification, NotificationPreference
from notifications.services import notify
from tests.e2e.helpers import E2E, VIEWPORTS, _, check_page, click_and_wait

pytestmark = E2E


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_read_my_notifications_and_turn_the_digest_off(page: Page, sign_in, viewport):
    page.set_viewport_size(VIEWPORTS[viewport])
    dewi = UserFactory(email="dewi@instansi.go.id", full_name="Dewi Lestari")
    trainer = UserFactory(email="widyaiswara@instansi.go.id", full_name="Widyaiswara Satu")
    notify(
        recipient=dewi,
        kind=Notification.Kind.ANSWER,
        actor=trainer,
        subject="Cara menyusun SKP",
        url="/saya/",
    )
    notify(recipient=dewi, kind=Notification.Kind.REMINDER, actor=trainer, subject="Kursus A")

    sign_in(dewi)
    page.goto("/saya/notifikasi/")
    check_page(page)
    header = page.locator(".site-header")
    if viewport == "mobile":
        header.get_by_text(_("Menu")).click()
    expect(header.get_by_role("link", name=f"{_('Notifications')} 2 {_('unread')}")).to_be_visible()
    answer = _("New answer to your question “%(subject)s”") % {"subject": "Cara menyusun SKP"}
    expect(page.get_by_role("link", name=answer)).to_have_attribute("href", "/saya/")

    # One read: the reminder stays unread, the count drops to one.
    mark_answer_read = page.get_by_role("button", name=re.compile(re.escape(answer)))
    click_and_wait(page, mark_answer_read)
    assert Notification.objects.filter(recipient=dewi, read_at=None).count() == 1
    # All read.
    click_and_wait(page, page.get_by_role("button", name=_("Mark all as read")))
    expect(page.get_by_text(_("All your notifications are marked as read."))).to_be_visible()
    assert not Notification.objects.filter(recipient=dewi, read_at=None).exists()
    check_page(page)

    # The digest, off.
    label = _("E-mail me a daily digest of the notifications I have not read")
    page.get_by_label(label).uncheck()
    click_and_wait(page, page.get_by_role("button", name=_("Save notification settings")))
    expect(page.get_by_text(_("Your notification settings have been saved."))).to_be_visible()
    assert NotificationPreference.objects.get(user=dewi).daily_digest is False
