"""The admin form of reviewed pages (courses, library resources): the content owner is chosen
among the editors and moderators of the page's organization.

Kept apart from `content.review` (whose mixin names it as `base_form_class`).
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm


def _organization_of(page, parent_page):
    """The organization of the section a page is (or will be) in, or None."""
    section_model = getattr(type(page), "section_model", None)
    anchor = parent_page if page.pk is None else page
    if section_model is None or anchor is None:
        return None
    return (
        section_model.objects.ancestor_of(anchor, inclusive=True)
        .select_related("organization")
        .only("organization__editors_group_id", "organization__moderators_group_id")
        .first()
    )


class ReviewedPageForm(WagtailAdminPageForm):
    """Offers as content owner only the people who edit or moderate the page's organization
    (and whoever owns it now), never the whole user table."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("content_owner")
        if field is None:
            return
        section = _organization_of(self.instance, getattr(self, "parent_page", None))
        organization = section.organization if section is not None else None
        groups = (
            [organization.editors_group_id, organization.moderators_group_id]
            if organization is not None
            else []
        )
        current = [self.instance.content_owner_id or self.instance.owner_id]
        field.queryset = (
            get_user_model()
            .objects.filter(Q(groups__in=[g for g in groups if g]) | Q(pk__in=current))
            .distinct()
            .order_by("full_name", "pk")
        )

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("superseded_by") or cleaned.get("superseded_note")) and not cleaned.get(
            "superseded"
        ):
            self.add_error(
                "superseded",
                ValidationError(
                    _(
                        "Tick “superseded” to say this content is replaced, or clear the "
                        "regulation and the note."
                    ),
                    code="not_superseded",
                ),
            )
        return cleaned
