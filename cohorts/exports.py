"""The learners table of a cohort as CSV (streamed) and XLSX (write-only), for any size.

Rows come straight from the database with `.iterator()`; only the quiz scores (a few numbers
per learner) are gathered first. Exports show the full NIP: they go into agencies' own records.
"""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from audit.services import Action, audit_record_many
from cohorts import selectors
from cohorts.models import Cohort, CohortMembership
from cohorts.permissions import is_cohort_trainer
from core.exports import csv_response, human_number, xlsx_response
from learners.models import User

CHUNK = 2000


def _table(cohort: Cohort):
    rule = selectors.risk_rule(cohort)
    base = selectors.cohort_enrollments(cohort, rule=rule)
    quizzes = [lesson for lesson in selectors.course_lessons(cohort) if lesson.scored]
    header = [
        _("Name"),
        "NIP",
        _("E-mail"),
        _("Work unit"),
        _("Progress (%)"),
        _("Last activity"),
        _("Status"),
        *[
            (
                _("Best score: %(quiz)s") % {"quiz": quiz.title}
                if quiz.is_quiz
                else _("Package score: %(lesson)s") % {"lesson": quiz.title}
            )
            for quiz in quizzes
        ],
    ]
    scores = selectors.lesson_scores(base.values("pk"))
    labels = {key: str(label) for key, label in selectors.LearnerState.choices}

    def rows():
        for pk, name, nip, email, unit, percent, last_activity, state in (
            base.order_by("user__full_name", "pk")
            .values_list(
                "pk",
                "user__full_name",
                "user__nip",
                "user__email",
                "user__work_unit__name",
                "percent",
                "last_activity",
                "state",
            )
            .iterator(chunk_size=CHUNK)
        ):
            yield [
                name,
                nip or "",
                email,
                unit or "",
                percent,
                last_activity,
                labels[state],
                *[human_number(scores.get(pk, {}).get(quiz.id)) for quiz in quizzes],
            ]

    return header, rows()


def _filename(cohort: Cohort, extension: str) -> str:
    stamp = timezone.localdate().isoformat()
    return f"{slugify(cohort.name) or 'cohort'}-{stamp}.{extension}"


def cohort_csv(cohort: Cohort):
    header, rows = _table(cohort)
    return csv_response(filename=_filename(cohort, "csv"), header=header, rows=rows)


def cohort_xlsx(cohort: Cohort):
    header, rows = _table(cohort)
    return xlsx_response(filename=_filename(cohort, "xlsx"), sheets=[(cohort.name, header, rows)])


def cohort_export(*, cohort: Cohort, exported_by: User, file_format: str) -> HttpResponse:
    """The learners table as CSV or XLSX, for the cohort's trainers only, recorded on the audit
    log of the course provider and of every organization whose people are in the cohort (the
    people exported are theirs). One event per organization, whatever the cohort's size."""
    if not is_cohort_trainer(exported_by, cohort):
        raise PermissionDenied
    learner_organizations = (
        CohortMembership.objects.filter(cohort=cohort, enrollment__user__organization__isnull=False)
        .values_list("enrollment__user__organization_id", flat=True)
        .distinct()
    )
    audit_record_many(
        exported_by,
        Action.EXPORT,
        organizations=[cohort.course.provider_id, *learner_organizations],
        target=cohort.name,
        detail={"report": "cohort_learners", "format": file_format, "cohort_id": cohort.pk},
    )
    if file_format == "xlsx":
        return cohort_xlsx(cohort)
    return cohort_csv(cohort)
