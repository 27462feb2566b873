"""The notifications page per person: their own list only, paged, marking read by POST, the
header's count, the digest setting."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from notifications.models import Notification, NotificationPreference
from notifications.services import notify, notify_many

pytestmark = pytest.mark.django_db

Kind = Notification.Kind
LIST = "/saya/notifikasi/"


def test_the_list_url_is_under_saya():
    assert reverse("notifications:list") == LIST


def test_signed_out_people_are_sent_to_sign_in(client):
    assert client.get(LIST)["Location"].startswith("/accounts/login/")
    response = client.post(reverse("notifications:mark_all_read"))
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.usefixtures("english_interface")
def test_the_list_shows_only_my_notifications_newest_first_with_links(client_for, reader, writer):
    notify(recipient=reader, kind=Kind.ANSWER, actor=writer, subject="Old", url="/a/")
    notify(recipient=reader, kind=Kind.REMINDER, actor=writer, subject="New", url="/b/")
    notify(recipient=writer, kind=Kind.REMINDER, actor=reader, subject="Not yours", url="/c/")
    page = client_for(reader).get(LIST)
    assert page.status_code == 200
    text = page.text
    assert "Not yours" not in text
    assert text.index("Reminder: New") < text.index("New answer to your question “Old”")
    assert 'href="/b/"' in text and "Penulis Satu" in text
    # The header's count, with its words for screen readers.
    assert '<span class="badge">2<span class="visually-hidden"> unread</span></span>' in text


def test_the_list_is_in_the_readers_language_with_the_links_under_en(client_for, reader):
    notify(recipient=reader, kind=Kind.SESSION_CANCELLED, subject="Kelas", url="/kelas/1/sesi/")
    client = client_for(reader)
    assert "Sesi langsung dibatalkan: Kelas" in client.get(LIST).text
    english = client.get("/en" + LIST).text
    assert "Live session cancelled: Kelas" in english
    assert 'href="/en/kelas/1/sesi/"' in english


def test_the_list_reads_the_same_number_of_queries_for_few_and_many(client_for, reader, writer):
    client = client_for(reader)
    client.get(LIST)  # the header's roles, cached per person
    counts = []
    for total in (3, 45):
        Notification.objects.all().delete()
        notify_many(recipients=[reader], kind=Kind.REPLY, actor=writer, subject="x", url="/x/")
        for _number in range(total - 1):
            notify(recipient=reader, kind=Kind.ANSWER, actor=writer, subject="y", url="/y/")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(LIST).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_list_is_paged(client_for, reader):
    for number in range(25):
        notify(recipient=reader, kind=Kind.REMINDER, subject=f"Nomor {number:02}")
    client = client_for(reader)
    first, second = client.get(LIST).text, client.get(LIST + "?page=2").text
    assert "Nomor 24" in first and "Nomor 05" in first and "Nomor 04" not in first
    assert "Nomor 04" in second and "Nomor 00" in second and "Nomor 24" not in second


def test_marking_one_read_by_post_and_nobody_elses(client_for, reader, writer):
    mine = notify(recipient=reader, kind=Kind.REMINDER, subject="a")
    url = reverse("notifications:mark_read", args=[mine.pk])
    assert client_for(reader).get(url).status_code == 405
    assert client_for(writer).post(url).status_code == 404
    mine.refresh_from_db()
    assert mine.read_at is None
    response = client_for(reader).post(url, {"page": "2"})
    assert response.status_code == 302 and response["Location"] == LIST + "?page=2"
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_marking_all_read_leaves_other_peoples(client_for, reader, writer):
    notify(recipient=reader, kind=Kind.REMINDER, subject="a")
    notify(recipient=reader, kind=Kind.REMINDER, subject="b")
    theirs = notify(recipient=writer, kind=Kind.REMINDER, subject="c")
    response = client_for(reader).post(reverse("notifications:mark_all_read"))
    assert response.status_code == 302
    assert not Notification.objects.filter(recipient=reader, read_at=None).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_marking_read_needs_the_csrf_token(reader):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    notification = notify(recipient=reader, kind=Kind.REMINDER, subject="a")
    url = reverse("notifications:mark_read", args=[notification.pk])
    assert client.post(url).status_code == 403
    notification.refresh_from_db()
    assert notification.read_at is None


@pytest.mark.usefixtures("english_interface")
def test_the_digest_setting_is_on_the_profile_page_and_saved_there(client_for, reader):
    client = client_for(reader)
    profile = client.get(reverse("learners:profile")).text
    assert "E-mail me a daily digest of the notifications I have not read" in profile
    assert 'name="daily_digest"' in profile and "checked" in profile
    response = client.post(reverse("notifications:preferences"), {"next": "profile"})
    assert response["Location"] == reverse("learners:profile")
    assert NotificationPreference.objects.get(user=reader).daily_digest is False
    client.post(reverse("notifications:preferences"), {"daily_digest": "on"})
    assert NotificationPreference.objects.get(user=reader).daily_digest is True


def test_a_wagtail_page_reads_the_count_from_the_cache_only(client_for, reader, site_tree):
    from django.core.cache import cache

    from notifications.selectors import unread_count_key

    notify(recipient=reader, kind=Kind.REMINDER, subject="a")
    client = client_for(reader)
    home = client.get("/")
    assert home.status_code == 200
    # Not cached: a Wagtail page shows the link without a number rather than count.
    assert 'visually-hidden"> ' not in home.text.split("site-header")[1].split("</header>")[0]
    cache.set(unread_count_key(reader.pk), 7)
    assert '<span class="badge">7' in client.get("/").text


def test_an_id_beyond_any_column_is_a_404_not_a_server_error(client_for, reader):
    for url in (
        "/saya/notifikasi/99999999999999999999999/dibaca/",
        "/api/v1/me/notifications/99999999999999999999999/read",
    ):
        assert client_for(reader).post(url).status_code in (404, 422)
