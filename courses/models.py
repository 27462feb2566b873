"""The course catalog as Wagtail pages.

Home -> Catalog -> Provider section (one per organization) -> Course -> Module -> Lesson.
Each organization's editors hold page permissions on their provider section only; a course
stores its provider as a foreign key taken from that section (`content.models.ProvidedPage`).
"""

from decimal import Decimal
from functools import cache as once

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connections, models, router
from django.db.models import Prefetch, Sum
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail import hooks
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    PageChooserPanel,
)
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail.url_routing import RouteResult

from content.blocks import PARAGRAPH_FEATURES, LearningStreamBlock
from content.models import (
    BasePage,
    CachedEmbedsMixin,
    Competency,
    LibraryPage,
    OrganizationSectionPage,
    ProvidedPage,
)
from content.review import ReviewedPage
from content.serializers import OrganizationSerializer
from content.translation import localize_listing, source_pages, with_translated_snippet_field
from courses import outline as course_outline
from courses.choices import (
    LEARNING_MODE_CHOICES,
    CompletionRule,
    CourseLanguage,
    EnrollmentPolicy,
    Level,
)
from courses.panels import ImpliedJPPanel, ProviderPanel
from courses.serializers import CourseCompetencySerializer
from courses.workload import jp_and_minutes_disagree, jp_minutes

COVER_RENDITION = "fill-640x360|format-webp"


def courses_for_listing(queryset):
    """Courses with everything a course card shows, in a fixed number of queries."""
    return queryset.select_related("provider").prefetch_related(
        Prefetch(
            "cover_image",
            queryset=get_image_model().objects.prefetch_renditions(COVER_RENDITION),
        ),
        Prefetch("course_competencies", queryset=course_competencies_localized()),
    )


def course_competencies_localized(queryset=None):
    """Courses' competencies with each one's name in the request's language
    (`CourseCompetency.competency_name`), read in the same query as the competencies."""
    if queryset is None:
        queryset = CourseCompetency.objects.all()
    if not isinstance(queryset, models.QuerySet):
        # A preview's: modelcluster's in-memory list, which has no annotations.
        return queryset
    return with_translated_snippet_field(
        queryset.select_related("competency"),
        Competency,
        "name",
        key="competency__translation_key",
        into="translated_competency_name",
    )


@once
def _page_at_sql(database: str) -> str:
    """The SQL of `_page_at`'s first step, written once per process."""
    quote = connections[database].ops.quote_name
    page = Page._meta
    return (
        f"SELECT {quote(page.pk.column)}, {quote(page.get_field('content_type').column)} "  # noqa: S608
        f"FROM {quote(page.db_table)} WHERE {quote(page.get_field('url_path').column)} = %s "
        f"ORDER BY {quote(page.get_field('path').column)} LIMIT 1"
    )


def _page_at(url_path: str) -> Page | None:
    """`Page.objects.filter(url_path=url_path).specific().first()`, its first query (the page's
    id and type) written once per process instead of built by the ORM on every page request
    (0.66 instead of 0.88 ms of CPU for both steps); the specific page is then read as Wagtail's
    `specific()` reads it, the plain page standing in when the specific row is missing."""
    database = router.db_for_read(Page)
    with connections[database].cursor() as cursor:
        cursor.execute(_page_at_sql(database), [url_path])
        row = cursor.fetchone()
    if row is None:
        return None
    pk, content_type_id = row
    model = ContentType.objects.get_for_id(content_type_id).model_class() or Page
    return model.objects.filter(pk__in=[pk]).first() or Page.objects.filter(pk=pk).first()


class HomePage(BasePage):
    """The site root: what Lentera is, featured courses, and the ways into catalog and library."""

    headline = models.CharField(_("headline"), max_length=200)
    intro = RichTextField(_("introduction"), features=["bold", "italic", "link"], blank=True)

    content_panels = BasePage.content_panels + [
        FieldPanel("headline"),
        FieldPanel("intro"),
        InlinePanel("featured_courses", heading=_("Featured courses"), max_num=6),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["courses.CatalogPage", "content.LibraryPage", "content.StandardPage"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def route(self, request, path_components):
        # Wagtail walks the tree one level per query (two with `.specific`), and lessons sit five
        # levels below home. Every page stores its url_path, so one lookup finds the page.
        # (No page type here routes its own sub-paths, which would need the walk.)
        if path_components:
            url_path = f"{self.url_path}{'/'.join(path_components)}/"
            page = _page_at(url_path)
            if page is not None and page.live:
                return RouteResult(page)
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        featured_ids = list(self.featured_courses.values_list("course_id", flat=True))
        # The Indonesian pages, with their English titles and summaries under /en/.
        courses = courses_for_listing(source_pages(CoursePage.objects.live().public()))
        if featured_ids:
            by_id = courses.in_bulk(featured_ids)
            featured = [by_id[pk] for pk in featured_ids if pk in by_id]
        else:
            featured = list(courses.order_by("-first_published_at")[:6])
        context["featured_courses"] = localize_listing(featured)
        context["catalog"] = CatalogPage.objects.live().first()
        context["library"] = LibraryPage.objects.live().first()
        return context


class HomePageFeaturedCourse(Orderable):
    """A course chosen by editors for the home page."""

    page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="featured_courses")
    course = models.ForeignKey(
        "courses.CoursePage", verbose_name=_("course"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [PageChooserPanel("course")]


class CatalogPage(BasePage):
    """The course catalog: every published course, newest first (search and filters in `search`)."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = BasePage.content_panels + [FieldPanel("intro")]

    parent_page_types = ["courses.HomePage"]
    subpage_types = ["courses.ProviderPage"]
    max_count = 1
    courses_per_page = 12

    class Meta:
        verbose_name = _("course catalog")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The search app fills in search results, filters and counts (the `catalog_context`
        # hook), so that this app does not import it; without it, the plain listing.
        for hook in hooks.get_hooks("catalog_context"):
            context.update(hook(self, request))
        if "courses" not in context:
            courses = courses_for_listing(
                CoursePage.objects.live().public().descendant_of(self)
            ).order_by("-first_published_at", "pk")
            context["courses"] = Paginator(courses, self.courses_per_page).get_page(
                request.GET.get("page")
            )
        return context


class ProviderPage(OrganizationSectionPage):
    """An organization's section of the catalog; its editors may only work inside it."""

    parent_page_types = ["courses.CatalogPage"]
    # Learning paths (paths.LearningPathPage) sit beside the organization's courses.
    subpage_types = ["courses.CoursePage", "paths.LearningPathPage"]

    class Meta:
        verbose_name = _("provider section")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["courses"] = courses_for_listing(
            CoursePage.objects.live().public().child_of(self)
        ).order_by("title")
        return context


class CoursePage(ReviewedPage, ProvidedPage, BasePage):
    """A course: what it teaches, for whom, worth how many JP; its children are modules."""

    section_model = ProviderPage

    description = RichTextField(_("description"), features=PARAGRAPH_FEATURES)
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    jp = models.DecimalField(
        _("JP (learning hours)"),
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.25"))],
        help_text=_("Credited to learners when they complete the course."),
    )
    estimated_weeks = models.PositiveSmallIntegerField(
        _("estimated duration (weeks)"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(52)],
        help_text=_("How long a typical learner takes, studying alongside their work."),
    )
    language = models.CharField(
        _("language"),
        max_length=5,
        choices=CourseLanguage.choices,
        default=CourseLanguage.INDONESIAN,
    )
    learning_mode = models.CharField(
        _("learning mode"), max_length=30, choices=LEARNING_MODE_CHOICES, default="e_learning"
    )
    enrollment_policy = models.CharField(
        _("enrollment policy"),
        max_length=20,
        choices=EnrollmentPolicy.choices,
        default=EnrollmentPolicy.OPEN,
    )
    prerequisites = ParentalManyToManyField(
        "courses.CoursePage",
        verbose_name=_("prerequisites"),
        symmetrical=False,
        blank=True,
        related_name="required_for",
    )
    completion_rule = models.CharField(
        _("completion rule"),
        max_length=30,
        choices=CompletionRule.choices,
        default=CompletionRule.REQUIRED_LESSONS,
    )
    certificate_enabled = models.BooleanField(_("issues a certificate"), default=True)
    certificate_valid_months = models.PositiveSmallIntegerField(
        _("certificate valid for (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_(
            "Leave empty for no expiry. For yearly mandatory courses, 12: learners are then "
            "shown as due for recertification and may enroll again."
        ),
    )
    signatory_name = models.CharField(_("signatory name"), max_length=200, blank=True)
    signatory_nip = models.CharField(_("signatory NIP"), max_length=18, blank=True)
    signatory_title = models.CharField(_("signatory position"), max_length=200, blank=True)
    reaction_survey_required = models.BooleanField(
        _("reaction survey required before the certificate"),
        default=False,
        help_text=_("Learners answer the course evaluation before downloading the certificate."),
    )
    behaviour_followup_days = models.PositiveSmallIntegerField(
        _("days before the supervisor follow-up"),
        default=90,
        validators=[MinValueValidator(7), MaxValueValidator(365)],
        help_text=_(
            "After completion, the learner's supervisor is asked to rate the change in their "
            "work (Kirkpatrick level 3)."
        ),
    )
    # Leadership training (PKP, PKA, PKN) is built around a change project: every cohort of the
    # course does one, so it is the course's property, set once by its editor (projects app).
    requires_change_project = models.BooleanField(
        _("requires a change project"),
        default=False,
        help_text=_(
            "Leadership training (PKP, PKA, PKN): each learner proposes a change project with "
            "their supervisor as mentor and a trainer of their cohort as coach."
        ),
    )

    content_panels = BasePage.content_panels + [
        FieldPanel("description"),
        FieldPanel("cover_image"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("jp"), FieldPanel("estimated_weeks")]),
                ImpliedJPPanel(heading=_("JP implied by lessons")),
                FieldRowPanel([FieldPanel("level"), FieldPanel("language")]),
                FieldPanel("learning_mode"),
                ProviderPanel(),
            ],
            heading=_("Classification"),
        ),
        InlinePanel("course_competencies", heading=_("Competencies"), min_num=1),
        MultiFieldPanel(
            [
                FieldPanel("enrollment_policy"),
                FieldPanel("prerequisites"),
                FieldPanel("completion_rule"),
            ],
            heading=_("Enrollment and completion"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("certificate_enabled"),
                FieldPanel("certificate_valid_months"),
                FieldPanel("signatory_name"),
                FieldPanel("signatory_nip"),
                FieldPanel("signatory_title"),
            ],
            heading=_("Certificate"),
        ),
        MultiFieldPanel(
            [FieldPanel("reaction_survey_required"), FieldPanel("behaviour_followup_days")],
            heading=_("Evaluation"),
        ),
        FieldPanel("requires_change_project"),
        *ReviewedPage.review_panels,
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("description"),
        index.FilterField("provider"),
        index.FilterField("superseded"),
        index.FilterField("level"),
        index.FilterField("jp"),
        index.FilterField("language"),
        index.FilterField("learning_mode"),
        index.FilterField("enrollment_policy"),
        index.RelatedFields(
            "provider", [index.SearchField("name"), index.SearchField("short_name")]
        ),
        index.RelatedFields(
            "course_competencies",
            [
                index.RelatedFields(
                    "competency", [index.SearchField("name"), index.SearchField("code")]
                )
            ],
        ),
    ]
    api_fields = BasePage.api_fields + [
        APIField("jp"),
        APIField("level"),
        APIField("language"),
        APIField("learning_mode"),
        APIField("enrollment_policy"),
        APIField("estimated_weeks"),
        APIField("provider", serializer=OrganizationSerializer()),
        APIField(
            "competencies",
            serializer=CourseCompetencySerializer(many=True, source="competencies_shown"),
        ),
        APIField("certificate_enabled"),
    ]

    parent_page_types = ["courses.ProviderPage"]
    subpage_types = ["courses.ModulePage"]
    # Submitted for moderation with its changed modules and lessons, as one request, and
    # published with them when approved (moderation.models.CourseModerationTask).
    moderation_includes_descendants = True

    class Meta:
        verbose_name = _("course")
        constraints = [
            models.CheckConstraint(condition=models.Q(jp__gt=0), name="course_jp_positive"),
        ]

    def total_lesson_minutes(self) -> int:
        return (
            LessonPage.objects.descendant_of(self).aggregate(total=Sum("estimated_minutes"))[
                "total"
            ]
            or 0
        )

    # Longer courses list only their modules on the course page (each module page lists its
    # lessons), and page them, so the page stays light however many lessons a course has.
    OUTLINE_LESSON_LIMIT = course_outline.OUTLINE_LESSON_LIMIT

    @property
    def competencies_shown(self):
        """The course's competencies with their names in the request's language, in one query
        (the page and the API's `competencies`)."""
        return course_competencies_localized(self.course_competencies.all())

    def get_outline(self, request=None) -> course_outline.Outline:
        """Live, public modules in page order with their lessons as light rows (no page
        objects): from the cache, or two queries for any course (`courses.outline`)."""
        return course_outline.outline_for(self, request)

    def get_view_restrictions(self):
        # Kept with the outline, as a lesson's are (LessonPage.get_view_restrictions).
        if not self.pk or self.alias_of_id:
            return super().get_view_restrictions()
        return course_outline.view_restrictions(self, self, read=super().get_view_restrictions)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        summary = course_outline.outline_summary(self, request)
        number = course_outline.outline_page_number(request, self)
        context["lesson_count"] = summary.lesson_count
        context["module_count"] = summary.module_count
        context["total_minutes"] = summary.total_minutes
        # The outline's HTML is kept per version of the course and page of the outline (it is
        # the same for everyone); only on a miss does the template ask for `outline_page`.
        # A preview (of a draft, with the live page's keys) has none: nothing is read or kept.
        context["outline_cache_key"] = course_outline.outline_page_key(self, number, request)
        context["course_cache_key"] = course_outline.course_page_key(self, request)
        context["outline_page"] = lambda: course_outline.outline_page(self, request, number=number)
        # The page shows the JP credited and the lessons' minutes; when they disagree it says
        # which one is credited rather than leave "2 JP" beside "135 minutes" unexplained.
        context["jp_in_minutes"] = jp_minutes(self.jp)
        context["workload_disagrees"] = jp_and_minutes_disagree(
            jp=self.jp, minutes=summary.total_minutes
        )
        # In the reader's language; read only when the cached facts are missing.
        context["competencies"] = self.competencies_shown
        # In a preview, `prerequisites` is modelcluster's in-memory FakeQuerySet (no `.live()`):
        # filter by ids, which is one subquery on a saved page and a list in a preview. A
        # callable: `public()` reads the view restrictions when called, and the template needs
        # the prerequisites only when its cached part is missing.
        context["prerequisite_courses"] = lambda: (
            CoursePage.objects.filter(pk__in=self.prerequisites.values_list("id", flat=True))
            .live()
            .public()
            .only("id", "title", "url_path", "path")
        )
        return context


class CourseCompetency(Orderable):
    """A competency a course develops, with the proficiency level (1-5) it targets."""

    page = ParentalKey(CoursePage, on_delete=models.CASCADE, related_name="course_competencies")
    competency = models.ForeignKey(
        "content.Competency",
        verbose_name=_("competency"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    target_level = models.PositiveSmallIntegerField(
        _("target level"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )

    panels = [FieldPanel("competency"), FieldPanel("target_level")]

    @property
    def competency_name(self) -> str:
        """The competency's name in the reader's language where it was read through
        `course_competencies_localized`, else its own (the Indonesian)."""
        return getattr(self, "translated_competency_name", None) or self.competency.name

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(fields=["page", "competency"], name="unique_course_competency"),
            models.CheckConstraint(
                condition=models.Q(target_level__gte=1, target_level__lte=5),
                name="course_competency_level_1_to_5",
            ),
        ]
        verbose_name = _("course competency")
        verbose_name_plural = _("course competencies")


class CourseOutlineVersion(models.Model):
    """The version of a course's outline, part of every cache key of it (see the module doc).

    A row of its own rather than a field of the course: a field would be written back with an old
    value by the next save of an in-memory copy of the course (a revision being published), and
    a version that comes back could find an outline cached for it before."""

    course = models.OneToOneField(
        "courses.CoursePage", on_delete=models.CASCADE, related_name="outline_version"
    )
    token = models.CharField(max_length=32)

    class Meta:
        verbose_name = _("course outline version")

    def __str__(self):
        return f"{self.course_id}: {self.token}"


class ModulePage(BasePage):
    """A module of a course: an ordered group of lessons (order is Wagtail's page order)."""

    parent_page_types = ["courses.CoursePage"]
    subpage_types = [
        "courses.LessonPage",
        "quizzes.QuizPage",
        "packages.PackageLessonPage",
        "assignments.AssignmentPage",
    ]

    class Meta:
        verbose_name = _("module")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        course = (
            CoursePage.objects.parent_of(self)
            .select_related("outline_version")
            .defer_streamfields()
            .only(
                "id",
                "title",
                "path",
                "url_path",
                "depth",
                "last_published_at",
                "outline_version__token",
            )
            .first()
        )
        context["course"] = course
        if course is None:
            context["lessons"] = []
            return context
        outline = course_outline.outline_for(course, request)
        position = next((n for n, m in enumerate(outline.modules) if m.pk == self.pk), None)
        context["lessons"] = outline.module_lessons(position) if position is not None else []
        # The course page's outline page that lists this module, for "back to the outline".
        context["outline_page_number"] = (
            position // course_outline.COURSE_MODULES_PER_PAGE + 1 if position is not None else 1
        )
        return context


@once
def _course_of_lesson_sql(database: str) -> str:
    """The SQL of `course_of_lesson`, written once per process (building the same query through
    the ORM, a course with `only()` and its outline version, took 0.4 ms of every lesson view).
    Table and column names come from the models; one parameter, the course's tree path."""
    quote = connections[database].ops.quote_name
    page, course, version = Page._meta, CoursePage._meta, CourseOutlineVersion._meta
    page_id = quote(page.pk.column)
    course_link = quote(course.pk.column)  # page_ptr_id
    columns = ", ".join(
        f"p.{quote(page.get_field(name).column)}"
        for name in ("title", "path", "url_path", "depth", "last_published_at")
    )
    # Names from the models' metadata, the value a parameter.
    return (
        f"SELECT p.{page_id}, {columns}, c.{course_link}, "  # noqa: S608
        f"v.{quote(version.get_field('token').column)} AS outline_token "
        f"FROM {quote(page.db_table)} p "
        f"JOIN {quote(course.db_table)} c ON c.{course_link} = p.{page_id} "
        f"LEFT JOIN {quote(version.db_table)} v "
        f"ON v.{quote(version.get_field('course').column)} = p.{page_id} "
        f"WHERE p.{quote(page.get_field('path').column)} = %s"
    )


def course_of_lesson(lesson) -> "CoursePage | None":
    """The course a lesson sits in (two levels up: parent_page_types), found by its tree path,
    with what the lesson page shows of it (title, URL) and its outline version, which the
    outline's cache keys need (`courses.outline.outline_token`: no second query). Any other
    field is deferred: reading one costs a query, which the page's query budget would show."""
    database = router.db_for_read(CoursePage)
    path = lesson.path[: -2 * lesson.steplen]
    course = next(
        iter(CoursePage.objects.raw(_course_of_lesson_sql(database), [path]).using(database)),
        None,
    )
    if course is not None:
        token = course.outline_token
        CoursePage.outline_version.related.set_cached_value(
            course,
            CourseOutlineVersion(course_id=course.pk, token=token) if token is not None else None,
        )
    return course


class LessonPage(CachedEmbedsMixin, BasePage):
    """A lesson: the unit learners study and complete."""

    body = StreamField(LearningStreamBlock(), verbose_name=_("body"))
    estimated_minutes = models.PositiveSmallIntegerField(
        _("estimated minutes"), validators=[MinValueValidator(1), MaxValueValidator(600)]
    )
    required_for_completion = models.BooleanField(
        _("required for completion"),
        default=True,
        help_text=_("Optional lessons (enrichment reading) do not count towards completion."),
    )
    transcript = models.TextField(
        _("transcript / text alternative"),
        blank=True,
        help_text=_("A text version of the lesson's video or audio, for accessibility."),
    )

    content_panels = BasePage.content_panels + [
        FieldRowPanel([FieldPanel("estimated_minutes"), FieldPanel("required_for_completion")]),
        FieldPanel("body"),
        FieldPanel("transcript"),
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("body"),
        index.SearchField("transcript"),
    ]
    api_fields = BasePage.api_fields + [
        APIField("estimated_minutes"),
        APIField("required_for_completion"),
        APIField("body"),
        APIField("transcript"),
    ]

    parent_page_types = ["courses.ModulePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("lesson")

    def course_for_view(self) -> "CoursePage | None":
        """`course_of_lesson`, read once per page object: the view's restriction check and its
        context both need it."""
        if not hasattr(self, "_course_for_view"):
            self._course_for_view = course_of_lesson(self)
        return self._course_for_view

    def get_view_restrictions(self):
        # Wagtail checks them on every view of the page (its `on_serve_page` hook): two queries,
        # the ancestors and their restrictions, built through the ORM each time. The answer is
        # kept with the course's outline, whose version changes whenever a restriction at,
        # above or below the course is added, changed or removed, or the page moves.
        course = self.course_for_view() if self.pk and not self.alias_of_id else None
        if course is None:
            return super().get_view_restrictions()
        return course_outline.view_restrictions(course, self, read=super().get_view_restrictions)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        course = self.course_for_view()
        nav = course_outline.lesson_nav(course, self, request) if course else None
        context.update(
            course=course,
            course_url=course.get_url(request) if course else None,
            nav=nav,
            # The parts of "Course contents" that are the same for everyone, kept in the cache.
            contents_cache_key=(
                course_outline.lesson_contents_key(course, self, request) if nav else None
            ),
            # The body, the same for everyone too (None in a preview: rendered afresh).
            body_cache_key=course_outline.lesson_body_key(course, self, request),
            module=nav.module if nav else None,
            previous_lesson=nav.previous if nav else None,
            next_lesson=nav.next if nav else None,
            lesson_number=nav.number if nav else None,
            lesson_count=nav.count if nav else 0,
        )
        return context
