"""`{% shared_cache %}`: a part of a course page that is the same for everyone, kept in the cache
under a key of `courses.outline` (which changes with the course: see that module)."""

from django import template
from django.core.cache import cache

register = template.Library()

# Kept a day: a change of the course makes new keys at once (courses.outline), so this only
# bounds the space old keys take. courses.outline keeps its values as long.
OUTLINE_CACHE_SECONDS = 24 * 60 * 60


class SharedCacheNode(template.Node):
    def __init__(self, nodelist, name: str, key):
        self.nodelist = nodelist
        self.name = name
        self.key = key

    def render(self, context):
        key = self.key.resolve(context)
        if not key:
            # A preview in the Wagtail admin (`courses.outline.in_preview`): the draft's part,
            # rendered afresh, and kept nowhere. So is a page whose view gives no key (the
            # template engine resolves a missing one to ""): never one key shared by all.
            return self.nodelist.render(context)
        key = f"{key}:{self.name}"
        value = cache.get(key)
        if value is None:
            value = self.nodelist.render(context)
            cache.set(key, value, OUTLINE_CACHE_SECONDS)
        return value


@register.tag("shared_cache")
def do_shared_cache(parser, token):
    """`{% shared_cache name key %}...{% endshared_cache %}`: the part is rendered once per `key`
    (a key of `courses.outline`, which carries the course's version and the cache format) and
    kept a day; a `key` of None (a preview) or missing renders it every time and keeps nothing."""
    bits = token.split_contents()
    if len(bits) != 3:
        raise template.TemplateSyntaxError(f"{bits[0]} takes a part's name and a key")
    nodelist = parser.parse(("endshared_cache",))
    parser.delete_first_token()
    return SharedCacheNode(nodelist, bits[1], parser.compile_filter(bits[2]))
