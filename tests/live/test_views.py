"""The live session pages per role, scheduling and attendance through them, bad input with its
reason on the form, and the calendar address page."""

import pytest
from django.urls import reverse
from django.utils import timezone

from development.models import DevelopmentRecord
from live import services
from live.models import Attendance, CalendarFeed, LiveSession
from tests.live.conftest import tomorrow_at

pytestmark = pytest.mark.django_db


def _list_url(cohort) -> str:
    return reverse("live:cohort_sessions", args=[cohort.pk])


def _form_data(**overrides) -> dict:
    start = tomorrow_at(9)
    data = {
        "title": "Kelas daring",
        "date": start.date().isoformat(),
        "starts": "09:00",
        "ends": "10:30",
        "time_zone": "Asia/Jakarta",
        "url": "https://meet.example.go.id/kelas",
        "place": "",
        "notes": "",
    }
    data.update(overrides)
    return data


@pytest.mark.usefixtures("english_interface")
def test_members_and_trainers_see_the_sessions_others_get_404(
    client, client_for, cohort, upcoming, held, member, trainer, outsider, course_trainer
):
    url = _list_url(cohort)
    assert client.get(url)["Location"].startswith("/accounts/login/")
    page = client_for(member).get(url)
    assert page.status_code == 200
    assert "Kelas daring: SKP" in page.text and "Sesi refleksi" in page.text
    assert "Schedule a session" not in page.text
    trainer_page = client_for(trainer).get(url)
    assert "Schedule a session" in trainer_page.text
    assert reverse("live:attendance", args=[held.pk]) in trainer_page.text
    for user in (outsider, course_trainer):
        assert client_for(user).get(url).status_code == 404


@pytest.mark.usefixtures("english_interface")
def test_a_member_sees_whether_they_attended(client_for, cohort, held, member, trainer):
    membership = cohort.memberships.get(enrollment__user=member)
    services.attendance_record(session=held, recorded_by=trainer, marks={membership.pk: True})
    assert "You attended." in client_for(member).get(_list_url(cohort)).text


@pytest.mark.usefixtures("english_interface")
def test_cancelled_session_is_listed_as_cancelled(client_for, cohort, upcoming, member):
    services.session_cancel(session=upcoming)
    page = client_for(member).get(_list_url(cohort))
    assert "Kelas daring: SKP" in page.text and "Cancelled" in page.text


@pytest.mark.usefixtures("english_interface")
def test_trainer_schedules_a_session_in_the_cohort_time_zone(client_for, cohort, trainer):
    response = client_for(trainer).post(
        reverse("live:session_create", args=[cohort.pk]),
        _form_data(time_zone="Asia/Makassar", starts="13:00", ends="15:00"),
    )
    assert response.status_code == 302
    session = LiveSession.objects.get()
    local = timezone.localtime(session.starts_at, session.starts_at.tzinfo)
    assert session.starts_at.astimezone(timezone.get_fixed_timezone(8 * 60)).hour == 13
    assert local == session.starts_at
    assert session.created_by == trainer


@pytest.mark.usefixtures("english_interface")
@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"starts": "10:30", "ends": "09:00"}, "A session cannot end before it starts."),
        ({"url": "http://meet.example.go.id/x"}, "must be a full https:// address"),
        ({"url": "", "place": ""}, "Give a virtual classroom link or a place"),
        ({"title": "x" * 201}, "at most 200 characters"),
        ({"notes": "n" * 2001}, "at most 2000 characters"),
        ({"date": "2020-01-01"}, "A new session cannot start in the past."),
        ({"date": "tanggal"}, "Enter a valid date."),
    ],
)
def test_bad_input_answers_400_with_the_reason_and_saves_nothing(
    client_for, cohort, trainer, overrides, message
):
    response = client_for(trainer).post(
        reverse("live:session_create", args=[cohort.pk]), _form_data(**overrides)
    )
    assert response.status_code == 400
    assert message in response.text
    assert not LiveSession.objects.exists()


def test_bad_input_is_explained_in_indonesian(client_for, cohort, trainer):
    response = client_for(trainer).post(
        reverse("live:session_create", args=[cohort.pk]),
        _form_data(starts="10:30", ends="09:00", url="http://meet.example.go.id/x"),
    )
    assert response.status_code == 400
    assert "Sesi tidak dapat berakhir sebelum dimulai." in response.text
    assert "https://" in response.text and "Tautan kelas virtual" in response.text


@pytest.mark.usefixtures("english_interface")
def test_members_and_course_trainers_cannot_schedule_edit_cancel_or_take_attendance(
    client_for, cohort, upcoming, held, member, course_trainer
):
    for user in (member, course_trainer):
        client = client_for(user)
        assert (
            client.post(reverse("live:session_create", args=[cohort.pk]), _form_data())
        ).status_code == 404
        assert (
            client.post(reverse("live:session_edit", args=[upcoming.pk]), _form_data(title="Ubah"))
        ).status_code == 404
        assert client.post(reverse("live:session_cancel", args=[upcoming.pk])).status_code == 404
        assert client.get(reverse("live:attendance", args=[held.pk])).status_code == 404
    upcoming.refresh_from_db()
    assert (upcoming.title, upcoming.status) == ("Kelas daring: SKP", "scheduled")
    assert LiveSession.objects.count() == 2


@pytest.mark.usefixtures("english_interface")
def test_trainer_edits_and_cancels(client_for, upcoming, trainer):
    client = client_for(trainer)
    form = client.get(reverse("live:session_edit", args=[upcoming.pk]))
    assert 'value="09:00"' in form.text
    response = client.post(
        reverse("live:session_edit", args=[upcoming.pk]),
        _form_data(title="Kelas daring: SKP (2)", starts="13:00", ends="14:00"),
    )
    assert response.status_code == 302
    upcoming.refresh_from_db()
    assert upcoming.title == "Kelas daring: SKP (2)"
    assert timezone.localtime(upcoming.starts_at).hour == 13
    client.post(reverse("live:session_cancel", args=[upcoming.pk]))
    upcoming.refresh_from_db()
    assert upcoming.status == LiveSession.Status.CANCELLED


@pytest.mark.usefixtures("english_interface")
def test_attendance_form_marks_each_member_in_one_post(
    client_for, cohort, held, member, other_member, trainer
):
    member.nip = "197811222006041013"
    member.save(update_fields=["nip"])
    url = reverse("live:attendance", args=[held.pk])
    client = client_for(trainer)
    page = client.get(url)
    assert "Anggota Satu" in page.text and "Anggota Dua" in page.text
    # The NIP's middle (birth and appointment dates) is hidden, as on the cohort's page
    assert "1978***********013" in page.text and "197811222006041013" not in page.text
    first, second = (cohort.memberships.get(enrollment__user=u) for u in (member, other_member))
    response = client.post(url, {f"m{first.pk}": "present", f"m{second.pk}": "absent"})
    assert response.status_code == 302
    assert DevelopmentRecord.objects.filter(
        owner=member, status=DevelopmentRecord.Status.VERIFIED
    ).exists()
    assert not DevelopmentRecord.objects.filter(owner=other_member).exists()
    assert Attendance.objects.filter(session=held).count() == 2
    # Saved again as it is: nothing more counts
    client.post(url, {f"m{first.pk}": "present", f"m{second.pk}": "absent"})
    assert DevelopmentRecord.objects.count() == 1
    # Everyone present
    client.post(url, {"everyone": "present"})
    assert DevelopmentRecord.objects.filter(status=DevelopmentRecord.Status.VERIFIED).count() == 2


@pytest.mark.usefixtures("english_interface")
def test_attendance_of_an_upcoming_session_is_not_offered(client_for, upcoming, trainer, member):
    url = reverse("live:attendance", args=[upcoming.pk])
    client = client_for(trainer)
    assert "once the session has started" in client.get(url).text
    membership = upcoming.cohort.memberships.get(enrollment__user=member)
    response = client.post(url, {f"m{membership.pk}": "present"})
    assert response.status_code == 400
    assert not Attendance.objects.exists()


@pytest.mark.usefixtures("english_interface")
def test_calendar_page_creates_renews_and_revokes_the_address(client_for, member):
    client = client_for(member)
    assert "Create my calendar address" in client.get(reverse("live:calendar")).text
    client.post(reverse("live:calendar_renew"))
    token = CalendarFeed.objects.get(user=member).token
    assert token in client.get(reverse("live:calendar")).text
    client.post(reverse("live:calendar_renew"))
    assert CalendarFeed.objects.get(user=member).token != token
    client.post(reverse("live:calendar_revoke"))
    assert not CalendarFeed.objects.filter(user=member).exists()
    assert client.get(reverse("live:calendar_renew")).status_code == 405
