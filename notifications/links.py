"""A notification's link in the reader's language.

Lentera's pages have one path per page, Indonesian at the root and the same path under /en/
for English (site/urls.py, `prefix_default_language=False`). A notification is written in the
actor's request, whatever their language, and read in the reader's: `notify()` stores the
path without a language prefix and the list adds the reader's when it shows it."""

from django.conf import settings
from django.utils.translation import (
    get_language,
    get_language_from_path,
    get_supported_language_variant,
)


def _prefixes() -> list[str]:
    return [f"/{code}/" for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def path_without_language(path: str) -> str:
    """`path` with a language prefix (/en/...) taken off: the default language's path."""
    if get_language_from_path(path):
        for prefix in _prefixes():
            if path.startswith(prefix):
                return path[len(prefix) - 1 :]
    return path


def path_in_language(path: str, language: str | None = None) -> str:
    """The stored (default language) `path` for a reader of `language` (the active one)."""
    try:
        # en-us (a browser's Accept-Language) is served as en.
        language = get_supported_language_variant(language or get_language() or "")
    except LookupError:
        return path
    if not path or language == settings.LANGUAGE_CODE:
        return path
    return f"/{language}{path}"
