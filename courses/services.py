"""Services that shape the site: its skeleton and each organization's part of it."""

from urllib.parse import urlsplit

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from content.models import LibraryPage, LibrarySectionPage, Organization
from courses.models import CatalogPage, HomePage, ProviderPage
from moderation.models import CourseModerationTask

EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page"]
# Only moderators publish: editors submit through the organization's workflow.
MODERATOR_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
MEDIA_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
]
# Editors pick competencies for their courses; snippet choosers need view permission. They
# translate their own pages (content.translation refuses pages they may not edit).
GLOBAL_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("content", "view_competency"),
    ("wagtail_localize", "submit_translation"),
]
# Moderators look after what people find: the search promotions and synonyms shared by all.
MODERATOR_GLOBAL_PERMISSIONS = [
    ("wagtailsearchpromotions", f"{action}_searchpromotion")
    for action in ("add", "change", "delete")
] + [("search", f"{action}_searchsynonym") for action in ("add", "change", "delete", "view")]


def _publish(page: Page) -> Page:
    page.save_revision().publish()
    return page


@transaction.atomic
def site_structure_ensure() -> tuple[HomePage, CatalogPage, LibraryPage]:
    """Create the home, catalog and library pages and point the default site at home, once."""
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        home = root.add_child(
            instance=HomePage(
                title="Lentera",
                slug="beranda",
                headline="Belajar kapan saja, di mana saja, untuk pelayanan publik yang lebih baik",
            )
        )
        _publish(home)
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)
        else:
            previous_root = site.root_page
            site.root_page = home
            site.save()
            # Wagtail's placeholder "Welcome" page is no longer reachable: remove it.
            if previous_root.specific_class is Page and previous_root.pk != home.pk:
                previous_root.delete()
    catalog = CatalogPage.objects.child_of(home).first()
    if catalog is None:
        catalog = _publish(
            home.add_child(instance=CatalogPage(title="Katalog Pelatihan", slug="katalog"))
        )
    library = LibraryPage.objects.child_of(home).first()
    if library is None:
        library = _publish(
            home.add_child(instance=LibraryPage(title="Pustaka Pengetahuan", slug="pustaka"))
        )
    return home, catalog, library


def site_identity_sync(*, base_url: str, name: str) -> None:
    """Give the default Wagtail site the public address `base_url` (BASE_URL) and the site's name.

    Wagtail builds page links (moderation e-mails, the API's `html_url`) from its site's hostname
    and port, which otherwise keep the placeholder it was created with (`http://localhost/`).
    """
    address = urlsplit(base_url)
    if not address.hostname:
        raise ValueError(
            f"BASE_URL needs a scheme and a host, e.g. http://127.0.0.1:8000 (got {base_url!r})"
        )
    port = address.port or (443 if address.scheme == "https" else 80)
    site = Site.objects.filter(is_default_site=True).first()
    if site is not None and (site.hostname, site.port, site.site_name) != (
        address.hostname,
        port,
        name,
    ):
        site.hostname, site.port, site.site_name = address.hostname, port, name
        site.save()


def _permissions(codenames: list[tuple[str, str]]) -> list[Permission]:
    """The named permissions, in one query; each must exist (the apps' migrations create them)."""
    wanted = Q()
    for app_label, codename in codenames:
        wanted |= Q(content_type__app_label=app_label, codename=codename)
    permissions = list(Permission.objects.filter(wanted).select_related("content_type"))
    missing = set(codenames) - {
        (permission.content_type.app_label, permission.codename) for permission in permissions
    }
    if missing:
        raise Permission.DoesNotExist(f"No such permissions: {sorted(missing)}")
    return permissions


@transaction.atomic
def organization_setup(*, organization: Organization) -> Organization:
    """Give an organization its own part of Lentera; safe to run again.

    Creates its catalog and library sections, a media collection, an editors and a moderators
    group with permissions on those only, and a moderation workflow in which editors submit and
    only this organization's moderators approve and publish.
    """
    catalog, library = site_structure_ensure()[1:]

    if organization.collection is None:
        organization.collection = Collection.get_first_root_node().add_child(name=organization.name)
    editors = Group.objects.get_or_create(name=f"{organization.short_name} — Editor")[0]
    moderators = Group.objects.get_or_create(name=f"{organization.short_name} — Moderator")[0]
    organization.editors_group = editors
    organization.moderators_group = moderators

    provider_page = ProviderPage.objects.filter(organization=organization).first()
    if provider_page is None:
        provider_page = _publish(
            catalog.add_child(
                instance=ProviderPage(
                    title=organization.name,
                    slug=organization.slug,
                    organization=organization,
                    summary=organization.description[:300],
                )
            )
        )
    library_section = LibrarySectionPage.objects.filter(organization=organization).first()
    if library_section is None:
        library_section = _publish(
            library.add_child(
                instance=LibrarySectionPage(
                    title=organization.name,
                    slug=organization.slug,
                    organization=organization,
                    summary=organization.description[:300],
                )
            )
        )

    moderators.permissions.add(*_permissions(MODERATOR_GLOBAL_PERMISSIONS))
    global_permissions = _permissions(GLOBAL_PERMISSIONS)
    media_permissions = _permissions(MEDIA_PERMISSIONS)
    for group in (editors, moderators):
        group.permissions.add(*global_permissions)
    # Run again, the rows already there are kept (each is unique in Wagtail's tables).
    GroupCollectionPermission.objects.bulk_create(
        [
            GroupCollectionPermission(
                group=group, collection=organization.collection, permission=permission
            )
            for group in (editors, moderators)
            for permission in media_permissions
        ],
        ignore_conflicts=True,
    )
    page_permissions = []
    for group, codenames in (
        (editors, EDITOR_PAGE_PERMISSIONS),
        (moderators, MODERATOR_PAGE_PERMISSIONS),
    ):
        for permission in _permissions([("wagtailcore", name) for name in codenames]):
            for section in (provider_page, library_section):
                page_permissions.append(
                    GroupPagePermission(group=group, page=section, permission=permission)
                )
    GroupPagePermission.objects.bulk_create(page_permissions, ignore_conflicts=True)

    if organization.workflow is None:
        workflow = Workflow.objects.create(name=f"{organization.short_name} — Moderasi")
        # The moderators' approval; a course's request holds its changed modules and lessons.
        task = CourseModerationTask.objects.create(
            name=f"{organization.short_name} — Persetujuan moderator"
        )
        task.groups.set([moderators])
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
        organization.workflow = workflow
    for section in (provider_page, library_section):
        WorkflowPage.objects.update_or_create(
            page=section, defaults={"workflow": organization.workflow}
        )

    organization.save()
    return organization
