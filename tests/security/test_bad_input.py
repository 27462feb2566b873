# ruff: noqa: E501 (the findings and uploads are tables, one row per line)
"""Bad input gets a clear answer (a 4xx, or the page with its error message), never a server
error and never a worker held for seconds.

First the inputs an adversarial probe found (issue 13), each with the answer it must get now.
Then a walk over every endpoint of the permission matrix (every project URL, page type and
learner-API operation, as `tests/security/test_permission_matrix.py` enumerates them from the
URL resolver): every query parameter a view reads (recorded while it answers), every field of
the forms it shows and every field of the API's bodies and queries is fed each value of
`HOSTILE`, as the least privileged role allowed there and as the superuser. Uploads have a
table of their own. The world is the permission matrix's, built once for the module.
"""

import functools
import io
import json
import re
import time
import zipfile
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.http import QueryDict
from django.test import Client
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext
from openpyxl import Workbook

from evaluation import followup_links
from evaluation.models import BehaviourFollowUp
from learners.certificates import certificate_pdf_store
from learners.models import User
from tests.security.test_permission_matrix import (
    AWAY,
    DONE,
    MATRIX,
    NEW,
    OK,
    ROLES,
    TARGETS,
    build_world,
    project_apps,
)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The permission matrix's world, built once for this module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        built = build_world()
        # Stored once, rather than drawn again for each request of the walk (each is undone).
        certificate_pdf_store(certificate_id=built.certificate.pk)
        yield built
        transaction.set_rollback(True)


HUGE = "9" * 20  # beyond a 64-bit id
WORDS = " ".join(f"kata{number}" for number in range(2000))

#: Each value is fed to every query parameter, form field and API field, one at a time.
HOSTILE = {
    "NUL": "a\x00b",
    "control characters": "a\x01\x1b[31mb",
    "line break": "Nama\r\nBcc: korban@example.com",
    "2^63": str(2**63),
    "huge number": "9" * 40,
    "negative": "-1",
    "overflowing float": "1e309",
    "2,000 words": WORDS,
    "year 1": "0001-01-01",
    "year 9999": "9999-12-31",
    "wrong type": "abc",
    "very long": "x" * 20_000,
}
#: Values of other JSON types for the API's bodies.
HOSTILE_JSON = {
    **HOSTILE,
    "2^63 as a number": 2**63,
    "huge number as a number": 10**40,
    "list": ["a", 1],
    "object": {"a": {"b": []}},
    "null": None,
}
#: A request working longer than this holds a worker: the probe saw 11 s and 33 s. Measured in
#: CPU seconds of the test's thread (the client runs the view in it), not on the wall clock: a
#: busy machine slows every request, while a hostile value that sets off a runaway loop is caught
#: all the same.
SECONDS_PER_REQUEST = 3


def indonesian(message: str, **values) -> str:
    """`message` as the site shows it by default, checked to be translated."""
    with translation.override("id-id"):
        text = gettext(message) % values if values else gettext(message)
    assert text != message % values if values else text != message, f"untranslated: {message}"
    return text


def shows(response, text: str) -> bool:
    """Whether the response shows `text` (escaped as HTML, or as it is in JSON)."""
    body = response.content.decode()
    return (
        escape(text) in body if response["Content-Type"].startswith("text/html") else text in body
    )


def client_as(world, role: str) -> Client:
    client = Client(raise_request_exception=False)
    if role != "anonymous":
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[role]
    return client


def attempt(call, *args, **kwargs):
    """(response, CPU seconds) of `call`, in a savepoint rolled back after it: each hostile
    request starts from the same world."""
    with transaction.atomic():
        started = time.thread_time()
        response = call(*args, **kwargs)
        seconds = time.thread_time() - started
        transaction.set_rollback(True)
    return response, seconds


# The findings of the probe


CONTROL = "The address contains control characters, which no page accepts."


def findings(w) -> list[tuple]:
    """(label, role, method, url, data, status, message shown or None)."""
    offset_message = ("The offset must be a whole number from 0 to %(max)s.", {"max": 1000000000})
    return [
        ("site search with NUL", "anonymous", "get", "/cari/?q=%00", None, 400, CONTROL),
        ("catalog with NUL", "anonymous", "get", "/katalog/?q=%00", None, 400, CONTROL),
        ("content API with NUL", "anonymous", "get", "/api/v2/pages/?search=%00", None, 400, CONTROL),
        ("content API huge offset", "anonymous", "get", f"/api/v2/pages/?offset={HUGE}", None, 400, offset_message),
        ("content API 2,000 words", "anonymous", "get", "/api/v2/pages/?" + urlencode({"search": WORDS}), None, 200, None),
        ("site search 2,000 words", "anonymous", "get", "/cari/?" + urlencode({"q": WORDS}), None, 200, None),
        ("catalog 2,000 words", "anonymous", "get", "/katalog/?" + urlencode({"q": WORDS}), None, 200, None),
        ("catalog provider beyond 2^63", "anonymous", "get", f"/katalog/?provider={HUGE}", None, 200, None),
        ("catalog competency beyond 2^63", "learner", "get", f"/katalog/?competency={HUGE}&provider=-1", None, 200, None),
        ("decision on enrollment=abc", "superuser", "post", reverse("learners:enrollment_requests"), {"enrollment": "abc", "decision": "approve"}, 404, None),
        ("decision on enrollment beyond 2^63", "superuser", "post", reverse("learners:enrollment_requests"), {"enrollment": HUGE, "decision": "approve"}, 404, None),
        ("cohort decision on enrollment=abc", "superuser", "post", reverse("cohorts:request_decide", args=[w.cohort_b2.pk]), {"enrollment": "abc", "decision": "approve"}, 404, None),
        ("audit log from year 1 to 9999", "superuser", "get", reverse("privacy:audit_log_all") + "?dari=0001-01-01&sampai=9999-12-31", None, 400,
         ("Choose a date from %(earliest)s to %(latest)s.", {"earliest": 2000, "latest": timezone.localdate().year + 1})),
    ]  # fmt: skip


def test_the_probes_findings_get_a_clear_answer(world, db):
    problems = []
    for label, role, method, url, data, status, message in findings(world):
        client = client_as(world, role)
        response, seconds = attempt(getattr(client, method), url, data=data)
        if response.status_code != status:
            problems.append(f"{label}: {response.status_code}, expected {status}")
        elif message:
            text, values = (message, {}) if isinstance(message, str) else message
            shown = indonesian(text, **values)
            if not shows(response, shown):
                problems.append(f"{label}: the message {shown!r} is not shown")
        if seconds > SECONDS_PER_REQUEST:
            problems.append(f"{label}: {seconds:.1f} s")
    assert not problems, "\n".join(problems)


def test_a_six_megabyte_json_body_is_a_413_in_indonesian(world, db):
    client = client_as(world, "learner")
    body = json.dumps({"answers": {"1": ["x" * 1000] * 7000}})
    assert len(body) > 6 * 1024 * 1024
    response = client.post(
        f"/api/v1/attempts/{world.attempt.pk}/submission",
        data=body,
        content_type="application/json",
    )
    assert response.status_code == 413
    assert response.json() == {
        "code": "too_large",
        "detail": indonesian("The request is too large: at most %(size)s MB.", size=5),
    }


def test_a_name_with_a_line_break_is_refused_and_never_breaks_the_follow_up_email(world, db):
    learner = world.learner
    client = client_as(world, "learner")
    page = client.get(reverse("learners:profile")).content.decode()
    (form,) = [form for form in forms_of(page) if "full_name" in form.values]
    data = {**form.values, "full_name": "Peserta\nSatu"}
    response, _seconds = attempt(client.post, form.action or reverse("learners:profile"), data)
    assert response.status_code == 200
    assert shows(
        response, indonesian("Use a single line, without line breaks or control characters.")
    )
    assert User.objects.get(pk=learner.pk).full_name == "Peserta Satu"

    # A name stored before the check: the supervisor's e-mail still goes out, on one line.
    User.objects.filter(pk=learner.pk).update(full_name="Peserta\r\nBcc: korban@example.com")
    followup = BehaviourFollowUp.objects.get(enrollment=world.enrollment_b)
    BehaviourFollowUp.objects.filter(pk=followup.pk).update(sent_at=None)
    mail.outbox.clear()
    assert followup_links.behaviour_followup_send(followup_id=followup.pk)
    (message,) = mail.outbox
    assert "\n" not in message.subject and "\r" not in message.subject
    assert "Peserta Bcc: korban@example.com" in message.subject
    assert message.to == [followup.recipient_email] and message.bcc == []


# Uploads: the cohort import takes CSV and XLSX files


def _xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _bomb() -> bytes:
    """A valid workbook with a part that unpacks to 64 MB: 65 kB on disk."""
    buffer = io.BytesIO(_xlsx([["nip"], ["198609262015051001"]]))
    with zipfile.ZipFile(buffer, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/media/padding.bin", b"\0" * (64 * 1024 * 1024))
    return buffer.getvalue()


CSV = "nip;email\n198609262015051001;budi@instansi.go.id\n"
UPLOADS = {
    # label: (file name, content, message shown)
    "UTF-16 CSV (Excel's Unicode text)": ("peserta.csv", CSV.encode("utf-16"), None),
    "UTF-16 CSV without its mark": (
        "peserta.csv",
        CSV.encode("utf-16-le"),
        "The file's text encoding could not be read. Save it as CSV in UTF-8 (in Excel: "
        '"CSV UTF-8"), UTF-16 or Windows ANSI.',
    ),
    "a 200 kB field": (
        "peserta.csv",
        ("nip;email\n" + "1" * 200_000 + ";a@b.id\n").encode(),
        ("Row %(row)s has a cell longer than %(max)s characters.", {"row": 2, "max": 1000}),
    ),
    "an unclosed quote": (
        "peserta.csv",
        ('nip,email\n"' + "1" * 150_000).encode(),
        ("Row %(row)s has a cell longer than %(max)s characters.", {"row": 2, "max": 1000}),
    ),
    "a truncated XLSX": (
        "peserta.xlsx",
        _xlsx([["nip"], ["198609262015051001"]])[:-300],
        "This file could not be read as an Excel workbook (.xlsx).",
    ),
    "an XLSX cut in its middle": (
        "peserta.xlsx",
        _xlsx([["nip"], ["198609262015051001"]])[:2000],
        "This file could not be read as an Excel workbook (.xlsx).",
    ),
    "an XLSX that unpacks to 64 MB": (
        "peserta.xlsx",
        _bomb(),
        (
            "This workbook holds more data than an import may (%(size)s MB once unpacked): "
            "keep only the list of learners, or save it as CSV.",
            {"size": 20},
        ),
    ),
    "an image named .xlsx": ("peserta.xlsx", b"\x89PNG\r\n\x1a\n" + b"\0" * 100, None),
    "an empty file": ("peserta.csv", b"", None),
    "NUL bytes": ("peserta.csv", b"nip\n\0\0\0\n", None),
}


@pytest.mark.parametrize("label", list(UPLOADS))
def test_cohort_import_uploads_get_a_clear_answer(label, world, db):
    name, content, message = UPLOADS[label]
    client = client_as(world, "superuser")
    url = reverse("cohorts:learners_add", args=[world.cohort_b.pk])
    upload = SimpleUploadedFile(name, content)
    response, seconds = attempt(client.post, url, {"upload": "1", "file": upload})
    assert response.status_code in (200, 302), response.status_code
    assert seconds < SECONDS_PER_REQUEST
    if message:
        text, values = (message, {}) if isinstance(message, str) else message
        assert response.status_code == 200
        assert shows(response, indonesian(text, **values))
    if label.startswith("UTF-16 CSV ("):
        # Read as the trainer typed it: a dry run of one row, not a garbled header.
        assert response.status_code == 302


# Walking every endpoint


class Form:
    """A form of a page: its method, action and the fields a browser would send."""

    def __init__(self, method: str, action: str):
        self.method, self.action = method, action
        self.values: dict[str, str] = {}
        self.kinds: dict[str, str] = {}  # input type, "select" or "textarea"
        self.files: list[str] = []


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append(Form(attrs.get("method", "get").lower(), attrs.get("action") or ""))
            return
        if not self.forms:
            return
        form, name = self.forms[-1], attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text").lower()
            if kind == "file":
                form.files.append(name)
                return
            if kind in ("submit", "button", "image", "reset"):
                return
            form.kinds.setdefault(name, kind)
            if kind not in ("checkbox", "radio") or "checked" in attrs:
                form.values.setdefault(name, attrs.get("value") or "")
        elif tag == "select" and name:
            self._select = name
            form.kinds[name] = "select"
        elif tag == "option" and self._select:
            chosen = "selected" in attrs or self._select not in form.values
            if chosen and attrs.get("value"):
                form.values[self._select] = attrs["value"]
        elif tag == "textarea" and name:
            self._textarea = name
            form.kinds[name] = "textarea"
            form.values[name] = ""
        elif tag == "button" and name:
            form.values[name] = attrs.get("value", "")
            form.kinds[name] = "button"

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self.forms:
            self.forms[-1].values[self._textarea] += data


def forms_of(html: str) -> list[Form]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


#: The hostile values that matter for a field, by what the field holds.
VALUES_FOR = {
    "number": ["2^63", "huge number", "negative", "overflowing float", "wrong type"],
    "date": ["year 1", "year 9999", "wrong type"],
    "text": ["NUL", "control characters", "line break", "very long", "2,000 words"],
}


def _field_holds(form: Form, name: str) -> str:
    kind, value = form.kinds.get(name, "text"), form.values.get(name, "")
    if not isinstance(value, str):  # a target's own payload: ids, lists of ids
        return "number" if isinstance(value, int | list) else "text"
    if kind in ("select", "radio", "checkbox", "number", "hidden") and (
        value.isdigit() or not value
    ):
        return "number"
    if kind == "date" or any(part in name for part in ("_on", "date", "dari", "sampai", "due")):
        return "date"
    return "number" if value.isdigit() else "text"


class RecordingQueryDict(QueryDict):
    """A query string that remembers which parameters the view asked for."""

    asked: set[str] = set()

    def get(self, key, default=None):
        RecordingQueryDict.asked.add(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        RecordingQueryDict.asked.add(key)
        return super().getlist(key, default)

    def __getitem__(self, key):
        RecordingQueryDict.asked.add(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        RecordingQueryDict.asked.add(key)
        return super().__contains__(key)


class RecordQueryParameters:
    """Test middleware: the request's query string, recording what the view reads."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.GET = RecordingQueryDict(request.META.get("QUERY_STRING", ""))
        return self.get_response(request)


@pytest.fixture
def recording(settings):
    settings.MIDDLEWARE = [f"{__name__}.RecordQueryParameters", *settings.MIDDLEWARE]
    RecordingQueryDict.asked = set()
    return RecordingQueryDict


def walk_roles(row: str) -> list[str]:
    """The least privileged role allowed at `row`, and the superuser when allowed too."""
    allowed = [
        role for role, cell in zip(ROLES, MATRIX[row], strict=True) if cell in (OK, NEW, DONE, AWAY)
    ]
    return sorted(
        {*allowed[:1], *(["superuser"] if "superuser" in allowed else [])}, key=ROLES.index
    )


def _is_project_view(url: str) -> bool:
    """Whether Lentera's own code answers `url` (Wagtail's admin forms are Wagtail's to test)."""
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return False
    module = getattr(match.func, "__module__", "")
    return module.split(".")[0] in project_apps() or module == "wagtail.views"


def _url_of(world, row: str) -> str:
    return (
        TARGETS[row]
        .url(world)
        .format(
            org_b=world.org_b.pk,
            course_b_path=world.course_b.get_url(),
            image_b=world.image_b.pk,
            document_b=world.document_b.pk,
        )
    )


def _with_params(url: str, names, value) -> str:
    parts = urlsplit(url)
    kept = [(key, old) for key, old in parse_qsl(parts.query, keep_blank_values=True)]
    return (
        parts.path
        + "?"
        + urlencode([(k, v) for k, v in kept if k not in names] + [(name, value) for name in names])
    )


def _check(problems: list[str], label: str, response, seconds: float) -> None:
    if response.status_code >= 500:
        problems.append(f"{label}: server error {response.status_code}")
    elif response.status_code == 400 and response["Content-Type"].startswith("text/html"):
        # Django's bare "Bad Request (400)" says nothing: ours says what was wrong.
        html = response.content.decode()
        problems += [f"{label}: a 400 without a message"] if 'role="alert"' not in html else []
    if seconds > SECONDS_PER_REQUEST:
        problems.append(f"{label}: took {seconds:.1f} s")


WALKED = [row for row in MATRIX if row in TARGETS and walk_roles(row)]


@pytest.mark.parametrize("row", WALKED)
def test_every_parameter_and_field_survives_hostile_values(row, world, recording, db):
    """Query parameters get each hostile value all at once (they rarely depend on each other);
    form fields one at a time, with the values that matter for what they hold, and all of
    them at once. The superuser, walking after the least privileged role, feeds what that role
    was not shown: its own query parameters and fields one at a time, and all at once the forms
    whose fields differ from that role's."""
    target = TARGETS[row]
    url = _url_of(world, row)
    problems: list[str] = []
    # (action, field) and ("?", query parameter) fed one at a time already.
    fed: set[tuple[str, str]] = set()
    for role in walk_roles(row):
        client = client_as(world, role)
        if target.json:
            _walk_api(problems, client, role, url, target.method)
            continue
        forms, asked = [], set()
        if target.method == "get":
            recording.asked = set()
            baseline, _seconds = attempt(client.get, url)
            asked = set(recording.asked)
            if baseline.status_code == 200 and "html" in baseline.get("Content-Type", ""):
                forms = forms_of(baseline.content.decode())
            asked |= {name for form in forms if form.method == "get" for name in form.values}
            if {("?", name) for name in asked} <= fed:
                asked = set()  # fed already as the less privileged role
            fed |= {("?", name) for name in asked}
            for kind, value in HOSTILE.items() if asked else ():
                response, seconds = attempt(client.get, _with_params(url, sorted(asked), value))
                _check(problems, f"{role} GET {sorted(asked)} = {kind}", response, seconds)
        posts = []
        if target.method == "post" and _is_project_view(url):
            own = Form("post", url)
            own.values.update(target.data(world) if target.data else {})
            posts.append((url, own))
        posts += [
            (form.action or url, form)
            for form in forms
            if form.method == "post" and form.values and _is_project_view(form.action or url)
        ]
        for action, form in posts:
            _walk_form(problems, client, role, action, form, fed)
    assert not problems, f"{url}\n" + "\n".join(sorted(set(problems)))


def _walk_form(
    problems: list[str], client: Client, role: str, action: str, form: Form, fed: set
) -> None:
    fields = [name for name in form.values if name != "csrfmiddlewaretoken"]
    if not fields:
        return  # nothing to feed (a button such as "download my data")
    # The same form (action and fields) all at once as the less privileged role already: the
    # same validation answers it (the matrix proves both may post there).
    every_field = ("*", action, frozenset(fields))
    for kind, value in HOSTILE.items() if every_field not in fed else ():
        data = {**form.values, **dict.fromkeys(fields, value)}
        response, seconds = attempt(client.post, action, data)
        _check(problems, f"{role} POST {action} every field = {kind}", response, seconds)
    fed.add(every_field)
    for name in fields:
        if (action, name) in fed:
            continue
        fed.add((action, name))
        for kind in VALUES_FOR[_field_holds(form, name)]:
            response, seconds = attempt(client.post, action, {**form.values, name: HOSTILE[kind]})
            _check(problems, f"{role} POST {action} {name} = {kind}", response, seconds)


@functools.cache
def _learner_api_schema() -> dict:
    """The learner API's OpenAPI schema, built once for the walk (~0.1 s of CPU each time)."""
    from lentera.learner_api import api as learner_api

    return learner_api.get_openapi_schema()


def _api_operation(url: str, method: str) -> tuple[dict, dict]:
    schema = _learner_api_schema()
    for path, operations in schema["paths"].items():
        pattern = "^" + re.sub(r"\{[^}]+\}", "[^/]+", path) + "$"
        if re.match(pattern, urlsplit(url).path) and method in operations:
            return operations[method], schema
    return {}, schema


def _body_fields(operation: dict, schema: dict) -> list[str]:
    content = operation.get("requestBody", {}).get("content", {}).get("application/json", {})
    reference = content.get("schema", {}).get("$ref", "")
    if not reference:
        return []
    return list(schema["components"]["schemas"][reference.rsplit("/", 1)[-1]]["properties"])


def _walk_api(problems: list[str], client: Client, role: str, url: str, method: str) -> None:
    operation, schema = _api_operation(url, method)
    call = getattr(client, method)
    queries = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
    for kind, value in HOSTILE.items() if queries else ():
        response, seconds = attempt(call, _with_params(url, queries, value))
        _check(problems, f"{role} {method.upper()} {queries} = {kind}", response, seconds)
    bodies = {
        f"{{{name}: {kind}}}": json.dumps({name: value})
        for name in _body_fields(operation, schema)
        for kind, value in HOSTILE_JSON.items()
    }
    if method == "post":
        bodies |= {"a body that is not JSON": "{", "a list": "[1, 2]", "a number": "1e309"}
    for label, body in bodies.items():
        response, seconds = attempt(call, url, data=body, content_type="application/json")
        _check(problems, f"{role} {method.upper()} {label}", response, seconds)


def test_every_id_in_a_path_beyond_2_63_is_a_4xx(world, db):
    """Each number in each endpoint's path replaced by 2^63, as the roles the walk uses."""
    problems: list[str] = []
    for row in WALKED:
        target = TARGETS[row]
        segments = urlsplit(_url_of(world, row)).path.split("/")
        for index in (i for i, segment in enumerate(segments) if segment.isdigit()):
            path = "/".join([*segments[:index], str(2**63), *segments[index + 1 :]])
            for role in walk_roles(row):
                call = getattr(client_as(world, role), target.method)
                kwargs = {"content_type": "application/json"} if target.json else {}
                response, seconds = attempt(call, path, **kwargs)
                _check(problems, f"{role} {target.method.upper()} {path}", response, seconds)
                if response.status_code == 200:
                    problems.append(f"{role} {path}: 200 for an id that cannot exist")
    assert not problems, "\n".join(sorted(set(problems)))
