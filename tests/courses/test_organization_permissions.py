"""Editors work only in their own organization's section, through the Wagtail admin views."""

import pytest
from django.core import mail
from django.urls import reverse
from wagtail.models import Page, TaskState

from courses.models import ModulePage

pytestmark = pytest.mark.django_db


def _add_module_url(course) -> str:
    return reverse("wagtailadmin_pages:add", args=["courses", "modulepage", course.pk])


def _module_form(title: str, **actions) -> dict:
    return {"title": title, "slug": title.lower().replace(" ", "-"), "summary": "", **actions}


def test_editor_can_open_own_organization_course_in_the_editor(client_for, editor_a, course_a):
    response = client_for(editor_a).get(reverse("wagtailadmin_pages:edit", args=[course_a.pk]))
    assert response.status_code == 200


def test_editor_cannot_open_another_organization_course(client_for, editor_b, course_a):
    response = client_for(editor_b).get(reverse("wagtailadmin_pages:edit", args=[course_a.pk]))
    assert response.status_code in (302, 403)
    assert response.status_code != 200


def test_editor_cannot_change_another_organization_course(client_for, editor_b, course_a):
    revisions_before = course_a.revisions.count()
    response = client_for(editor_b).post(
        reverse("wagtailadmin_pages:edit", args=[course_a.pk]),
        {"title": "Diubah oleh instansi lain", "slug": course_a.slug},
    )
    assert response.status_code in (302, 403)
    course_a.refresh_from_db()
    assert course_a.title == "Etika Pelayanan"
    assert course_a.revisions.count() == revisions_before


def test_editor_cannot_add_a_module_to_another_organization_course(client_for, editor_b, course_a):
    response = client_for(editor_b).post(
        _add_module_url(course_a), _module_form("Modul Penyusup", **{"action-publish": "1"})
    )
    assert response.status_code in (302, 403)
    assert not ModulePage.objects.filter(title="Modul Penyusup").exists()


def test_moderator_cannot_publish_or_unpublish_another_organization_course(
    client_for, moderator_b, course_a
):
    client = client_for(moderator_b)
    response = client.post(reverse("wagtailadmin_pages:unpublish", args=[course_a.pk]))
    assert response.status_code in (302, 403)
    course_a.refresh_from_db()
    assert course_a.live


def test_editor_cannot_publish_own_draft_directly(client_for, editor_a, course_a):
    response = client_for(editor_a).post(
        _add_module_url(course_a), _module_form("Modul Baru", **{"action-publish": "1"})
    )
    assert response.status_code == 302
    module = ModulePage.objects.get(title="Modul Baru")
    assert not module.live


def test_submission_reaches_only_own_moderators_who_alone_can_publish(
    client_for, editor_a, moderator_a, moderator_b, editor_b, course_a
):
    mail.outbox.clear()
    response = client_for(editor_a).post(
        _add_module_url(course_a), _module_form("Modul Studi Kasus", **{"action-submit": "1"})
    )
    assert response.status_code == 302
    module = ModulePage.objects.get(title="Modul Studi Kasus")
    assert not module.live
    workflow_state = module.current_workflow_state
    assert workflow_state is not None
    assert workflow_state.workflow == course_a.provider.workflow

    recipients = {address for message in mail.outbox for address in message.to}
    assert moderator_a.email in recipients
    assert moderator_b.email not in recipients
    assert editor_b.email not in recipients

    task_state = TaskState.objects.get(workflow_state=workflow_state, status="in_progress")
    approve_url = reverse(
        "wagtailadmin_pages:workflow_action", args=[module.pk, "approve", task_state.pk]
    )

    # Another organization's moderator cannot approve it ...
    client_for(moderator_b).post(approve_url, {"comment": ""})
    assert not Page.objects.get(pk=module.pk).live

    # ... its own moderator can, which publishes it.
    response = client_for(moderator_a).post(approve_url, {"comment": "Sudah sesuai."})
    assert response.status_code in (200, 302)
    assert Page.objects.get(pk=module.pk).live


def test_editor_cannot_edit_another_organization_image(client_for, editor_a, editor_b, provider_a):
    import wagtail_factories

    image = wagtail_factories.ImageFactory(title="Logo A", collection=provider_a.collection)
    url = reverse("wagtailimages:edit", args=[image.pk])
    assert client_for(editor_a).get(url).status_code == 200
    assert client_for(editor_b).get(url).status_code in (302, 403)


def test_course_editor_shows_jp_implied_by_lesson_minutes(client_for, editor_a, course_a):
    from wagtail.users.models import UserProfile

    # An editor who prefers English gets the admin in English.
    UserProfile.objects.update_or_create(user=editor_a, defaults={"preferred_language": "en"})
    # Four lessons of 20 minutes: 80 minutes, 1.8 JP at 45 minutes per JP.
    response = client_for(editor_a).get(reverse("wagtailadmin_pages:edit", args=[course_a.pk]))
    assert "80 minutes" in response.content.decode()
    assert "1.8 JP" in response.content.decode()


def test_admin_speaks_indonesian_by_default(client_for, editor_a):
    response = client_for(editor_a).get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    assert 'lang="id-id"' in response.content.decode()
    assert "Dasbor" in response.content.decode()
