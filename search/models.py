"""Search data kept by Lentera itself: synonyms editors maintain, and daily search counts.

Promoted results are Wagtail's own (`wagtail.contrib.search_promotions`); Wagtail's query log
keeps no result count, hence `SearchTermDaily`.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel


def expansions_split(text: str) -> list[str]:
    """The comma-separated phrases of `text`, whitespace collapsed (empty items kept as "")."""
    return [" ".join(part.split()) for part in text.split(",")]


class SearchSynonym(models.Model):
    """A term used in government (often an abbreviation, "SKP") and the phrases that mean the
    same in a search ("sasaran kinerja pegawai"); a search for either finds the other."""

    term = models.CharField(
        _("term"),
        max_length=100,
        help_text=_('A word or abbreviation people search for, e.g. "SKP".'),
    )
    expansions = models.TextField(
        _("expansions"),
        help_text=_(
            'Phrases that mean the same, separated by commas, e.g. "sasaran kinerja pegawai". '
            "A search for the term also looks for each phrase, and a search for a phrase also "
            "looks for the term."
        ),
    )

    panels = [FieldPanel("term"), FieldPanel("expansions")]

    class Meta:
        ordering = ["term"]
        constraints = [
            models.UniqueConstraint(
                Lower("term"),
                name="unique_search_synonym_term_ci",
                violation_error_message=_(
                    "This term already has synonyms (terms are compared ignoring case): "
                    "add the phrases there."
                ),
            )
        ]
        verbose_name = _("search synonym")
        verbose_name_plural = _("search synonyms")

    def __str__(self):
        return self.term

    @property
    def expansion_list(self) -> list[str]:
        return [phrase for phrase in expansions_split(self.expansions) if phrase]

    def clean(self):
        # Whitespace is collapsed here rather than in save(), so the uniqueness check that
        # follows in full_clean() compares the stored forms.
        self.term = " ".join((self.term or "").split())
        errors = {}
        if not self.term:
            errors["term"] = _("Enter the term people search for.")
        elif "," in self.term:
            errors["term"] = _("A term is one phrase: put equivalent phrases in the expansions.")
        phrases = expansions_split(self.expansions or "")
        if not any(phrases):
            errors["expansions"] = _("Enter at least one phrase that means the same.")
        elif "" in phrases:
            position = phrases.index("") + 1
            errors["expansions"] = _("Phrase %(position)s is empty: remove the extra comma.") % {
                "position": position
            }
        else:
            seen = set()
            for phrase in phrases:
                key = phrase.casefold()
                if self.term and key == self.term.casefold():
                    errors["expansions"] = _(
                        '"%(phrase)s" is the term itself: list only other phrases.'
                    ) % {"phrase": phrase}
                    break
                if key in seen:
                    errors["expansions"] = _('"%(phrase)s" is listed twice.') % {"phrase": phrase}
                    break
                seen.add(key)
            self.expansions = ", ".join(phrases)
        if errors:
            raise ValidationError(errors)


class SearchTermDaily(models.Model):
    """How often a (normalised) query was searched on one day in one scope, and how many of
    those searches found nothing: the editors' report of what people look for."""

    class Scope(models.TextChoices):
        CATALOG = "catalog", _("Catalog")
        SITE = "site", _("Whole site")

    query = models.CharField(_("query"), max_length=255)
    date = models.DateField(_("date"))
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices)
    searches = models.PositiveIntegerField(_("searches"), default=0)
    zero_results = models.PositiveIntegerField(_("searches without results"), default=0)

    class Meta:
        ordering = ["-date", "-searches", "query"]
        constraints = [
            models.UniqueConstraint(
                fields=["query", "date", "scope"], name="unique_search_term_daily"
            ),
            models.CheckConstraint(
                condition=models.Q(zero_results__lte=models.F("searches")),
                name="search_term_zero_results_within_searches",
            ),
        ]
        # The report reads a period across all queries.
        indexes = [models.Index(fields=["date"], name="search_term_daily_date")]
        verbose_name = _("search term per day")
        verbose_name_plural = _("search terms per day")

    def __str__(self):
        return f"{self.query} ({self.date}, {self.scope})"
