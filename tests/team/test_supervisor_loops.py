"""A supervisor chain that loops is refused: nobody supervises themself, directly (A→A) or
through others (A→B→A, A→B→C→A), whether the links on the way are confirmed or only named."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from learners.factories import UserFactory
from learners.supervisors import supervisor_chain_loops, supervisor_link_request

pytestmark = pytest.mark.django_db


def _chain(length: int) -> list:
    """People 0..length-1, each the named (unconfirmed) supervisor of the one before."""
    people = [UserFactory() for _n in range(length)]
    for person, boss in zip(people, people[1:], strict=False):
        person.supervisor = boss
        person.save(update_fields=["supervisor"])
    return people


def test_oneself_loops():
    person = UserFactory()
    assert supervisor_chain_loops(person.pk, person.pk)


def test_two_and_three_people_loop_and_a_straight_chain_does_not():
    a, b, c = _chain(3)
    assert supervisor_chain_loops(b.pk, a.pk)  # a→b, then b→a
    assert supervisor_chain_loops(c.pk, a.pk)  # a→b→c, then c→a
    outsider = UserFactory()
    assert not supervisor_chain_loops(outsider.pk, a.pk)
    assert not supervisor_chain_loops(a.pk, outsider.pk)


def test_links_in_the_making_count_too():
    a, b = UserFactory(), UserFactory()
    # An import naming a→b and b→a in one file.
    assert supervisor_chain_loops(b.pk, a.pk, links={a.pk: b.pk})


def test_naming_a_supervisor_whose_chain_leads_back_is_refused():
    a, b, c = _chain(3)
    with pytest.raises(ValidationError) as refused:
        supervisor_link_request(c, supervisor=a, name="A", email="")
    assert refused.value.code == "supervisor_loop"
    c.refresh_from_db()
    assert c.supervisor_id is None


def test_keeping_the_same_supervisor_is_no_loop():
    a, b = _chain(2)
    supervisor_link_request(a, supervisor=b, name="B", email="")
    assert a.supervisor == b


def test_the_profile_says_the_chain_would_loop(client, english_interface, provider_a):
    boss = UserFactory(email="boss@lpa.go.id", organization=provider_a)
    staff = UserFactory(organization=provider_a, supervised_by=boss)
    client.force_login(boss)
    response = client.post(
        reverse("learners:profile"),
        {
            "full_name": "Kepala Bagian",
            "account_kind": "non_asn",
            "nip": "",
            "rank_grade": "",
            "organization": provider_a.pk,
            "supervisor_name": "Staf",
            "supervisor_email": staff.email,
        },
    )
    assert response.status_code == 200
    assert "loop" in str(response.context["form"].errors["supervisor_email"])
    boss.refresh_from_db()
    assert boss.supervisor_id is None


def test_a_loop_made_meanwhile_is_a_form_error_not_a_server_error(
    client, english_interface, provider_a, monkeypatch
):
    # The form saw no loop; by the time it saves, the staff member has named the boss.
    boss = UserFactory(email="boss@lpa.go.id", organization=provider_a)
    staff = UserFactory(organization=provider_a, supervised_by=boss)
    monkeypatch.setattr("learners.forms.supervisor_chain_loops", lambda *args, **kw: False)
    client.force_login(boss)
    response = client.post(
        reverse("learners:profile"),
        {
            "full_name": "Kepala Bagian",
            "account_kind": "non_asn",
            "nip": "",
            "rank_grade": "",
            "organization": provider_a.pk,
            "supervisor_name": "Staf",
            "supervisor_email": staff.email,
        },
    )
    assert response.status_code == 200
    assert "loop" in str(response.context["form"].errors["supervisor_email"])
    boss.refresh_from_db()
    assert boss.supervisor_id is None
