"""Security headers: the Content Security Policy (strict on the site, relaxed for the Wagtail admin
only), the other response headers, the session cookie, the production settings, and an HTML scan
showing that the site's pages need no inline script or style.

The browser side (no CSP violation on the site or in the admin) was checked in Chromium; these
tests pin what the server sends.
"""

import json
import os
import secrets
import subprocess
import sys
from html.parser import HTMLParser

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from wagtail.embeds.models import Embed
from wagtail.images.tests.utils import get_test_image_file

from cohorts.members import cohort_members_add
from cohorts.services import cohort_create
from content.models import StandardPage
from courses.factories import LessonPageFactory, provider_page_of
from courses.models import LessonPage, ModulePage
from learners import progress, services
from learners.certificate_services import add_months
from learners.factories import UserFactory
from learners.models import Certificate
from quizzes import services as quiz_services
from tests.quizzes.quiz_helpers import course_with_quiz

pytestmark = pytest.mark.django_db

VIDEO_URL = "https://www.youtube.com/watch?v=abcdefghijk"
# The HTML YouTube's oEmbed endpoint answers (as Wagtail caches it in `Embed.html`).
YOUTUBE_OEMBED_HTML = (
    '<iframe width="200" height="113" src="https://www.youtube.com/embed/abcdefghijk?feature=oembed"'
    ' frameborder="0" allow="accelerometer; autoplay; clipboard-write; encrypted-media; gyroscope;'
    ' picture-in-picture; web-share" referrerpolicy="strict-origin-when-cross-origin"'
    ' allowfullscreen title="Pelayanan prima"></iframe>'
)


def policy(response) -> dict[str, list[str]]:
    """The Content-Security-Policy header as {directive: [sources]}."""
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def assert_strict(response) -> None:
    """The site's policy: nothing inline, nothing from elsewhere but video players in frames."""
    directives = policy(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["img-src"] == ["'self'", "data:"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "'self'" not in directives["frame-src"]
    assert "https://www.youtube.com" in directives["frame-src"]
    assert "unsafe" not in response["Content-Security-Policy"]


def assert_other_headers(response, *, frame_options: str = "DENY") -> None:
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == frame_options
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.fixture
def learner(db):
    return UserFactory(email="peserta.aman@instansi.go.id", full_name="Peserta Aman")


@pytest.fixture
def video_lesson(course_a):
    """A lesson with one block of every kind, its video embedded from the oEmbed cache."""
    from wagtail.images.models import Image

    image = Image.objects.create(title="Loket pelayanan", file=get_test_image_file())
    Embed.objects.create(
        url=VIDEO_URL,
        max_width=None,
        type="video",
        html=YOUTUBE_OEMBED_HTML,
        provider_name="YouTube",
    )
    module = ModulePage.objects.child_of(course_a).first()
    return LessonPageFactory(
        parent=module,
        title="Pelayanan prima",
        body=[
            {"type": "heading", "value": {"text": "Tujuan", "level": "h2"}},
            {"type": "paragraph", "value": "<p>Peserta <b>memahami</b> standar pelayanan.</p>"},
            {
                "type": "image",
                "value": {"image": image.pk, "alt_text": "Loket", "caption": "Loket pelayanan"},
            },
            {
                "type": "video",
                "value": {
                    "title": "Contoh pelayanan prima",
                    "video_file": None,
                    "embed_url": VIDEO_URL,
                    "transcript": "Petugas menyapa warga.",
                },
            },
            {
                "type": "callout",
                "value": {"kind": "tip", "title": "Tips", "text": "<p>Catat tiga hal.</p>"},
            },
            {"type": "quote", "value": {"text": "Melayani dengan hati.", "attribution": "LAN"}},
            {
                "type": "table",
                "value": {
                    "data": [["Layanan", "Waktu"], ["KTP", "1 hari"]],
                    "first_row_is_table_header": True,
                    "first_col_is_header": False,
                    "table_caption": "Waktu layanan",
                },
            },
            {
                "type": "external_link",
                "value": {
                    "url": "https://jdih.go.id/",
                    "title": "JDIH",
                    "description": "Peraturan",
                },
            },
        ],
    )


# The Content Security Policy


def test_a_public_page_gets_the_strict_policy_and_the_other_headers(client, site_tree):
    response = client.get(site_tree["home"].url)

    assert response.status_code == 200
    assert_strict(response)
    assert_other_headers(response)


def test_a_learner_page_gets_the_strict_policy(client_for, learner, course_a):
    services.enrollment_create(user=learner, course=course_a)

    response = client_for(learner).get(reverse("learners:my_learning"))

    assert response.status_code == 200
    assert_strict(response)
    assert_other_headers(response)


def test_the_login_page_gets_the_strict_policy(client, site_tree):
    response = client.get(reverse("account_login"))

    assert response.status_code == 200
    assert_strict(response)


def test_the_wagtail_admin_gets_its_relaxed_policy(client_for, editor_a):
    response = client_for(editor_a).get(reverse("wagtailadmin_home"))

    directives = policy(response)
    assert response.status_code == 200
    assert directives["script-src"] == ["'self'", "'unsafe-inline'"]
    assert directives["style-src"] == ["'self'", "'unsafe-inline'"]
    assert directives["img-src"] == ["'self'", "data:", "blob:"]
    # Framed by the admin's own preview only; still no plugins, no foreign base or forms.
    assert directives["frame-ancestors"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    assert directives["form-action"] == ["'self'"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert_other_headers(response)


def test_the_admin_preview_may_be_framed_by_the_admin(client_for, editor_a, course_a):
    """Wagtail renders the preview through the middleware again, with a dummy request for the
    page's public URL: it must still get the admin's policy, or the preview frame is blocked."""
    lesson = LessonPage.objects.descendant_of(course_a).first()
    client = client_for(editor_a)
    preview_url = reverse("wagtailadmin_pages:preview_on_edit", args=[lesson.pk])
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[lesson.pk]))
    form_data = {
        "title": lesson.title,
        "slug": lesson.slug,
        "estimated_minutes": lesson.estimated_minutes,
        "body-count": 0,
    }
    client.post(preview_url, form_data)

    response = client.get(preview_url)

    assert edit.status_code == 200
    assert response.status_code == 200
    assert policy(response)["frame-ancestors"] == ["'self'"]
    assert response["X-Frame-Options"] == "SAMEORIGIN"


def test_only_the_admin_prefix_is_relaxed(client, site_tree):
    """A public page whose address merely starts like the admin's keeps the strict policy."""
    guide = site_tree["home"].add_child(
        instance=StandardPage(title="Admin guide", slug="admin-guide")
    )

    response = client.get(guide.url)

    assert guide.url == "/admin-guide/"
    assert response.status_code == 200
    assert_strict(response)


def test_the_agency_sso_provider_is_an_allowed_form_target_when_configured():
    """The SSO button posts to Lentera, which redirects to the provider: browsers check that
    redirect against form-action."""
    environment = os.environ | {
        "DJANGO_SETTINGS_MODULE": "lentera.settings.base",
        "OIDC_SERVER_URL": "https://sso.example.go.id/realms/asn/",
        "OIDC_CLIENT_ID": "lentera",
    }
    values = settings_in_subprocess(environment, "CONTENT_SECURITY_POLICY")

    form_action = values["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["form-action"]
    assert form_action == ["'self'", "https://sso.example.go.id"]


# Session cookie


def test_the_session_cookie_is_http_only_same_site_lax_and_lasts_twelve_hours(
    english_interface, learner
):
    client = Client()
    response = client.post(
        reverse("account_login"), {"login": learner.email, "password": "lentera-uji-123"}
    )

    cookie = response.cookies[django_settings.SESSION_COOKIE_NAME]
    assert response.status_code == 302
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert django_settings.SESSION_COOKIE_AGE == 12 * 3600
    assert not django_settings.SESSION_SAVE_EVERY_REQUEST


# Production settings


def settings_in_subprocess(environment: dict, *names: str) -> dict:
    """Settings as a fresh interpreter sees them under `environment`. Only the settings module
    is imported: loading Django's apps as well (`django.setup()`) costs about 2 s of CPU a call
    and changes no setting; the deployment check below starts the whole application."""
    code = (
        "import json, sys; from django.conf import settings; "
        "print(json.dumps({name: getattr(settings, name, None) for name in sys.argv[1:]}))"
    )
    result = subprocess.run(  # noqa: S603 (our own interpreter, fixed arguments)
        [sys.executable, "-c", code, *names],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
        cwd=django_settings.BASE_DIR,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def production_environment(**extra: str) -> dict:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(
            ("SECURE_", "SESSION_", "ALLAUTH_", "DEBUG", "DATABASE_URL", "REDIS_URL", "TASKS_")
        )
    }
    return environment | {
        "DJANGO_SETTINGS_MODULE": "lentera.settings.production",
        # Production settings require a database URL; nothing here connects to it.
        "DATABASE_URL": "postgres://lentera@127.0.0.1:5432/lentera",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "MEDIA_ROOT": "/srv/shared/media",
        "PRIVATE_MEDIA_ROOT": "/srv/shared/private-media",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "lentera.example.go.id",
        **extra,
    }


PRODUCTION_SETTINGS = [
    "DEBUG",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SECURE_CROSS_ORIGIN_OPENER_POLICY",
    "X_FRAME_OPTIONS",
    "ALLAUTH_TRUSTED_PROXY_COUNT",
]


def test_production_settings_insist_on_https():
    values = settings_in_subprocess(production_environment(), *PRODUCTION_SETTINGS)

    assert values == {
        "DEBUG": False,
        "SECURE_HSTS_SECONDS": 31_536_000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "CSRF_COOKIE_SECURE": True,
        "SECURE_CONTENT_TYPE_NOSNIFF": True,
        "SECURE_REFERRER_POLICY": "strict-origin-when-cross-origin",
        "SECURE_CROSS_ORIGIN_OPENER_POLICY": "same-origin",
        "X_FRAME_OPTIONS": "DENY",
        # Behind the proxy, rate limits count each client's address, not the proxy's.
        "ALLAUTH_TRUSTED_PROXY_COUNT": 1,
    }


def test_production_settings_follow_the_environment_where_documented():
    values = settings_in_subprocess(
        production_environment(
            SECURE_HSTS_PRELOAD="false",
            SECURE_PROXY_SSL_HEADER="false",
            SECURE_SSL_REDIRECT="false",
            SESSION_COOKIE_AGE="3600",
        ),
        "SECURE_HSTS_PRELOAD",
        "SECURE_PROXY_SSL_HEADER",
        "SECURE_SSL_REDIRECT",
        "ALLAUTH_TRUSTED_PROXY_COUNT",
        "SESSION_COOKIE_AGE",
    )

    assert values == {
        "SECURE_HSTS_PRELOAD": False,
        "SECURE_PROXY_SSL_HEADER": None,
        "SECURE_SSL_REDIRECT": False,
        "ALLAUTH_TRUSTED_PROXY_COUNT": 0,
        "SESSION_COOKIE_AGE": 3600,
    }


def test_production_settings_pass_the_deployment_checklist():
    result = subprocess.run(  # noqa: S603 (our own interpreter, fixed arguments)
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        # Packages are served from an origin of their own (packages/checks.py).
        env=production_environment(
            ALLOWED_HOSTS="lentera.example.go.id,.paket.example.go.id",
            LENTERA_PACKAGE_ORIGIN="https://*.paket.example.go.id",
        ),
        capture_output=True,
        text=True,
        cwd=django_settings.BASE_DIR,
    )

    assert result.returncode == 0, result.stdout + result.stderr


# The pages themselves: nothing inline for the policy to block


class InlineCodeFinder(HTMLParser):
    """Collects what a policy without 'unsafe-inline' would block: inline scripts, style
    elements and attributes, event-handler attributes and javascript: URLs."""

    URL_ATTRIBUTES = {"href", "src", "action", "formaction"}

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self.tags = 0

    def handle_starttag(self, tag, attrs):
        self.tags += 1
        attributes = dict(attrs)
        # A JSON data block (`json_script`) is never executed, so the policy does not block it.
        is_data_block = attributes.get("type") == "application/json"
        if tag == "script" and not attributes.get("src") and not is_data_block:
            self.found.append(f"<script> without src: {self.get_starttag_text()}")
        if tag == "style":
            self.found.append("<style> element")
        for name, value in attrs:
            if name == "style":
                self.found.append(f"style attribute: {self.get_starttag_text()}")
            elif name.startswith("on"):
                self.found.append(f"event handler {name}: {self.get_starttag_text()}")
            elif name in self.URL_ATTRIBUTES and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.found.append(f"javascript: URL: {self.get_starttag_text()}")

    handle_startendtag = handle_starttag


@pytest.fixture
def site_pages(site_tree, course_a, video_lesson, learner, provider_a):
    """(client, url) for the main public and learner pages, with data on them."""
    course, quiz_lesson, quiz = course_with_quiz(provider_page_of(provider_a))
    services.enrollment_create(user=learner, course=course_a)
    services.enrollment_create(user=learner, course=course)
    progress.lesson_complete(user=learner, lesson=video_lesson)
    attempt = quiz_services.attempt_start(user=learner, quiz=quiz)
    # A finished course with its certificate, for "My learning" and the public verification.
    for lesson in LessonPage.objects.live().descendant_of(course_a):
        progress.lesson_complete(user=learner, lesson=lesson)
    certificate = Certificate.objects.get(enrollment__user=learner, enrollment__course=course_a)
    # A trainer's cohort page, with its SVG charts.
    trainer = UserFactory(email="widyaiswara.aman@instansi.go.id", trainer_of=course)
    # A year long: add_months, as a 29 February start has no 29 February a year later.
    cohort = cohort_create(
        course=course,
        name="Angkatan Uji",
        starts_on=attempt.started_at.date(),
        ends_on=add_months(attempt.started_at.date(), 12),
        created_by=trainer,
    )
    others = UserFactory.create_batch(3)
    cohort_members_add(cohort=cohort, users=others, added_by=trainer)
    progress.lesson_complete(user=others[0], lesson=quiz_lesson)

    anonymous, signed_in = Client(), Client()
    signed_in.force_login(learner)
    trainer_client = Client()
    trainer_client.force_login(trainer)
    return [
        (anonymous, site_tree["home"].url),
        (anonymous, site_tree["catalog"].url),
        (anonymous, site_tree["catalog"].url + "?q=etika"),
        (anonymous, course_a.url),
        (anonymous, video_lesson.url),
        (anonymous, reverse("search:search") + "?q=pelayanan"),
        (anonymous, reverse("account_login")),
        (anonymous, reverse("account_signup")),
        (anonymous, reverse("learners:certificate_verify", args=[certificate.code])),
        (signed_in, course_a.url),
        (signed_in, video_lesson.url),
        (signed_in, quiz.url),
        (signed_in, reverse("quizzes:attempt", args=[attempt.pk])),
        (signed_in, reverse("learners:my_learning")),
        (signed_in, reverse("learners:profile")),
        (trainer_client, reverse("cohorts:dashboard")),
        (trainer_client, reverse("cohorts:detail", args=[cohort.pk])),
    ]


def test_the_main_pages_carry_no_inline_script_style_or_event_handler(site_pages):
    problems, html = {}, ""
    for client, url in site_pages:
        response = client.get(url)
        assert response.status_code == 200, url
        finder = InlineCodeFinder()
        finder.feed(response.content.decode())
        assert finder.tags > 50, url  # a whole page was parsed
        html += response.content.decode()
        if finder.found:
            problems[url] = finder.found

    assert problems == {}
    # The scan covered the embedded video player, the responsive images and the SVG charts.
    assert '<iframe width="200" height="113" src="https://www.youtube.com/embed/' in html
    assert "srcset=" in html
    assert 'class="chart__svg"' in html


def test_the_scan_sees_what_the_policy_would_block():
    finder = InlineCodeFinder()
    finder.feed(
        '<script>alert(1)</script><script src="/static/js/a.js"></script>'
        '<p style="color:red" onclick="x()"><a href=" JavaScript:void(0)">a</a></p>'
        "<style>p{}</style><img src=x onerror=y />"
        # Data, not code: allowed.
        '<script type="application/json" id="lentera-strings">{"a": "b"}</script>'
    )

    assert len(finder.found) == 6
