"""Wagtail admin for content review: the report (Reports → Content review), "mark as reviewed"
(from the report and the page's header menu) and its confirmation.

An editor or moderator sees their organizations' content; superusers and LAN's editors and
moderators see every organization's, and may choose one (`selectors.organizations_reviewed_by`).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from content.inputs import id_parse
from content.review import ReviewedPage
from core.exports import csv_response
from courses.workload import jp_and_minutes_disagree
from review.forms import ReviewMarkForm
from review.permissions import can_mark_reviewed
from review.selectors import STATUSES, organizations_reviewed_by, review_rows
from review.services import next_review_by, page_for_review, review_mark

#: Rows per page of the report (the CSV has them all).
ROWS_PER_PAGE = 50


def can_view_content_review(user) -> bool:
    return organizations_reviewed_by(user).exists()


def _row(row: dict, *, today, markable) -> dict:
    review_by = row["review_by"]
    minutes = row["lesson_minutes"]
    row.update(
        days_left=(review_by - today).days if review_by else None,
        days_overdue=(today - review_by).days if review_by and review_by < today else 0,
        jp_disagrees=(
            row["page_type"] == "course"
            and row["credited_jp"] is not None
            and jp_and_minutes_disagree(jp=row["credited_jp"], minutes=minutes or 0)
        ),
        edit_url=reverse("wagtailadmin_pages:edit", args=[row["pk"]]),
        markable=markable(row),
    )
    return row


class ContentReviewReportView(WagtailAdminTemplateMixin, TemplateView):
    """Courses and resources due for review, overdue, superseded or whose JP and lesson minutes
    disagree, per organization, with a CSV export."""

    page_title = gettext_lazy("Content review")
    header_icon = "time"
    template_name = "review/admin/content_review.html"

    def dispatch(self, request, *args, **kwargs):
        self.organizations = list(
            organizations_reviewed_by(request.user).only("pk", "name", "short_name")
        )
        if not self.organizations:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.get_page_title()}]

    def get(self, request, *args, **kwargs):
        user = request.user
        chosen = id_parse(request.GET.get("organization", ""))
        by_id = {organization.pk: organization for organization in self.organizations}
        self.organization = by_id.get(chosen)
        organization_ids = [self.organization.pk] if self.organization else list(by_id)
        status = request.GET.get("status", "")
        self.status = status if status in STATUSES else "due"
        self.today = timezone.localdate()
        rows = review_rows(organization_ids=organization_ids, status=self.status, today=self.today)
        # Who may mark a row reviewed, without a query per row: the organizations the user
        # moderates (their moderators publish there), the rows they own, or everything.
        moderated = (
            set(by_id)
            if user.is_superuser
            else {o.pk for o in self.organizations if o.moderators_group_id in self.group_ids}
        )

        def markable(row):
            return row["provider_id"] in moderated or row["responsible_id"] == user.pk

        if request.GET.get("export") == "csv":
            return csv_response(
                filename=f"tinjauan-konten-{self.status}-{self.today.isoformat()}.csv",
                header=[
                    _("Title"),
                    _("Type"),
                    _("Organization"),
                    _("Owner"),
                    _("Review by"),
                    _("Days left"),
                    _("Last reviewed"),
                    _("Superseded"),
                    _("JP"),
                    _("Lesson minutes"),
                    _("JP and lesson minutes disagree"),
                ],
                rows=(
                    (
                        row["title"],
                        self.kind_label(row["page_type"]),
                        row["organization"],
                        row["owner_name"] or "",
                        row["review_by"],
                        row["days_left"],
                        row["last_reviewed_on"],
                        _("Yes") if row["superseded"] else _("No"),
                        row["credited_jp"],
                        row["lesson_minutes"],
                        _("Yes") if row["jp_disagrees"] else "",
                    )
                    for row in (
                        _row(row, today=self.today, markable=markable) for row in rows.iterator()
                    )
                ),
            )
        self.rows_page = Paginator(rows, ROWS_PER_PAGE).get_page(request.GET.get("page"))
        self.rows = [
            _row(row, today=self.today, markable=markable) for row in self.rows_page.object_list
        ]
        return super().get(request, *args, **kwargs)

    @property
    def group_ids(self) -> set[int]:
        if not hasattr(self, "_group_ids"):
            self._group_ids = set(self.request.user.groups.values_list("pk", flat=True))
        return self._group_ids

    @staticmethod
    def kind_label(kind: str) -> str:
        return _("Course") if kind == "course" else _("Library resource")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            organizations=self.organizations,
            organization=self.organization,
            status=self.status,
            statuses=[
                ("due", _("Overdue or due within 30 days")),
                ("overdue", _("Overdue")),
                ("jp", _("JP and lesson minutes disagree")),
                ("superseded", _("Superseded")),
                ("all", _("All live content")),
            ],
            rows=self.rows,
            rows_page=self.rows_page,
            today=self.today,
            **kwargs,
        )


class ReviewMarkView(WagtailAdminTemplateMixin, TemplateView):
    """Confirm that a course or resource was reviewed, and choose its next review-by date."""

    page_title = gettext_lazy("Mark as reviewed")
    header_icon = "check"
    template_name = "review/admin/review_mark.html"

    def dispatch(self, request, *args, **kwargs):
        page = page_for_review(self.kwargs["page_id"])
        visible = {organization.pk for organization in organizations_reviewed_by(request.user)}
        if page is None or page.provider_id not in visible:
            raise Http404
        if not can_mark_reviewed(request.user, page):
            raise PermissionDenied
        self.page = page
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.page.title

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("content_review"), "label": _("Content review")},
            {"url": "", "label": self.get_page_title()},
        ]

    def next_url(self) -> str:
        candidate = self.request.POST.get("next") or self.request.GET.get("next") or ""
        if url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={self.request.get_host()}, require_https=False
        ) and candidate.startswith("/"):
            return candidate
        return reverse("content_review")

    def get(self, request, *args, **kwargs):
        self.form = ReviewMarkForm(initial={"review_by": next_review_by(timezone.localdate())})
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.form = ReviewMarkForm(request.POST)
        if not self.form.is_valid():
            return self.render_to_response(self.get_context_data(), status=400)
        review_mark(
            page=self.page, user=request.user, review_by=self.form.cleaned_data["review_by"]
        )
        messages.success(
            request,
            _("“%(title)s” marked as reviewed; next review by %(date)s.")
            % {
                "title": self.page.title,
                "date": self.form.cleaned_data["review_by"].strftime("%d-%m-%Y"),
            },
        )
        return redirect(self.next_url())

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            page=self.page, form=self.form, next=self.next_url(), **kwargs
        )


@hooks.register("register_admin_urls")
def register_review_urls():
    return [
        path("tinjauan-konten/", ContentReviewReportView.as_view(), name="content_review"),
        path(
            "tinjauan-konten/<int:page_id>/ditinjau/",
            ReviewMarkView.as_view(),
            name="content_review_mark",
        ),
    ]


class ContentReviewMenuItem(MenuItem):
    def is_shown(self, request):
        return can_view_content_review(request.user)


@hooks.register("register_reports_menu_item")
def register_content_review_menu_item():
    return ContentReviewMenuItem(
        gettext_lazy("Content review"),
        reverse("content_review"),
        name="content-review",
        icon_name="time",
        order=1330,
    )


class ReviewMarkButton(PageMenuItem):
    label = gettext_lazy("Mark as reviewed")
    icon_name = "check"
    url_name = "content_review_mark"
    priority = 62

    def is_shown(self, user):
        return self.page.live and can_mark_reviewed(user, self.page)


@hooks.register("register_page_header_buttons")
def review_mark_header_button(page, user, view_name, next_url=None):
    if isinstance(page, ReviewedPage):
        yield ReviewMarkButton(page=page, next_url=next_url)
