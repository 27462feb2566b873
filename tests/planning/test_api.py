"""/api/v1/me/profile and /api/v1/me/plan: the signed-in person's own."""

from datetime import date
from decimal import Decimal

from django.utils import timezone

from development.factories import form_of
from planning import services

from .conftest import endorsed_need
from .helpers import completion, course_developing

YEAR = timezone.localdate().year


def test_the_profile_lists_required_levels_sources_and_gaps(
    owner, supervisor, competencies, provider_a, client_for
):
    endorsed_need(owner, competencies[0], current=1, target=3, days_ago=9, by=supervisor)
    completion(owner, course_developing(provider_a, (competencies[0], 2)), days_ago=1)
    recommended = course_developing(provider_a, (competencies[0], 3), title="Kebijakan Madya")
    body = client_for(owner).get("/api/v1/me/profile").json()
    assert body["position"] == "Analis Kebijakan Ahli Muda"
    rows = {row["code"]: row for row in body["required"]}
    policy = rows["T.01"]
    assert policy["required_level"] == 3 and policy["current_level"] == 2
    assert policy["current_source"] == "post_test" and policy["gap"] == 1
    assert [e["source"] for e in policy["evidence"]] == ["post_test", "self_assessment"]
    assert policy["recommended_courses"] == [
        {"id": recommended.pk, "title": "Kebijakan Madya", "level": 3}
    ]
    assert rows["M.01"]["current_level"] is None and rows["M.01"]["gap"] is None


def test_the_plan_of_a_year_with_its_realisation(owner, client_for):
    plan = services.plan_create(user=owner, year=YEAR)
    services.item_add(
        plan=plan,
        user=owner,
        form=form_of("seminar"),
        title="Seminar",
        target_date=date(YEAR, 3, 1),
        planned_jp=Decimal("4"),
    )
    client = client_for(owner)
    body = client.get(f"/api/v1/me/plan?year={YEAR}").json()
    assert body["status"] == "draft" and Decimal(body["planned_jp"]) == 4
    [item] = body["items"]
    assert item["form"] == "seminar" and item["realised"] is False
    assert client.get(f"/api/v1/me/plan?year={YEAR + 1}").status_code == 404
    assert client.get("/api/v1/me/plan?year=1900").status_code == 422


def test_signed_out_gets_401(client):
    assert client.get("/api/v1/me/profile").status_code == 401
    assert client.get("/api/v1/me/plan").status_code == 401


def test_the_openapi_document_describes_the_profile_and_the_plan(client):
    schema = client.get("/api/v1/openapi.json").json()
    components = schema["components"]["schemas"]
    profile = components["ProfileCompetencyOut"]["properties"]
    assert {"required_level", "current_level", "current_source", "gap", "evidence"} <= set(profile)
    assert "description" in profile["current_source"]
    plan = components["PlanItemOut"]["properties"]
    assert {"planned_jp", "realised", "realised_by"} <= set(plan)
    operations = {
        path: item["get"]["description"]
        for path, item in schema["paths"].items()
        if path in ("/api/v1/me/profile", "/api/v1/me/plan")
    }
    assert len(operations) == 2 and all(operations.values())
