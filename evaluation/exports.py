"""The evaluation reports' tables, shared by the admin and the front-end pages."""

from django.utils.translation import gettext as _

from core.exports import human_number


def programme_table(rows, *, year: int) -> tuple[list[str], list[list]]:
    """The programme evaluation report (per course, for one year) as header and rows."""
    from evaluation.selectors import score_labels

    labels = score_labels()
    header = [
        _("Course"),
        _("Provider"),
        _("Year"),
        _("Enrollments"),
        _("Completions"),
        _("Completion rate (%)"),
        _("Median days to complete"),
        _("JP delivered"),
        _("L1 responses"),
        *[_("L1 %(question)s") % {"question": label} for label in labels.values()],
        _("L1 overall"),
        _("L2 learners with pre- and post-test"),
        _("L2 average gain (points)"),
        _("L2 post-test pass rate (%)"),
        _("L3 supervisor answers"),
        _("L3 average"),
    ]
    table = [
        [
            row.title,
            row.provider,
            year,
            row.enrollments,
            row.completions,
            row.completion_rate,
            row.median_days,
            row.jp_delivered,
            row.l1_responses,
            *[row.l1_scores.get(name) for name in labels],
            row.l1_overall,
            row.l2_learners,
            human_number(row.l2_average_gain),
            row.l2_pass_rate,
            row.l3_answered,
            row.l3_average,
        ]
        for row in rows
    ]
    return header, table


def needs_tables(report) -> list[tuple[str, list[str], list[list]]]:
    """The needs report's sheets: per competency, per organization, public signal per unit."""
    per_competency = (
        _("Per competency"),
        [
            _("Code"),
            _("Competency"),
            _("Target level"),
            _("Endorsed needs"),
            _("Of which high priority"),
            _("Awaiting endorsement"),
            _("Courses at or above the level"),
            _("Public signal (responses)"),
            _("Gap"),
            _("Courses"),
        ],
        [
            [
                row.code,
                row.name,
                row.target_level,
                row.demand,
                row.high_priority,
                row.awaiting,
                row.supply,
                row.public_signal,
                _("yes") if row.is_gap else _("no"),
                "; ".join(row.supply_titles),
            ]
            for row in report.rows
        ],
    )
    per_organization = (
        _("Per organization"),
        [_("Organization"), _("Code"), _("Competency"), _("Target level"), _("Endorsed needs")],
        [
            [item.organization, item.code, item.name, item.target_level, item.demand]
            for item in report.by_organization
        ],
    )
    public_signal = (
        _("Public signal"),
        [
            _("Organization"),
            _("Service unit"),
            _("Responses"),
            _("Average rating"),
            _("Code"),
            _("Competency"),
            _("Responses pointing to it"),
        ],
        [
            [unit.organization, unit.unit, unit.responses, unit.average_rating, code, name, count]
            for unit in report.units
            for code, name, count in (unit.competencies or [("", "", None)])
        ],
    )
    return [per_competency, per_organization, public_signal]
