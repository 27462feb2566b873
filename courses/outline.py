"""The course outline that course, module and lesson pages show: read from the database once per
version of the course, then served from the cache (Django's cache: Redis in production, shared by
every process), in windows and pages so that a page stays light however long the course.

Every cache key carries the course's outline version (`CourseOutlineVersion`), which changes,
in the same transaction and whatever process makes the change, when a page at or below the course
(or above it: a provider's slug is in every lesson's URL) is saved, published, unpublished,
moved or deleted, or a view restriction changes. An outline read before the change is then never
read again (its keys expire), so drafts, unpublished and restricted lessons never show.

What is kept is the same for everyone: the learner's own state (enrollment, lessons done,
progress) is read per request by `learners` and never cached here. A preview in the Wagtail admin
(`in_preview`) neither reads nor stores anything: it renders a draft, which has the live page's
id, version and publication time, so its keys would be the public ones.
"""

import hashlib
import uuid
from dataclasses import dataclass
from functools import cache as once
from functools import reduce
from operator import or_
from pathlib import Path
from typing import NamedTuple

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connections, models, router
from django.utils import translation
from wagtail import hooks
from wagtail.models import Page

# The `{% shared_cache %}` tag keeps the course page's parts as long as this module keeps values.
from content.translation import reads_translation, source_locale_id, translated_titles
from courses.templatetags.course_tags import OUTLINE_CACHE_SECONDS, SharedCacheNode

# The lesson page's outline shows this many lessons either side of the current one (within its
# module) and this many modules either side of its module; the course page pages its modules.
LESSON_WINDOW = 5
MODULE_WINDOW = 2
COURSE_MODULES_PER_PAGE = 20
# A course of up to this many lessons lists them on the course page; a longer one lists only
# its modules (each module page lists its lessons).
OUTLINE_LESSON_LIMIT = 30


def _model(name: str) -> type[models.Model]:
    # courses.models calls this module from its pages' get_context: the page models are looked up
    # in the app registry rather than imported back (no import cycle between the two).
    return apps.get_model("courses", name)


class OutlineLesson(NamedTuple):
    """A lesson as a course outline shows it."""

    pk: int
    title: str
    url: str
    estimated_minutes: int
    required_for_completion: bool
    # Opens only once every other required lesson is done (a post-test): the
    # `lessons_opening_last` hook's lessons (the quizzes app owns quizzes; courses does not
    # import it). "Continue learning" leads to it last.
    opens_last: bool = False


class OutlineModule(NamedTuple):
    """A module as a course outline shows it: `start` is the index of its first lesson in the
    course's lesson sequence, `lesson_count` its live lessons."""

    pk: int
    title: str
    url: str
    lesson_count: int
    minutes: int
    start: int


@dataclass(frozen=True)
class Outline:
    """A course's live, public modules and lessons in page order."""

    modules: list[OutlineModule]
    lessons: list[OutlineLesson]
    # For each lesson (same index), the index of its module in `modules`.
    module_index: list[int]

    @property
    def lesson_count(self) -> int:
        return len(self.lessons)

    @property
    def total_minutes(self) -> int:
        return sum(module.minutes for module in self.modules)

    def module_lessons(self, position: int) -> list[OutlineLesson]:
        module = self.modules[position]
        return self.lessons[module.start : module.start + module.lesson_count]


@dataclass(frozen=True)
class OutlineSummary:
    """The figures a course page states (lessons, modules, minutes): kept apart from the outline
    so that a page showing only them reads a few bytes from the cache."""

    lesson_count: int
    module_count: int
    total_minutes: int


@dataclass(frozen=True)
class LessonNav:
    """Everything a lesson page shows of its course: its number, previous and next lesson, and a
    window of the outline (the lessons around it in its module, the modules around its module)
    with how many lessons and modules the window leaves out."""

    number: int | None
    count: int
    previous: OutlineLesson | None
    next: OutlineLesson | None
    module: OutlineModule | None
    lessons: list[OutlineLesson]
    lessons_before: int
    lessons_after: int
    modules_before: list[OutlineModule]
    modules_after: list[OutlineModule]
    modules_hidden_before: int
    modules_hidden_after: int
    # The course page's outline pages that list the modules just before and after the window.
    outline_page_before: int = 1
    outline_page_after: int = 1

    @property
    def lesson_ids(self) -> list[int]:
        """The lessons whose state (done or not) the window shows."""
        return [lesson.pk for lesson in self.lessons]


def outline_token(course) -> str:
    """The course's outline version, from a `select_related("outline_version")` course when it
    has one (no query), else one small query whose result the course keeps."""
    CourseOutlineVersion = _model("CourseOutlineVersion")
    relation = type(course).outline_version.related
    try:
        version = relation.get_cached_value(course)
    except KeyError:
        database = router.db_for_read(CourseOutlineVersion)
        with connections[database].cursor() as cursor:
            cursor.execute(_token_sql(database), [course.pk])
            row = cursor.fetchone()
        version = CourseOutlineVersion(course_id=course.pk, token=row[0]) if row else None
        relation.set_cached_value(course, version)
    return version.token if version is not None else "0"


@once
def _token_sql(database: str) -> str:
    """`outline_token`'s statement, written once per process: the ORM took 0.3 ms of every
    course page view to build it (a reverse one-to-one `.get()`), running it 0.03 ms. Names from
    the model; one parameter, the course's id."""
    CourseOutlineVersion = _model("CourseOutlineVersion")
    quote = connections[database].ops.quote_name
    meta = CourseOutlineVersion._meta
    return (
        f"SELECT {quote(meta.get_field('token').column)} FROM {quote(meta.db_table)} "  # noqa: S608
        f"WHERE {quote(meta.get_field('course').column)} = %s"
    )


def outline_changed(*paths: str) -> None:
    """A new outline version for every course at, above or below these tree paths."""
    CourseOutlineVersion, CoursePage = _model("CourseOutlineVersion"), _model("CoursePage")

    if not paths:
        return
    steplen = Page.steplen
    ancestors = {path[:end] for path in paths for end in range(steplen, len(path) + 1, steplen)}
    below = models.Q()
    for path in paths:
        below |= models.Q(path__startswith=path)
    course_ids = list(
        CoursePage.objects.filter(models.Q(path__in=ancestors) | below).values_list("pk", flat=True)
    )
    if not course_ids:
        return
    # A course page lists its published prerequisites: a change to one is a change to it too.
    course_ids += list(
        CoursePage.objects.filter(prerequisites__in=course_ids).values_list("pk", flat=True)
    )
    token = uuid.uuid4().hex
    updated = CourseOutlineVersion.objects.filter(course_id__in=course_ids)
    existing = set(updated.values_list("course_id", flat=True))
    updated.update(token=token)
    CourseOutlineVersion.objects.bulk_create(
        [
            CourseOutlineVersion(course_id=pk, token=token)
            for pk in course_ids
            if pk not in existing
        ],
        ignore_conflicts=True,
    )


# The templates whose parts are kept in the cache (`{% shared_cache %}`); with the templates those
# parts include, they are part of the cache format.
FRAGMENT_TEMPLATES = (
    "courses/course_page.html",
    "components/course_contents.html",
    "courses/lesson_page.html",
)
# What renders a lesson's body, kept in the cache too (`lesson_body_key`): the stream's blocks,
# their templates (`_block_templates`) and the code that fills them.
BODY_MODULES = ("content/blocks.py", "content/figures.py", "content/embeds.py")


def _fragment_sources(name: str, seen: set[str]) -> list[str]:
    """The source of a template and of every template its `{% shared_cache %}` parts include
    (by a constant name), recursively."""
    from django.template.loader import get_template
    from django.template.loader_tags import IncludeNode

    if name in seen:
        return []
    seen.add(name)
    template = get_template(name).template
    sources = [template.source]
    nodes = (
        template.nodelist.get_nodes_by_type(IncludeNode)
        if len(seen) > 1  # an included template: all of it is inside a cached part
        else [
            include
            for part in template.nodelist.get_nodes_by_type(SharedCacheNode)
            for include in part.nodelist.get_nodes_by_type(IncludeNode)
        ]
    )
    for include in nodes:
        if isinstance(include.template.var, str) and not include.template.filters:
            sources += _fragment_sources(include.template.var, seen)
    return sources


def _block_templates(block) -> list[str]:
    """The templates of a stream block and of every block inside it."""
    names = [block.meta.template] if getattr(block.meta, "template", None) else []
    for child in getattr(block, "child_blocks", {}).values():
        names += _block_templates(child)
    return names


@once
def cache_format() -> str:
    """The shape of what is cached, part of every key: a hash of this module's source (the
    outline's tuples, `LessonNav` and the other classes whose objects are cached), of the
    templates whose rendered parts are cached and the templates they include, of the project's
    compiled translations (the parts' text), and of `LENTERA_RELEASE` when the deployment names
    its release. A cache shared with the processes of another release (Redis, during and after a
    deploy) then never hands this code a value of another shape (a tuple where a page is
    expected) nor a part rendered by another release's templates. Computed once per process."""
    digest = hashlib.sha256(settings.LENTERA_RELEASE.encode())
    digest.update(Path(__file__).read_bytes())
    seen: set[str] = set()
    from content.blocks import LearningStreamBlock

    for module in BODY_MODULES:
        digest.update(b"\0" + (Path(settings.BASE_DIR) / module).read_bytes())
    for name in [*FRAGMENT_TEMPLATES, *sorted(set(_block_templates(LearningStreamBlock())))]:
        for source in _fragment_sources(name, seen):
            digest.update(b"\0" + source.encode())
    for path in settings.LOCALE_PATHS:
        for catalog in sorted(Path(path).glob("*/LC_MESSAGES/django.mo")):
            digest.update(b"\0" + catalog.read_bytes())
    return digest.hexdigest()[:12]


def _key(course, *parts) -> str:
    # The language is in the URLs (/en/...); the course's own publication time guards against a
    # cache that outlives its database (a course of the same id in a regenerated data set).
    published = course.last_published_at.timestamp() if course.last_published_at else 0
    return ":".join(
        [
            "courses:outline",
            cache_format(),
            str(course.pk),
            outline_token(course),
            f"{published:.6f}",
            translation.get_language() or "",
            *map(str, parts),
        ]
    )


def outline_read(course, request=None) -> Outline:
    """The outline from the database: live, public modules and lessons, two queries (plus the
    view restrictions `public()` reads), whatever the course's length."""
    LessonPage, ModulePage = _model("LessonPage"), _model("ModulePage")

    modules = list(
        ModulePage.objects.live()
        .public()
        .child_of(course)
        .order_by("path")
        .only("id", "title", "path", "url_path", "translation_key")
    )
    conditions = [hook() for hook in hooks.get_hooks("lessons_opening_last")]
    rows = (
        LessonPage.objects.live()
        .public()
        .descendant_of(course)
        .order_by("path")
        .annotate(
            opens_last=(
                models.Case(
                    models.When(reduce(or_, conditions), then=models.Value(True)),
                    default=models.Value(False),
                )
                if conditions
                else models.Value(False)
            )
        )
        .values_list(
            "pk",
            "title",
            "path",
            "url_path",
            "estimated_minutes",
            "required_for_completion",
            "opens_last",
            "translation_key",
        )
    )
    # Under /en/ the titles of the translated modules and lessons (one query more, on a miss).
    titles = {}
    if reads_translation():
        rows = list(rows)
        titles = translated_titles([m.translation_key for m in modules] + [r[-1] for r in rows])
        for module in modules:
            module.title = titles.get(module.translation_key, module.title)
    position_of = {module.path: n for n, module in enumerate(modules)}
    grouped: list[list[OutlineLesson]] = [[] for _ in modules]
    module_urls = [module.get_url(request) for module in modules]
    for pk, title, path, url_path, minutes, required, opens_last, key in rows:
        title = titles.get(key, title)
        position = position_of.get(path[: -Page.steplen])
        if position is None:
            continue
        module = modules[position]
        # A lesson's URL is its module's plus its own slug: no page object needed.
        url = f"{module_urls[position]}{url_path[len(module.url_path) :]}"
        grouped[position].append(OutlineLesson(pk, title, url, minutes, required, bool(opens_last)))
    outline_modules, lessons, module_index = [], [], []
    for position, module in enumerate(modules):
        outline_modules.append(
            OutlineModule(
                module.pk,
                module.title,
                module_urls[position],
                len(grouped[position]),
                sum(lesson.estimated_minutes for lesson in grouped[position]),
                len(lessons),
            )
        )
        lessons.extend(grouped[position])
        module_index.extend([position] * len(grouped[position]))
    return Outline(outline_modules, lessons, module_index)


def in_preview(request) -> bool:
    """Whether the request is a preview in the Wagtail admin (the editor's preview, a revision,
    a page in moderation: Wagtail's `make_preview_request` marks it): it renders a draft, which
    neither reads what the cache keeps for the live page nor stores anything there."""
    return bool(getattr(request, "is_preview", False))


def _cached(request, key: str, read):
    """What `read()` returns, kept under `key`; read afresh, and not kept, in a preview."""
    if in_preview(request):
        return read()
    value = cache.get(key)
    if value is None:
        value = read()
        cache.set(key, value, OUTLINE_CACHE_SECONDS)
    return value


def outline_for(course, request=None) -> Outline:
    """The course's outline, from the cache when this version of it was read before."""
    return _cached(request, _key(course, "all"), lambda: outline_read(course, request))


def _summary(outline: Outline) -> OutlineSummary:
    return OutlineSummary(outline.lesson_count, len(outline.modules), outline.total_minutes)


def outline_summary(course, request=None) -> OutlineSummary:
    return _cached(request, _key(course, "summary"), lambda: _summary(outline_for(course, request)))


@dataclass(frozen=True)
class LessonOrder:
    """The course's lessons in order, compactly: what "continue learning" needs to choose the
    next lesson on every course page view (a few KB at 1,000 lessons, where the outline's
    lessons are over 100 KB to fetch and rebuild)."""

    ids: tuple[int, ...]
    # One byte per lesson (same index): 1 when it is required for completion / opens last.
    required: bytes
    opens_last: bytes


def _lesson_order(lessons: list[OutlineLesson]) -> LessonOrder:
    return LessonOrder(
        ids=tuple(lesson.pk for lesson in lessons),
        required=bytes(lesson.required_for_completion for lesson in lessons),
        opens_last=bytes(lesson.opens_last for lesson in lessons),
    )


def lesson_order(course, request=None) -> LessonOrder:
    return _cached(
        request, _key(course, "order"), lambda: _lesson_order(outline_for(course, request).lessons)
    )


def outline_lesson(course, index: int, request=None) -> OutlineLesson:
    """The course's lesson at `index` of its `lesson_order`, as the outline shows it."""
    return _cached(
        request,
        _key(course, "lesson-at", index),
        lambda: outline_for(course, request).lessons[index],
    )


def _lesson_nav(outline: Outline, lesson_pk: int, module_pk: int | None) -> LessonNav:
    position = next((n for n, item in enumerate(outline.lessons) if item.pk == lesson_pk), None)
    if position is not None:
        module_position = outline.module_index[position]
    else:
        # A lesson the outline does not list (being previewed, or restricted): its module's
        # window, without a number or neighbours.
        module_position = next(
            (n for n, module in enumerate(outline.modules) if module.pk == module_pk), None
        )
    if module_position is None:
        return LessonNav(None, outline.lesson_count, None, None, None, [], 0, 0, [], [], 0, 0)
    module = outline.modules[module_position]
    module_lessons = outline.module_lessons(module_position)
    at = position - module.start if position is not None else 0
    first = max(0, at - LESSON_WINDOW)
    last = min(len(module_lessons), at + LESSON_WINDOW + 1)
    first_module = max(0, module_position - MODULE_WINDOW)
    last_module = min(len(outline.modules), module_position + MODULE_WINDOW + 1)
    return LessonNav(
        number=position + 1 if position is not None else None,
        count=outline.lesson_count,
        previous=outline.lessons[position - 1] if position else None,
        next=(
            outline.lessons[position + 1]
            if position is not None and position + 1 < outline.lesson_count
            else None
        ),
        module=module,
        lessons=module_lessons[first:last],
        lessons_before=first,
        lessons_after=len(module_lessons) - last,
        modules_before=outline.modules[first_module:module_position],
        modules_after=outline.modules[module_position + 1 : last_module],
        modules_hidden_before=first_module,
        modules_hidden_after=len(outline.modules) - last_module,
        outline_page_before=max(first_module - 1, 0) // COURSE_MODULES_PER_PAGE + 1,
        outline_page_after=last_module // COURSE_MODULES_PER_PAGE + 1,
    )


def lesson_nav(course, lesson, request=None) -> LessonNav:
    """A lesson's place in its course and its window of the outline, from the cache."""

    def read() -> LessonNav:
        module_pk = None
        outline = outline_for(course, request)
        if not any(item.pk == lesson.pk for item in outline.lessons):
            parent_path = lesson.path[: -Page.steplen]
            module_pk = Page.objects.filter(path=parent_path).values_list("pk", flat=True).first()
        return _lesson_nav(outline, lesson.pk, module_pk)

    # In a preview, `lesson` may be a new page, without an id (each would share `lesson:None`).
    return _cached(request, _key(course, "lesson", lesson.pk), read)


@dataclass(frozen=True)
class OutlinePage:
    """One page of a course page's outline: its modules, and their lessons when the course is
    short enough to list them."""

    modules: list[tuple[OutlineModule, list[OutlineLesson]]]
    number: int
    num_pages: int
    lists_lessons: bool
    # The number of the page's first module in the course (the list's `start`).
    start: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1


def outline_page(course, request=None, *, number=None) -> OutlinePage:
    """One page of the course page's outline (`number` as the `?modul=` parameter gives it; an
    invalid one gives the first page, one past the end the last)."""
    outline = outline_for(course, request)
    paginator = Paginator(range(len(outline.modules)), COURSE_MODULES_PER_PAGE)
    page = paginator.get_page(number)
    lists_lessons = outline.lesson_count <= OUTLINE_LESSON_LIMIT
    return OutlinePage(
        modules=[
            (outline.modules[n], outline.module_lessons(n) if lists_lessons else [])
            for n in page.object_list
        ],
        number=page.number,
        num_pages=paginator.num_pages,
        lists_lessons=lists_lessons,
        start=page.start_index(),
    )


def outline_page_key(course, number: int, request=None) -> str | None:
    """The cache key of a rendered page of the course page's outline (None in a preview:
    `{% shared_cache %}` then renders it and keeps nothing)."""
    return None if in_preview(request) else _key(course, "course-page-outline", number)


def lesson_contents_key(course, lesson, request=None) -> str | None:
    """The cache key of the parts of a lesson's "Course contents" that are the same for
    everyone (the modules around the lesson's, the links to the lessons out of the window): all
    but the learner's own lessons done. None in a preview, or for a lesson without an id yet."""
    if in_preview(request) or lesson.pk is None:
        return None
    return _key(course, "lesson-contents", lesson.pk)


def view_restrictions(course, page, read):
    """The view restrictions of a page of a course (the course itself or a lesson) and of its
    ancestors (`read()`: Wagtail's queryset), kept under the course's outline version. A
    queryset, as Wagtail's callers expect: iterated, it gives the kept restrictions without a
    query; refined (`order_by`, as the admin's privacy view does), it reads them afresh."""
    PageViewRestriction = apps.get_model("wagtailcore", "PageViewRestriction")

    kept = _cached(None, _key(course, "restrictions", page.pk), lambda: list(read()))
    queryset = PageViewRestriction.objects.filter(pk__in=[restriction.pk for restriction in kept])
    # As Django's own prefetching fills a queryset it has read: evaluated, without a query.
    queryset._result_cache = kept
    queryset._prefetch_done = True
    return queryset


def lesson_body_key(course, lesson, request=None) -> str | None:
    """The cache key of a lesson's body as rendered for everyone: the same for every learner, it
    changes with the course's outline version (a page saved or published, and an image, document
    or video changed anywhere: `_media_changed`), with the lesson's own publication (a new body)
    and with data-saver mode (figures on request). None in a preview, or outside a course."""
    if course is None or in_preview(request) or lesson.pk is None:
        return None
    published = lesson.last_published_at.timestamp() if lesson.last_published_at else 0
    mode = "lite" if getattr(request, "data_saver", False) else "full"
    return _key(course, "lesson-body", lesson.pk, f"{published:.6f}", mode)


def course_page_key(course, request=None) -> str | None:
    """The cache key of the parts of the course page that are the same for everyone (None in a
    preview, which renders the draft's)."""
    return None if in_preview(request) else _key(course, "course-page")


def outline_page_number(request, course) -> int:
    """The outline page a request asks for, bounded by the course's pages (no outline read when
    the summary is cached)."""
    summary = outline_summary(course, request)
    pages = max(1, -(-summary.module_count // COURSE_MODULES_PER_PAGE))
    try:
        number = int(request.GET.get("modul", 1)) if request is not None else 1
    except (TypeError, ValueError):
        number = 1
    return min(max(number, 1), pages)


# What an outline shows of a page: a save that changes none of these (a draft revision, a lock)
# keeps the version. A save without `update_fields` may change anything.
OUTLINE_FIELDS = frozenset(
    {"live", "title", "slug", "url_path", "path", "depth", "estimated_minutes"}
    | {"required_for_completion", "expired"}
)


def _with_source(page) -> list[str]:
    """The page's path, and its Indonesian source's when it is a translation: a course is read
    (and cached) as its source page in every language (content.translation)."""
    paths = [page.path]
    if page.locale_id and page.locale_id != source_locale_id():
        paths += Page.objects.filter(
            translation_key=page.translation_key, locale_id=source_locale_id()
        ).values_list("path", flat=True)
    return paths


def _page_saved(sender, instance, update_fields=None, raw=False, **kwargs) -> None:
    if raw or not isinstance(instance, Page):
        return
    if update_fields is not None and not OUTLINE_FIELDS.intersection(update_fields):
        return
    outline_changed(*_with_source(instance))


def _page_deleted(sender, instance, **kwargs) -> None:
    outline_changed(*_with_source(instance))


def _page_moved(sender, instance, parent_page_before=None, parent_page_after=None, **kwargs):
    outline_changed(
        *(page.path for page in (parent_page_before, parent_page_after) if page is not None),
        instance.path,
    )


def _restriction_changed(sender, instance, **kwargs) -> None:
    # `public()` leaves out lessons under a restriction: adding or removing one changes the
    # outline of every course at, above or below the restricted page.
    page = Page.objects.filter(pk=instance.page_id).only("path").first()
    if page is not None:
        outline_changed(page.path)


def _organization_changed(sender, instance, **kwargs) -> None:
    # A provider's names are on its course pages.
    ProviderPage = _model("ProviderPage")

    outline_changed(
        *ProviderPage.objects.filter(organization=instance).values_list("path", flat=True)
    )


def _competency_changed(sender, instance, **kwargs) -> None:
    # A competency's name and code are on the course pages that develop it, and under /en/
    # its English translation's name: a change to (or the deletion of) any language's row
    # renews the pages of the courses that chose the source competency.
    CoursePage = _model("CoursePage")

    outline_changed(
        *CoursePage.objects.filter(
            course_competencies__competency__translation_key=instance.translation_key
        ).values_list("path", flat=True)
    )


def _media_changed(sender, instance, created=False, raw=False, **kwargs) -> None:
    # A lesson's cached body shows its images' renditions, its documents' titles and links and
    # its videos' oEmbed HTML. One that changes or goes (rare, and done in the admin) gives every
    # course a new version. A new image or document is in no cached body yet; a new oEmbed
    # result replaces the plain link a body showed while there was none.
    from wagtail.embeds.models import Embed

    if raw or (created and sender is not Embed):
        return
    outline_changed(*Page.get_root_nodes().values_list("path", flat=True))


def register_outline_handlers() -> None:
    """Connect the receivers that give a course a new outline version (`outline_changed`)."""
    from django.db.models.signals import post_delete, post_save
    from wagtail.models import PageViewRestriction
    from wagtail.signals import post_page_move

    # Any page type: a lesson, a quiz, a package lesson, a module, the course, its provider.
    post_save.connect(_page_saved, dispatch_uid="courses_outline_saved")
    post_delete.connect(_page_deleted, sender=Page, dispatch_uid="courses_outline_deleted")
    post_page_move.connect(_page_moved, dispatch_uid="courses_outline_moved")
    from content.models import Competency, Organization

    post_save.connect(
        _organization_changed, sender=Organization, dispatch_uid="courses_outline_org"
    )
    post_save.connect(_competency_changed, sender=Competency, dispatch_uid="courses_outline_comp")
    post_delete.connect(
        _competency_changed, sender=Competency, dispatch_uid="courses_outline_comp_deleted"
    )
    from wagtail.documents import get_document_model
    from wagtail.embeds.models import Embed
    from wagtail.images import get_image_model

    for model in (get_image_model(), get_document_model(), Embed):
        for signal in (post_save, post_delete):
            signal.connect(
                _media_changed,
                sender=model,
                dispatch_uid=f"courses_outline_media_{model._meta.label}_{signal is post_save}",
            )
    for signal in (post_save, post_delete):
        signal.connect(
            _restriction_changed,
            sender=PageViewRestriction,
            dispatch_uid=f"courses_outline_restriction_{signal is post_save}",
        )
