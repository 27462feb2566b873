"""The content review report (Reports → Content review) and "mark as reviewed" in the admin:
who sees which organization's content, the views, the CSV, the JP warning and query counts."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from courses.factories import (
    CoursePageFactory,
    ProviderFactory,
    course_with_lessons,
    provider_page_of,
)
from courses.models import CoursePage
from learners.factories import UserFactory
from tests.utils import count_queries

pytestmark = pytest.mark.django_db

REPORT = reverse("content_review")


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def _course(provider, title, days_left, **fields):
    return CoursePageFactory(
        parent=provider_page_of(provider),
        title=title,
        review_by=timezone.localdate() + timedelta(days=days_left),
        **fields,
    )


@pytest.fixture
def world(provider_a, provider_b, editor_a):
    return {
        "overdue_a": _course(provider_a, "Etika Lama", -3, content_owner=editor_a),
        "soon_a": _course(provider_a, "Pelayanan Prima", 20),
        "later_a": _course(provider_a, "Manajemen Risiko", 200),
        "overdue_b": _course(provider_b, "Analisis Data Lama", -10),
    }


def _titles(response) -> list[str]:
    return [row["title"] for row in response.context["rows"]]


def test_an_editor_sees_their_organizations_content_due_for_review(world, editor_a, client_for):
    response = client_for(editor_a).get(REPORT)
    assert response.status_code == 200
    assert _titles(response) == ["Etika Lama", "Pelayanan Prima"]
    assert "Analisis Data Lama" not in response.text
    overdue = client_for(editor_a).get(REPORT, {"status": "overdue"})
    assert _titles(overdue) == ["Etika Lama"]
    # Another organization chosen in the address: still only their own.
    other = client_for(editor_a).get(REPORT, {"organization": world["overdue_b"].provider_id})
    assert _titles(other) == ["Etika Lama", "Pelayanan Prima"]


def test_superusers_and_lan_see_every_organization_and_choose_one(world, provider_b, client_for):
    superuser = UserFactory(is_superuser=True, is_staff=True)
    everything = client_for(superuser).get(REPORT)
    assert _titles(everything) == ["Analisis Data Lama", "Etika Lama", "Pelayanan Prima"]
    chosen = client_for(superuser).get(REPORT, {"organization": provider_b.pk})
    assert _titles(chosen) == ["Analisis Data Lama"]

    lan = ProviderFactory(name="Lembaga Administrasi Negara", short_name="LAN", kind="lan")
    lan_editor = UserFactory()
    lan_editor.groups.add(lan.editors_group)
    assert _titles(client_for(lan_editor).get(REPORT)) == _titles(everything)


def test_people_without_an_organization_to_edit_are_refused(world, client_for):
    learner = UserFactory()
    assert client_for(learner).get(REPORT).status_code in (302, 403)


def test_the_csv_lists_every_row_with_the_warnings(world, editor_a, client_for):
    response = client_for(editor_a).get(REPORT, {"export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:5] == ["Judul", "Jenis", "Instansi", "Pemilik", "Tinjau paling lambat"]
    assert [row[0] for row in rows[1:]] == ["Etika Lama", "Pelayanan Prima"]
    assert rows[1][3] == editor_a.full_name
    assert rows[1][5] == "-3"


def test_the_report_warns_when_jp_and_lesson_minutes_disagree(provider_a, editor_a, client_for):
    section = provider_page_of(provider_a)
    # Four lessons of 20 minutes: 80 minutes, about 1.8 JP.
    fits = course_with_lessons(provider_page=section, title="Sesuai", jp=Decimal("2"))
    off = course_with_lessons(provider_page=section, title="Tidak Sesuai", jp=Decimal("1"))
    CoursePage.objects.filter(pk__in=[fits.pk, off.pk]).update(review_by=timezone.localdate())
    response = client_for(editor_a).get(REPORT)
    rows = {row["title"]: row for row in response.context["rows"]}
    assert rows["Tidak Sesuai"]["jp_disagrees"] and not rows["Sesuai"]["jp_disagrees"]
    assert rows["Tidak Sesuai"]["lesson_minutes"] == 80
    assert "tetapi pelajarannya berjumlah 80 menit" in response.text
    only = client_for(editor_a).get(REPORT, {"status": "jp"})
    assert _titles(only) == ["Tidak Sesuai"]


def test_the_reports_queries_do_not_grow_with_its_rows(provider_a, editor_a, client_for):
    client = client_for(editor_a)
    _course(provider_a, "Satu", -1)
    one = count_queries(client, REPORT)
    for number in range(8):
        _course(provider_a, f"Lagi {number}", -number)
    assert count_queries(client, REPORT) == one
    assert len(client.get(REPORT).context["rows"]) == 9


def _mark(client, page, review_by=None):
    review_by = review_by or timezone.localdate() + timedelta(days=365)
    return client.post(
        reverse("content_review_mark", args=[page.pk]), {"review_by": review_by.isoformat()}
    )


def test_a_moderator_marks_content_reviewed(world, moderator_a, client_for):
    course = world["overdue_a"]
    client = client_for(moderator_a)
    assert client.get(reverse("content_review_mark", args=[course.pk])).status_code == 200
    response = _mark(client, course)
    assert response.status_code == 302
    course.refresh_from_db()
    assert course.last_reviewed_on == timezone.localdate()
    assert course.last_reviewed_by == moderator_a
    assert course.review_by == timezone.localdate() + timedelta(days=365)


def test_marking_reviewed_is_refused_outside_ones_rights(world, editor_a, editor_b, client_for):
    # Another organization's course does not exist for them; a course they do not own, they
    # may edit but not mark reviewed (its moderators or its owner do).
    assert _mark(client_for(editor_b), world["overdue_a"]).status_code == 404
    refused = _mark(client_for(editor_a), world["soon_a"])
    assert (refused.status_code, refused["Location"]) == (302, reverse("wagtailadmin_home"))
    assert _mark(client_for(editor_a), world["overdue_a"]).status_code == 302
    world["soon_a"].refresh_from_db()
    assert world["soon_a"].last_reviewed_on is None


def test_a_review_by_date_in_the_past_is_refused_with_a_message(world, moderator_a, client_for):
    response = _mark(
        client_for(moderator_a), world["overdue_a"], timezone.localdate() - timedelta(days=1)
    )
    assert response.status_code == 400
    # The admin speaks the person's language: Indonesian by default.
    assert "Pilih tanggal setelah hari ini" in response.text
    world["overdue_a"].refresh_from_db()
    assert world["overdue_a"].last_reviewed_on is None
