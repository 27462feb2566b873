"""The package runtime's bounds and record keeping, over the learner API: the stored data of
an item stays bounded (400 cmi_too_large), odd times are answered (never a 500), a review
session of a completed lesson keeps the record, device clocks are not trusted for live
commits, asset-only packages complete, and a lesson's package is checked and replaced safely."""

import json
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from freezegun import freeze_time

from courses.factories import ModulePageFactory, provider_page_of
from learners.models import LessonCompletion
from packages import samples
from packages.factories import PackageFactory
from packages.models import PackageAttempt, RuntimeCommit, ScoState
from packages.services import CMI_ENTRIES_MAX, SESSION_TIME_MAX
from tests.packages.runtime_helpers import (
    cmi12,
    cmi2004,
    commit_body,
    course_with_package,
    enrolled,
)
from tests.packages.zips import MINIMAL_SCORM12, scorm12_zip

pytestmark = pytest.mark.django_db


def post(client, package_lesson, data):
    return client.post(
        f"/api/v1/package-lessons/{package_lesson.pk}/commits",
        json.dumps(data),
        content_type="application/json",
    )


def runtime(client, package_lesson):
    return client.get(f"/api/v1/package-lessons/{package_lesson.pk}/runtime").json()


# -- 1. bounded stored data ---------------------------------------------------------------


def interactions(count, *, start=0, text="x"):
    return {
        str(index): {"id": f"q{start + index}", "type": "fill-in", "student_response": text}
        for index in range(count)
    }


def test_merged_data_beyond_the_byte_limit_is_refused_and_nothing_changes(
    api, package_lesson, settings
):
    settings.LENTERA_PACKAGE_CMI_MAX_BYTES = 20_000
    first = cmi12(location="p1")
    first["cmi"]["interactions"] = interactions(4, text="a" * 4000)
    assert post(api, package_lesson, commit_body(package_lesson, first)).status_code == 200

    # Each commit alone is small, but the merge keeps the earlier entries' data.
    second = cmi12(location="p2")
    second["cmi"]["interactions"] = {
        "4": {"id": "q4", "type": "fill-in", "student_response": "b" * 4000},
        **{str(i): {} for i in range(4)},
    }
    second["cmi"]["suspend_data"] = "s" * 4000
    response = post(api, package_lesson, commit_body(package_lesson, second))

    assert response.status_code == 400
    assert response.json()["code"] == "cmi_too_large"
    assert "kB" in response.json()["detail"]
    sco = ScoState.objects.get()
    assert sco.cmi["core"]["lesson_location"] == "p1"
    assert len(sco.cmi["interactions"]) == 4
    assert RuntimeCommit.objects.count() == 1


def test_too_many_nested_collection_entries_are_refused(api, package_lesson):
    per_interaction = 20
    count = CMI_ENTRIES_MAX // per_interaction + 1
    cmi = cmi12()
    cmi["cmi"]["interactions"] = {
        str(index): {
            "id": f"q{index}",
            "correct_responses": {str(n): {} for n in range(per_interaction - 1)},
        }
        for index in range(count)
    }
    response = post(api, package_lesson, commit_body(package_lesson, cmi))
    assert response.status_code == 400 and response.json()["code"] == "cmi_too_large"
    assert not ScoState.objects.exists()


def test_real_sized_data_fits(provider_a):
    """SCORM 2004's largest suspend data and its SPM of 250 interactions are kept."""
    course, _lesson, package_lesson = course_with_package(
        provider_page_of(provider_a), archive=samples.scorm2004_multi_sco()
    )
    client = Client()
    client.force_login(enrolled(course))
    cmi = cmi2004(
        suspend_data="é" * 64000,
        interactions={
            str(index): {
                "id": f"urn:lentera:q{index}",
                "type": "choice",
                "description": "Pertanyaan " * 20,
                "learner_response": "a[,]b[,]c",
                "result": "correct",
                "correct_responses": {str(n): {"pattern": "a[,]b[,]c"} for n in range(10)},
                "objectives": {str(n): {"id": f"obj{n}"} for n in range(10)},
            }
            for index in range(250)
        },
    )
    response = post(client, package_lesson, commit_body(package_lesson, cmi))
    assert response.status_code == 200, response.content
    assert len(ScoState.objects.get().cmi["interactions"]) == 250


# -- 2. odd times are answered --------------------------------------------------------------


def test_a_naive_committed_at_is_taken_as_local_time(api, package_lesson):
    for queued in (False, True):
        data = commit_body(
            package_lesson, cmi12(), committed_at="2026-01-01T10:00:00", queued=queued
        )
        response = post(api, package_lesson, data)
        assert response.status_code == 200, response.content


def test_an_absurd_session_time_counts_at_most_a_day(provider_a):
    course, _lesson, package_lesson = course_with_package(
        provider_page_of(provider_a), archive=samples.scorm2004_multi_sco()
    )
    client = Client()
    client.force_login(enrolled(course))

    for session in ("P9999999999Y", "P9999Y", "PT30H"):
        data = commit_body(package_lesson, cmi2004(session_time=session), terminate=True)
        response = post(client, package_lesson, data)
        assert response.status_code == 200, response.content

    sco = ScoState.objects.get()
    assert sco.total_time == 3 * SESSION_TIME_MAX
    assert sco.session_count == 3
    assert runtime(client, package_lesson)["cmi"][sco.item]["total_time"] == "PT72H"


def test_a_long_scorm12_session_counts_at_most_a_day(api, package_lesson):
    data = commit_body(package_lesson, cmi12(session="9999:00:00"), terminate=True)
    assert post(api, package_lesson, data).status_code == 200
    assert ScoState.objects.get().total_time == SESSION_TIME_MAX


# -- 3. review sessions keep the record -------------------------------------------------------


def test_a_review_session_stores_resume_data_only(api, package_lesson):
    post(
        api, package_lesson, commit_body(package_lesson, cmi12("passed", raw="90", location="end"))
    )
    assert PackageAttempt.objects.get().completed_at is not None

    answer = post(
        api,
        package_lesson,
        commit_body(
            package_lesson,
            cmi12("failed", raw="10", location="p1", suspend="again", exit_="suspend"),
        ),
    ).json()

    sco = ScoState.objects.get()
    assert (sco.completion_status, sco.success_status, sco.score_raw) == ("completed", "passed", 90)
    assert sco.cmi["core"]["lesson_status"] == "passed"
    assert sco.cmi["core"]["score"]["raw"] == "90"
    assert sco.cmi["core"]["lesson_location"] == "p1"
    assert sco.cmi["core"]["exit"] == "suspend"
    assert sco.cmi["suspend_data"] == "again"
    assert answer["success_status"] == "passed" and answer["score"]["raw"] == 90
    assert answer["lesson_completed"]


def test_a_completed_lesson_is_played_in_review_without_credit(api, package_lesson):
    item = package_lesson.package.items[0]["identifier"]
    before = runtime(api, package_lesson)
    assert before["mode"] == "normal"
    assert before["cmi"][item]["core"]["credit"] == "credit"
    assert before["cmi"][item]["core"]["lesson_mode"] == "normal"

    post(api, package_lesson, commit_body(package_lesson, cmi12("passed", raw="90")))

    after = runtime(api, package_lesson)
    assert after["mode"] == "review" and after["lessonCompleted"]
    assert after["cmi"][item]["core"]["credit"] == "no-credit"
    assert after["cmi"][item]["core"]["lesson_mode"] == "review"


def test_a_completed_2004_lesson_is_played_in_review_without_credit(provider_a):
    course, _lesson, package_lesson = course_with_package(
        provider_page_of(provider_a), archive=samples.scorm2004_multi_sco()
    )
    learner = enrolled(course)
    client = Client()
    client.force_login(learner)
    for entry in package_lesson.package.items:
        data = commit_body(package_lesson, cmi2004("completed", "passed", scaled="0.9"))
        data["item"] = entry["identifier"]
        assert post(client, package_lesson, data).status_code == 200
    assert LessonCompletion.objects.filter(lesson=package_lesson).exists()
    first = package_lesson.package.items[0]["identifier"]

    data = commit_body(package_lesson, cmi2004("incomplete", "failed", scaled="0.1", location="3"))
    data["item"] = first
    post(client, package_lesson, data)

    sco = ScoState.objects.get(item=first)
    assert (sco.completion_status, sco.success_status) == ("completed", "passed")
    assert sco.score_scaled == pytest.approx(0.9) and sco.cmi["location"] == "3"
    config = runtime(client, package_lesson)
    assert config["cmi"][first]["mode"] == "review"
    assert config["cmi"][first]["credit"] == "no-credit"


# -- 4. device clocks ---------------------------------------------------------------------


def test_a_phone_with_a_fast_clock_saves(api, package_lesson):
    ahead = (timezone.now() + timedelta(hours=2)).isoformat()
    for queued in (False, True):
        data = commit_body(
            package_lesson, cmi12(location=f"q{queued}"), committed_at=ahead, queued=queued
        )
        response = post(api, package_lesson, data)
        assert response.status_code == 200, response.content
    sco = ScoState.objects.get()
    assert sco.last_event_at <= timezone.now()


def test_a_phone_with_a_slow_clock_is_not_stale_after_the_laptop(api, package_lesson):
    post(api, package_lesson, commit_body(package_lesson, cmi12(location="laptop")))
    behind = (timezone.now() - timedelta(hours=2)).isoformat()
    post(
        api,
        package_lesson,
        commit_body(package_lesson, cmi12(location="phone"), committed_at=behind),
    )
    assert ScoState.objects.get().cmi["core"]["lesson_location"] == "phone"


def test_an_older_queued_replay_does_not_overwrite_newer_data(api, package_lesson):
    post(api, package_lesson, commit_body(package_lesson, cmi12(location="live")))
    older = (timezone.now() - timedelta(hours=2)).isoformat()
    data = commit_body(package_lesson, cmi12(location="offline"), committed_at=older, queued=True)
    assert post(api, package_lesson, data).status_code == 200
    assert post(api, package_lesson, data).json()["replayed"] is True
    assert ScoState.objects.get().cmi["core"]["lesson_location"] == "live"
    assert RuntimeCommit.objects.count() == 2


# -- 5. asset-only packages -----------------------------------------------------------------

ASSET_ONLY = MINIMAL_SCORM12.replace(b'adlcp:scormtype="sco"', b'adlcp:scormtype="asset"')


def test_an_asset_only_package_completes_on_the_players_empty_commit(provider_a):
    course, _lesson, package_lesson = course_with_package(
        provider_page_of(provider_a), archive=scorm12_zip(manifest=ASSET_ONLY)
    )
    assert package_lesson.package.items[0]["scorm_type"] == "asset"
    client = Client()
    client.force_login(enrolled(course))

    answer = post(client, package_lesson, commit_body(package_lesson, {}, terminate=True)).json()

    assert answer["completion_status"] == "completed"
    assert answer["lesson_completed"] is True


# -- 6. the lesson's package -------------------------------------------------------------------


def test_a_lesson_cannot_be_published_with_another_organizations_package(
    package_lesson, provider_b
):
    foreign = PackageFactory(organization=provider_b, archive=samples.scorm12_single_sco())
    package_lesson.package = foreign
    with pytest.raises(ValidationError) as refused:
        package_lesson.full_clean()
    assert "package" in refused.value.message_dict

    with pytest.raises(ValidationError):
        package_lesson.save_revision().publish()
    package_lesson.refresh_from_db()
    assert package_lesson.package.organization_id != provider_b.pk


def test_a_lesson_copied_into_another_organizations_course_is_refused(package_lesson, course_b):
    module = course_b.get_children().first()
    with pytest.raises(ValidationError):
        package_lesson.copy(to=module, keep_live=True, update_attrs={"slug": "salinan"})


def test_a_lesson_keeps_its_own_organizations_package(package_lesson):
    package_lesson.full_clean()
    package_lesson.save_revision().publish()


def test_a_replaced_package_starts_the_learners_data_afresh(api, package_lesson):
    item = package_lesson.package.items[0]["identifier"]
    post(
        api, package_lesson, commit_body(package_lesson, cmi12(location="old", suspend="old-state"))
    )
    old_commit = RuntimeCommit.objects.get()

    replacement = PackageFactory(
        organization=package_lesson.package.organization,
        archive=samples.scorm12_single_sco(title="Versi 2"),
    )
    package_lesson.package = replacement
    package_lesson.save_revision().publish()
    package_lesson.refresh_from_db()

    config = runtime(api, package_lesson)
    assert config["cmi"][item]["core"].get("lesson_location", "") == ""
    assert config["cmi"][item].get("suspend_data", "") == ""
    assert config["items"][0]["completionStatus"] == "not attempted"

    post(api, package_lesson, commit_body(package_lesson, cmi12(location="new")))

    attempt = PackageAttempt.objects.get()
    assert attempt.package_id == replacement.pk
    sco = ScoState.objects.get()
    assert sco.cmi["core"]["lesson_location"] == "new"
    assert sco.cmi["suspend_data"] == ""
    # The old commit's log stays: replaying it answers, it does not apply again.
    assert RuntimeCommit.objects.filter(pk=old_commit.pk).exists()


# -- 7. outbox replays and the rate limit -------------------------------------------------------


def test_outbox_replays_have_a_budget_of_their_own(api, package_lesson, settings):
    settings.LENTERA_PACKAGE_COMMITS_PER_MINUTE = 2
    # The budget is a fixed one-minute window: start at the top of a minute (the clock runs on),
    # so two dozen requests on a slow machine never straddle two windows.
    with freeze_time(timezone.now().replace(second=0, microsecond=0), tick=True):
        _spend_live_then_queued_budget(api, package_lesson)


def _spend_live_then_queued_budget(api, package_lesson):
    for _ in range(2):
        assert post(api, package_lesson, commit_body(package_lesson, cmi12())).status_code == 200
    assert post(api, package_lesson, commit_body(package_lesson, cmi12())).status_code == 429

    # A device back online replays its queue: ten times the budget, the live one untouched.
    earlier = (timezone.now() - timedelta(hours=1)).isoformat()
    for _ in range(20):
        data = commit_body(package_lesson, cmi12(), committed_at=earlier, queued=True)
        assert post(api, package_lesson, data).status_code == 200
    data = commit_body(package_lesson, cmi12(), committed_at=earlier, queued=True)
    response = post(api, package_lesson, data)
    assert response.status_code == 429 and response.json()["code"] == "rate_limited"


def test_a_package_lesson_cannot_be_moved_into_another_organizations_course(
    package_lesson, course_b, admin_client
):
    module_b = course_b.get_children().first()
    url = f"/admin/pages/{package_lesson.pk}/move/{module_b.pk}/confirm/"

    parent = package_lesson.get_parent()
    response = admin_client.post(url, follow=True)

    assert response.redirect_chain[0][0] == f"/admin/pages/{parent.pk}/"
    assert "organisasi lain" in response.content.decode()
    package_lesson.refresh_from_db()
    assert not package_lesson.is_descendant_of(module_b)


def test_a_package_lesson_moves_within_its_organization(package_lesson, course, admin_client):
    module = ModulePageFactory(parent=course, title="Modul 2")

    admin_client.post(f"/admin/pages/{package_lesson.pk}/move/{module.pk}/confirm/")

    package_lesson.refresh_from_db()
    assert package_lesson.is_descendant_of(module)
