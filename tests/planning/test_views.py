"""The profile and plan pages for each role: the person, another learner, their confirmed
supervisor, the supervisor of another team, HR of their organization and HR of another one;
the learner's drafting and the supervisor's decision through the pages."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from development.factories import form_of
from planning import services
from planning.models import DevelopmentPlan, PlanItem

YEAR = timezone.localdate().year
OK, GONE, AWAY = 200, 404, 302
ROLES = ("owner", "other_learner", "supervisor", "other_supervisor", "hr", "hr_other")


@pytest.fixture
def people(owner, other_learner, supervisor, other_supervisor, hr, hr_other):
    people = (owner, other_learner, supervisor, other_supervisor, hr, hr_other)
    return dict(zip(ROLES, people, strict=True))


@pytest.fixture
def plan(owner):
    plan = services.plan_create(user=owner, year=YEAR)
    services.item_add(
        plan=plan,
        user=owner,
        form=form_of("seminar"),
        title="Seminar Kebijakan Publik",
        target_date=date(YEAR, 6, 1),
        planned_jp=4,
    )
    return plan


# Who gets what (owner, another learner, supervisor, another team's supervisor, HR, other HR).
MATRIX = {
    "my_profile": (OK, OK, OK, OK, OK, OK),
    "person_profile": (AWAY, GONE, OK, GONE, OK, GONE),
    "plan_index": (OK, OK, OK, OK, OK, OK),
    "team_plans": (OK, OK, OK, OK, OK, OK),
    "plan_detail": (OK, GONE, OK, GONE, OK, GONE),
    "item_create": (OK, GONE, GONE, GONE, GONE, GONE),
    "item_edit": (OK, GONE, GONE, GONE, GONE, GONE),
}


def _url(name, owner, plan):
    item = plan.items.first()
    return {
        "my_profile": reverse("planning:my_profile"),
        "person_profile": reverse("planning:person_profile", args=[owner.pk]),
        "plan_index": reverse("planning:plan_index"),
        "team_plans": reverse("planning:team_plans"),
        "plan_detail": reverse("planning:plan_detail", args=[plan.pk]),
        "item_create": reverse("planning:item_create", args=[plan.pk]),
        "item_edit": reverse("planning:item_edit", args=[plan.pk, item.pk]),
    }[name]


@pytest.mark.parametrize("name", MATRIX)
def test_each_role_gets_its_answer(name, people, owner, plan, client_for):
    for role, expected in zip(ROLES, MATRIX[name], strict=True):
        response = client_for(people[role]).get(_url(name, owner, plan))
        assert response.status_code == expected, (name, role, response.status_code)
        if expected == OK and role not in ("owner", "supervisor", "hr"):
            assert "Pegawai Satu" not in response.content.decode()


def test_signed_out_visitors_are_sent_to_sign_in(client, owner, plan):
    for name in MATRIX:
        response = client.get(_url(name, owner, plan))
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_staff_opening_a_profile_is_audited(owner, hr, client_for):
    client_for(hr).get(reverse("planning:person_profile", args=[owner.pk]))
    event = AuditEvent.objects.get(action=AuditEvent.Action.RECORD_VIEWED)
    assert event.actor == hr and event.subject_user == owner


@pytest.mark.parametrize("role", ["other_learner", "other_supervisor", "hr", "hr_other"])
def test_only_the_confirmed_supervisor_decides(role, people, owner, plan, client_for):
    services.plan_submit(plan=plan, user=owner)
    response = client_for(people[role]).post(
        reverse("planning:plan_decide", args=[plan.pk]), {"decision": "agree", "note": ""}
    )
    assert response.status_code == GONE
    assert DevelopmentPlan.objects.get(pk=plan.pk).status == DevelopmentPlan.Status.SUBMITTED


@pytest.mark.parametrize("role", ["other_learner", "supervisor", "hr"])
def test_nobody_else_changes_the_plan(role, people, owner, plan, client_for):
    client = client_for(people[role])
    item = plan.items.get()
    for url in (
        reverse("planning:plan_submit", args=[plan.pk]),
        reverse("planning:item_delete", args=[plan.pk, item.pk]),
    ):
        assert client.post(url).status_code == GONE
    assert DevelopmentPlan.objects.get(pk=plan.pk).status == DevelopmentPlan.Status.DRAFT
    assert PlanItem.objects.filter(pk=item.pk).exists()


def test_a_learner_drafts_submits_and_the_supervisor_agrees(owner, supervisor, client_for):
    client = client_for(owner)
    response = client.post(reverse("planning:plan_index"), {"year": YEAR})
    plan = DevelopmentPlan.objects.get(user=owner, year=YEAR)
    assert response.status_code == 302
    url = reverse("planning:item_create", args=[plan.pk])
    bad = client.post(
        url,
        {
            "form": form_of("workshop").pk,
            "title": "Lokakarya",
            "target_date": f"{YEAR + 1}-02-01",
            "planned_jp": "0",
        },
    )
    assert bad.status_code == 400
    assert set(bad.context["form"].errors) == {"target_date", "planned_jp"}
    good = client.post(
        url,
        {
            "form": form_of("workshop").pk,
            "title": "Lokakarya",
            "target_date": f"{YEAR}-10-01",
            "planned_jp": "6",
        },
    )
    assert good.status_code == 302 and plan.items.count() == 1
    client.post(reverse("planning:plan_submit", args=[plan.pk]))
    page = client_for(supervisor).get(reverse("planning:plan_detail", args=[plan.pk]))
    assert page.context["decide_form"] is not None
    returned = client_for(supervisor).post(
        reverse("planning:plan_decide", args=[plan.pk]), {"decision": "return", "note": ""}
    )
    assert returned.status_code == 302
    assert DevelopmentPlan.objects.get(pk=plan.pk).status == DevelopmentPlan.Status.SUBMITTED
    client_for(supervisor).post(
        reverse("planning:plan_decide", args=[plan.pk]), {"decision": "agree", "note": "Baik."}
    )
    plan.refresh_from_db()
    assert plan.status == DevelopmentPlan.Status.AGREED and plan.agreed_by == supervisor
    # Locked: the owner's form sends them back to the plan.
    locked = client.get(reverse("planning:item_create", args=[plan.pk]))
    assert locked.status_code == 302
    assert client.post(url, {"form": form_of("seminar").pk, "title": "X"}).status_code == 302
    assert plan.items.count() == 1


def test_the_team_page_lists_the_confirmed_team_with_their_plans(
    owner, supervisor, plan, client_for
):
    services.plan_submit(plan=plan, user=owner)
    response = client_for(supervisor).get(reverse("planning:team_plans"))
    [(member, member_plan)] = response.context["rows"]
    assert member == owner and member_plan == plan


def test_a_supervisor_not_yet_confirmed_sees_nothing(organization, standard, client_for):
    from django.utils import timezone as tz

    from learners.factories import UserFactory

    boss = UserFactory(email="atasan.belum@ku.go.id", full_name="Atasan Belum")
    learner = UserFactory(
        email="pegawai.tiga@ku.go.id",
        full_name="Pegawai Tiga",
        organization=organization,
        position=standard,
        supervisor=boss,
        supervisor_accepted_at=tz.now(),
    )
    plan = services.plan_create(user=learner, year=YEAR)
    client = client_for(boss)
    assert client.get(reverse("planning:person_profile", args=[learner.pk])).status_code == 404
    assert client.get(reverse("planning:plan_detail", args=[plan.pk])).status_code == 404
    assert client.get(reverse("planning:team_plans")).context["rows"] == []


def test_the_plan_page_reads_in_a_fixed_number_of_queries(
    owner, plan, competencies, provider_a, client_for
):
    from decimal import Decimal

    from development.factories import DevelopmentRecordFactory
    from development.models import DevelopmentRecord
    from planning.factories import PlanItemFactory

    from .helpers import completion, course_developing

    client = client_for(owner)
    # The header's roles are cached per person after their first page (cohorts.navigation).
    client.get(reverse("planning:plan_detail", args=[plan.pk]))
    counts = []
    for size in (1, 6):
        for _number in range(size):
            course = course_developing(provider_a, (competencies[0], 2))
            PlanItemFactory(plan=plan, form=None, course=course)
            completion(owner, course, days_ago=0)
            PlanItemFactory(plan=plan, competency=competencies[1])
            record = DevelopmentRecordFactory(
                owner=owner,
                form=form_of("seminar"),
                status=DevelopmentRecord.Status.VERIFIED,
                jp_credited=Decimal(4),
                start_date=timezone.localdate(),
                end_date=timezone.localdate(),
            )
            record.competencies.set(competencies)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("planning:plan_detail", args=[plan.pk]))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
