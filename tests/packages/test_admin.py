"""The "E-learning packages" admin: editors upload, see what was found, and only their own."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from courses.factories import ModulePageFactory
from packages import samples
from packages.factories import PackageFactory, PackageLessonPageFactory
from packages.models import Package
from packages.page_forms import PackageLessonPageForm
from tests.packages.zips import MINIMAL_SCORM12, scorm12_zip

pytestmark = pytest.mark.django_db


def upload(client, organization, data: bytes, name: str = "kursus.zip", title: str = ""):
    return client.post(
        reverse("package_admin:add"),
        {
            "organization": organization.pk,
            "title": title,
            "upload": SimpleUploadedFile(name, data, content_type="application/zip"),
        },
    )


def test_an_editor_uploads_a_package_and_sees_what_was_found(
    provider_a, editor_a, client_for, english_interface
):
    client = client_for(editor_a)
    assert client.get(reverse("package_admin:add")).status_code == 200
    response = upload(client, provider_a, samples.scorm2004_multi_sco(title="Pelayanan"))
    package = Package.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("package_admin:inspect", args=[package.pk])
    assert package.organization == provider_a
    assert package.uploaded_by == editor_a
    page = client.get(response["Location"])
    assert page.status_code == 200
    content = page.content.decode()
    assert "Pelayanan" in content
    assert "2004 4th Edition" in content
    for item in package.items:
        assert item["launch"] in content
    assert "SCORM 2004 sequencing" in content


def test_a_refused_package_is_explained_in_the_form_and_nothing_is_stored(
    provider_a, editor_a, client_for, english_interface
):
    response = upload(client_for(editor_a), provider_a, scorm12_zip({"../../evil.html": b"x"}))
    assert response.status_code == 200
    assert "unsafe path" in response.content.decode()
    assert "../../evil.html" in response.content.decode()
    assert not Package.objects.exists()


def test_a_file_also_used_as_a_folder_is_explained_in_the_form(
    provider_a, editor_a, client_for, english_interface
):
    data = scorm12_zip({"x.html": b"1", "x.html/y.js": b"2"})
    response = upload(client_for(editor_a), provider_a, data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "uses that file&#x27;s name as a folder" in content
    assert "x.html/y.js" in content
    assert not Package.objects.exists()


def test_items_nested_too_deep_are_explained_in_the_form(
    provider_a, editor_a, client_for, english_interface
):
    opening = "".join(f'<item identifier="n{level}"><title>N</title>' for level in range(1100))
    manifest = MINIMAL_SCORM12.replace(b"<item ", opening.encode() + b"<item ", 1).replace(
        b"</organization>", b"</item>" * 1100 + b"</organization>"
    )
    response = upload(client_for(editor_a), provider_a, scorm12_zip(manifest=manifest))
    assert response.status_code == 200
    assert "nested more than 20 levels deep" in response.content.decode()
    assert not Package.objects.exists()


def test_the_refusal_is_in_indonesian_by_default(provider_a, editor_a, client_for):
    response = upload(client_for(editor_a), provider_a, b"bukan zip")
    assert response.status_code == 200
    assert "Berkas ini bukan paket" in response.content.decode()


def test_an_editor_cannot_upload_for_another_organization(
    provider_a, provider_b, editor_a, client_for
):
    response = upload(client_for(editor_a), provider_b, scorm12_zip())
    assert response.status_code == 200
    assert not Package.objects.exists()


def test_another_organizations_editor_sees_none_of_its_packages(provider_a, editor_b, client_for):
    package = PackageFactory(organization=provider_a, title="Rahasia A")
    client = client_for(editor_b)
    index = client.get(reverse("package_admin:index"))
    assert index.status_code == 200
    assert "Rahasia A" not in index.content.decode()
    for name in ("inspect", "edit", "delete", "history", "usage"):
        assert client.get(reverse(f"package_admin:{name}", args=[package.pk])).status_code == 404


def test_a_learner_without_admin_access_is_turned_away(provider_a, client_for):
    from learners.factories import UserFactory

    response = client_for(UserFactory()).get(reverse("package_admin:index"))
    assert response.status_code in (302, 403)


def test_the_editor_lists_and_renames_their_packages(provider_a, editor_a, client_for):
    package = PackageFactory(organization=provider_a, title="Lama")
    client = client_for(editor_a)
    assert "Lama" in client.get(reverse("package_admin:index")).content.decode()
    response = client.post(reverse("package_admin:edit", args=[package.pk]), {"title": "Baru"})
    assert response.status_code == 302
    package.refresh_from_db()
    assert package.title == "Baru"


def test_an_unused_package_can_be_deleted(provider_a, editor_a, client_for):
    package = PackageFactory(organization=provider_a)
    response = client_for(editor_a).post(reverse("package_admin:delete", args=[package.pk]))
    assert response.status_code == 302
    assert not Package.objects.exists()


def test_a_package_used_by_a_lesson_is_not_deleted_and_the_editor_is_told_why(
    course_a, editor_a, client_for, english_interface
):
    module = course_a.get_children().first().specific
    package = PackageFactory(organization=course_a.provider)
    PackageLessonPageFactory(parent=module, package=package, title="Pelajaran Paket")
    client = client_for(editor_a)
    confirm = client.get(reverse("package_admin:delete", args=[package.pk]))
    assert "cannot be deleted" in confirm.content.decode()
    assert "Pelajaran Paket" in confirm.content.decode()
    response = client.post(reverse("package_admin:delete", args=[package.pk]), follow=True)
    assert Package.objects.filter(pk=package.pk).exists()
    assert "cannot be deleted" in response.content.decode()


def test_a_package_lesson_offers_only_its_providers_packages(course_a, provider_b):
    module = ModulePageFactory(parent=course_a)
    own = PackageFactory(organization=course_a.provider, title="Milik A")
    other = PackageFactory(organization=provider_b, title="Milik B")
    form_class = PackageLessonPageFormFor()
    form = form_class(parent_page=module)
    choices = list(form.fields["package"].queryset)
    assert choices == [own]
    assert other not in choices


def PackageLessonPageFormFor():  # noqa: N802 (reads like the class it returns)
    from packages.models import PackageLessonPage

    return PackageLessonPage.get_edit_handler().get_form_class()


def test_the_page_form_class_is_the_scoped_one():
    assert issubclass(PackageLessonPageFormFor(), PackageLessonPageForm)


def test_the_upload_is_in_the_packages_history(provider_a, editor_a, client_for):
    from wagtail.models import ModelLogEntry

    client = client_for(editor_a)
    upload(client, provider_a, scorm12_zip())
    package = Package.objects.get()
    entry = ModelLogEntry.objects.get(object_id=str(package.pk), action="wagtail.create")
    assert entry.user == editor_a
    response = client.get(reverse("package_admin:history", args=[package.pk]))
    assert response.status_code == 200


def test_the_history_filter_refuses_a_date_before_2000_and_applies_a_later_one(
    provider_a, editor_a, client_for, english_interface
):
    """Year 1 at midnight in Jakarta is year 0 in UTC: it used to reach the database and 500."""
    client = client_for(editor_a)
    upload(client, provider_a, scorm12_zip())
    package = Package.objects.get()
    url = reverse("package_admin:history", args=[package.pk])
    refused = client.get(url, {"timestamp_from": "0001-01-01", "timestamp_to": "9999-12-31"})
    assert refused.status_code == 200
    assert "Enter a date from 2000 on." in refused.content.decode()
    kept = client.get(url, {"timestamp_from": "2000-01-01", "timestamp_to": "9999-12-31"})
    assert [entry.action for entry in kept.context["object_list"]] == ["wagtail.create"]
    after = client.get(url, {"timestamp_from": "9999-01-01"})
    assert list(after.context["object_list"]) == []


def test_the_history_filters_refusal_is_in_indonesian_by_default(provider_a, editor_a, client_for):
    client = client_for(editor_a)
    upload(client, provider_a, scorm12_zip())
    package = Package.objects.get()
    url = reverse("package_admin:history", args=[package.pk])
    refused = client.get(url, {"timestamp_from": "0001-01-01"})
    assert refused.status_code == 200
    assert "Masukkan tanggal mulai tahun 2000." in refused.content.decode()


def test_the_permission_policy_follows_the_organizations_groups(
    provider_a, provider_b, editor_a, moderator_a, editor_b
):
    from learners.factories import UserFactory
    from packages.admin_views import permission_policy

    package_a = PackageFactory(organization=provider_a)
    learner = UserFactory()
    superuser = UserFactory(is_superuser=True)
    assert permission_policy.user_has_permission(editor_a, "add")
    assert permission_policy.user_has_any_permission(moderator_a, ["change", "delete"])
    assert not permission_policy.user_has_permission(learner, "view")
    assert not permission_policy.user_has_permission(editor_a, "publish")
    assert permission_policy.user_has_permission_for_instance(editor_a, "change", package_a)
    assert not permission_policy.user_has_permission_for_instance(editor_b, "change", package_a)
    assert permission_policy.user_has_any_permission_for_instance(superuser, ["view"], package_a)
    assert list(permission_policy.instances_user_has_any_permission_for(editor_b, ["view"])) == []
    assert list(permission_policy.instances_user_has_any_permission_for(editor_a, ["view"])) == [
        package_a
    ]
    users = set(permission_policy.users_with_any_permission(["change"]))
    assert {editor_a, moderator_a, editor_b, superuser} <= users
    assert learner not in users
    instance_users = set(
        permission_policy.users_with_any_permission_for_instance(["change"], package_a)
    )
    assert {editor_a, moderator_a, superuser} <= instance_users
    assert editor_b not in instance_users
