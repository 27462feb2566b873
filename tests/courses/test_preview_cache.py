"""A preview in the Wagtail admin (the editor's preview, a revision, a page in moderation)
renders a draft, which has the live page's id, outline version and publication time, so the
live page's cache keys: it must neither read what the cache keeps for the live page (the editor
would see the live page, not the draft) nor keep anything there (visitors would get the draft
for a day)."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.urls import reverse

from courses.models import LessonPage, ModulePage

pytestmark = pytest.mark.django_db

DRAFT_TITLE = "Judul Draf Belum Terbit"
DRAFT_SUMMARY = "Ringkasan draf yang belum diterbitkan"
DRAFT_DESCRIPTION = "Uraian draf yang belum diterbitkan"


def outline_keys() -> list[str]:
    return [key for key in cache._cache if ":courses:outline:" in key]


def draft_of(course):
    course.title = DRAFT_TITLE
    course.summary = DRAFT_SUMMARY
    course.description = f"<p>{DRAFT_DESCRIPTION}</p>"
    return course.save_revision()


def revision_view(client, page, revision) -> str:
    response = client.get(reverse("wagtailadmin_pages:revisions_view", args=[page.pk, revision.pk]))
    assert response.status_code == 200
    return response.content.decode()


def assert_draft(html: str) -> None:
    assert f'<h1 id="page-title">{DRAFT_TITLE}</h1>' in html
    assert DRAFT_SUMMARY in html
    assert DRAFT_DESCRIPTION in html


def assert_live(html: str, course) -> None:
    assert f'<h1 id="page-title">{course.title}</h1>' in html
    assert "draf" not in html.lower()


def test_a_draft_previewed_on_a_cold_cache_is_kept_nowhere(client, client_for, editor_a, course_a):
    live = type(course_a).objects.get(pk=course_a.pk)
    revision = draft_of(course_a)
    cache.clear()

    preview = revision_view(client_for(editor_a), course_a, revision)

    assert_draft(preview)
    assert_live(client.get(live.url).content.decode(), live)
    cache.clear()
    revision_view(client_for(editor_a), course_a, revision)
    assert outline_keys() == []


def test_a_draft_previewed_on_a_warm_cache_shows_the_draft(client, client_for, editor_a, course_a):
    live = type(course_a).objects.get(pk=course_a.pk)
    revision = draft_of(course_a)
    cache.clear()
    assert_live(client.get(live.url).content.decode(), live)
    kept = {key: cache._cache[key] for key in outline_keys()}

    preview = revision_view(client_for(editor_a), course_a, revision)

    assert_draft(preview)
    assert {key: cache._cache[key] for key in outline_keys()} == kept
    assert_live(client.get(live.url).content.decode(), live)


def preview(client, url: str, data: dict) -> str:
    assert client.post(url, data).json()["is_valid"]
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_previewed_module_or_lesson_keeps_nothing(client, client_for, editor_a, course_a):
    editor = client_for(editor_a)
    module = ModulePage.objects.child_of(course_a).first()
    lesson = LessonPage.objects.child_of(module).first()
    lesson_form = {"estimated_minutes": 10, "body-count": 0}
    cache.clear()

    module_html = preview(
        editor,
        reverse("wagtailadmin_pages:preview_on_edit", args=[module.pk]),
        {"title": "Modul Draf", "slug": module.slug},
    )
    lesson_html = preview(
        editor,
        reverse("wagtailadmin_pages:preview_on_edit", args=[lesson.pk]),
        {"title": "Pelajaran Draf", "slug": lesson.slug, **lesson_form},
    )
    # A new lesson, without an id yet: once kept, its window of the outline would have been the
    # one every new lesson's preview in the course was shown (`lesson:None`).
    new_lesson_html = preview(
        editor,
        reverse(
            "wagtailadmin_pages:preview_on_add",
            args=[*ContentType.objects.get_for_model(LessonPage).natural_key(), module.pk],
        ),
        {"title": "Pelajaran Baru", "slug": "pelajaran-baru", **lesson_form},
    )

    assert "Modul Draf" in module_html
    assert lesson.title in module_html  # its lessons, from the outline
    assert "Pelajaran Draf" in lesson_html
    assert module.title in lesson_html  # its window of the outline
    assert "Pelajaran Baru" in new_lesson_html
    assert outline_keys() == []
    assert "Draf" not in client.get(module.url).content.decode()
