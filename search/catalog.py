"""Catalog search: full-text matches (`search.matching`), filters with counts (facets) on stored
fields, sorting, pagination and highlighted snippets.

Only live, public pages are ever considered, in results, counts, snippets and suggestions.
Facets are "disjunctive": the counts of one facet apply every other facet's filters but not its
own, so ticking a second provider shows how many courses it would add. One query per facet, so
the page costs the same few queries for 5 or 50 results and for 20 or 2,000 courses.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from wagtail.rich_text import get_text_for_indexing

from content.inputs import ids_parse
from content.models import Competency, Organization, competencies_localized
from content.translation import localize_listing, source_pages
from courses.choices import LEARNING_MODE_LABELS, CourseLanguage, EnrollmentPolicy, Level
from courses.models import CoursePage, courses_for_listing
from search.matching import LessonMatch, highlight, query_terms, search_query_clean, text_matches

RESULTS_PER_PAGE = 12

#: JP ranges offered as a facet: (key, label, lowest, below).
JP_RANGES = [
    ("0-4", _("Under 5 JP"), Decimal(0), Decimal(5)),
    ("5-9", _("5–9 JP"), Decimal(5), Decimal(10)),
    ("10-19", _("10–19 JP"), Decimal(10), Decimal(20)),
    ("20+", _("20 JP or more"), Decimal(20), None),
]

SORTS = {
    "relevance": _("Relevance"),
    "newest": _("Newest"),
    "jp": _("JP, fewest first"),
    "-jp": _("JP, most first"),
}


@dataclass
class CatalogFilters:
    """What the learner asked for; read from the query string, so results can be shared."""

    query: str = ""
    kind: list[str] = field(default_factory=list)
    competency: list[int] = field(default_factory=list)
    level: list[str] = field(default_factory=list)
    jp: list[str] = field(default_factory=list)
    provider: list[int] = field(default_factory=list)
    mode: list[str] = field(default_factory=list)
    language: list[str] = field(default_factory=list)
    policy: list[str] = field(default_factory=list)
    sort: str = ""

    def __post_init__(self):
        if self.sort not in SORTS:
            self.sort = "relevance" if self.query else "newest"

    FACETS = ("kind", "competency", "level", "jp", "provider", "mode", "language", "policy")

    @classmethod
    def from_querydict(cls, data) -> "CatalogFilters":
        """Unknown or malformed values are dropped, never an error: URLs get shared and edited."""

        def ints(name):
            return ids_parse(data.getlist(name), limit=50)

        def choices(name, allowed):
            return [v for v in data.getlist(name) if v in allowed][:20]

        query = search_query_clean(data.get("q", ""))
        sort = data.get("sort", "")
        return cls(
            query=query,
            kind=choices("kind", {kind for kind, _label in Competency.Kind.choices}),
            competency=ints("competency"),
            level=choices("level", set(Level.values)),
            jp=choices("jp", {key for key, *_rest in JP_RANGES}),
            provider=ints("provider"),
            mode=choices("mode", set(LEARNING_MODE_LABELS)),
            language=choices("language", set(CourseLanguage.values)),
            policy=choices("policy", set(EnrollmentPolicy.values)),
            sort=sort if sort in SORTS else ("relevance" if query else "newest"),
        )

    @property
    def is_active(self) -> bool:
        return bool(self.query or any(getattr(self, name) for name in self.FACETS))


def _facet_q(name: str, values: list) -> Q:
    if not values:
        return Q()
    if name == "kind":
        return Q(course_competencies__competency__kind__in=values)
    if name == "competency":
        return Q(course_competencies__competency_id__in=values)
    if name == "level":
        return Q(level__in=values)
    if name == "jp":
        condition = Q()
        for key, _label, low, below in JP_RANGES:
            if key in values:
                condition |= Q(jp__gte=low) & (Q(jp__lt=below) if below is not None else Q())
        return condition
    if name == "provider":
        return Q(provider_id__in=values)
    if name == "mode":
        return Q(learning_mode__in=values)
    if name == "language":
        return Q(language__in=values)
    if name == "policy":
        return Q(enrollment_policy__in=values)
    raise ValueError(name)


def ids_in(ids: list[int]) -> Q:
    """`pk` among `ids`, the courses a query matched (thousands at size L), asked by each of the
    page's ten queries (results, counts, every facet). On PostgreSQL the ids travel as one array
    parameter: as many placeholders, each bound and escaped by the client per query, cost more
    CPU than the rest of the page (the catalog search at L was 2x its ratio at S)."""
    if connection.vendor == "postgresql":
        return Q(pk__in=RawSQL("SELECT unnest(%s::integer[])", (list(ids),)))
    return Q(pk__in=ids)


def _filtered(base: QuerySet, filters: CatalogFilters, *, skip: str | None = None) -> QuerySet:
    for name in CatalogFilters.FACETS:
        if name != skip and getattr(filters, name):
            # Relation filters go through a subquery so that one course matching two
            # competencies is never counted twice.
            base = base.filter(
                pk__in=CoursePage.objects.filter(_facet_q(name, getattr(filters, name))).values(
                    "pk"
                )
            )
    return base


# Facets ------------------------------------------------------------------------------------


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Facet:
    name: str
    label: str
    options: list[FacetOption]

    @property
    def has_selection(self) -> bool:
        return any(option.selected for option in self.options)


def _options(rows, labels, selected) -> list[FacetOption]:
    counts = dict(rows)
    return [
        FacetOption(str(value), str(label), counts.get(value, 0), str(value) in map(str, selected))
        for value, label in labels
        if counts.get(value, 0) or str(value) in map(str, selected)
    ]


def facets(base: QuerySet, filters: CatalogFilters) -> list[Facet]:
    """Every facet with the count of matching courses per option; one query per facet."""

    def grouped(name, field_name):
        return (
            _filtered(base, filters, skip=name)
            .order_by()
            .values(field_name)
            .annotate(count=Count("pk", distinct=True))
            .values_list(field_name, "count")
        )

    kind_rows = grouped("kind", "course_competencies__competency__kind")
    competency_rows = list(grouped("competency", "course_competencies__competency"))
    competency_labels = [
        (competency.pk, f"{competency.code} {competency.shown_name}")
        # In the reader's language, read in the same query.
        for competency in competencies_localized(
            Competency.objects.filter(
                pk__in=[pk for pk, _count in competency_rows if pk] + filters.competency
            )
        ).order_by("code")
    ]
    provider_rows = list(grouped("provider", "provider"))
    provider_labels = [
        (organization.pk, organization.name)
        for organization in Organization.objects.filter(
            pk__in=[pk for pk, _count in provider_rows if pk] + filters.provider
        ).order_by("name")
    ]
    jp_base = _filtered(base, filters, skip="jp")
    jp_counts = jp_base.aggregate(
        **{
            f"jp_{index}": Count("pk", filter=_facet_q("jp", [key]), distinct=True)
            for index, (key, *_rest) in enumerate(JP_RANGES)
        }
    )
    return [
        Facet(
            "kind", _("Competency kind"), _options(kind_rows, Competency.Kind.choices, filters.kind)
        ),
        Facet(
            "competency",
            _("Competency"),
            _options(competency_rows, competency_labels, filters.competency),
        ),
        Facet(
            "level", _("Level"), _options(grouped("level", "level"), Level.choices, filters.level)
        ),
        Facet(
            "jp",
            _("JP"),
            _options(
                [(key, jp_counts[f"jp_{index}"]) for index, (key, *_r) in enumerate(JP_RANGES)],
                [(key, label) for key, label, *_r in JP_RANGES],
                filters.jp,
            ),
        ),
        Facet(
            "provider", _("Provider"), _options(provider_rows, provider_labels, filters.provider)
        ),
        Facet(
            "mode",
            _("Learning mode"),
            _options(grouped("mode", "learning_mode"), LEARNING_MODE_LABELS.items(), filters.mode),
        ),
        Facet(
            "language",
            _("Language"),
            _options(grouped("language", "language"), CourseLanguage.choices, filters.language),
        ),
        Facet(
            "policy",
            _("Enrollment"),
            _options(
                grouped("policy", "enrollment_policy"), EnrollmentPolicy.choices, filters.policy
            ),
        ),
    ]


# The whole search ---------------------------------------------------------------------------


@dataclass
class CatalogResult:
    course: CoursePage
    snippet: SafeString
    lesson_match: LessonMatch | None = None
    enrollment_status: str = ""


@dataclass
class CatalogSearch:
    filters: CatalogFilters
    total: int
    page_obj: object
    results: list[CatalogResult]
    facets: list[Facet]


def catalog_search(*, filters: CatalogFilters, page_number, user=None) -> CatalogSearch:
    # The Indonesian pages only: their English translations are shown in their place.
    base = source_pages(CoursePage.objects.live().public())
    lesson_matches: dict[int, LessonMatch] = {}
    ranked: list[int] | None = None
    if filters.query:
        ranked, lesson_matches = text_matches(filters.query)
        base = base.filter(ids_in(ranked))
    matching = _filtered(base, filters)
    if filters.sort == "relevance" and ranked is not None:
        kept = set(matching.values_list("pk", flat=True))
        ordered_ids = [pk for pk in ranked if pk in kept]
        paginator = Paginator(ordered_ids, RESULTS_PER_PAGE)
        page_obj = paginator.get_page(page_number)
        by_id = courses_for_listing(CoursePage.objects.filter(pk__in=list(page_obj))).in_bulk()
        courses = [by_id[pk] for pk in page_obj if pk in by_id]
    else:
        order = {
            "newest": ("-first_published_at", "pk"),
            "jp": ("jp", "title", "pk"),
            "-jp": ("-jp", "title", "pk"),
            "relevance": ("-first_published_at", "pk"),
        }[filters.sort]
        paginator = Paginator(courses_for_listing(matching).order_by(*order), RESULTS_PER_PAGE)
        page_obj = paginator.get_page(page_number)
        courses = list(page_obj)
    courses = localize_listing(courses)
    statuses = {}
    if user is not None and user.is_authenticated and courses:
        from learners.models import Enrollment

        for course_id, status in (
            Enrollment.objects.filter(user=user, course_id__in=[c.pk for c in courses])
            .order_by("created_at")
            .values_list("course_id", "status")
        ):
            statuses[course_id] = status  # the latest enrollment wins
    terms = query_terms(filters.query) if filters.query else []
    results = [
        CatalogResult(
            course=course,
            # Wagtail's plain text of rich text keeps a space between paragraphs and list
            # items ("melaporkannya. Setelah", not "melaporkannya.Setelah").
            snippet=highlight(
                f"{course.summary} {get_text_for_indexing(course.description)}", terms
            )
            if terms
            else mark_safe(""),
            lesson_match=lesson_matches.get(course.pk),
            enrollment_status=statuses.get(course.pk, ""),
        )
        for course in courses
    ]
    return CatalogSearch(
        filters=filters,
        total=paginator.count,
        page_obj=page_obj,
        results=results,
        facets=facets(base, filters),
    )
