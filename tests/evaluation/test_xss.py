"""A corpus of XSS payloads sent through every free-text field of the evaluation loop (and the
learner fields shown beside them), each through its real form, then the pages that display
the text checked: escaped, never markup.

Every field is listed by name in FREE_TEXT_FIELDS; a field added without a case here fails
`test_every_free_text_field_is_covered`.
"""

import re
from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest
from django.core import mail
from django.core.cache import cache
from django.db.models import CharField, EmailField, SlugField, TextField
from django.utils.html import escape

from content.factories import CompetencyFactory
from evaluation import followup_links
from evaluation.models import (
    BehaviourFollowUp,
    CourseEvaluation,
    FeedbackAspect,
    LearningNeed,
    PublicFeedback,
    ServiceUnit,
)
from learners.factories import UserFactory
from learners.models import Enrollment, User
from tests.evaluation.test_evaluation import SCORES, completed_enrollment

pytestmark = pytest.mark.django_db

#: Supervisor links here are confirmed (an unconfirmed one grants nothing: learners.supervisors).
CONFIRMED = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=x OnError='alert(1)'>",
    '<a href="javascript:alert(1)">klik di sini</a>',
    "javascript:alert(1)",
    '<a href="jav&#x09;ascript:alert(1)">tab</a>',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<iframe src=javascript:alert(1)></iframe>",
    "<body onload=alert(1)>",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "<math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>",
]

#: Every free-text field, by name: where it is typed and where it is shown.
FREE_TEXT_FIELDS = {
    "evaluation.CourseEvaluation.comment": "learner's survey → course results (page, admin)",
    "evaluation.BehaviourFollowUp.comment": "supervisor's link → course results (page, admin)",
    "evaluation.LearningNeed.reason": "learner's needs → my needs, endorsement",
    "evaluation.LearningNeed.appraisal_reference": "learner's needs → my needs, endorsement",
    "evaluation.LearningNeed.decision_note": "endorsement → learner's needs",
    "evaluation.PublicFeedback.comment": "public page → needs report (page, admin)",
    "evaluation.ServiceUnit.name": "admin snippet → public page, needs report",
    "evaluation.FeedbackAspect.name": "admin snippet → public page",
    "learners.Enrollment.decision_note": "approvals → course page",
    "learners.User.full_name": "profile → profile, my learning, endorsement",
    "learners.User.rank_grade": "profile → profile",
}

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "srcdoc", "poster"}
ALLOWED_SCRIPT = re.compile(
    r'<script\b[^>]*(src="(//testserver)?/static/|type="application/json")', re.IGNORECASE
)


class _Inspector(HTMLParser):
    """Finds live markup as a browser would parse it: event-handler attributes, javascript:
    URLs in URL attributes, scripts carrying the payload or loaded from elsewhere."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._script = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            value = value or ""
            if name.startswith("on") and (
                tag in {"img", "svg", "body", "iframe"} or "alert" in value
            ):
                self.problems.append(f"<{tag} {name}={value!r}>")
            compact = re.sub(r"[\s\x00-\x1f]", "", value).lower()
            if name in URL_ATTRIBUTES and compact.startswith("javascript:"):
                self.problems.append(f"<{tag} {name}={value!r}>")
        if tag == "script":
            self._script = True
            src = dict(attrs).get("src") or ""
            if "evil" in src:
                self.problems.append(f"<script src={src!r}>")

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = False

    def handle_data(self, data):
        if self._script and "alert(" in data:
            self.problems.append(f"<script>{data}</script>")


def assert_harmless(html: str, *, shows: list[str], admin: bool = False) -> None:
    """No payload became markup, and each one in `shows` is on the page, escaped."""
    inspector = _Inspector()
    inspector.feed(html)
    assert inspector.problems == []
    if not admin:
        # The front end has no inline scripts at all: only Wagtail's userbar, from /static/.
        tags = re.findall(r"<script\b[^>]*>", html, re.IGNORECASE)
        assert all(ALLOWED_SCRIPT.match(tag) for tag in tags), tags
    # Escaped text inside a quoted attribute (an <input value="...">) may read "onerror=" or
    # "javascript:"; only the parser above can tell that from a real attribute, so no raw
    # search for those. A raw "<img" or "<svg" would be markup: it never appears unescaped.
    for tag in ("<img src", "<svg onload", "<iframe src", "<body onload", '<a href="jav'):
        assert tag.lower() not in html.lower(), tag
    for payload in shows:
        assert escape(payload) in html, payload


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_every_free_text_field_is_covered():
    tested = {name.removeprefix("test_") for name in globals() if name.startswith("test_")}
    for field in FREE_TEXT_FIELDS:
        model, name = field.rsplit(".", 2)[1:]
        assert f"{model.lower()}_{name}" in tested, field


def test_no_free_text_field_of_the_evaluation_models_is_missing():
    """Text a person types (not choices, slugs, addresses or hashes) is listed above."""
    models = [
        CourseEvaluation,
        BehaviourFollowUp,
        LearningNeed,
        PublicFeedback,
        ServiceUnit,
        FeedbackAspect,
    ]
    typed = {
        f"evaluation.{model.__name__}.{field.name}"
        for model in models
        for field in model._meta.fields
        if isinstance(field, CharField | TextField)
        and not isinstance(field, EmailField | SlugField)
        and not field.choices
        and not field.name.endswith("_hash")
    }
    assert typed <= set(FREE_TEXT_FIELDS)


@pytest.mark.parametrize("payload", [payload for payload in PAYLOADS if "<" in payload])
def test_the_checks_catch_each_payload_left_unescaped(payload):
    with pytest.raises(AssertionError):
        assert_harmless(f"<main><p>{payload}</p></main>", shows=[])


def test_payloads_are_long_enough_for_every_form():
    assert all(len(payload) >= 10 for payload in PAYLOADS)  # a need's reason needs 10


@pytest.fixture
def supervisor(provider_a):
    return UserFactory(email="atasan@lpa.go.id", full_name="Pak Atasan", organization=provider_a)


@pytest.fixture
def hr_a(provider_a):
    return UserFactory(email="sdm@lpa.go.id", organization=provider_a, admin_of=provider_a)


# evaluation.CourseEvaluation.comment and evaluation.BehaviourFollowUp.comment


def test_courseevaluation_comment(course_a, editor_a, client_for):
    for payload in PAYLOADS:
        enrollment = completed_enrollment(course_a)
        response = client_for(enrollment.user).post(
            f"/saya/evaluasi/{enrollment.pk}/", SCORES | {"comment": payload}
        )
        assert response.status_code == 302
    assert CourseEvaluation.objects.count() == len(PAYLOADS)
    editor = client_for(editor_a)
    page = editor.get(f"/saya/evaluasi/kursus/{course_a.pk}/").content.decode()
    assert_harmless(page, shows=PAYLOADS)
    admin = editor.get(f"/admin/evaluasi/kursus/{course_a.pk}/").content.decode()
    assert_harmless(admin, shows=PAYLOADS, admin=True)


def test_behaviourfollowup_comment(course_a, supervisor, editor_a, client_for, client):
    for payload in PAYLOADS:
        enrollment = completed_enrollment(
            course_a,
            UserFactory(supervisor=supervisor, supervisor_confirmed_at=CONFIRMED),
            days_ago=91,
        )
        followup = BehaviourFollowUp.objects.create(
            enrollment=enrollment, supervisor=supervisor, recipient_email=supervisor.email
        )
        followup_links.behaviour_followup_send(followup_id=followup.pk)
        link = re.search(r"http://testserver(/tindak-lanjut/\S+/)", mail.outbox[-1].body)[1]
        ratings = {
            f"competency_{pk}": 3
            for pk in course_a.course_competencies.values_list("competency_id", flat=True)
        }
        assert client.post(link, ratings | {"comment": payload}).status_code == 302
    editor = client_for(editor_a)
    page = editor.get(f"/saya/evaluasi/kursus/{course_a.pk}/").content.decode()
    assert_harmless(page, shows=PAYLOADS)
    admin = editor.get(f"/admin/evaluasi/kursus/{course_a.pk}/").content.decode()
    assert_harmless(admin, shows=PAYLOADS, admin=True)


# evaluation.LearningNeed: reason, appraisal_reference, decision_note


@pytest.fixture
def staff(provider_a, supervisor):
    return UserFactory(
        email="staf@lpa.go.id",
        organization=provider_a,
        supervisor=supervisor,
        supervisor_confirmed_at=CONFIRMED,
    )


def _record_needs(client, competency, field: str) -> None:
    for payload in PAYLOADS:
        data = {
            "competency": competency.pk,
            "current_level": "1",
            "target_level": "2",
            "priority": "medium",
            "reason": "Alasan yang cukup panjang.",
            "appraisal_reference": "",
            "action": "submit",
        } | {field: payload}
        assert client.post("/saya/kebutuhan/", data).status_code == 302


def test_learningneed_reason(staff, supervisor, client_for):
    client = client_for(staff)
    _record_needs(client, CompetencyFactory(), "reason")
    assert LearningNeed.objects.count() == len(PAYLOADS)
    assert_harmless(client.get("/saya/kebutuhan/").content.decode(), shows=PAYLOADS)
    endorsement = client_for(supervisor).get("/saya/kebutuhan/pengesahan/").content.decode()
    assert_harmless(endorsement, shows=PAYLOADS)


def test_learningneed_appraisal_reference(staff, supervisor, client_for):
    client = client_for(staff)
    _record_needs(client, CompetencyFactory(), "appraisal_reference")
    assert_harmless(client.get("/saya/kebutuhan/").content.decode(), shows=PAYLOADS)
    endorsement = client_for(supervisor).get("/saya/kebutuhan/pengesahan/").content.decode()
    assert_harmless(endorsement, shows=PAYLOADS)


def test_learningneed_decision_note(staff, supervisor, client_for):
    client = client_for(staff)
    _record_needs(client, CompetencyFactory(), "reason")
    endorser = client_for(supervisor)
    for need, payload in zip(LearningNeed.objects.order_by("pk"), PAYLOADS, strict=True):
        response = endorser.post(
            "/saya/kebutuhan/pengesahan/", {"need": need.pk, "decision": "reject", "note": payload}
        )
        assert response.status_code == 302
    assert LearningNeed.objects.filter(status="rejected").count() == len(PAYLOADS)
    assert_harmless(client.get("/saya/kebutuhan/").content.decode(), shows=PAYLOADS)
    assert_harmless(endorser.get("/saya/kebutuhan/pengesahan/").content.decode(), shows=[])


# evaluation.PublicFeedback.comment, ServiceUnit.name, FeedbackAspect.name


def test_publicfeedback_comment(provider_a, hr_a, editor_a, client_for, client):
    ServiceUnit.objects.create(organization=provider_a, name="Loket Terpadu", slug="loket")
    for number, payload in enumerate(PAYLOADS):
        response = client.post(
            "/umpan-balik/loket/",
            {"rating": "2", "comment": payload},
            REMOTE_ADDR=f"198.51.100.{number + 1}",
        )
        assert response.status_code == 302
    assert PublicFeedback.objects.count() == len(PAYLOADS)
    report = client_for(hr_a).get("/saya/kebutuhan/laporan/").content.decode()
    assert_harmless(report, shows=PAYLOADS)
    admin = client_for(editor_a).get("/admin/evaluasi/kebutuhan/").content.decode()
    assert_harmless(admin, shows=PAYLOADS, admin=True)


def _snippet_add(client, model: str, data: dict) -> None:
    response = client.post(f"/admin/snippets/evaluation/{model}/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]


def test_serviceunit_name(provider_a, editor_a, hr_a, client_for, client):
    editor = client_for(editor_a)
    for number, payload in enumerate(PAYLOADS):
        _snippet_add(
            editor,
            "serviceunit",
            {
                "organization": provider_a.pk,
                "name": payload,
                "slug": f"unit-{number}",
                "public": "on",
            },
        )
        page = client.get(f"/umpan-balik/unit-{number}/").content.decode()
        assert_harmless(page, shows=[payload])
        client.post(f"/umpan-balik/unit-{number}/", {"rating": "3"}, REMOTE_ADDR="192.0.2.1")
    report = client_for(hr_a).get("/saya/kebutuhan/laporan/").content.decode()
    assert_harmless(report, shows=PAYLOADS)
    listing = editor.get("/admin/snippets/evaluation/serviceunit/").content.decode()
    assert_harmless(listing, shows=[], admin=True)


def test_feedbackaspect_name(provider_a, editor_a, client_for, client):
    ServiceUnit.objects.create(organization=provider_a, name="Loket Terpadu", slug="loket")
    editor = client_for(editor_a)
    for number, payload in enumerate(PAYLOADS):
        _snippet_add(
            editor,
            "feedbackaspect",
            {"organization": provider_a.pk, "name": payload, "sort_order": str(number)},
        )
    assert FeedbackAspect.objects.count() == len(PAYLOADS)
    assert_harmless(client.get("/umpan-balik/loket/").content.decode(), shows=PAYLOADS)
    listing = editor.get("/admin/snippets/evaluation/feedbackaspect/").content.decode()
    assert_harmless(listing, shows=[], admin=True)


# learners.Enrollment.decision_note, learners.User.full_name and rank_grade


def test_enrollment_decision_note(course_a, client_for):
    course_a.enrollment_policy = "approval"
    course_a.save_revision().publish()
    trainer = UserFactory(email="pelatih@lpa.go.id", trainer_of=course_a)
    decider = client_for(trainer)
    for payload in PAYLOADS:
        learner = UserFactory()
        client = client_for(learner)
        client.post(f"/kursus/{course_a.pk}/daftar/")
        enrollment = Enrollment.objects.get(user=learner, course=course_a)
        response = decider.post(
            "/saya/persetujuan/",
            {"enrollment": enrollment.pk, "decision": "reject", "note": payload},
        )
        assert response.status_code == 302
        assert_harmless(client.get(course_a.url).content.decode(), shows=[payload])


def test_user_full_name(staff, supervisor, client_for, course_a):
    client = client_for(staff)
    _record_needs(client, CompetencyFactory(), "reason")
    for payload in PAYLOADS:
        response = client.post(
            "/saya/profil/",
            {
                "full_name": payload,
                "account_kind": User.AccountKind.NON_ASN,
                "supervisor_email": supervisor.email,
            },
        )
        assert response.status_code == 302, response.content.decode()[:3000]
        staff.refresh_from_db()
        assert staff.full_name == payload
        assert_harmless(client.get("/saya/profil/").content.decode(), shows=[payload])
        assert_harmless(client.get("/saya/").content.decode(), shows=[payload])
        endorsement = client_for(supervisor).get("/saya/kebutuhan/pengesahan/").content.decode()
        assert_harmless(endorsement, shows=[payload])


def test_user_rank_grade(staff, client_for):
    client = client_for(staff)
    for payload in PAYLOADS:
        response = client.post(
            "/saya/profil/",
            {
                "full_name": "Staf Biasa",
                "account_kind": User.AccountKind.NON_ASN,
                "rank_grade": payload,
            },
        )
        assert response.status_code == 302
        staff.refresh_from_db()
        assert staff.rank_grade == payload
        assert_harmless(client.get("/saya/profil/").content.decode(), shows=[payload])
