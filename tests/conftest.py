"""Shared fixtures: the site skeleton, providers with their sections, people in each role."""

import gc
import sqlite3

import pytest
from django.core.cache import cache
from django.db import connection, connections
from django.test import Client
from django.utils import translation
from modelsearch import signal_handlers as modelsearch_signal_handlers
from modelsearch.backends import get_search_backends_with_name
from wagtail.signal_handlers import disable_reference_index_auto_update

from content.models import Organization
from content.translation import source_locale_id
from courses.factories import (
    ProviderFactory,
    course_with_lessons_in_bulk,
    provider_page_of,
)
from courses.services import site_structure_ensure
from learners.factories import UserFactory
from tests.migrated_database import migrations_from_cache

# Background tasks on the database queue, and a mail server that is down.
from tests.task_support import database_tasks, smtp_down  # noqa: F401
from tests.utils import PROVIDERS

# The people around a supervisor's team (development, team, planning and coaching tests) and
# around a cohort (discussions, live sessions); a folder's or module's own fixture of the same
# name takes precedence.
pytest_plugins = ["tests.supervision_fixtures", "tests.cohort_fixtures"]


def pytest_collection_finish(session):
    """The cyclic garbage collector leaves alone what exists once the tests are collected (the
    apps, models, migrations and test modules: never garbage) and runs less often: tests make
    many short-lived objects, and each collection of the youngest generation walked them all
    again. About 8% of the suite's CPU (tests/courses and tests/cohorts: 37.1-39.1 s -> 34.7-35.5 s
    user, alternated)."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 50, 100)


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test starts with an empty cache: Wagtail caches site root paths there, and a
    rolled-back test must not leave paths to pages that no longer exist."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def language_restored():
    """Each test leaves the language as it found it: a request to an /en/ URL activates English
    in this thread, and page URLs computed by the next test would follow it."""
    language = translation.get_language()
    yield
    if language is None:
        translation.deactivate_all()
    else:
        translation.activate(language)


@pytest.fixture(scope="session")
def migrations_cached():
    """`migrate` of the in-memory SQLite test database from a copy kept between runs
    (tests/migrated_database.py); set up before pytest-django's `django_db_setup` migrates."""
    with migrations_from_cache():
        yield


@pytest.fixture(scope="session")
def django_db_setup(migrations_cached, django_db_setup, django_db_blocker, tmp_path_factory):
    """The test database with the site skeleton (home, catalog, library) and the two
    organizations of `provider_a` and `provider_b` already built: building them costs 250 and
    ~200 queries (five published pages, Wagtail's welcome page deleted), which nearly every test
    would otherwise pay. Each test's rollback returns to it; a transactional test's
    flush restores it from the serialized copy taken here (or, without one, `site_tree` builds
    it again).

    On SQLite a file copy of it is kept as well (`migrated_sqlite_file`), taken now because a
    transactional test's flush may have emptied the database by the time a test asks for it."""
    global _migrated_sqlite_file
    with django_db_blocker.unblock():
        site_structure_ensure()
        for fields in PROVIDERS.values():
            ProviderFactory(**fields)
        # Read once here, so that no test counting its queries counts the first read.
        source_locale_id()
        for database in connections.all(initialized_only=True):
            if hasattr(database, "_test_serialized_contents"):
                database._test_serialized_contents = database.creation.serialize_db_to_string()
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            _migrated_sqlite_file = tmp_path_factory.mktemp("database") / "migrated.sqlite3"
            with sqlite3.connect(_migrated_sqlite_file) as copy:
                connection.connection.backup(copy)
            copy.close()


_migrated_sqlite_file = None


@pytest.fixture(scope="session")
def migrated_sqlite_file(django_db_setup):
    """On SQLite, a file holding the suite's test database as set up (every migration applied,
    the site skeleton built), for a child process to start from a copy of it instead of
    migrating a database of its own (about 30 s of CPU); None on other databases."""
    return _migrated_sqlite_file


@pytest.fixture
def search_index(settings):
    """Saved pages and models are indexed for search as they are in production (the test
    settings turn this off for the tests that never search)."""
    settings.WAGTAILSEARCH_BACKENDS = {
        name: {**backend, "AUTO_UPDATE": True}
        for name, backend in settings.WAGTAILSEARCH_BACKENDS.items()
    }


class _IndexTaskWhenIndexing:
    """modelsearch's task that indexes a saved object, queued only while a search backend
    updates automatically: with none (the test settings), the task still read the object twice
    to find nothing to do, about a tenth of the time of saving a page."""

    def __init__(self, task):
        self.task = task

    def enqueue(self, *args, **kwargs):
        if next(get_search_backends_with_name(with_auto_update=True), None) is not None:
            return self.task.enqueue(*args, **kwargs)
        return None


@pytest.fixture(autouse=True, scope="session")
def index_task_only_when_indexing():
    task = modelsearch_signal_handlers.insert_or_update_object_task
    modelsearch_signal_handlers.insert_or_update_object_task = _IndexTaskWhenIndexing(task)
    yield
    modelsearch_signal_handlers.insert_or_update_object_task = task


@pytest.fixture(autouse=True)
def reference_index_off(request):
    """Wagtail's reference index ("used by") is brought up to date after every save: off
    unless a test asks for `reference_index`, for the same reason as the search index."""
    if "reference_index" in request.fixturenames:
        yield
        return
    with disable_reference_index_auto_update():
        yield


@pytest.fixture
def reference_index():
    """Wagtail's reference index kept up to date on every save, as in production: asking for
    this fixture is what `reference_index_off` looks for."""


@pytest.fixture
def site_tree(db):
    """Home, catalog and library pages, with the default site pointing at home."""
    home, catalog, library = site_structure_ensure()
    return {"home": home, "catalog": catalog, "library": library}


def _provider(key: str):
    """The organization as the test database holds it, or set up again where a transactional
    test's flush emptied the database."""
    fields = PROVIDERS[key]
    return Organization.objects.filter(slug=fields["slug"]).first() or ProviderFactory(**fields)


@pytest.fixture
def provider_a(site_tree):
    return _provider("a")


@pytest.fixture
def provider_b(site_tree):
    return _provider("b")


# The courses nearly every test works with: two modules of two lessons, as `course_with_lessons`
# makes them, with the modules and lessons inserted in bulk (a third of the time: `add_child`
# validates and saves one page at a time), before anyone enrolls.
@pytest.fixture
def course_a(provider_a):
    return course_with_lessons_in_bulk(
        provider_page=provider_page_of(provider_a),
        modules=2,
        lessons_per_module=2,
        title="Etika Pelayanan",
    )


@pytest.fixture
def course_b(provider_b):
    return course_with_lessons_in_bulk(
        provider_page=provider_page_of(provider_b),
        modules=2,
        lessons_per_module=2,
        title="Analisis Data",
    )


def _member(organization, group: str, email: str):
    user = UserFactory(email=email, full_name=email.split("@")[0].title())
    user.groups.add(getattr(organization, f"{group}_group"))
    return user


@pytest.fixture
def editor_a(provider_a):
    return _member(provider_a, "editors", "editor.a@instansi.go.id")


@pytest.fixture
def moderator_a(provider_a):
    return _member(provider_a, "moderators", "moderator.a@instansi.go.id")


@pytest.fixture
def editor_b(provider_b):
    return _member(provider_b, "editors", "editor.b@instansi.go.id")


@pytest.fixture
def moderator_b(provider_b):
    return _member(provider_b, "moderators", "moderator.b@instansi.go.id")


@pytest.fixture
def client_for():
    """A test client signed in as the given user."""

    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def english_interface(settings):
    """The interface in English, for tests that compare messages with their source text (the
    Indonesian catalogue is checked as a whole by tests/lentera/test_translations.py). Unprefixed
    URLs then serve English; /en/ URLs stop resolving."""
    from django.urls import clear_url_caches
    from django.utils import translation

    default_language = settings.LANGUAGE_CODE
    settings.LANGUAGE_CODE = "en"
    clear_url_caches()
    translation.activate("en")
    yield
    # The URL resolver memoises language prefixes, and requests activate their language in
    # this thread: hand the next test a clean resolver and the default language.
    settings.LANGUAGE_CODE = default_language
    clear_url_caches()
    translation.activate(default_language)


@pytest.fixture
def concurrent_database(transactional_db, tmp_path):
    """The default database as a deployment opens it, for tests that race threads on it.

    PostgreSQL: the test database as it is. SQLite: for this test, a copy of the test database
    in a file, opened as `lentera.settings.base` opens SQLite (WAL, IMMEDIATE transactions, a
    20 s busy timeout), so each thread's connection waits its turn to write as in production.
    The test runner's in-memory database is shared-cache, which refuses a second writer at once
    ("database table is locked") instead of waiting, something no deployment does.

    Set up before any fixture that writes: list it in `usefixtures`, which pytest sets up
    before the test's own arguments.
    """
    if connection.vendor != "sqlite":
        yield
        return
    connection.ensure_connection()
    memory = connection.connection  # kept open: an in-memory database lives with its connection
    name = connection.settings_dict["NAME"]
    path = tmp_path / "concurrent.sqlite3"
    with sqlite3.connect(path) as copy:
        memory.backup(copy)
    copy.close()
    # Every thread's connection reads this same settings dict (django.db.connections).
    connection.settings_dict["NAME"] = str(path)
    connection.connection = None
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = name
        connection.connection = memory
