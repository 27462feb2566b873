"""Package lessons in saved-for-offline courses (issue 18): the offline manifest lists each
package's player page and files on the package origin, with their bytes, in a "packages"
section; and the package origin serves its service worker and save page (and the site does not).
"""

import io
import json
import re
import zipfile
from urllib.parse import quote

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from courses.factories import (
    CoursePageFactory,
    LessonPageFactory,
    ModulePageFactory,
    provider_page_of,
)
from learners.factories import UserFactory
from packages import samples
from packages.factories import PackageFactory
from packages.models import Package, PackageLessonPage

pytestmark = pytest.mark.django_db

# The loopback twin: the test client's site ("testserver") gets each package from a host of
# its own, p-<uuid hex>.localhost. A host of no stored package, for what every package host
# serves (the worker, the save page):
PACKAGE_HOST = f"p-{'0' * 32}.localhost"


def package_host(package) -> str:
    return f"p-{package.uuid.hex}.localhost"


def package_origin(package) -> str:
    return f"http://{package_host(package)}"


@pytest.fixture(autouse=True)
def loopback_twin(settings):
    settings.LENTERA_PACKAGE_ORIGIN = ""
    settings.WAGTAILADMIN_BASE_URL = "http://testserver"
    settings.ALLOWED_HOSTS = ["testserver", ".localhost", "127.0.0.1"]


def make_package(organization, archive: bytes, *, with_file_list=True, title="Paket") -> Package:
    """A package imported as an editor's upload is (`with_file_list=False`: as if imported
    before the import kept the list of its files, so the offline manifest lists the storage)."""
    package = PackageFactory(organization=organization, archive=archive, title=title)
    if not with_file_list:
        del package.manifest["files"]
        package.save(update_fields=["manifest"])
    return package


def package_lesson(module, package, title):
    lesson = PackageLessonPage(
        title=title, estimated_minutes=15, required_for_completion=True, package=package
    )
    module.add_child(instance=lesson)
    lesson.save_revision().publish()
    return lesson


@pytest.fixture
def learner():
    return UserFactory(email="peserta.paket@instansi.go.id")


@pytest.fixture
def package_course(provider_a):
    course = CoursePageFactory(parent=provider_page_of(provider_a), title="Keamanan Informasi")
    module = ModulePageFactory(parent=course, title="Modul Sandi")
    LessonPageFactory(parent=module, title="Pengantar")
    archive = samples.scorm12_single_sco()
    package = make_package(provider_a, archive)
    lesson = package_lesson(module, package, "Kata sandi")
    # The same package in a second lesson is listed (and stored) once.
    again = package_lesson(module, package, "Kata sandi lagi")
    return {
        "course": course,
        "module": module,
        "package": package,
        "archive": archive,
        "lessons": (lesson, again),
    }


def _manifest(client, page, **params):
    response = client.get(f"/api/v1/pages/{page.pk}/offline", params)
    assert response.status_code == 200, response.content
    return response.json()


def _archive_files(archive):
    with zipfile.ZipFile(io.BytesIO(archive)) as source:
        return {info.filename: info.file_size for info in source.infolist() if not info.is_dir()}


def test_the_manifest_lists_the_package_files_on_the_package_origin(
    client_for, learner, package_course
):
    package = package_course["package"]
    lesson, again = package_course["lessons"]
    manifest = _manifest(client_for(learner), package_course["course"])

    [section] = manifest["packages"]
    assert section["uuid"] == str(package.uuid)
    assert section["title"] == package.title
    assert section["kind"] == "scorm12"
    # The package's own origin: its storage and worker are its alone.
    assert section["origin"] == package_origin(package)
    assert section["lesson_ids"] == [lesson.pk, again.pk]
    assert section["version"] == package.sha256
    files = _archive_files(package_course["archive"])
    expected = [
        {"url": f"{package_origin(package)}/paket/{package.uuid}/f/{quote(path)}", "bytes": size}
        for path, size in files.items()
    ]
    assert section["files"][0]["url"] == f"{package_origin(package)}/paket/{package.uuid}/putar/"
    assert section["files"][1:] == expected
    assert section["bytes"] == sum(item["bytes"] for item in section["files"])
    # The size the learner is shown includes the package; the package lessons are saved pages.
    assert manifest["total_bytes"] == section["bytes"] + sum(
        entry["bytes"] for entry in manifest["entries"]
    )
    lesson_entries = {entry["lesson_id"] for entry in manifest["entries"] if entry["lesson_id"]}
    assert {lesson.pk, again.pk} <= lesson_entries
    # No site cache entry points at the package origin: those files are the save page's.
    assert not [entry for entry in manifest["entries"] if "/paket/" in entry["url"]]


def test_every_package_file_listed_is_served_by_the_package_origin(
    client_for, learner, package_course
):
    manifest = _manifest(client_for(learner), package_course["course"])
    package = package_course["package"]
    package_client = Client(HTTP_HOST=package_host(package))
    for item in manifest["packages"][0]["files"]:
        path = item["url"].removeprefix(package_origin(package))
        response = package_client.get(path)
        assert response.status_code == 200, path
        if "/f/" in path:
            assert len(b"".join(response.streaming_content)) == item["bytes"]


def test_without_a_stored_file_list_the_storage_is_listed(client_for, learner, provider_a):
    course = CoursePageFactory(parent=provider_page_of(provider_a), title="Tanpa Daftar")
    module = ModulePageFactory(parent=course, title="Modul")
    archive = samples.scorm12_single_sco(title="Lama")
    package = make_package(provider_a, archive, with_file_list=False)
    package_lesson(module, package, "Paket lama")

    [section] = _manifest(client_for(learner), course)["packages"]
    files = _archive_files(archive)
    assert sorted(item["url"] for item in section["files"][1:]) == sorted(
        f"{package_origin(package)}/paket/{package.uuid}/f/{quote(path)}" for path in files
    )
    assert section["bytes"] - section["files"][0]["bytes"] == sum(files.values())


def test_a_module_lists_only_its_own_packages_and_the_version_follows_the_package(
    client_for, learner, package_course, provider_a
):
    client = client_for(learner)
    other_module = ModulePageFactory(parent=package_course["course"], title="Modul Lain")
    LessonPageFactory(parent=other_module, title="Tanpa paket")
    assert _manifest(client, other_module)["packages"] == []
    before = _manifest(client, package_course["course"])

    second = make_package(provider_a, samples.scorm12_single_sco(title="Kedua"), title="Kedua")
    package_lesson(other_module, second, "Paket kedua")
    after = _manifest(client, package_course["course"])
    assert [item["uuid"] for item in after["packages"]] == [
        str(package_course["package"].uuid),
        str(second.uuid),
    ]
    # Each package on an origin of its own, each saved by its own save page.
    assert [item["origin"] for item in after["packages"]] == [
        package_origin(package_course["package"]),
        package_origin(second),
    ]
    assert after["version"] != before["version"]


def test_a_course_without_package_lessons_has_an_empty_section(client_for, learner, course_a):
    manifest = _manifest(client_for(learner), course_a)
    assert manifest["packages"] == []


def test_queries_do_not_grow_with_package_lessons(client_for, learner, provider_a):
    provider_page = provider_page_of(provider_a)
    courses = []
    for count, name in ((1, "Satu"), (6, "Enam")):
        course = CoursePageFactory(parent=provider_page, title=f"Paket {name}")
        module = ModulePageFactory(parent=course, title=f"Modul {name}")
        for number in range(count):
            package = make_package(
                provider_a, samples.scorm12_single_sco(title=f"{name} {number}"), title=name
            )
            package_lesson(module, package, f"Paket {name} {number}")
        courses.append(course)
    client = client_for(learner)
    for course in courses:
        _manifest(client, course)

    with CaptureQueriesContext(connection) as small_queries:
        small = _manifest(client, courses[0])
    with CaptureQueriesContext(connection) as large_queries:
        large = _manifest(client, courses[1])

    assert len(small["packages"]) == 1
    assert len(large["packages"]) == 6
    assert len(large_queries) == len(small_queries)
    # One query more than a course without packages (13, bench/budgets.py) at most.
    assert len(large_queries) <= 14


# The package origin's service worker and save page


def test_the_package_service_worker_is_served_on_the_package_origin():
    client = Client(HTTP_HOST=PACKAGE_HOST)
    response = client.get("/paket/sw.js")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Cache-Control"] == "no-cache"
    assert response["Service-Worker-Allowed"] == "/paket/"
    assert b"lentera-paket-" in response.content
    assert "Set-Cookie" not in response
    # Unchanged, it is a 304 by its ETag.
    again = client.get("/paket/sw.js", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_the_save_page_is_served_on_the_package_origin_for_the_site_only():
    response = Client(HTTP_HOST=PACKAGE_HOST).get("/paket/simpan/")

    assert response.status_code == 200
    assert response["Cache-Control"] == "no-cache"
    assert "X-Frame-Options" not in response
    assert "Set-Cookie" not in response
    policy = response["Content-Security-Policy"]
    assert "frame-ancestors http://testserver" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    html = response.content.decode()
    assert '<script src="/static/js/package-save.js" defer></script>' in html
    assert '"siteOrigin": "http://testserver"' in html
    assert '"worker": "/paket/sw.js"' in html
    assert '"scope": "/paket/"' in html
    assert '"uuid": "00000000-0000-0000-0000-000000000000"' in html  # the host's own package
    # Every kind of package takes the player's script; H5P takes the vendored runtime too.
    assert "/static/js/package-player.js" in html
    assert "csrfmiddlewaretoken" not in html


@pytest.mark.parametrize("path", ["/paket/sw.js", "/paket/simpan/"])
def test_the_site_does_not_serve_the_package_origin_files(client, path, site_tree):
    assert client.get(path).status_code == 404


def test_a_signed_in_learner_gets_nothing_personal_from_the_save_page(learner):
    client = Client(HTTP_HOST=PACKAGE_HOST)
    client.force_login(learner)
    response = client.get("/paket/simpan/")
    assert response.status_code == 200
    assert learner.email not in response.content.decode()
    assert "Set-Cookie" not in response


@pytest.mark.parametrize("archive", [samples.scorm12_single_sco, samples.h5p_quiz])
def test_the_save_page_stores_every_static_file_the_player_page_names(archive, provider_a):
    """Offline, the player page finds its script, styles (and H5P's runtime) in the cache."""
    package = make_package(provider_a, archive())
    client = Client(HTTP_HOST=package_host(package))
    player = client.get(f"/paket/{package.uuid}/putar/").content.decode()
    named = set(re.findall(r'(/static/[^"\']+)', player))
    assert named, "the player page names no static file"
    save = client.get("/paket/simpan/").content.decode()
    data = json.loads(re.search(r'id="package-save"[^>]*>(.*?)</script>', save, re.S).group(1))
    assert named <= set(data["statics"][package.kind])
