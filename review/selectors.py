"""Reads of content review: who sees which organizations' content, and the report's rows.

The report lists courses and library resources together, one `UNION` of two `values()`
queries ordered and paged in the database, so its queries do not grow with the number of
pages. A course's lesson minutes come from a subquery (`courses.workload` compares them
with its JP).
"""

from datetime import date, timedelta

from django.conf import settings
from django.db.models import (
    CharField,
    DecimalField,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Abs, Coalesce

from content.models import Organization, ResourcePage
from content.translation import source_pages
from courses.models import CoursePage, LessonPage
from courses.workload import JP_TOLERANCE

#: "Due soon": the review-by date falls within this many days.
DUE_SOON_DAYS = 30

#: The report's views of the content.
STATUSES = ("due", "overdue", "jp", "superseded", "all")


def organizations_reviewed_by(user) -> QuerySet[Organization]:
    """Organizations whose content review `user` sees: those they edit or moderate; every
    organization for superusers and for LAN's editors and moderators (LAN oversees the
    national content)."""
    if not user.is_authenticated or not user.is_active:
        return Organization.objects.none()
    if user.is_superuser:
        return Organization.objects.all()
    groups = user.groups.all()
    own = Organization.objects.filter(Q(editors_group__in=groups) | Q(moderators_group__in=groups))
    if own.filter(kind=Organization.Kind.LAN).exists():
        return Organization.objects.all()
    return own.distinct()


def _lesson_minutes():
    # SUM without GROUP BY: one value per course, written the same way on SQLite and PostgreSQL.
    lessons = (
        LessonPage.objects.filter(path__startswith=OuterRef("path"), depth__gt=OuterRef("depth"))
        .order_by()
        .annotate(total=Func(F("estimated_minutes"), function="SUM", output_field=IntegerField()))
        .values("total")[:1]
    )
    return Coalesce(Subquery(lessons, output_field=IntegerField()), 0)


def _jp_disagrees() -> Q:
    """`courses.workload.jp_and_minutes_disagree` in SQL: lesson minutes more than a quarter JP
    away from the declared JP."""
    return Q(lesson_minutes__gt=0) & Q(
        minutes_off__gte=JP_TOLERANCE * settings.LENTERA_MINUTES_PER_JP
    )


def _rows(model, *, kind: str, organization_ids, status: str, today: date):
    # Source (Indonesian) pages only: a translation is reviewed with its source.
    queryset = source_pages(model.objects.filter(live=True, provider_id__in=organization_ids))
    if model is CoursePage:
        queryset = queryset.annotate(
            lesson_minutes=_lesson_minutes(),
            minutes_off=Abs(
                ExpressionWrapper(
                    F("lesson_minutes") - F("jp") * settings.LENTERA_MINUTES_PER_JP,
                    output_field=DecimalField(max_digits=9, decimal_places=2),
                )
            ),
        )
        jp = F("jp")
    else:
        queryset = queryset.annotate(
            lesson_minutes=Value(None, output_field=IntegerField()),
        )
        jp = Value(None, output_field=DecimalField(max_digits=5, decimal_places=2))
    if status == "due":
        queryset = queryset.filter(review_by__lte=today + timedelta(days=DUE_SOON_DAYS))
    elif status == "overdue":
        queryset = queryset.filter(review_by__lt=today)
    elif status == "superseded":
        queryset = queryset.filter(superseded=True)
    elif status == "jp":
        if model is not CoursePage:
            return None
        queryset = queryset.filter(_jp_disagrees())
    return (
        queryset.order_by()
        .annotate(
            page_type=Value(kind, output_field=CharField()),
            organization=F("provider__short_name"),
            owner_name=Coalesce(F("content_owner__full_name"), F("owner__full_name")),
            responsible_id=Coalesce(F("content_owner_id"), F("owner_id")),
            credited_jp=jp,
        )
        .values(
            "pk",
            "title",
            "page_type",
            "organization",
            "provider_id",
            "owner_name",
            "responsible_id",
            "review_by",
            "last_reviewed_on",
            "first_published_at",
            "superseded",
            "credited_jp",
            "lesson_minutes",
        )
    )


def review_rows(*, organization_ids, status: str = "due", today: date):
    """Live courses and resources of these organizations in the report's `status` (see
    STATUSES), the most urgent first: one query, sliced by the caller's paginator."""
    parts = [
        rows
        for rows in (
            _rows(
                CoursePage,
                kind="course",
                organization_ids=organization_ids,
                status=status,
                today=today,
            ),
            _rows(
                ResourcePage,
                kind="resource",
                organization_ids=organization_ids,
                status=status,
                today=today,
            ),
        )
        if rows is not None
    ]
    combined = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return combined.order_by(F("review_by").asc(nulls_last=True), "title", "pk")
