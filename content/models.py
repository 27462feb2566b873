"""Shared content: organizations and competencies (snippets), the base page, and the library.

The library is a knowledge-sharing space across organizations: each organization publishes its
resources in its own section (`LibrarySectionPage`), and `LibraryPage` lists them all together.
"""

import re

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.embeds.models import Embed
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from content.blocks import LearningStreamBlock, embed_urls_in
from content.review import ReviewedPage
from content.serializers import CompetencySerializer, OrganizationSerializer
from content.translation import with_translated_snippet_field

# A domain name: labels of letters, digits and hyphens, with at least one dot.
_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def validate_email_domains(value: str) -> None:
    """One e-mail domain per line (no @, no address)."""
    for line in value.splitlines():
        domain = line.strip().lower()
        if domain and not _DOMAIN.match(domain):
            raise ValidationError(
                _("%(domain)s is not an e-mail domain: write it as kemenpan.go.id."),
                params={"domain": line.strip()[:100]},
                code="invalid_domain",
            )


class Organization(index.Indexed, models.Model):
    """A provider or agency taking part in Lentera: LAN, a ministry, a region, a campus, a company.

    Its editors, moderators, media collection and moderation workflow are created together by
    `content.services.organization_setup`, never by hand.
    """

    class Kind(models.TextChoices):
        LAN = "lan", _("LAN")
        MINISTRY = "ministry", _("Central ministry or agency")
        REGIONAL = "regional", _("Regional government")
        UNIVERSITY = "university", _("University")
        COMPANY = "company", _("Private company")
        COMMUNITY = "community", _("Community")

    name = models.CharField(_("name"), max_length=255, unique=True)
    short_name = models.CharField(_("short name"), max_length=40, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    website = models.URLField(_("website"), blank=True)
    supervisor_links_need_hr = models.BooleanField(
        _("HR confirms supervisor links"),
        default=False,
        help_text=_(
            "When on, a learner's direct supervisor counts only once both the supervisor and "
            "an organization admin have confirmed the link."
        ),
    )
    email_domains = models.TextField(
        _("staff e-mail domains"),
        blank=True,
        validators=[validate_email_domains],
        help_text=_(
            "One domain per line, for example kemenpan.go.id. A person who chooses this "
            "organization and verifies an e-mail address at one of these domains is confirmed "
            "as a member without waiting for an organization admin."
        ),
    )

    # Set up by organization_setup; not editable.
    collection = models.OneToOneField(
        "wagtailcore.Collection", null=True, editable=False, on_delete=models.PROTECT
    )
    editors_group = models.OneToOneField(
        "auth.Group", null=True, editable=False, on_delete=models.PROTECT, related_name="+"
    )
    moderators_group = models.OneToOneField(
        "auth.Group", null=True, editable=False, on_delete=models.PROTECT, related_name="+"
    )
    workflow = models.OneToOneField(
        "wagtailcore.Workflow", null=True, editable=False, on_delete=models.PROTECT
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("short_name"),
        FieldPanel("slug"),
        FieldPanel("kind"),
        FieldPanel("description"),
        FieldPanel("logo"),
        FieldPanel("website"),
        FieldPanel("supervisor_links_need_hr"),
        FieldPanel("email_domains"),
    ]
    search_fields = [
        index.SearchField("name"),
        index.SearchField("short_name"),
        index.AutocompleteField("name"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")

    def __str__(self):
        return self.name

    def email_domain_list(self) -> list[str]:
        """The staff e-mail domains, lower case."""
        return [line.strip().lower() for line in self.email_domains.splitlines() if line.strip()]


class Competency(TranslatableMixin, index.Indexed, ClusterableModel):
    """A competency from the national dictionary (PermenPANRB 38/2017), with five levels."""

    class Kind(models.TextChoices):
        TECHNICAL = "teknis", _("Technical")
        MANAGERIAL = "manajerial", _("Managerial")
        SOCIO_CULTURAL = "sosial_kultural", _("Socio-cultural")
        GOVERNANCE = "pemerintahan", _("Governance")

    # Unique per language: a competency's English translation keeps its code.
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=255)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)

    panels = [
        FieldPanel("code"),
        FieldPanel("name"),
        FieldPanel("kind"),
        FieldPanel("description"),
        InlinePanel("levels", heading=_("Behavioural indicators per level"), max_num=5),
    ]
    search_fields = [
        index.SearchField("name"),
        index.SearchField("code"),
        index.AutocompleteField("name"),
        index.FilterField("kind"),
    ]
    api_fields = [APIField("code"), APIField("name"), APIField("kind")]

    class Meta(TranslatableMixin.Meta):
        ordering = ["kind", "code"]
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")
        constraints = [
            models.UniqueConstraint(fields=["code", "locale"], name="unique_competency_code_locale")
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def shown_name(self) -> str:
        """The name learners read: its translation's into their language where the competency
        was read through `competencies_localized`, else its own (the Indonesian)."""
        return getattr(self, "translated_name", None) or self.name


def competencies_localized(queryset: models.QuerySet) -> models.QuerySet:
    """Competencies with their name in the request's language (`Competency.shown_name`), read
    in the same query; the queryset unchanged in Indonesian."""
    return with_translated_snippet_field(queryset, Competency, "name", into="translated_name")


def with_competency_names(queryset: models.QuerySet, *through: str) -> models.QuerySet:
    """Rows that link to a competency (by the foreign-key paths `through`, "competency" by
    default, read with `select_related`) whose competencies show their name in the request's
    language (`Competency.shown_name`): the name is read in the same query, beside each row,
    and handed to the row's competency as the rows are read, so that lists, pages of a
    paginator and `.first()` alike cost no query more. The queryset unchanged in Indonesian."""
    through = through or ("competency",)
    for path in through:
        queryset = with_translated_snippet_field(
            queryset,
            Competency,
            "name",
            key=f"{path}__translation_key",
            into=_translated_name_of(path),
        )
    if queryset.query.annotations.keys() >= {_translated_name_of(path) for path in through}:
        queryset._iterable_class = type(
            "CompetencyNamesIterable", (_CompetencyNamesIterable,), {"through": through}
        )
    return queryset


def _translated_name_of(path: str) -> str:
    return f"lentera_{path.replace('__', '_')}_translated_name"


class _CompetencyNamesIterable(models.query.ModelIterable):
    """Model rows whose competencies (at `through`) receive the translated name read beside
    them (`with_competency_names`)."""

    through: tuple[str, ...] = ()

    def __iter__(self):
        for row in super().__iter__():
            for path in self.through:
                competency = row
                for name in path.split("__"):
                    competency = getattr(competency, name, None) if competency else None
                if competency is not None:
                    competency.translated_name = getattr(row, _translated_name_of(path), None)
            yield row


class CompetencyLevel(Orderable):
    """The behavioural indicators of one proficiency level (1-5) of a competency."""

    competency = ParentalKey(Competency, on_delete=models.CASCADE, related_name="levels")
    level = models.PositiveSmallIntegerField(
        _("level"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    indicators = models.TextField(_("behavioural indicators"))

    panels = [FieldPanel("level"), FieldPanel("indicators")]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(fields=["competency", "level"], name="unique_competency_level"),
            models.CheckConstraint(
                condition=models.Q(level__gte=1, level__lte=5), name="competency_level_1_to_5"
            ),
        ]
        verbose_name = _("competency level")
        verbose_name_plural = _("competency levels")

    def __str__(self):
        return f"{self.competency} — {self.level}"


class BasePage(Page):
    """The base of every Lentera page: a short summary for listings, search and link previews."""

    summary = models.TextField(
        _("summary"),
        max_length=300,
        blank=True,
        help_text=_("One or two sentences shown in listings and search results."),
    )

    content_panels = Page.content_panels + [FieldPanel("summary")]
    search_fields = Page.search_fields + [index.SearchField("summary")]
    api_fields = [APIField("summary")]
    # A translation keeps its source's slug: both languages are served from the Indonesian tree
    # (content.translation), so a page has one path, prefixed by /en/ in English.
    override_translatable_fields = [SynchronizedField("slug")]

    class Meta:
        abstract = True

    @property
    def meta_description(self) -> str:
        return self.search_description or self.summary

    def _get_relevant_site_root_paths(self, cache_object=None):
        # Every page is served from the Indonesian tree under both prefixes (content.translation):
        # its URL follows the active language, as it did before Wagtail's i18n was turned on.
        paths = super()._get_relevant_site_root_paths(cache_object)
        from content.translation import content_language

        language = content_language()
        return tuple(path._replace(language_code=language) for path in paths)


class OrganizationSectionPage(BasePage):
    """An organization's own part of the site: its editors get page permissions here only.

    One section per organization and language: the Indonesian section and its English copy
    (content.translation) name the same organization, so this is a foreign key, kept to one
    section per tree by `courses.services.organization_setup` creating the only Indonesian one."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    content_panels = BasePage.content_panels + [FieldPanel("organization")]

    class Meta:
        abstract = True


class ProvidedPage(models.Model):
    """A page that stores the organization providing it, taken from its section.

    Search facets and reports filter on this stored foreign key; it is set from the nearest
    `section_model` ancestor on every save, so an editor can never assign another organization.
    """

    section_model: type[OrganizationSectionPage]

    provider = models.ForeignKey(
        Organization,
        verbose_name=_("provider"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        abstract = True

    def section_organization_id(self) -> int | None:
        """The organization of the nearest section above this page, from the tree."""
        if not self.path:
            return None
        return (
            self.section_model.objects.ancestor_of(self)
            .values_list("organization_id", flat=True)
            .first()
        )

    def _provider_from_section(self) -> None:
        organization_id = self.section_organization_id()
        if organization_id is not None:
            self.provider_id = organization_id

    def full_clean(self, *args, **kwargs):
        # Runs before field validation, as Wagtail's own slug fix-ups do; the tree path is
        # known once the page is being added under its parent.
        self._provider_from_section()
        super().full_clean(*args, **kwargs)

    def minimal_clean(self):
        # Wagtail saves drafts (and pages submitted for moderation) with this lighter check
        # instead of full_clean(); the provider column is NOT NULL, so it is needed here too.
        self._provider_from_section()
        super().minimal_clean()

    def provider_refresh(self) -> None:
        """Re-read the provider after a move (Wagtail saves moved pages as plain `Page`s)."""
        organization_id = self.section_organization_id()
        if organization_id is not None and organization_id != self.provider_id:
            type(self).objects.filter(pk=self.pk).update(provider_id=organization_id)
            self.provider_id = organization_id


class CachedEmbedsMixin:
    """Gives a page's template the cached oEmbed HTML of the videos in its `body`.

    One query for all videos; nothing is fetched from the network while rendering (see
    `content.blocks.VideoBlock`).
    """

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        urls = embed_urls_in(self.body)
        # Most lessons have no video: no queryset to build for them. Read only when the body is
        # rendered: a lesson's body kept in the cache needs none (courses.outline.lesson_body_key).
        context["cached_embeds"] = (
            SimpleLazyObject(
                lambda: dict(Embed.objects.filter(url__in=urls).values_list("url", "html"))
            )
            if urls
            else {}
        )
        return context


class StandardPage(CachedEmbedsMixin, BasePage):
    """A plain information page: about, privacy, help."""

    body = StreamField(LearningStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = BasePage.content_panels + [FieldPanel("body")]
    search_fields = BasePage.search_fields + [index.SearchField("body")]

    parent_page_types = ["courses.HomePage", "content.StandardPage"]
    subpage_types = ["content.StandardPage"]

    class Meta:
        verbose_name = _("standard page")


class LibraryPage(BasePage):
    """The shared knowledge library: lists every organization's resources together."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = BasePage.content_panels + [FieldPanel("intro")]

    parent_page_types = ["courses.HomePage"]
    subpage_types = ["content.LibrarySectionPage"]
    max_count = 1
    resources_per_page = 24

    class Meta:
        verbose_name = _("library")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        resources = (
            ResourcePage.objects.live()
            .public()
            .descendant_of(self)
            .select_related("provider")
            .prefetch_related(
                # Their names in the reader's language, in the same query as the competencies.
                models.Prefetch("competencies", competencies_localized(Competency.objects.all()))
            )
            .order_by("-first_published_at", "pk")
        )
        kind = request.GET.get("kind")
        if kind in ResourcePage.Kind.values:
            resources = resources.filter(kind=kind)
        context["resources"] = Paginator(resources, self.resources_per_page).get_page(
            request.GET.get("page")
        )
        context["kinds"] = ResourcePage.Kind.choices
        context["selected_kind"] = kind
        return context


class LibrarySectionPage(OrganizationSectionPage):
    """An organization's own shelf in the library."""

    parent_page_types = ["content.LibraryPage"]
    subpage_types = ["content.ResourcePage"]

    class Meta:
        verbose_name = _("library section")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["resources"] = (
            ResourcePage.objects.live()
            .public()
            .child_of(self)
            .select_related("provider")
            .order_by("title")
        )
        return context


class ResourcePage(ReviewedPage, CachedEmbedsMixin, ProvidedPage, BasePage):  # noqa: DJ008
    """A library resource: a guide, regulation, case study, template or recording."""

    class Kind(models.TextChoices):
        GUIDE = "guide", _("Guide")
        REGULATION = "regulation", _("Regulation")
        CASE_STUDY = "case_study", _("Case study")
        TEMPLATE = "template", _("Template")
        RECORDING = "recording", _("Recording")

    section_model = LibrarySectionPage

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    competencies = ParentalManyToManyField(
        Competency, verbose_name=_("competencies"), blank=True, related_name="resources"
    )
    body = StreamField(LearningStreamBlock(), verbose_name=_("body"), blank=True)

    content_panels = BasePage.content_panels + [
        MultiFieldPanel(
            [
                FieldPanel("kind"),
                FieldPanel("competencies"),
                FieldPanel("provider", read_only=True),
            ],
            heading=_("Classification"),
        ),
        FieldPanel("body"),
        *ReviewedPage.review_panels,
    ]
    search_fields = BasePage.search_fields + [
        index.SearchField("body"),
        index.FilterField("kind"),
        index.FilterField("provider"),
        index.FilterField("superseded"),
        index.RelatedFields("competencies", [index.SearchField("name")]),
    ]
    api_fields = BasePage.api_fields + [
        APIField("kind"),
        APIField("provider", serializer=OrganizationSerializer()),
        APIField(
            "competencies", serializer=CompetencySerializer(many=True, source="competencies_shown")
        ),
        APIField("body"),
    ]

    parent_page_types = ["content.LibrarySectionPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("library resource")

    @property
    def competencies_shown(self):
        """The resource's competencies with their names in the request's language, in one
        query (the page and the API's `competencies`)."""
        competencies = self.competencies.all()
        # A preview's are modelcluster's in-memory list, which has no annotations.
        if isinstance(competencies, models.QuerySet):
            competencies = competencies_localized(competencies)
        return competencies

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["resource_competencies"] = self.competencies_shown
        return context
