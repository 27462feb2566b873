"""LTI 1.3 against a platform simulated by the test: its RSA key pair, its key set, token and
AGS line item endpoints served by a real local HTTP server, and the standard's messages (OIDC
login initiation, a signed id_token POSTed to the launch, a deep linking response checked with
the tool's published key, a score POSTed through AGS with a client-credentials token)."""

import json
import threading
import time
import uuid
from datetime import timedelta
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from allauth.account.models import EmailAddress
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.urls import reverse
from django.utils import timezone
from jwcrypto.jwk import JWK

from courses.models import LessonPage
from learners.factories import UserFactory
from learners.models import Enrollment
from learners.progress import lesson_complete
from lti.models import GradeLink, Identity, Platform, UsedNonce

# The site answers in Indonesian (compilemessages runs before the tests).

CLIENT_ID = "lentera-client"
DEPLOYMENT = "dep-1"
CLAIM = "https://purl.imsglobal.org/spec/lti/claim/"
SCORE = "https://purl.imsglobal.org/spec/lti-ags/scope/score"


def _rsa():
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public = JWK.from_pem(pem.encode())
    jwk = json.loads(public.export_public())
    jwk.update(alg="RS256", use="sig", kid=public.thumbprint())
    return pem, jwk


class SimulatedPlatform:
    """The platform's side: key set, token endpoint and one line item's scores."""

    def __init__(self):
        self.private_pem, self.jwk = _rsa()
        self.other_pem, _other = _rsa()  # a key the platform never published
        self.tool_jwks = None
        self.token_requests = []
        self.scores = []
        self.fail_scores = 0
        sim = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _json(self, status, data):
                body = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                if self.path == "/jwks":
                    return self._json(200, {"keys": [sim.jwk]})
                return self._json(404, {})

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode()
                if self.path == "/token":
                    form = {k: v[0] for k, v in parse_qs(raw).items()}
                    assertion = form["client_assertion"]
                    kid = jwt.get_unverified_header(assertion)["kid"]
                    key = next(k for k in sim.tool_jwks["keys"] if k["kid"] == kid)
                    claims = jwt.decode(
                        assertion,
                        jwt.PyJWK(key).key,
                        algorithms=["RS256"],
                        audience=sim.url + "/token",
                    )
                    sim.token_requests.append((form, claims))
                    return self._json(200, {"access_token": "tok-1", "token_type": "Bearer"})
                if self.path == "/lineitems/7/scores":
                    if sim.fail_scores:
                        sim.fail_scores -= 1
                        return self._json(503, {"error": "down"})
                    if self.headers.get("Authorization") != "Bearer tok-1":
                        return self._json(401, {})
                    sim.scores.append((self.headers.get("Content-Type"), json.loads(raw)))
                    return self._json(200, {})
                return self._json(404, {})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def id_token(self, nonce, *, key=None, kid=None, **claims):
        now = int(time.time())
        body = {
            "iss": self.url,
            "aud": CLIENT_ID,
            "sub": "moodle-user-42",
            "iat": now,
            "exp": now + 300,
            "nonce": nonce,
            "name": "Sari Pegawai",
            "email": "sari@instansi.go.id",
            CLAIM + "deployment_id": DEPLOYMENT,
            CLAIM + "message_type": "LtiResourceLinkRequest",
            CLAIM + "version": "1.3.0",
            CLAIM + "roles": ["http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"],
            CLAIM + "resource_link": {"id": "rl-1"},
            CLAIM + "target_link_uri": "http://testserver/lti/launch/",
            "https://purl.imsglobal.org/spec/lti-ags/claim/endpoint": {
                "scope": [SCORE],
                "lineitem": self.url + "/lineitems/7",
            },
        }
        if "custom" in claims:
            claims[CLAIM + "custom"] = claims.pop("custom")
        body.update(claims)
        return jwt.encode(
            {k: v for k, v in body.items() if v is not None},
            key or self.private_pem,
            algorithm="RS256",
            headers={"kid": kid or self.jwk["kid"]},
        )


@pytest.fixture(scope="module")
def sim():
    platform = SimulatedPlatform()
    yield platform
    platform.server.shutdown()


@pytest.fixture
def platform(db, sim):
    return Platform.objects.create(
        name="Moodle Instansi",
        issuer=sim.url,
        client_id=CLIENT_ID,
        auth_login_url=sim.url + "/auth",
        auth_token_url=sim.url + "/token",
        key_set_url=sim.url + "/jwks",
        deployment_ids=f"{DEPLOYMENT}\n",
    )


def _login(client, sim):
    response = client.get(
        reverse("lti:login"),
        {
            "iss": sim.url,
            "client_id": CLIENT_ID,
            "login_hint": "42",
            "lti_message_hint": "m",
            "target_link_uri": "http://testserver/lti/launch/",
        },
    )
    assert response.status_code == 302, response.content
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == sim.url + "/auth"
    query = {k: v[0] for k, v in parse_qs(location.query).items()}
    assert query["redirect_uri"] == "http://testserver/lti/launch/"
    assert query["client_id"] == CLIENT_ID and query["response_mode"] == "form_post"
    return query["state"], query["nonce"]


def _launch(client, sim, **claims):
    state, nonce = _login(client, sim)
    token = sim.id_token(nonce, **claims)
    return client.post(reverse("lti:launch"), {"state": state, "id_token": token}), token, state


def _nothing_changed():
    return (
        not UsedNonce.objects.exists()
        and not Identity.objects.exists()
        and not Enrollment.objects.exists()
    )


def test_jwks_publishes_the_tool_key(client, db):
    keys = client.get(reverse("lti:jwks")).json()["keys"]
    assert len(keys) == 1 and keys[0]["kty"] == "RSA" and keys[0]["alg"] == "RS256"
    assert "d" not in keys[0]  # never the private half
    assert client.get(reverse("lti:jwks")).json()["keys"] == keys


def test_first_launch_links_by_signing_in_then_later_launches_sign_in(
    client, sim, platform, course_a
):
    user = UserFactory(email="sari@instansi.go.id")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    response, _token, _state = _launch(client, sim, custom={"course_id": str(course_a.pk)})
    assert response.status_code == 302, response.content.decode()[-3000:]
    assert response["Location"] == reverse("lti:link")
    # The same e-mail, even verified, links nothing by itself: the person must sign in.
    page = client.get(reverse("lti:link"))
    assert page.status_code == 200 and page.context["verified_account"]
    assert not Identity.objects.exists() and not Enrollment.objects.exists()
    assert client.post(reverse("lti:link"))["Location"].startswith(reverse("account_login"))
    assert not Identity.objects.exists()

    client.force_login(user)
    response = client.post(reverse("lti:link"))
    assert response.status_code == 302 and response["Location"] == course_a.url
    identity = Identity.objects.get()
    assert (identity.user, identity.sub) == (user, "moodle-user-42")
    assert Enrollment.objects.get().user == user
    assert GradeLink.objects.get().lineitem_url == sim.url + "/lineitems/7"

    # Next time, in a fresh browser, the platform's launch signs the person in directly.
    client.logout()
    response, _token, _state = _launch(client, sim, custom={"course_id": str(course_a.pk)})
    assert response.status_code == 302 and response["Location"] == course_a.url
    assert client.get(reverse("learners:my_learning")).status_code == 200
    assert Enrollment.objects.count() == 1


@pytest.mark.parametrize(
    "case",
    ["expired", "wrong_key", "unknown_kid", "wrong_audience", "unknown_deployment", "no_nonce"],
)
def test_bad_launches_are_refused_and_change_nothing(client, sim, platform, course_a, case):
    state, nonce = _login(client, sim)
    custom = {"custom": {"course_id": str(course_a.pk)}}
    token = {
        "expired": lambda: sim.id_token(nonce, exp=int(time.time()) - 60, **custom),
        "wrong_key": lambda: sim.id_token(nonce, key=sim.other_pem, **custom),
        "unknown_kid": lambda: sim.id_token(nonce, kid="not-published", **custom),
        "wrong_audience": lambda: sim.id_token(nonce, aud="another-tool", **custom),
        "unknown_deployment": lambda: sim.id_token(
            nonce, **{CLAIM + "deployment_id": "dep-unknown"}, **custom
        ),
        "no_nonce": lambda: sim.id_token(str(uuid.uuid4()), **custom),
    }[case]()
    response = client.post(reverse("lti:launch"), {"state": state, "id_token": token})
    assert response.status_code == 400
    assert "Peluncuran ini ditolak" in response.content.decode()
    assert _nothing_changed()


def test_replayed_launch_and_bad_state_are_refused(client, sim, platform, course_a):
    user = UserFactory()
    stale = UsedNonce.objects.create(platform=platform, nonce="from-last-week")
    UsedNonce.objects.filter(pk=stale.pk).update(used_at=timezone.now() - timedelta(days=7))
    response, token, state = _launch(client, sim, custom={"course_id": str(course_a.pk)})
    assert response.status_code == 302
    assert not UsedNonce.objects.filter(pk=stale.pk).exists()  # pruned
    Identity.objects.create(platform=platform, sub="moodle-user-42", user=user)
    replay = client.post(reverse("lti:launch"), {"state": state, "id_token": token})
    assert replay.status_code == 400
    assert "sudah digunakan" in replay.content.decode()
    assert not Enrollment.objects.exists()

    state, nonce = _login(client, sim)
    forged = client.post(
        reverse("lti:launch"), {"state": "forged", "id_token": sim.id_token(nonce)}
    )
    assert forged.status_code == 400 and UsedNonce.objects.count() == 1
    garbage = client.post(reverse("lti:launch"), {"state": state, "id_token": "not.a.jwt"})
    assert garbage.status_code == 400 and UsedNonce.objects.count() == 1
    assert client.get(reverse("lti:launch")).status_code == 405


def test_login_from_unknown_platform_is_refused(client, db):
    response = client.get(
        reverse("lti:login"),
        {"iss": "https://unknown.example", "login_hint": "1", "target_link_uri": "x"},
    )
    assert response.status_code == 400
    assert "Login ini ditolak" in response.content.decode()


def test_deep_linking_returns_a_signed_response(client, sim, platform, course_a):
    return_url = sim.url + "/deep-link-return"
    response, _token, _state = _launch(
        client,
        sim,
        **{
            CLAIM + "message_type": "LtiDeepLinkingRequest",
            CLAIM + "resource_link": None,
            "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings": {
                "deep_link_return_url": return_url,
                "accept_types": ["ltiResourceLink"],
                "accept_presentation_document_targets": ["window"],
                "data": "opaque-123",
            },
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("lti:deep_link")
    picker = client.get(reverse("lti:deep_link"))
    assert picker.status_code == 200 and course_a.title in picker.content.decode()
    assert client.post(reverse("lti:deep_link"), {"courses": ["999999"]}).status_code == 400
    assert client.post(reverse("lti:deep_link"), {}).status_code == 400

    answer = client.post(reverse("lti:deep_link"), {"courses": [str(course_a.pk)]})
    assert answer.status_code == 200
    assert answer.context["return_url"] == return_url
    assert sim.url in answer["Content-Security-Policy"]
    tool_key = client.get(reverse("lti:jwks")).json()["keys"][0]
    claims = jwt.decode(
        answer.context["jwt"], jwt.PyJWK(tool_key).key, algorithms=["RS256"], audience=sim.url
    )
    assert claims["iss"] == CLIENT_ID
    assert claims[CLAIM + "message_type"] == "LtiDeepLinkingResponse"
    assert claims["https://purl.imsglobal.org/spec/lti-dl/claim/data"] == "opaque-123"
    (item,) = claims["https://purl.imsglobal.org/spec/lti-dl/claim/content_items"]
    assert item["custom"] == {"course_id": str(course_a.pk)}
    assert item["url"] == "http://testserver/lti/launch/"
    # The choice is used once.
    assert client.get(reverse("lti:deep_link")).status_code == 400


def test_completion_sends_the_score_through_ags(
    client, sim, platform, course_a, django_capture_on_commit_callbacks
):
    # (no certificate: its PDF is not what this test is about)
    type(course_a).objects.filter(pk=course_a.pk).update(certificate_enabled=False)
    user = UserFactory()
    Identity.objects.create(platform=platform, sub="moodle-user-42", user=user)
    response, _token, _state = _launch(client, sim, custom={"course_id": str(course_a.pk)})
    assert response["Location"] == course_a.url
    sim.tool_jwks = client.get(reverse("lti:jwks")).json()
    sim.scores.clear()
    lessons = LessonPage.objects.live().descendant_of(course_a)
    with django_capture_on_commit_callbacks(execute=True):
        for lesson in lessons:
            result = lesson_complete(user=user, lesson=lesson)
    assert result.course_completed
    (content_type, score) = sim.scores[-1]
    assert content_type == "application/vnd.ims.lis.v1.score+json"
    assert score["userId"] == "moodle-user-42"
    assert (score["scoreGiven"], score["scoreMaximum"]) == (100, 100)
    assert score["activityProgress"] == "Completed" and score["gradingProgress"] == "FullyGraded"
    form, claims = sim.token_requests[-1]
    assert form["grant_type"] == "client_credentials" and SCORE in form["scope"]
    assert claims["iss"] == claims["sub"] == CLIENT_ID
    assert GradeLink.objects.get().last_sent_at is not None


def test_score_send_retries_while_the_platform_is_down(sim, platform, course_a):
    from core.task_queue import retried_on
    from lti.tasks import score_send

    assert retried_on(score_send)  # the database queue tries again with backoff
    user = UserFactory()
    identity = Identity.objects.create(platform=platform, sub="s-9", user=user)
    link = GradeLink.objects.create(
        identity=identity,
        course=course_a,
        deployment_id=DEPLOYMENT,
        lineitem_url=sim.url + "/lineitems/7",
        scopes=[SCORE],
    )
    from learners.factories import completed_enrollment

    enrollment = completed_enrollment(user=user, course=course_a)
    from lti.tool import tool_jwks, tool_key

    tool_key()
    sim.tool_jwks = tool_jwks()
    sim.fail_scores = 1
    from pylti1p3.exception import LtiServiceException

    with pytest.raises(LtiServiceException):
        score_send.call(grade_link_id=link.pk, enrollment_id=enrollment.pk)
    score_send.call(grade_link_id=link.pk, enrollment_id=enrollment.pk)
    assert sim.scores[-1][1]["userId"] == "s-9"
    # A course with a final test sends that test's score.
    type(enrollment).objects.filter(pk=enrollment.pk).update(final_score=Decimal("82.50"))
    score_send.call(grade_link_id=link.pk, enrollment_id=enrollment.pk)
    assert (sim.scores[-1][1]["scoreGiven"], sim.scores[-1][1]["scoreMaximum"]) == (82.5, 100)


@pytest.mark.parametrize(
    "id_token", ["", "x", "a.b", "☃.☃.☃", "e30.e30.e30", "x" * 20000, "a.b.c.d"]
)
def test_hostile_id_tokens_are_a_clear_400(client, sim, platform, id_token):
    state, _nonce = _login(client, sim)
    response = client.post(reverse("lti:launch"), {"state": state, "id_token": id_token})
    assert response.status_code == 400
    assert "Peluncuran ini ditolak" in response.content.decode()
    assert not UsedNonce.objects.exists()


def test_hostile_course_choices_are_a_clear_400(client, sim, platform, course_a):
    session = client.session
    session["lti_pending"] = {
        "platform_id": platform.pk,
        "sub": "s",
        "deployment_id": DEPLOYMENT,
        "message_type": "LtiDeepLinkingRequest",
        "launch_id": "lti1p3-launch-gone",
        "course_id": None,
        "lineitem_url": "",
        "scopes": [],
        "name": "",
        "email": "",
        "at": time.time(),
    }
    session.save()
    for value in ["abc", "-1", "99999999999999999999999", "1\x00", ""]:
        response = client.post(reverse("lti:deep_link"), {"courses": [value]})
        assert response.status_code == 400, value
        if "\x00" not in value:  # (a null character is the site's own 400 page)
            assert 'class="message error" role="alert"' in response.content.decode(), value
    # A launch no longer in the cache: a clear refusal, not a 500.
    response = client.post(reverse("lti:deep_link"), {"courses": [str(course_a.pk)]})
    assert response.status_code == 400 and "kedaluwarsa" in response.content.decode()
    # A damaged session value is no launch.
    session = client.session
    session["lti_pending"] = {"platform_id": "x"}
    session.save()
    assert client.get(reverse("lti:link")).status_code == 400
