"""The bare Django baseline: a view returning fixed bytes (the lesson page's), so the run shows
what the framework itself costs before any Lentera code."""

from django.http import HttpResponse

# Set by the page benchmark before it measures the baseline.
BARE_BODY = b""


def bare_bytes(request):
    return HttpResponse(BARE_BODY, content_type="text/html; charset=utf-8")
