"""The organization-wide compliance figures are cached per organization and forgotten as soon
as anything its staff's JP depend on changes (`compliance.cache`)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from compliance import tasks
from compliance.reports import ComplianceFilters, compliance_report
from compliance.tasks import compliance_figures_refresh as refresh
from development import services as development_services
from development.factories import DevelopmentRecordFactory, form_of
from learners.certificate_services import certificate_revoke
from learners.factories import (
    PositionFactory,
    UserFactory,
    WorkUnitFactory,
    completed_enrollment,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def filters() -> ComplianceFilters:
    return ComplianceFilters(year=timezone.localdate().year)


@pytest.fixture
def staff(provider_a):
    return UserFactory(email="pegawai@instansi.go.id", organization=provider_a, account_kind="pns")


def report(organization, filters):
    with CaptureQueriesContext(connection) as queries:
        result = compliance_report(organization=organization, filters=filters)
    return result, len(queries)


def earned(organization, filters) -> tuple[int, int]:
    result, _queries = report(organization, filters)
    return result.staff, result.compliant


def test_the_report_is_counted_once_then_read_from_the_cache(provider_a, staff, filters):
    first, counted = report(provider_a, filters)
    again, cached = report(provider_a, filters)
    assert counted >= 2
    assert cached == 0
    assert (again.staff, again.compliant) == (first.staff, first.compliant)
    assert again.units == first.units


def test_a_course_completed_shows_at_once(provider_a, staff, course_a, filters, settings):
    settings.LENTERA_JP_TARGET = 2
    assert earned(provider_a, filters) == (1, 0)
    completed_enrollment(user=staff, course=course_a)  # the course's 2 JP
    assert earned(provider_a, filters) == (1, 1)


def test_a_certificate_revoked_shows_at_once(
    provider_a, staff, course_a, filters, settings, admin_user
):
    settings.LENTERA_JP_TARGET = 2
    enrollment = completed_enrollment(user=staff, course=course_a)
    assert earned(provider_a, filters) == (1, 1)
    certificate_revoke(
        certificate=enrollment.certificate, revoked_by=admin_user, reason="Kesalahan data."
    )
    assert earned(provider_a, filters) == (1, 0)


def test_a_development_record_verified_shows_at_once(provider_a, staff, filters, settings):
    settings.LENTERA_JP_TARGET = 3
    day = timezone.localdate() - timedelta(days=2)
    record = DevelopmentRecordFactory(
        owner=staff, form=form_of("workshop"), jp=Decimal(3), start_date=day, end_date=day
    )
    assert earned(provider_a, filters) == (1, 0)
    verifier = UserFactory(email="sdm@instansi.go.id", admin_of=provider_a)
    development_services.record_verify(record=record, verifier=verifier)
    assert earned(provider_a, filters) == (1, 1)


def test_a_person_moved_to_another_unit_shows_at_once(provider_a, staff, filters):
    first, _queries = report(provider_a, filters)
    assert [unit.unit_id for unit in first.units] == [None]
    staff.work_unit = WorkUnitFactory(organization=provider_a, name="Bagian Umum")
    staff.save()
    moved, _queries = report(provider_a, filters)
    assert [unit.unit_id for unit in moved.units] == [staff.work_unit_id]


def test_one_organizations_change_keeps_anothers_figures(
    provider_a, provider_b, staff, course_a, filters
):
    UserFactory(email="lain@kb.go.id", organization=provider_b, account_kind="pns")
    report(provider_b, filters)
    completed_enrollment(user=staff, course=course_a)
    _result, queries = report(provider_b, filters)
    assert queries == 0


# After a change, the figures of HR's first view are counted again in the background
# (compliance.tasks.compliance_figures_refresh, run at once by the tests' immediate backend).


def test_a_committed_change_is_counted_before_hr_asks(
    provider_a, staff, course_a, filters, settings, django_capture_on_commit_callbacks
):
    settings.LENTERA_JP_TARGET = 2
    assert earned(provider_a, filters) == (1, 0)
    with django_capture_on_commit_callbacks(execute=True):
        completed_enrollment(user=staff, course=course_a)  # the course's 2 JP
    result, queries = report(provider_a, filters)
    assert queries == 0  # counted by the refresh when the completion committed
    assert (result.staff, result.compliant) == (1, 1)


def test_the_first_view_after_a_refresh_reads_only_the_cache(
    provider_a, staff, filters, client_for, django_capture_on_commit_callbacks
):
    hr = UserFactory(email="sdm@instansi.go.id", admin_of=provider_a)
    with django_capture_on_commit_callbacks(execute=True):
        staff.work_unit = WorkUnitFactory(organization=provider_a, name="Bagian Umum")
        staff.save()
    client = client_for(hr)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/kepatuhan/{provider_a.pk}/")
    assert response.status_code == 200
    assert response.context["report"].units[0].unit_id == staff.work_unit_id
    counted = [query["sql"] for query in queries if "jp_credited" in query["sql"]]
    assert counted == []  # neither the figures nor the lists' first pages were counted again


class _Queue:
    """Stands for the refresh task: records what is queued instead of running it."""

    def __init__(self) -> None:
        self.queued: list[dict] = []

    def enqueue(self, **kwargs) -> None:
        self.queued.append(kwargs)


def queued_refreshes(monkeypatch) -> list[dict]:
    queue = _Queue()
    monkeypatch.setattr(tasks, "compliance_figures_refresh", queue)
    return queue.queued


def test_changes_queue_one_refresh_until_it_runs(
    provider_a, staff, monkeypatch, django_capture_on_commit_callbacks
):
    queued = queued_refreshes(monkeypatch)
    for name in ("Bagian Umum", "Bagian Keuangan"):
        with django_capture_on_commit_callbacks(execute=True):
            staff.work_unit = WorkUnitFactory(organization=provider_a, name=name)
            staff.save()
    assert queued == [{"organization_id": provider_a.pk}]  # the second waits for the first
    refresh.call(organization_id=provider_a.pk)
    with django_capture_on_commit_callbacks(execute=True):
        staff.position = PositionFactory(organization=provider_a)
        staff.save()
    assert len(queued) == 2  # a change after the refresh started queues the next one


def test_nothing_is_queued_for_a_change_rolled_back(
    provider_a, staff, monkeypatch, django_capture_on_commit_callbacks
):
    queued = queued_refreshes(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                staff.work_unit = WorkUnitFactory(organization=provider_a, name="Bagian Umum")
                staff.save()
                raise RuntimeError
        except RuntimeError:
            pass
    assert queued == []


def test_a_refresh_of_an_organization_deleted_meanwhile_does_nothing(db):
    assert refresh.call(organization_id=987654) is None
