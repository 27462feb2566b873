"""Mentions: `@Full Name` in a post names someone who can see the discussion, who is then told.

The name is the person's full name as Lentera shows it beside their posts, so what a reader sees
is what a writer types; names have spaces, so after each `@` the following words (up to
`MENTION_WORDS_MAX`, on one line) are tried from the longest down, and the longest that is the
full name of someone who can see the discussion wins. Everything is resolved in one query among
those people only (`selectors.viewers_of`): a name of someone outside the discussion resolves to
nobody and the text shows no difference either way, so posting never tells who exists. Two
viewers with the same full name are both told: the writer could not have told them apart.
"""

import re
from functools import reduce

from django.db.models import Q, QuerySet

from learners.models import User

#: The most words of a name after "@" (long Indonesian names with degrees: "Dr. Ir. Siti ...").
MENTION_WORDS_MAX = 6
#: The most mentions one post resolves: more would be a mass notification, not a mention.
MENTIONS_MAX = 10

# "@" at the start or after something other than a word character (not an e-mail address),
# followed by words on the same line.
_MENTION = re.compile(r"(?:^|(?<=[^\w@]))@(\w[^\n@]*)", re.MULTILINE)
_TRAILING = ",.;:!?)]}\"'"


def mention_candidates(text: str) -> list[list[str]]:
    """For each mention in `text` (at most `MENTIONS_MAX`), the names it may stand for, the
    longest first."""
    mentions = []
    for match in _MENTION.finditer(text or ""):
        words = match.group(1).split()[:MENTION_WORDS_MAX]
        names: list[str] = []
        for length in range(len(words), 0, -1):
            raw = " ".join(words[:length])
            for name in (raw, raw.rstrip(_TRAILING)):
                if name and name not in names:
                    names.append(name)
        if names:
            mentions.append(names)
        if len(mentions) == MENTIONS_MAX:
            break
    return mentions


def mentioned_users(text: str, *, viewers: QuerySet[User]) -> list[User]:
    """The people among `viewers` that `text` mentions, in one query (none without a mention)."""
    mentions = mention_candidates(text)
    if not mentions:
        return []
    wanted = {name.casefold() for names in mentions for name in names}
    condition = reduce(
        lambda left, right: left | right,
        (Q(full_name__iexact=name) for name in sorted(wanted)),
    )
    by_name: dict[str, list[User]] = {}
    for user in viewers.filter(condition).only("pk", "full_name"):
        by_name.setdefault(user.full_name.casefold(), []).append(user)
    found: dict[int, User] = {}
    for names in mentions:
        for name in names:
            if people := by_name.get(name.casefold()):
                found.update((person.pk, person) for person in people)
                break
    return list(found.values())
