"""`{% shared_cache %}` keeps a part only under a key a view gave: a template included by a page
whose view gives none (the quiz page includes the lesson's "Course contents") renders the part
every time instead of sharing one key ("" from the template engine) between every page."""

from django.core.cache import cache
from django.template import engines

PART = (
    "{% load course_tags %}"
    "{% shared_cache part contents_cache_key %}{{ value }}{% endshared_cache %}"
)


def render(**context) -> str:
    return engines["django"].from_string(PART).render(context)


def test_a_part_without_a_key_is_rendered_every_time_and_kept_nowhere():
    cache.clear()
    assert render(value="first") == "first"
    assert render(value="second") == "second"
    assert render(value="third", contents_cache_key=None) == "third"


def test_a_part_with_a_key_is_kept_under_it():
    cache.clear()
    assert render(value="first", contents_cache_key="courses:test:1") == "first"
    assert render(value="second", contents_cache_key="courses:test:1") == "first"
    assert render(value="other", contents_cache_key="courses:test:2") == "other"
