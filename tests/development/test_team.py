"""The supervisor's team page: the people whose confirmed direct supervisor the user is, each
with the JP their own ledger shows this year, the records waiting for verification and their
active enrollments, in a number of queries that does not grow with the team."""

from datetime import timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from development import services
from development.factories import DevelopmentRecordFactory, form_of
from development.ledger import current_year, jp_ledger
from learners.factories import EnrollmentFactory, UserFactory, completed_enrollment
from tests.utils import count_queries

URL = "/saya/tim/"


def _record(owner, *, jp: str, title: str):
    day = timezone.localdate() - timedelta(days=2)
    return DevelopmentRecordFactory(
        owner=owner,
        form=form_of("workshop"),
        jp=Decimal(jp),
        start_date=day,
        end_date=day,
        title=title,
    )


def test_the_url_is_named():
    assert reverse("development:my_team") == URL


def test_the_supervisor_sees_exactly_their_confirmed_team(
    client, supervisor, owner, hr, other_learner, owner_named_unconfirmed, course_a, course_b
):
    owner.account_kind = "pns"
    owner.nip = "197811222006041013"
    owner.save(update_fields=["account_kind", "nip"])
    enrollment = completed_enrollment(user=owner, course=course_a)
    services.record_verify(record=_record(owner, jp="8", title="Lokakarya"), verifier=hr)
    _record(owner, jp="5", title="Seminar Menunggu")  # waiting: not counted
    EnrollmentFactory(user=owner, course=course_b)
    unconfirmed, _boss = owner_named_unconfirmed
    others_person = UserFactory(full_name="Anak Buah Lain", supervised_by=other_learner)

    client.force_login(supervisor)
    response = client.get(URL)

    assert response.status_code == 200
    team = response.context["team"]
    assert [member.pk for member in team] == [owner.pk]
    member = team[0]
    expected = enrollment.jp_credited + Decimal("8")
    assert member.jp == expected
    assert jp_ledger(user=owner, year=current_year()).earned == expected
    assert (member.jp_target, member.jp_is_cap) == (20, False)
    assert member.records_waiting == 1
    assert member.enrollments_active == 1
    page = response.content.decode()
    assert "Pegawai Satu" in page
    assert "19781122 200604 1 013" in page
    assert reverse("development:verification_queue") in page
    assert unconfirmed.full_name not in page
    assert others_person.full_name not in page


def test_a_learner_with_no_team_sees_the_empty_state(client, other_learner):
    client.force_login(other_learner)
    response = client.get(URL)
    assert response.status_code == 200
    assert list(response.context["team"]) == []
    assert "empty-state" in response.content.decode()


def test_anonymous_is_sent_to_sign_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_record_list_links_the_team_for_a_supervisor(client, supervisor, owner):
    client.force_login(supervisor)
    page = client.get(reverse("development:record_list")).content.decode()
    assert URL in page


def test_queries_do_not_grow_with_the_team(client, supervisor, course_a):
    def member():
        person = UserFactory(supervised_by=supervisor, account_kind="pppk")
        completed_enrollment(user=person, course=course_a)
        services.record_verify(record=_record(person, jp="3", title="Bimtek"), verifier=supervisor)
        _record(person, jp="2", title="Seminar")
        return person

    client.force_login(supervisor)
    member()
    one = count_queries(client, URL)
    for _n in range(5):
        member()
    six = count_queries(client, URL)
    assert len(client.get(URL).context["team"]) == 6
    assert six == one
