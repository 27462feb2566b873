"""The offline manifest of a course or module: every file a device stores to study it offline.

The page script saves the entries, and later compares hashes to fetch only what changed: a
page's hash changes when it is republished or when what it shows of the outline changes (titles
and order of the modules and lessons around it); a file's hash is its content's (Wagtail's
`file_hash`). The `version` names the whole set.

Queries do not grow with the size of the course: the pages come in one query per kind, the
lesson bodies are read as raw JSON (no block conversion), and the images, their renditions and
the documents each in one query for the whole course. Nothing is encoded here: renditions still
missing are made by the task queue (`offline.tasks`).
"""

import hashlib
import json
from dataclasses import dataclass
from urllib.parse import quote

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.utils import translation
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.models import Filter
from wagtail.models import Page

from content.figures import FIGURE_SOURCE_FORMATS, PHONE_RENDITION_SPECS, rendition_bytes
from courses.models import CoursePage, LessonPage, ModulePage
from offline.tasks import phone_renditions_make
from packages.models import PackageLessonPage, package_storage
from packages.origin import package_origin, package_origins_source
from quizzes.models import QuizPage

#: The interface languages the manifest's page URLs can be in (`lang=`), to Django's codes.
LANGUAGES = {"id": "id-id", "en": "en"}

# A page's size is an estimate: its HTML is made per request and per learner, so it cannot be
# measured here. The site's chrome (header, outline, footer, the strings for the page script)
# weighs about this much before compression (a lesson with two short blocks measured 10 KB, a
# course page 14 KB), and the lesson's body about its stored JSON.
PAGE_CHROME_BYTES = 12_000
# A package's player page (templates/packages/player.html) is about this big; its
# scripts are the package origin's static files, which the save page stores with each package
# (every package has an origin, and so caches, of its own).
PLAYER_PAGE_BYTES = 3_000

_MIME_BY_FORMAT = dict(FIGURE_SOURCE_FORMATS)

# An image whose missing renditions were queued is not queued again for this long (seconds):
# a busy queue has that long to get to it before a later manifest request queues it anew.
RENDITIONS_QUEUED_FOR = 15 * 60


class NotSavable(Exception):
    """The page is not a live, public course or module (the API answers 404)."""


@dataclass
class _Page:
    pk: int
    title: str
    url: str
    hash: str
    bytes: int
    lesson_id: int | None = None


def _short_hash(*parts) -> str:
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()[:16]


def savable_page(page_id: int):
    """The live, public CoursePage or ModulePage with this id, as its specific class."""
    page = Page.objects.live().public().filter(pk=page_id).specific().first()
    if not isinstance(page, CoursePage | ModulePage):
        raise NotSavable(page_id)
    return page


def _raw_items(raw):
    """A ListBlock's raw items: `[{"type": "item", "value": ...}]` or, in older data, the
    values themselves."""
    for item in raw or []:
        if isinstance(item, dict) and item.get("type") == "item" and "value" in item:
            yield item["value"]
        else:
            yield item


def _files_of(body_raw) -> dict:
    """The figures, documents, videos and captions of a lesson body, by id, from its raw JSON:
    converting the blocks would load every image and document one chooser at a time."""
    files = {"images": [], "documents": [], "videos": [], "captions": []}
    for block in body_raw or []:
        value = block.get("value") or {}
        if block.get("type") == "image" and value.get("image"):
            files["images"].append(value["image"])
        elif block.get("type") == "document" and value.get("document"):
            files["documents"].append(value["document"])
        elif block.get("type") == "video":
            if value.get("video_file"):
                files["videos"].append((value["video_file"], value.get("title") or ""))
            for captions in _raw_items(value.get("captions")):
                if isinstance(captions, dict) and captions.get("file"):
                    files["captions"].append((captions["file"], captions.get("label") or ""))
    return files


def _document_bytes(document) -> int:
    if document.file_size is not None:
        return document.file_size
    try:
        return document.file.size
    except OSError:
        return 0


def offline_manifest(page, *, videos: bool, lang: str = "id", request=None) -> dict:
    """What a device stores to study `page` (a CoursePage or ModulePage from `savable_page`)
    offline, with `videos` files or without them (transcripts and captions stay)."""
    language = LANGUAGES[lang]
    if isinstance(page, CoursePage):
        course, only_module = page, None
    else:
        course = CoursePage.objects.parent_of(page).live().public().defer_streamfields().first()
        if course is None:
            raise NotSavable(page.pk)
        only_module = page.pk

    modules = list(
        ModulePage.objects.live()
        .public()
        .child_of(course)
        .only("id", "title", "path", "url_path", "last_published_at", "live_revision")
    )
    # The whole course's lessons, even for a module: the outline each page shows (and so its
    # hash) is the course's, and a page must have the same hash in a module's manifest and the
    # course's, or saving both would fetch it twice and call the copies different.
    course_lessons = list(
        LessonPage.objects.live()
        .public()
        .descendant_of(course)
        .order_by("path")
        .only(
            "id",
            "title",
            "path",
            "url_path",
            "content_type_id",
            "last_published_at",
            "live_revision",
            "required_for_completion",
            "body",
        )
    )
    # A lesson under a module that is not live is not reachable: leave it out.
    module_paths = {module.path for module in modules}
    course_lessons = [
        lesson for lesson in course_lessons if lesson.path[: -Page.steplen] in module_paths
    ]
    # The lessons this manifest lists: the module's own, or the whole course's.
    lessons = [
        lesson
        for lesson in course_lessons
        if only_module is None or lesson.path.startswith(page.path)
    ]
    quiz_rows = {
        row["pk"]: row
        for row in QuizPage.objects.filter(pk__in=[lesson.pk for lesson in lessons]).values(
            "pk", "title", "time_limit_minutes"
        )
    }

    # Every page URL from the course's own: a module's and a lesson's are the course's plus
    # their slugs (no query per page), in the language asked for.
    with translation.override(language):
        course_url = course.get_url(request)

    def url_of(descendant) -> str:
        return f"{course_url}{descendant.url_path[len(course.url_path) :]}"

    # What each page shows of the outline, so that a renamed, added or moved lesson refreshes
    # the saved pages that list it, and a lesson republished alone refreshes only itself.
    lessons_by_module = {}
    for lesson in course_lessons:
        lessons_by_module.setdefault(lesson.path[: -Page.steplen], []).append(
            (lesson.pk, lesson.title, lesson.url_path, lesson.required_for_completion)
        )
    course_outline = [
        (module.pk, module.title, module.url_path, len(lessons_by_module.get(module.path, [])))
        for module in modules
    ]

    def page_hash(target, *shown) -> str:
        return _short_hash(
            target.pk, target.last_published_at, target.live_revision_id, language, shown
        )

    pages = [
        _Page(
            pk=course.pk,
            title=course.title,
            url=course_url,
            hash=page_hash(course, course.title, course_outline, lessons_by_module),
            bytes=PAGE_CHROME_BYTES,
        )
    ]
    for module in modules:
        if only_module is None or module.pk == only_module:
            pages.append(
                _Page(
                    pk=module.pk,
                    title=module.title,
                    url=url_of(module),
                    hash=page_hash(module, course.title, lessons_by_module.get(module.path, [])),
                    bytes=PAGE_CHROME_BYTES,
                )
            )
    files = {"images": [], "documents": [], "videos": [], "captions": []}
    for lesson in lessons:
        module_path = lesson.path[: -Page.steplen]
        body_raw = lesson.body.raw_data if lesson.body else []
        pages.append(
            _Page(
                pk=lesson.pk,
                title=lesson.title,
                url=url_of(lesson),
                hash=page_hash(
                    lesson, course.title, course_outline, lessons_by_module.get(module_path, [])
                ),
                bytes=PAGE_CHROME_BYTES + len(json.dumps(list(body_raw), default=str)),
                lesson_id=lesson.pk,
            )
        )
        for kind, found in _files_of(body_raw).items():
            files[kind].extend(found)

    packages = _package_sections(lessons, request)

    entries = [
        {
            "url": item.url,
            "kind": "page",
            "bytes": item.bytes,
            "hash": item.hash,
            "lesson_id": item.lesson_id,
            "title": item.title,
        }
        for item in pages
    ]
    entries += _image_entries(files["images"])
    document_entries, video_entries = _document_entries(files)
    entries += document_entries
    video_bytes = sum(entry["bytes"] for entry in video_entries)
    if videos:
        entries += video_entries

    # The same file in two lessons is stored once.
    unique = {}
    for entry in entries:
        unique.setdefault(entry["url"], entry)
    entries = list(unique.values())
    version = hashlib.sha256(
        json.dumps(
            sorted((entry["url"], entry["hash"]) for entry in entries)
            + sorted((item["uuid"], item["version"]) for item in packages)
        ).encode()
    ).hexdigest()

    return {
        "page_id": page.pk,
        "kind": "course" if page.pk == course.pk else "module",
        "course_id": course.pk,
        "title": page.title,
        "url": course_url if page.pk == course.pk else url_of(page),
        "version": version,
        "videos": "include" if videos else "exclude",
        "total_bytes": sum(entry["bytes"] for entry in entries)
        + sum(item["bytes"] for item in packages),
        "video_bytes": video_bytes,
        "entries": entries,
        "quizzes": [
            {
                "quiz_id": lesson.pk,
                "title": lesson.title,
                "timed": bool(quiz_rows[lesson.pk]["time_limit_minutes"]),
                "paper_url": f"/api/v1/quizzes/{lesson.pk}/paper",
            }
            for lesson in lessons
            if lesson.pk in quiz_rows
        ],
        "packages": packages,
    }


def _package_files(uuid, manifest) -> list[tuple[str, int]]:
    """A package's extracted files as (relative path, bytes): from its parsed manifest's file
    list (written at import), else, for a package imported without one, from the storage."""
    listed = (manifest or {}).get("files")
    if isinstance(listed, list):
        return [
            (str(item["path"]), int(item.get("bytes") or 0))
            for item in listed
            if isinstance(item, dict) and item.get("path")
        ]
    storage = package_storage()
    found = []
    pending = [""]
    root = f"packages/{uuid}/"
    while pending:
        folder = pending.pop()
        try:
            directories, names = storage.listdir(f"{root}{folder}")
        except (FileNotFoundError, NotADirectoryError, OSError):
            continue
        pending.extend(f"{folder}{name}/" for name in directories)
        for name in names:
            try:
                size = storage.size(f"{root}{folder}{name}")
            except OSError:
                size = 0
            found.append((f"{folder}{name}", size))
    return sorted(found)


def _package_sections(lessons, request) -> list[dict]:
    """The packages the package lessons among `lessons` play (issue 18), one section each: its
    player page and files on the package origin, which the site's save-for-offline asks the
    package origin's save page to store (their bytes count in the size shown). One query, and
    only when the lessons include package lessons."""
    package_type = ContentType.objects.get_for_model(PackageLessonPage).pk
    lesson_ids = [lesson.pk for lesson in lessons if lesson.content_type_id == package_type]
    if not lesson_ids:
        return []
    rows = PackageLessonPage.objects.filter(pk__in=lesson_ids).values(
        "pk",
        "package__uuid",
        "package__title",
        "package__kind",
        "package__sha256",
        "package__manifest",
    )
    if request is None or package_origins_source(request) is None:
        return []  # packages cannot be played from this host: nothing to store
    sections = {}
    order = {pk: index for index, pk in enumerate(lesson_ids)}
    for row in sorted(rows, key=lambda row: order[row["pk"]]):
        uuid = str(row["package__uuid"])
        if uuid in sections:
            sections[uuid]["lesson_ids"].append(row["pk"])
            continue
        # Each package is served from (and saved on) an origin of its own.
        origin = package_origin(request, uuid)
        files = [{"url": f"{origin}/paket/{uuid}/putar/", "bytes": PLAYER_PAGE_BYTES}]
        files += [
            {"url": f"{origin}/paket/{uuid}/f/{quote(path)}", "bytes": size}
            for path, size in _package_files(uuid, row["package__manifest"])
        ]
        sections[uuid] = {
            "uuid": uuid,
            "title": row["package__title"],
            "kind": row["package__kind"],
            "origin": origin,
            "lesson_ids": [row["pk"]],
            # The package's content never changes under its uuid: its hash names the version.
            "version": row["package__sha256"],
            "files": files,
            "bytes": sum(item["bytes"] for item in files),
        }
    return list(sections.values())


def _image_entries(image_ids) -> list[dict]:
    """The renditions a phone picks for each figure (content.figures.PHONE_RENDITION_SPECS,
    every format the figure offers: which one a browser takes depends on the browser), all
    prefetched in one query.

    Only renditions that exist are listed: making the missing ones here would let one request
    encode a whole course's figures (2 widths x 3 formats each, AVIF among them). They are
    queued for the worker instead (`offline.tasks.phone_renditions_make`), and the next
    manifest lists them; until then a device saves the figure with what the page shows.
    """
    images = (
        get_image_model()
        .objects.prefetch_renditions(*PHONE_RENDITION_SPECS)
        .in_bulk(set(image_ids))
    )
    filters = [Filter(spec=spec) for spec in PHONE_RENDITION_SPECS]
    entries, incomplete = [], []
    for image_id in dict.fromkeys(image_ids):
        image = images.get(image_id)
        if image is None:  # deleted from the library: the figure renders empty
            continue
        renditions = {
            found.spec: rendition
            for found, rendition in image.find_existing_renditions(*filters).items()
        }
        if len(renditions) < len(filters):
            incomplete.append(image.pk)
        for spec in PHONE_RENDITION_SPECS:
            rendition = renditions.get(spec)
            if rendition is None or not rendition.file.name:
                continue
            image_format = spec.partition("|format-")[2]
            entries.append(
                {
                    "url": rendition.url,
                    "kind": "image",
                    "bytes": rendition_bytes(rendition) or 0,
                    "hash": _short_hash(image.file_hash or image.file.name, spec),
                    "title": image.title,
                    "type": _MIME_BY_FORMAT.get(image_format, ""),
                }
            )
    _renditions_queue(incomplete)
    return entries


def _renditions_queue(image_ids: list[int]) -> None:
    """Queue the making of the missing phone renditions of these images, once: an image
    queued in the last RENDITIONS_QUEUED_FOR seconds is not queued again by every learner
    asking for the manifest before the worker got to it."""
    if not image_ids:
        return
    keys = {f"offline:renditions-queued:{image_id}": image_id for image_id in image_ids}
    queued = cache.get_many(list(keys))
    fresh = [image_id for key, image_id in keys.items() if key not in queued]
    if not fresh:
        return
    cache.set_many(
        {key: True for key, image_id in keys.items() if image_id in fresh},
        timeout=RENDITIONS_QUEUED_FOR,
    )
    phone_renditions_make.enqueue(image_ids=fresh)


def _document_entries(files) -> tuple[list[dict], list[dict]]:
    """Documents and caption tracks (always saved), and video files (saved on request), from
    one query."""
    videos = dict(files["videos"])
    captions = dict(files["captions"])
    wanted = set(files["documents"]) | set(videos) | set(captions)
    documents = get_document_model().objects.in_bulk(wanted)
    saved, video_entries = [], []
    ordered = [
        *((pk, "document", "") for pk in files["documents"]),
        *((pk, "captions", label) for pk, label in files["captions"]),
        *((pk, "video", title) for pk, title in files["videos"]),
    ]
    for pk, kind, label in ordered:
        document = documents.get(pk)
        if document is None:  # deleted from the library: the block renders without it
            continue
        entry = {
            "url": document.url,
            "kind": kind,
            "bytes": _document_bytes(document),
            "hash": _short_hash(document.file_hash or document.file.name),
            "title": label or document.title,
        }
        (video_entries if kind == "video" else saved).append(entry)
    return saved, video_entries
