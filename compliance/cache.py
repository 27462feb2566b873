"""The organization-wide compliance figures, cached per organization until its learning changes.

Counting an organization's compliance computes every staff member's JP for the year (two
correlated sums each): over a second at 10,000 staff, on every view of the page and the API.
The figures and the pages of people below the target are cached under a token per
organization that changes whenever something its staff's JP depend on changes:

- a course completed (`learners.progress.course_completed`),
- a certificate revoked or otherwise saved (its JP stop counting),
- a development record saved (verified, rejected, revoked, its JP recredited),
- a person saved with their organization, membership, ASN kind, unit, position or activity.

Changes made by queryset updates that send no signal (a membership decided by
`learners.membership`, a NIP claim) show within `REPORT_CACHE_SECONDS` at most.
"""

import uuid
from collections.abc import Sequence

from django.core.cache import cache
from django.db import transaction

#: The longest any cached figure is reused, whatever happened (the changes no signal tells of).
REPORT_CACHE_SECONDS = 10 * 60

#: A person's fields the report groups or filters by.
PERSON_FIELDS = frozenset(
    {"organization", "membership_status", "account_kind", "work_unit", "position", "is_active"}
)


def _token_key(organization_id: int) -> str:
    return f"compliance:token:{organization_id}"


def organization_token(organization_id: int) -> str:
    """The organization's current token: a random one, so a token lost from the cache is never
    followed by an old one whose figures are still cached."""
    return cache.get_or_set(_token_key(organization_id), lambda: uuid.uuid4().hex, None)


def organization_changed(*organization_ids: int | None) -> None:
    """Forget the cached figures of these organizations, once the change is committed (a
    request reading before the commit would cache the old figures under the new token)."""
    ids = {pk for pk in organization_ids if pk}

    def forget():
        for pk in ids:
            cache.set(_token_key(pk), uuid.uuid4().hex, None)

    if ids:
        forget()
        transaction.on_commit(forget)


def cached(key: str, compute):
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, REPORT_CACHE_SECONDS)
    return value


class CachedRows(Sequence):
    """A queryset of report rows whose slices (the paginator's pages) are cached under `key`:
    `Paginator` asks only for its count (given) and the page it shows."""

    def __init__(self, queryset, *, key: str, count: int):
        self.queryset = queryset
        self.key = key
        self.count = count

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop = index.start or 0, index.stop
        return cached(f"{self.key}:{start}:{stop}", lambda: list(self.queryset[start:stop]))
