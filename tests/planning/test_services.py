"""Development plans: drafting, the bad input refused in words, submission to the confirmed
supervisor, agreeing or returning (audited, e-mailed), and the lock on an agreed plan."""

from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from audit.models import AuditEvent
from development.factories import form_of
from learners.factories import UserFactory
from planning import services
from planning.models import DevelopmentPlan

from .conftest import endorsed_need
from .helpers import course_developing

YEAR = timezone.localdate().year


def _codes(error: ValidationError) -> dict[str, list[str]]:
    return {field: [e.code for e in errors] for field, errors in error.error_dict.items()}


@pytest.fixture
def plan(owner):
    return services.plan_create(user=owner, year=YEAR)


def _seminar(plan, owner, **changes):
    values = {
        "form": form_of("seminar"),
        "title": "Seminar Kebijakan Publik",
        "target_date": date(plan.year, 5, 20),
        "planned_jp": Decimal("4"),
    }
    values.update(changes)
    return services.item_add(plan=plan, user=owner, **values)


def test_a_plan_is_started_for_this_year_or_the_next_once(owner):
    services.plan_create(user=owner, year=YEAR + 1)
    with pytest.raises(ValidationError):
        services.plan_create(user=owner, year=YEAR + 1)
    with pytest.raises(ValidationError) as refused:
        services.plan_create(user=owner, year=YEAR - 1)
    assert _codes(refused.value) == {"year": ["year"]}


def test_an_item_takes_a_course_title_and_a_need_competency(
    plan, owner, supervisor, competencies, provider_a
):
    course = course_developing(provider_a, (competencies[0], 3), title="Analisis Kebijakan Madya")
    need = endorsed_need(owner, competencies[0], current=1, target=3, days_ago=5, by=supervisor)
    item = services.item_add(
        plan=plan,
        user=owner,
        course=course,
        need=need,
        target_date=date(YEAR, 9, 1),
        planned_jp=Decimal("12"),
    )
    assert item.title == "Analisis Kebijakan Madya" and item.competency == competencies[0]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"target_date": date(YEAR + 1, 1, 1)}, {"target_date": ["target_date_year"]}),
        ({"target_date": date(YEAR - 1, 12, 31)}, {"target_date": ["target_date_year"]}),
        ({"planned_jp": Decimal("0")}, {"planned_jp": ["planned_jp"]}),
        ({"planned_jp": Decimal("-2")}, {"planned_jp": ["planned_jp"]}),
        ({"form": None}, {"course": ["course_or_form"]}),
    ],
)
def test_bad_items_are_refused_in_words(plan, owner, changes, expected):
    with pytest.raises(ValidationError) as refused:
        _seminar(plan, owner, **changes)
    assert _codes(refused.value) == expected
    assert not plan.items.exists()


def test_a_course_and_a_form_together_are_refused(plan, owner, competencies, provider_a):
    course = course_developing(provider_a, (competencies[0], 3))
    with pytest.raises(ValidationError) as refused:
        _seminar(plan, owner, course=course)
    assert _codes(refused.value) == {"course": ["course_or_form"]}


def test_a_need_of_another_competency_or_person_is_refused(
    plan, owner, other_learner, supervisor, competencies
):
    need = endorsed_need(owner, competencies[1], current=1, target=2, days_ago=1, by=supervisor)
    with pytest.raises(ValidationError) as refused:
        _seminar(plan, owner, competency=competencies[0], need=need)
    assert _codes(refused.value) == {"need": ["need_competency"]}
    theirs = endorsed_need(other_learner, competencies[0], current=1, target=2, days_ago=1)
    with pytest.raises(ValidationError):
        _seminar(plan, owner, need=theirs)


def test_only_the_owner_changes_a_plan(plan, owner, supervisor):
    with pytest.raises(PermissionDenied):
        _seminar(plan, supervisor)


def test_submitting_needs_an_activity_and_a_confirmed_supervisor(plan, owner, organization):
    with pytest.raises(ValidationError) as refused:
        services.plan_submit(plan=plan, user=owner)
    assert refused.value.code == "empty"
    alone = UserFactory(email="sendiri@ku.go.id", organization=organization)
    own_plan = services.plan_create(user=alone, year=YEAR)
    _seminar(own_plan, alone)
    with pytest.raises(ValidationError) as refused:
        services.plan_submit(plan=own_plan, user=alone)
    assert refused.value.code == "no_supervisor"


def test_the_supervisor_is_emailed_a_submitted_plan_and_agrees_it(
    plan, owner, supervisor, django_capture_on_commit_callbacks
):
    _seminar(plan, owner)
    with django_capture_on_commit_callbacks(execute=True):
        services.plan_submit(plan=plan, user=owner)
    [message] = mail.outbox
    assert message.to == [supervisor.email] and "Pegawai Satu" in message.subject
    with django_capture_on_commit_callbacks(execute=True):
        plan = services.plan_agree(plan=plan, supervisor=supervisor, note="Setuju, semangat.")
    assert plan.status == DevelopmentPlan.Status.AGREED
    assert plan.agreed_by == supervisor and plan.agreed_at is not None
    assert mail.outbox[1].to == [owner.email] and "Setuju, semangat." in mail.outbox[1].body
    event = AuditEvent.objects.get(action=AuditEvent.Action.DEVELOPMENT_PLAN_DECIDED)
    assert event.actor == supervisor and event.subject_user == owner
    assert event.detail == {"from": "submitted", "to": "agreed"}


def test_an_agreed_plan_is_locked_until_the_supervisor_returns_it(plan, owner, supervisor):
    item = _seminar(plan, owner)
    services.plan_submit(plan=plan, user=owner)
    with pytest.raises(ValidationError) as refused:
        _seminar(plan, owner, title="Seminar lain")
    assert refused.value.code == "not_editable"
    services.plan_agree(plan=plan, supervisor=supervisor)
    for change in (
        lambda: _seminar(plan, owner, title="Seminar lain"),
        lambda: services.item_update(
            item=item,
            user=owner,
            form=item.form,
            title="Ubah",
            target_date=item.target_date,
            planned_jp=Decimal("2"),
        ),
        lambda: services.item_remove(item=item, user=owner),
    ):
        with pytest.raises(ValidationError):
            change()
    with pytest.raises(ValidationError) as refused:
        services.plan_return(plan=plan, supervisor=supervisor, note="  ")
    assert _codes(refused.value) == {"note": ["note_required"]}
    plan = services.plan_return(plan=plan, supervisor=supervisor, note="Tambah coaching.")
    assert plan.status == DevelopmentPlan.Status.RETURNED and plan.agreed_at is None
    _seminar(plan, owner, title="Coaching", form=form_of("coaching"))
    assert plan.items.count() == 2


def test_nobody_but_the_confirmed_supervisor_decides(
    plan, owner, hr, other_supervisor, other_learner
):
    _seminar(plan, owner)
    services.plan_submit(plan=plan, user=owner)
    for person in (hr, other_supervisor, other_learner, owner):
        with pytest.raises(PermissionDenied):
            services.plan_agree(plan=plan, supervisor=person)
    assert DevelopmentPlan.objects.get(pk=plan.pk).status == DevelopmentPlan.Status.SUBMITTED
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.DEVELOPMENT_PLAN_DECIDED)


def test_a_draft_cannot_be_agreed(plan, owner, supervisor):
    _seminar(plan, owner)
    with pytest.raises(ValidationError) as refused:
        services.plan_agree(plan=plan, supervisor=supervisor)
    assert refused.value.code == "already_decided"
