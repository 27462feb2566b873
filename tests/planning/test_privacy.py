"""A person's development plans in their data download, and what erasing the account leaves of
them (UU PDP art. 7, 8 and 13)."""

import io
import json
import zipfile
from datetime import date
from decimal import Decimal

from django.utils import timezone

from development.factories import form_of
from planning import services
from planning.models import DevelopmentPlan, PlanItem
from privacy.data_export import personal_data_archive
from privacy.erasure import account_erase

from .helpers import course_developing

YEAR = timezone.localdate().year


def _agreed_plan(owner, supervisor, competencies, provider):
    plan = services.plan_create(user=owner, year=YEAR)
    course = course_developing(provider, (competencies[0], 3), title="Analisis Kebijakan Madya")
    services.item_add(
        plan=plan,
        user=owner,
        course=course,
        title="Kursus untuk kenaikan jabatan Bu Pegawai",
        target_date=date(YEAR, 8, 1),
        planned_jp=Decimal("12"),
    )
    services.item_add(
        plan=plan,
        user=owner,
        form=form_of("seminar"),
        title="Seminar di kampus adik saya",
        competency=competencies[0],
        target_date=date(YEAR, 9, 1),
        planned_jp=Decimal("4"),
    )
    services.plan_submit(plan=plan, user=owner)
    return services.plan_agree(plan=plan, supervisor=supervisor, note="Setuju untuk Pegawai Satu.")


def test_the_data_download_holds_the_plans_and_their_activities(
    owner, supervisor, competencies, provider_a
):
    _agreed_plan(owner, supervisor, competencies, provider_a)
    data = json.loads(zipfile.ZipFile(io.BytesIO(personal_data_archive(owner))).read("data.json"))
    [plan] = data["development_plans"]
    assert plan["year"] == YEAR and plan["status"] == "agreed"
    assert plan["supervisor_note"] == "Setuju untuk Pegawai Satu."
    assert plan["agreed_by__full_name"] == "Atasan Langsung"
    assert [a["title"] for a in plan["activities"]] == [
        "Kursus untuk kenaikan jabatan Bu Pegawai",
        "Seminar di kampus adik saya",
    ]
    assert plan["activities"][1]["form__name"] == form_of("seminar").name
    assert Decimal(plan["activities"][0]["planned_jp"]) == 12


def test_erasure_keeps_the_plan_and_removes_what_the_person_or_supervisor_wrote(
    owner, supervisor, competencies, provider_a
):
    plan = _agreed_plan(owner, supervisor, competencies, provider_a)
    account_erase(user=owner)
    plan = DevelopmentPlan.objects.get(pk=plan.pk)
    assert plan.status == "agreed" and plan.supervisor_note == ""
    titles = list(PlanItem.objects.filter(plan=plan).values_list("title", flat=True))
    assert titles == ["Analisis Kebijakan Madya", form_of("seminar").name]
