"""The offline endpoints of the learner API (/api/v1/), a router `lentera.learner_api` adds:
the CSRF token the service worker sends its queued records with, and the offline manifest of a
course or module (offline/manifests.py)."""

from typing import Literal

from django.http import Http404, HttpResponse
from django.middleware.csrf import get_token
from ninja import Field, Query, Router, Schema

from core.api import INVALID_INPUT, NOT_SIGNED_IN, ErrorOut
from offline.manifests import NotSavable, offline_manifest, savable_page

router = Router()


class CsrfTokenOut(Schema):
    token: str


class OfflineEntryOut(Schema):
    url: str
    kind: str = Field(description="page, image, document, video or captions")
    bytes: int = Field(description="The file's size; for a page, an estimate")
    hash: str = Field(description="Changes when the page is republished or the file replaced")
    lesson_id: int | None = Field(None, description="Lessons and quizzes only")
    title: str
    type: str | None = Field(None, description="Images: the rendition's MIME type")


class OfflineQuizOut(Schema):
    quiz_id: int
    title: str
    timed: bool = Field(description="Timed quizzes need a connection")
    paper_url: str


class OfflinePackageFileOut(Schema):
    url: str = Field(description="On the package origin")
    bytes: int


class OfflinePackageOut(Schema):
    uuid: str
    title: str
    kind: str = Field(description="scorm12, scorm2004 or h5p")
    origin: str = Field(description="The package origin, whose save page stores these files")
    lesson_ids: list[int] = Field(description="The package lessons that play it")
    version: str = Field(description="The package's SHA-256: its files never change")
    files: list[OfflinePackageFileOut] = Field(description="The player page and the files")
    bytes: int


class OfflineManifestOut(Schema):
    page_id: int
    kind: str = Field(description="course or module")
    course_id: int
    title: str
    url: str
    version: str = Field(description="SHA-256 of the entries' sorted (url, hash) pairs")
    videos: str = Field(description="include or exclude, as asked")
    total_bytes: int
    video_bytes: int = Field(description="What videos=include adds")
    entries: list[OfflineEntryOut]
    quizzes: list[OfflineQuizOut]
    packages: list[OfflinePackageOut] = Field(
        description="Package lessons' packages (stored on the package origin); in total_bytes"
    )


class OfflineManifestQuery(Schema):
    videos: Literal["include", "exclude"] = Field(
        "exclude", description="Save the video files too, or only transcripts and captions"
    )
    lang: Literal["id", "en"] = Field("id", description="The language of the page URLs")


@router.get(
    "/me/csrf-token",
    response={200: CsrfTokenOut, **NOT_SIGNED_IN},
    summary="A CSRF token for the service worker's queued POSTs (it cannot read cookies)",
)
def csrf_token(request, response: HttpResponse):
    response["Cache-Control"] = "private, no-store"
    return {"token": get_token(request)}


@router.get(
    "/pages/{page_id}/offline",
    response={200: OfflineManifestOut, 404: ErrorOut, **NOT_SIGNED_IN, **INVALID_INPUT},
    summary="The files to store to study a course or module offline",
)
def page_offline(request, page_id: int, query: Query[OfflineManifestQuery]):
    try:
        page = savable_page(page_id)
        return offline_manifest(
            page, videos=query.videos == "include", lang=query.lang, request=request
        )
    except NotSavable:
        raise Http404 from None
