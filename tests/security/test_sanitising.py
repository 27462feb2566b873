"""XSS payloads through the free-text fields that tests/evaluation/test_xss.py does not reach:
sign-up, supervisor and employment names, cohorts and their imports, quiz short answers,
certificates, search boxes and filters, and the CSV/XLSX exports that carry such text.

Every payload goes in through the real form or view, then every page that shows the text is
parsed (tests.evaluation.test_xss.assert_harmless, an HTMLParser) for injected elements,
event-handler attributes and javascript: URLs, and the text must be on the page, escaped.

Lentera accepts no user HTML at all (no bleach, no |safe on user text): editors' rich text goes
through Wagtail's whitelister, tested in tests/security/test_uploads.py.
"""

import csv
import io
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from openpyxl import load_workbook

from cohorts.factories import CohortFactory
from cohorts.members import cohort_member_add
from cohorts.models import Cohort, CohortImport
from cohorts.templatetags.cohort_tags import OPEN_COHORTS_SHOWN
from courses.factories import provider_page_of
from courses.models import LessonPage
from learners import progress, services
from learners.factories import UserFactory, WorkUnitFactory
from learners.imports import positions_import, work_units_import
from learners.models import Certificate, User, WorkUnit
from quizzes.models import QuizAttempt
from search.matching import search_query_clean
from tests.evaluation.test_xss import PAYLOADS as EVALUATION_PAYLOADS
from tests.evaluation.test_xss import assert_harmless
from tests.quizzes.quiz_helpers import course_with_quiz, questions_of

pytestmark = pytest.mark.django_db

#: The evaluation corpus plus attribute and element breakouts, template syntax and look-alikes.
PAYLOADS = [
    *EVALUATION_PAYLOADS,
    '" onmouseover="alert(1)" x="',
    "' onfocus='alert(1)' autofocus x='",
    "</textarea><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    '<a href="&#106;avascript:alert(1)">entitas</a>',
    "{{ request.user.password }} {% debug %} ${7*7}",
    "\uff1cscript\uff1ealert(1)\uff1c/script\uff1e",
    "\u202e<script>alert(1)</script>",
]
#: Payloads that fit a name field (at most 100 characters).
SHORT = [payload for payload in PAYLOADS if len(payload) <= 100]


class _Elements(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def injected_attributes(html: str) -> list[tuple[str, str]]:
    """Attributes no page of Lentera carries: event handlers (any value) and autofocus."""
    parser = _Elements()
    parser.feed(html)
    return [
        (tag, name)
        for tag, attrs in parser.tags
        for name in attrs
        if name.startswith("on") or name == "autofocus"
    ]


def harmless(html: str, *, shows=(), admin: bool = False) -> None:
    assert_harmless(html, shows=list(shows), admin=admin)
    assert injected_attributes(html) == []
    # Template syntax in user text is shown, never evaluated.
    assert "<th>Variable</th>" not in html and "md5$" not in html


@pytest.fixture(autouse=True)
def english(english_interface):
    cache.clear()
    yield
    cache.clear()


def test_the_extra_checks_catch_attribute_breakouts():
    with pytest.raises(AssertionError):
        harmless('<input value="" onmouseover="alert(1)" x="">')
    with pytest.raises(AssertionError):
        harmless("<input value='' onfocus='alert(1)' autofocus x=''>")
    harmless('<input value="&quot; onmouseover=&quot;alert(1)&quot; x=&quot;">')


# Sign-up and profile: full name, NIP (echoed when refused), rank, supervisor's name


@pytest.fixture
def org_a(provider_a):
    unit = WorkUnitFactory(organization=provider_a, name="Biro Umum")
    return provider_a, unit


def _signup(client, org, number: int, **fields) -> object:
    organization, unit = org
    data = {
        "full_name": "Siti Rahmawati",
        "email": f"peserta{number}@instansi.go.id",
        "password1": "Pelayanan-Prima-2025",
        "password2": "Pelayanan-Prima-2025",
        "account_kind": "non_asn",
        "nip": "",
        "organization": organization.pk,
        "work_unit": unit.pk,
        "position": "",
        "rank_grade": "",
        "supervisor_email": "",
        "supervisor_name": "",
    } | fields
    return client.post(reverse("account_signup"), data, REMOTE_ADDR=f"203.0.113.{number + 1}")


def test_signup_full_name_rank_and_supervisor_name(org_a):
    for number, payload in enumerate(SHORT):
        client = Client()
        response = _signup(
            client,
            org_a,
            number,
            full_name=payload,
            rank_grade=payload,
            supervisor_name=payload,
            supervisor_email=f"atasan{number}@instansi.go.id",
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        user = User.objects.get(email=f"peserta{number}@instansi.go.id")
        assert (user.full_name, user.rank_grade, user.supervisor_name) == (payload,) * 3
        profile = client.get(reverse("learners:profile")).content.decode()
        harmless(profile, shows=[payload])
        # Name, rank and supervisor: three inputs carrying the same escaped text.
        assert profile.count(f'value="{escape(payload)}"') == 3
        harmless(client.get(reverse("learners:my_learning")).content.decode(), shows=[payload])


def test_signup_refused_nip_is_echoed_escaped(org_a):
    for number, payload in enumerate(SHORT):
        response = _signup(Client(), org_a, number, account_kind="pns", nip=payload[:30])
        assert response.status_code == 200
        assert not User.objects.filter(email=f"peserta{number}@instansi.go.id").exists()
        harmless(response.content.decode(), shows=[payload[:30]])


# Work units and positions (CSV import by an organization's admin): every list that names them


def _csv(column: str, values: list[str]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([column])
    writer.writerows([value] for value in values)
    return buffer.getvalue()


@pytest.fixture
def hr_a(provider_a):
    return UserFactory(
        email="sdm@lpa.go.id", full_name="SDM A", organization=provider_a, admin_of=provider_a
    )


def test_work_unit_and_position_names_from_an_import(provider_a, hr_a, course_a, client_for):
    work_units_import(organization=provider_a, text=_csv("name", SHORT))
    positions_import(organization=provider_a, text=_csv("name", SHORT))
    assert WorkUnit.objects.filter(organization=provider_a).count() == len(SHORT)
    for number, unit in enumerate(WorkUnit.objects.filter(organization=provider_a)):
        UserFactory(
            email=f"pns{number}@lpa.go.id",
            full_name=unit.name,
            organization=provider_a,
            work_unit=unit,
            account_kind="pns",
            nip=f"1990010120150310{number:02d}",
        )
    signup = Client().get(reverse("account_signup")).content.decode()
    harmless(signup, shows=SHORT)
    compliance = client_for(hr_a).get(reverse("compliance:report", args=[provider_a.pk]))
    assert compliance.status_code == 200
    harmless(compliance.content.decode(), shows=SHORT)


# Cohorts: name (trainer's form), the import file (name, header, rows), table filter


@pytest.fixture
def trainer(course_a):
    return UserFactory(
        email="widyaiswara@instansi.go.id", full_name="Widyaiswara Satu", trainer_of=course_a
    )


def _cohort_data(course, name: str) -> dict:
    today = timezone.localdate()
    return {
        "course": course.pk,
        "name": name,
        "starts_on": today.isoformat(),
        "ends_on": (today + timedelta(days=30)).isoformat(),
        "enrollment_deadline": (today + timedelta(days=20)).isoformat(),
        "capacity": "",
        "trainer_emails": "",
    }


def test_cohort_name(course_a, trainer, client_for):
    client = client_for(trainer)
    for payload in SHORT:
        response = client.post(reverse("cohorts:create"), _cohort_data(course_a, payload))
        assert response.status_code == 302, response.content.decode()[:3000]
    assert Cohort.objects.count() == len(SHORT)
    harmless(client.get(reverse("cohorts:dashboard")).content.decode(), shows=SHORT)
    learner = client_for(UserFactory(email="peserta@instansi.go.id"))
    shown = Cohort.objects.order_by("starts_on", "pk")[:OPEN_COHORTS_SHOWN]
    harmless(learner.get(course_a.url).content.decode(), shows=[cohort.name for cohort in shown])
    for cohort in Cohort.objects.all():
        # The success message after creating it is on the first page shown.
        for url in (
            reverse("cohorts:detail", args=[cohort.pk]),
            reverse("cohorts:edit", args=[cohort.pk]),
        ):
            harmless(client.get(url).content.decode(), shows=[cohort.name])


def test_cohort_exports_are_attachments_and_neutralise_formulas(course_a, trainer, client_for):
    client = client_for(trainer)
    names = [
        '=HYPERLINK("http://evil.example","klik")',
        "<script>alert(1)</script>",
        "Angkatan I/2026",
    ]
    for name in names:
        client.post(reverse("cohorts:create"), _cohort_data(course_a, name))
    for number, cohort in enumerate(Cohort.objects.order_by("pk")):
        learner = UserFactory(email=f"p{number}@instansi.go.id", full_name=names[number])
        services.enrollment_create(user=learner, course=course_a)

        cohort_member_add(cohort=cohort, user=learner, added_by=trainer)
        response = client.get(reverse("cohorts:export_csv", args=[cohort.pk]))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert '"' not in response["Content-Disposition"].split("filename=")[1].strip('"')
        rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
        cells = [cell for row in rows[1:] for cell in row]
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells), cells
        workbook = client.get(reverse("cohorts:export_xlsx", args=[cohort.pk]))
        assert workbook.status_code == 200
        assert workbook["Content-Disposition"].startswith("attachment;")
        sheet = load_workbook(io.BytesIO(workbook.content)).active
        values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
        assert not [v for v in values if isinstance(v, str) and v.startswith("=")], values
        assert not set("[]:*?/\\") & set(sheet.title), sheet.title


def test_cohort_import_file_name_header_and_rows(course_a, trainer, client_for):
    cohort = CohortFactory(
        course=course_a,
        name="Angkatan I",
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + timedelta(days=30),
        created_by=trainer,
    )
    client = client_for(trainer)
    add_url = reverse("cohorts:learners_add", args=[cohort.pk])
    names = [payload for payload in SHORT if "/" not in payload and "\\" not in payload]
    # A header naming no known column: the error quotes what it found.
    for payload in names[:6]:
        upload = SimpleUploadedFile("peserta.csv", _csv(payload, ["x"]).encode())
        response = client.post(add_url, {"upload": "1", "file": upload})
        assert response.status_code == 200
        harmless(response.content.decode())
        assert not CohortImport.objects.exists()
    # Rows that are neither a NIP nor an address are listed, escaped, as invalid.
    body = _csv("nip", SHORT).encode()
    for payload in names:
        upload = SimpleUploadedFile(f"{payload[:60]}.csv", body)
        response = client.post(add_url, {"upload": "1", "file": upload})
        assert response.status_code == 302, response.content.decode()[:2000]
    checked = CohortImport.objects.order_by("pk").last()
    page = client.get(reverse("cohorts:import", args=[cohort.pk, checked.pk])).content.decode()
    harmless(page, shows=[payload[:30] for payload in SHORT if payload[:30].strip()])
    listing = client.get(add_url).content.decode()
    harmless(listing)
    shown = {row.filename for row in CohortImport.objects.order_by("-pk")[:10]}
    assert all(escape(name) in listing for name in shown)


def test_cohort_table_filter_is_echoed_escaped(course_a, trainer, client_for):
    cohort = CohortFactory(
        course=course_a,
        name="Angkatan I",
        starts_on=timezone.localdate(),
        ends_on=timezone.localdate() + timedelta(days=30),
        created_by=trainer,
    )
    client = client_for(trainer)
    for payload in SHORT:
        url = reverse("cohorts:detail", args=[cohort.pk])
        response = client.get(url, {"q": payload, "status": payload, "sort": payload})
        assert response.status_code == 200
        harmless(response.content.decode(), shows=[payload])


# Quiz: a short answer is shown back on the result page


def test_quiz_short_answer(provider_a, client_for):
    # One attempt: its answers are shown once it is used (the quiz's feedback policy).
    course, _lesson, quiz = course_with_quiz(provider_page_of(provider_a), max_attempts=1)
    short = next(child for child in questions_of(quiz) if child.block_type == "short_answer")
    for number, payload in enumerate(PAYLOADS):
        learner = UserFactory(email=f"kuis{number}@instansi.go.id")
        services.enrollment_create(user=learner, course=course)
        client = client_for(learner)
        client.post(reverse("quizzes:attempt_start", args=[quiz.pk]))
        attempt = QuizAttempt.objects.get(user=learner)
        response = client.post(
            reverse("quizzes:attempt_submit", args=[attempt.pk]), {f"q-{short.id}": payload}
        )
        assert response.status_code == 302
        result = client.get(response["Location"]).content.decode()
        harmless(result, shows=[" ".join(payload.split())])


# Certificates: the holder's name, frozen at issue, on the public verification page


def test_certificate_holder_name_on_the_verify_page(course_a, client):
    lessons = LessonPage.objects.descendant_of(course_a).live()
    for number, payload in enumerate(SHORT):
        learner = UserFactory(email=f"lulus{number}@instansi.go.id", full_name=payload)
        services.enrollment_create(user=learner, course=course_a)
        for lesson in lessons:
            progress.lesson_complete(user=learner, lesson=lesson)
    certificates = Certificate.objects.all()
    assert certificates.count() == len(SHORT)
    for certificate in certificates:
        page = client.get(reverse("learners:certificate_verify", args=[certificate.code]))
        assert page.status_code == 200
        harmless(page.content.decode(), shows=[certificate.holder_name])


# Search: the site search, the catalog's search box and the suggestions (JSON)


def test_site_search_and_catalog_queries(course_a, site_tree, client):
    catalog_url = site_tree["catalog"].url
    for payload in PAYLOADS:
        query = search_query_clean(payload)
        page = client.get(reverse("search:search"), {"q": payload})
        assert page.status_code == 200
        harmless(page.content.decode(), shows=[query])
        catalog = client.get(catalog_url, {"q": payload})
        assert catalog.status_code == 200
        harmless(catalog.content.decode(), shows=[query])
        suggestions = client.get(reverse("search:suggest"), {"q": payload})
        assert suggestions["Content-Type"] == "application/json"
        assert suggestions["X-Content-Type-Options"] == "nosniff"
        assert suggestions.json()["query"] == query
        api = client.get("/api/v2/pages/", {"search": payload})
        assert api.status_code == 200, (payload, api.status_code)
        assert api["Content-Type"] == "application/json"


def test_a_double_quote_inside_a_word_is_not_a_search_syntax_error(course_a, client):
    # Wagtail's SQLite backend quotes each word for FTS5 without escaping: 'a"b' was a 500
    # (the search page, the suggestions and the content API).
    for query in ('href="x"', 'a"b', '"', '""""', " "):
        assert client.get(reverse("search:search"), {"q": query}).status_code == 200
        assert client.get(reverse("search:suggest"), {"q": query}).status_code == 200
        for endpoint in ("pages", "images", "documents"):
            response = client.get(f"/api/v2/{endpoint}/", {"search": query})
            assert response.status_code == 200, (endpoint, query)
