"""Content in Indonesian and English: pages are served from the Indonesian tree under both
prefixes, with their English translation's text under /en/ or a "not yet translated" notice."""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from django.utils.html import escape
from wagtail.models import GroupPagePermission, Locale

from courses.models import CatalogPage, CoursePage, LessonPage, ModulePage

pytestmark = pytest.mark.django_db

NOTICE = "not yet translated into English"


def _lesson(course):
    return LessonPage.objects.child_of(ModulePage.objects.child_of(course).first()).first()


def _translate(page, title):
    """The page's English translation, published (what wagtail-localize's editor makes)."""
    english = page.copy_for_translation(Locale.objects.get(language_code="en"), copy_parents=True)
    english.title = title
    english.save_revision().publish()
    return english


def _url(page):
    """The page's Indonesian address (a page's URL follows the active language, which a
    request to /en/ in the test client leaves on)."""
    with translation.override("id-id"):
        return page.url


def _english(url):
    return "/en" + url


def test_an_untranslated_lesson_shows_its_indonesian_text_with_a_notice_in_english(
    client, course_a
):
    lesson = _lesson(course_a)
    response = client.get(_english(_url(lesson)))
    assert response.status_code == 200
    html = response.content.decode()
    assert NOTICE in html
    assert lesson.title in html
    assert '<div lang="id">' in html
    # A client of its own: the visit to /en/ kept English as the visitor's language.
    assert NOTICE not in Client().get(_url(lesson)).content.decode()


def test_a_translated_lesson_shows_its_english_text_on_the_indonesian_page(client, course_a):
    lesson = _lesson(course_a)
    _translate(lesson, "Public service ethics in practice")
    response = client.get(_english(_url(lesson)))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Public service ethics in practice" in html
    assert NOTICE not in html
    # The same page (its id: enrollments, progress and JP) in both languages.
    assert response.context["page"].pk == lesson.pk
    indonesian = Client().get(_url(lesson)).content.decode()
    assert lesson.title in indonesian
    assert "Public service ethics in practice" not in indonesian


def test_links_on_an_english_page_stay_under_en(client, course_a):
    lesson = _lesson(course_a)
    _translate(lesson, "Translated lesson")
    with translation.override("en"):
        assert lesson.url.startswith("/en/")
        assert course_a.url.startswith("/en/")
    with translation.override("id-id"):
        assert not lesson.url.startswith("/en/")


def test_the_catalog_lists_each_course_once_in_both_languages_with_its_english_title(
    client, course_a, course_b
):
    _translate(course_a, "Ethics of Public Service")
    _lesson_translation = _translate(_lesson(course_b), "A lesson in English")  # noqa: F841
    assert CoursePage.objects.live().count() == 4  # two courses, a translation, an alias
    catalog = CatalogPage.objects.live().first()
    indonesian = Client().get(_url(catalog)).content.decode()
    english = Client().get(_english(_url(catalog))).content.decode()
    assert indonesian.count("Etika Pelayanan") >= 1 and "Ethics of Public Service" not in indonesian
    assert "Ethics of Public Service" in english and "Etika Pelayanan" not in english
    assert english.count("Analisis Data") == indonesian.count("Analisis Data")


def _queries(url):
    client = Client()
    client.get(url)  # the caches warm
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_a_lesson_takes_as_many_queries_with_one_locale_or_two(course_a, course_b):
    lesson = _lesson(course_a)
    one_locale = _queries(_url(lesson))
    _translate(_lesson(course_b), "Another lesson")
    assert Locale.objects.count() == 2
    assert _queries(_url(lesson)) == one_locale
    # In English: the translation is looked for once, whether there is one or not.
    untranslated = _queries(_english(_url(lesson)))
    _translate(lesson, "Translated")
    assert _queries(_english(_url(lesson))) == untranslated
    assert untranslated == one_locale + 1


def test_an_editor_cannot_translate_another_organizations_page(
    client_for, course_a, editor_a, editor_b
):
    permission = Permission.objects.get(codename="submit_translation")
    editor_a.user_permissions.add(permission)
    editor_b.user_permissions.add(permission)
    url = f"/admin/localize/submit/page/{course_a.pk}/"
    # Wagtail's admin answers a refusal with a redirect to the dashboard and a message.
    refused = client_for(editor_b).get(url)
    assert refused.status_code == 302 and refused.url == "/admin/"
    assert client_for(editor_a).get(url).status_code == 200


def test_a_sections_english_copy_keeps_its_organizations_permissions(course_a, provider_a):
    _translate(_lesson(course_a), "Translated")
    section = course_a.get_parent()
    english_section = section.get_translation(Locale.objects.get(language_code="en"))
    assert set(
        GroupPagePermission.objects.filter(page=english_section).values_list("group_id", flat=True)
    ) == set(GroupPagePermission.objects.filter(page=section).values_list("group_id", flat=True))


def test_the_course_outline_shows_translated_titles_under_en_and_renews_on_translation(
    course_a,
):
    lesson = _lesson(course_a)
    url = _english(_url(course_a))
    before = Client().get(url).content.decode()  # the English outline is cached
    assert lesson.title in before
    _translate(lesson, "An English lesson title")
    english = Client().get(url).content.decode()
    assert "An English lesson title" in english
    assert "An English lesson title" not in Client().get(_url(course_a)).content.decode()


def test_under_en_the_catalog_finds_a_course_by_its_english_words(search_index, course_a, course_b):
    from search.catalog import CatalogFilters, catalog_search

    _translate(course_a, "Ethics of Public Service")

    def found(language):
        with translation.override(language):
            search = catalog_search(filters=CatalogFilters(query="ethics"), page_number=1)
        return [result.course.pk for result in search.results]

    assert found("en") == [course_a.pk]
    assert found("id-id") == []


def test_the_page_api_lists_each_page_once_unless_asked_for_a_locale(client, course_a):
    _translate(course_a, "Ethics of Public Service")
    listing = client.get("/api/v2/pages/", {"type": "courses.CoursePage"}).json()
    assert [item["id"] for item in listing["items"]] == [course_a.pk]
    english = client.get("/api/v2/pages/", {"type": "courses.CoursePage", "locale": "en"}).json()
    assert [item["title"] for item in english["items"]] == ["Ethics of Public Service"]


def test_a_competency_translated_into_english_keeps_its_code(db):
    from content.factories import CompetencyFactory
    from content.models import Competency

    competency = CompetencyFactory(code="T.99", name="Etika Pelayanan Publik")
    english = competency.copy_for_translation(Locale.objects.get(language_code="en"))
    english.name = "Public service ethics"
    english.save()
    assert competency.locale.language_code == "id-id"
    assert Competency.objects.filter(code="T.99").count() == 2
    # The forms offer it once, in Indonesian.
    from development.forms import RecordForm

    offered = RecordForm.base_fields["competencies"].queryset.filter(code="T.99")
    assert list(offered) == [competency]


def test_the_certificate_verification_gives_the_course_title_in_the_readers_language(
    client, course_a
):
    from learners.factories import UserFactory, completed_enrollment
    from learners.models import Certificate

    learner = UserFactory()
    completed_enrollment(user=learner, course=course_a)
    certificate = Certificate.objects.get(enrollment__user=learner)
    url = f"/sertifikat/{certificate.code}/"
    printed = certificate.course_title
    assert printed in client.get(url).content.decode()
    _translate(course_a, "Public Service Integrity")
    english = client.get("/en" + url).content.decode()
    # The printed (Indonesian) title, marked as such, then the English one.
    assert f'<span lang="id">{escape(printed)}</span><br>Public Service Integrity' in english
    indonesian = client.get(url).content.decode()
    assert "Public Service Integrity" not in indonesian


def test_an_editor_cannot_sync_another_organizations_translations(
    client_for, course_a, editor_a, editor_b
):
    """wagtail-localize's "Sync translated pages" checks only the global permission itself:
    syncing with "Publish immediately" would rewrite and publish another section's English."""
    from wagtail_localize.models import TranslationSource

    permission = Permission.objects.get(codename="submit_translation")
    editor_a.user_permissions.add(permission)
    editor_b.user_permissions.add(permission)
    lesson = _lesson(course_a)
    english = Locale.objects.get(language_code="en")
    client_for(editor_a).post(
        f"/admin/localize/submit/page/{lesson.pk}/", {"locales": [english.pk]}
    )
    source = TranslationSource.objects.get_for_instance(lesson)
    url = f"/admin/localize/update/{source.pk}/"
    # Refused as Wagtail's admin refuses: a redirect to the dashboard, and nothing synced.
    for method in ("get", "post"):
        refused = getattr(client_for(editor_b), method)(url, {"publish_translations": "on"})
        assert refused.status_code == 302 and refused.url == "/admin/"
    assert TranslationSource.objects.get(pk=source.pk).last_updated_at == source.last_updated_at
    assert not LessonPage.objects.filter(locale=english, live=True).exists()
    assert client_for(editor_a).get(url).status_code == 200
    assert client_for(editor_b).get("/admin/localize/update/999999/").status_code == 404


def test_the_translation_editors_snippet_lookups_list_translatable_snippets_to_their_editors(
    client_for, editor_b
):
    """wagtail-localize's snippet API lists any snippet model to anyone in the admin; here an
    editor without the competency permissions, or asking for another snippet type (the trainers
    of every course, an organization's service units), is refused."""
    from content.models import Competency
    from learners.factories import UserFactory

    competency = Competency.objects.create(code="K-01", name="Etika publik")
    xhr = {"x-requested-with": "XMLHttpRequest"}
    url = "/admin/localize/api/snippets/content/competency/"
    assert client_for(editor_b).get(url, headers=xhr).status_code == 403
    for other in ("learners/coursetrainer", "evaluation/serviceunit", "content/organization"):
        answer = client_for(editor_b).get(f"/admin/localize/api/snippets/{other}/", headers=xhr)
        assert answer.status_code == 404, other
    admin = client_for(UserFactory(is_superuser=True, is_staff=True))
    listed = admin.get(url, headers=xhr)
    assert listed.status_code == 200
    assert {"id": competency.pk, "title": str(competency)}.items() <= listed.json()[0].items()
    assert admin.get(f"{url}{competency.pk}/", headers=xhr).json()["id"] == competency.pk
    assert admin.get("/admin/localize/api/snippets/learners/coursetrainer/").status_code == 404


def test_the_translations_report_lists_the_translations_of_what_the_editor_may_edit(
    client_for, course_a, course_b, editor_a, editor_b
):
    """wagtail-localize's report listed every translation to anyone in the admin, another
    organization's draft titles included."""
    permission = Permission.objects.get(codename="submit_translation")
    english = Locale.objects.get(language_code="en")
    for editor, course in ((editor_a, course_a), (editor_b, course_b)):
        editor.user_permissions.add(permission)
        client_for(editor).post(
            f"/admin/localize/submit/page/{course.pk}/", {"locales": [english.pk]}
        )
    for url in (
        "/admin/localize/reports/translations/",
        "/admin/localize/reports/translations/results/",
    ):
        report = client_for(editor_b).get(url)
        assert report.status_code == 200
        assert course_b.title in report.content.decode()
        assert course_a.title not in report.content.decode()
