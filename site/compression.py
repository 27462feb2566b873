"""Compressed HTML (and other text) with Django's own GZipMiddleware, files left as they are.

Django's middleware compresses every response the browser accepts gzip for, streamed files
included. Here that would mean re-compressing PDFs, images and videos served through Django
(certificates, Wagtail's document view) on every download, for no gain, and dropping their
`Content-Length` so no download shows its progress. This subclass leaves those alone and keeps
all the rest of Django's behaviour, its BREACH mitigation included (random bytes in the gzip
header since Django 4.2): https://docs.djangoproject.com/en/5.2/ref/middleware/#module-django.middleware.gzip
"""

from django.http import HttpRequest, HttpResponseBase
from django.middleware.gzip import GZipMiddleware

# Media types that compress well: markup, style, script, data and captions.
COMPRESSIBLE_TYPES = (
    "text/",
    "application/json",
    "application/manifest+json",
    "application/javascript",
    "application/xml",
    "application/ld+json",
    "image/svg+xml",
)


def compressible(response: HttpResponseBase) -> bool:
    """Whether the response's media type is text that gzip makes smaller."""
    content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    return content_type.startswith(COMPRESSIBLE_TYPES)


class TextGZipMiddleware(GZipMiddleware):
    """GZipMiddleware for text responses only (`COMPRESSIBLE_TYPES`)."""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if not compressible(response):
            return response
        return super().process_response(request, response)
