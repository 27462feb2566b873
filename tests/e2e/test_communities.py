"""A community of practice in a real browser: a civil servant joins it, opens a topic that
mentions a colleague from another agency, the colleague replies, and the first one claims their
participation as a development record."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from content.factories import CompetencyFactory
from development.models import DevelopmentRecord
from discussions import communities
from discussions.models import Community, Membership
from learners.factories import UserFactory
from notifications.models import Notification
from tests.e2e.helpers import E2E, VIEWPORTS, _, check_page, click_and_wait

pytestmark = E2E


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_join_post_mention_reply_and_claim(page: Page, provider, sign_in, viewport):
    page.set_viewport_size(VIEWPORTS[viewport])
    community = Community.objects.create(
        name="Komunitas Analis Kebijakan",
        slug="analis-kebijakan",
        competency=CompetencyFactory(name="Analisis Kebijakan"),
        occupational_group="Analis Kebijakan",
        organization=provider,
    )
    sari = UserFactory(email="sari@instansi.go.id", full_name="Sari Wulandari")
    budi = UserFactory(email="budi@pemda.go.id", full_name="Budi Santoso")
    communities.community_join(community=community, user=budi)

    # Sari finds the community, joins it and opens a topic mentioning Budi.
    sign_in(sari)
    page.goto("/komunitas/")
    check_page(page)
    click_and_wait(page, page.get_by_role("link", name="Komunitas Analis Kebijakan"))
    check_page(page)
    click_and_wait(page, page.get_by_role("button", name=_("Join the community")))
    expect(page.get_by_text(_("Welcome to the community."))).to_be_visible()
    page.get_by_role("textbox", name=_("Topic")).fill("Contoh RIA untuk perda?")
    page.get_by_role("textbox", name=_("Text")).fill(
        "@Budi Santoso, instansi Anda pernah memakai RIA?"
    )
    click_and_wait(page, page.get_by_role("button", name=_("Post the topic")))
    page.wait_for_url(re.compile(r"/diskusi/topik/\d+/$"))
    check_page(page)
    assert Notification.objects.filter(recipient=budi, kind="mention").exists()

    # Budi replies on the topic's page.
    sign_in(budi)
    page.reload()
    page.get_by_role("textbox", name=_("Your reply")).fill(
        "Pernah, untuk perda retribusi. Saya bagikan nanti."
    )
    click_and_wait(page, page.get_by_role("button", name=_("Post the reply")))
    expect(page.get_by_text("Pernah, untuk perda retribusi.")).to_be_visible()
    assert Notification.objects.filter(recipient=sari, kind="reply").exists()

    # Sari claims a week of participation.
    Membership.objects.filter(user=sari).update(joined_at=timezone.now() - timedelta(days=10))
    sign_in(sari)
    page.goto("/komunitas/analis-kebijakan/klaim/")
    check_page(page)
    today = timezone.localdate()
    page.get_by_label(_("From")).fill((today - timedelta(days=6)).isoformat())
    page.get_by_label(_("Until")).fill(today.isoformat())
    page.get_by_label(_("Hours of participation")).fill("4")
    page.get_by_label(_("What you did and learned in the community")).fill(
        "Saya membuka topik tentang RIA dan mendapat contoh perda retribusi dari instansi lain."
    )
    click_and_wait(page, page.get_by_role("button", name=_("Claim")))
    record = DevelopmentRecord.objects.get(owner=sari)
    page.wait_for_url(re.compile(rf"/saya/pengembangan/{record.pk}/$"))
    assert record.form.code == "komunitas-belajar"
