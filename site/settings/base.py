"""
Lentera settings, read from the environment (12-factor) through django-environ.

The defaults suit a developer's machine: SQLite, console e-mail, local-memory cache, a secret key
generated once into an untracked file. `lentera.settings.production` only tightens these. Every
variable is documented in the README's configuration table.
"""

import secrets
from pathlib import Path
from urllib.parse import urlsplit

import environ
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

# site/settings/base.py -> the project root is two folders up from site/.
BASE_DIR = Path(__file__).resolve().parents[2]

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env")

DEBUG = env.bool("DEBUG", default=True)


def _local_secret_key(path: Path) -> str:
    """A per-checkout key kept in an untracked file, so local sessions survive restarts."""
    if not path.is_file():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = _local_secret_key(BASE_DIR / ".secret_key")

# ".localhost": localhost and its subdomains, the development package hosts
# (p-<uuid hex>.localhost, packages/origin.py).
ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=[".localhost", "127.0.0.1", "[::1]", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# Application definition

INSTALLED_APPS = [
    # Project apps, floor by floor from the bottom (README, "Architecture"; `make lint` checks
    # the imports): core | audit <- content <- moderation <- courses <- notifications <- learners
    # <- quizzes | packages | review
    # <- cohorts | evaluation | development | offline
    # <- coaching | paths | discussions | live | assignments | projects
    # <- team
    # <- planning
    # <- compliance | privacy | search
    # <- demo | operations;
    # `|` joins siblings, which import neither way. `bench` joins in lentera.settings.bench; no app
    # imports `lentera`.
    "core",
    "audit",
    "content",
    # One moderation request per course (a Wagtail task), below courses which sets it up.
    "moderation",
    "courses",
    # In-app notifications and their daily digest: every app above may tell someone something.
    "notifications",
    "learners",
    "quizzes",
    "packages",
    # Content kept current: review-by reminders, the overdue report (beside quizzes, packages).
    "review",
    "evaluation",
    "development",
    "offline",
    "coaching",
    "paths",
    "team",
    "planning",
    # Only the migration history of quizzes and evaluation (see assessments/apps.py).
    "assessments",
    "cohorts",
    # Questions and answers of courses and cohorts (above cohorts, beside coaching and paths).
    "discussions",
    # Cohorts' live sessions, their calendar feed and attendance (beside discussions).
    "live",
    # Change projects of leadership training and the public innovation gallery (beside live).
    "projects",
    # Assignment lessons: submissions, rubric grading by trainers, resubmission (beside live).
    "assignments",
    # LTI 1.3 tool: other LMSs launch Lentera courses, deep linking, grades back (beside live).
    "lti",
    "privacy",
    "compliance",
    "search",
    "credentials",
    # xAPI statements to a learning record store (beside search: reads learners, development,
    # quizzes and packages; nothing imports it).
    "xapi",
    "operations",
    "demo",
    # Wagtail
    "wagtail.api.v2",
    "wagtail.contrib.redirects",
    "wagtail.contrib.search_promotions",
    "wagtail.contrib.table_block",
    "wagtail.embeds",
    "wagtail.sites",
    # Content in Indonesian and English: translation in the admin, and the Locales admin
    # (wagtail_localize.locales replaces wagtail.locales).
    "wagtail_localize",
    "wagtail_localize.locales",
    # Wagtail's user admin, with forms for Lentera's e-mail based user model.
    "learners.apps.LenteraUsersAppConfig",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "rest_framework",
    "django_filters",
    # Content Security Policy headers (lentera.csp swaps in the admin's policy).
    "csp",
    # Accounts: every way in goes through allauth (sign-up, login, MFA, agency SSO).
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.mfa",
    # The learner API (django-ninja ships with Wagtail).
    "ninja",
    # Background work (Wagtail queues its own search-index updates as tasks too).
    "django_tasks",
    "django_tasks_db",
    # The queue on Redis for several machines (TASKS_BACKEND=core.task_rq.RQBackend).
    "django_rq",
    "django_tasks_rq",
    # Django
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "lentera.csp.LenteraCSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # HTML and the other text responses are compressed by Django's GZipMiddleware (files such as
    # PDFs and videos are left alone: lentera/compression.py); static files are served
    # precompressed by WhiteNoise above, which answers before this middleware sees them. It sits
    # above every middleware that reads or writes the body. Since Django 4.2 it adds up to 100
    # random bytes to each gzip header against BREACH, on top of the masked CSRF token:
    # https://docs.djangoproject.com/en/5.2/ref/middleware/#module-django.middleware.gzip
    # https://docs.djangoproject.com/en/5.2/releases/4.2/#mitigation-for-the-breach-attack
    "lentera.compression.TextGZipMiddleware",
    # The package origin (LENTERA_PACKAGE_ORIGIN) serves package files and nothing else, before
    # any session, CSRF or account middleware runs: no cookie is read or set there; the site
    # 404s /paket/ (packages/middleware.py).
    "packages.middleware.PackageOriginMiddleware",
    # Reads to the read replica or the primary (core/replica.py); idle without a replica.
    "core.replica.ReplicaMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # `request.data_saver` (Save-Data header or the learner's choice) and `Vary: Save-Data`.
    "content.data_saver.DataSaverMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After the locale and the user (its 400 page is in their language, with their menu).
    "lentera.middleware.ControlCharactersRefused",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # After the user: names the account a page was made for, clears the device on sign-out.
    "offline.middleware.OfflineAccountHeaders",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # The site of a request for a Wagtail page, by Wagtail's rules without rebuilding its query
    # through the ORM each time (content/sites.py).
    "content.sites.WagtailSiteLookup",
]

ROOT_URLCONF = "lentera.urls"
WSGI_APPLICATION = "lentera.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Database: SQLite by default, PostgreSQL in production (DATABASE_URL=postgres://...).

# An empty DATABASE_URL counts as unset (production settings then refuse to start).
DATABASE_URL = env.str("DATABASE_URL", default="")
DATABASES = {
    "default": env.db_url_config(DATABASE_URL or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The task worker writes beside the web server: WAL and IMMEDIATE transactions keep
    # concurrent writers from failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    INSTALLED_APPS.append("django.contrib.postgres")


# PostgreSQL compiles a query whose estimated cost is high (jit_above_cost) to machine code
# first: the organization-wide compliance count of 50,000 staff (two correlated sums per person)
# spent 1.9 s of its 3.4 s compiling (size L, 2026-12-05). Lentera answers people waiting for a
# page, where compiling costs more than it saves, so its connections turn it off (added to any
# libpq options of the URL).
def _without_jit(config: dict) -> dict:
    if config["ENGINE"] != "django.db.backends.postgresql":
        return config
    options = config.setdefault("OPTIONS", {})
    options["options"] = " ".join(filter(None, [options.get("options", ""), "-c jit=off"]))
    return config


_without_jit(DATABASES["default"])

# PostgreSQL read replicas (README, "Read replica"; `make replica` starts one on this machine):
# reads of safe requests go to one of them, writes and everything else to the primary, and a
# client that wrote reads the primary until the replica has replayed its write (core/replica.py).
# DATABASE_REPLICA_URLS (comma-separated) names several, taken in turn, one skipped while it is
# down; DATABASE_REPLICA_URL one.
DATABASE_REPLICA_URL = env.str("DATABASE_REPLICA_URL", default="")
DATABASE_REPLICA_URLS = env.list("DATABASE_REPLICA_URLS", default=[]) or (
    [DATABASE_REPLICA_URL] if DATABASE_REPLICA_URL else []
)
# The replicas' aliases: `replica`, `replica_2`… (`replica` alone without any: the test settings'
# mirror, which tests/replica put on the real replica).
LENTERA_REPLICA_ALIASES = [
    "replica" if number == 1 else f"replica_{number}"
    for number in range(1, max(len(DATABASE_REPLICA_URLS), 1) + 1)
]
if DATABASE_REPLICA_URLS:
    if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("DATABASE_REPLICA_URL(S) needs a PostgreSQL DATABASE_URL.")
    for _alias, _url in zip(LENTERA_REPLICA_ALIASES, DATABASE_REPLICA_URLS, strict=True):
        _replica = _without_jit(env.db_url_config(_url))
        DATABASES[_alias] = {
            **_replica,
            # A replica host that drops packets fails the connection in seconds, instead of
            # holding the worker's thread; the request then reads another replica or the
            # primary (core/replica.py). An open connection whose host stops answering is
            # dropped after 10 s of unacknowledged data (Linux; not the kernel's ~15 minutes):
            # a slow query is not cut short, its text is acknowledged at once.
            "OPTIONS": {
                **_replica.get("OPTIONS", {}),
                "connect_timeout": env.int("LENTERA_REPLICA_CONNECT_TIMEOUT", default=2),
                "tcp_user_timeout": 10_000,
            },
            "CONN_MAX_AGE": DATABASES["default"]["CONN_MAX_AGE"],
            "CONN_HEALTH_CHECKS": True,
            # Tests: the replica stands for the primary's test database (tests/replica reach
            # the real replica themselves).
            "TEST": {"MIRROR": "default"},
        }
    DATABASE_ROUTERS = ["core.replica.ReplicaRouter"]
# A replica that could not be reached is left alone this long by the process (its reads go to
# the primary meanwhile), then tried again.
LENTERA_REPLICA_RETRY_SECONDS = env.int("LENTERA_REPLICA_RETRY_SECONDS", default=30)
# A client that wrote reads the primary until the replica has its write, at most this long.
LENTERA_REPLICA_PIN_SECONDS = env.int("LENTERA_REPLICA_PIN_SECONDS", default=300)
LENTERA_REPLICA_COOKIE_NAME = "lentera_primary"
# Read from the primary in every request: the admin (editors read, then write, and preview what
# they just saved) and the account pages (sign-in, passwords, e-mail confirmation).
LENTERA_REPLICA_PRIMARY_PATHS = ["/admin/", "/accounts/", "/en/accounts/"]
# Always read from the primary: sessions (a sign-out takes effect at once everywhere).
LENTERA_REPLICA_PRIMARY_MODELS = ["sessions.Session"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "learners.User"

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "learners:my_learning"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Cache: Redis when REDIS_URL is set (shared by every worker), local memory otherwise.

REDIS_URL = env.str("REDIS_URL", default="")
# The release deployed (a version or commit), when the deployment names it: part of the keys of
# what the course pages keep in the shared cache (courses.outline.cache_format), so that no
# release reads what another rendered.
LENTERA_RELEASE = env.str("LENTERA_RELEASE", default="")
if REDIS_URL:
    # Django's Redis backend, keeping one redis-py client per connection pool (core/cache.py).
    CACHES = {"default": {"BACKEND": "core.cache.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sessions: in the database locally. With Redis, read from Redis and written through to the
# database ("cached_db"): a session changes rarely (sign-in, sign-out, MFA, a language), so the
# write costs little, and a Redis restart or eviction signs nobody out, which a session kept
# only in Redis would do to every learner at once in the middle of a mandatory course.
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if REDIS_URL
    else "django.contrib.sessions.backends.db"
)

# E-mail: printed to the console unless EMAIL_URL names a real server (smtp+tls://...).

vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Lentera <noreply@lentera.localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Internationalisation: Bahasa Indonesia first, English on request (under /en/).
# "id-id" rather than "id" because Wagtail's admin ships its Indonesian catalogue as id_ID;
# gettext falls back from id_ID to id, so Django's and Lentera's own `id` catalogues apply too.

LANGUAGE_CODE = "id-id"
LANGUAGES = [
    ("id-id", _("Bahasa Indonesia")),
    ("en", _("English")),
]
# Lentera's own strings first (makemessages regenerates locale/), then the completions and
# corrections of Wagtail's admin strings (locale-wagtail/, kept by hand: Wagtail's own id_ID
# catalogue covers only part of the admin). The first catalogue with a msgid wins.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale-wagtail"]
USE_I18N = True
USE_TZ = True
# Calendar years (the 20 JP rule) and days are counted in this time zone.
TIME_ZONE = env.str("TIME_ZONE", default="Asia/Jakarta")

WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
# The language pages are written in first, whatever the interface's default: every page is served
# from its tree, with a translation's text overlaid (content/translation.py).
LENTERA_CONTENT_SOURCE_LANGUAGE = "id-id"

# Static files and media

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = env.str("MEDIA_URL", default="/media/")
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")

# Files that only Lentera's own views serve, after a permission check (never under MEDIA_URL).
PRIVATE_MEDIA_ROOT = env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "private-media")

STORAGES = {
    # MEDIA_ROOT on a filesystem every app server mounts (README, "Deploying on several
    # machines"); renditions made by two servers at once are written once (core/storage.py).
    "default": {"BACKEND": "core.storage.SharedMediaStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT},
    },
    # Hashed names and pre-compressed copies, served by whitenoise with far-future caching.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Complex page editors post many fields (Wagtail's own recommendation).
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# A request body without its files (a long lesson's StreamField) may reach 5 MB; uploaded files
# above 2.5 MB go to a temporary file rather than memory. File sizes are capped per kind below.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# Background work through the django-tasks API. The database queue (the default, embedded: no
# other service) is run by `manage.py db_worker`; the queue on Redis,
# TASKS_BACKEND=core.task_rq.RQBackend (the default under production settings), by
# `manage.py rqworker default --with-scheduler` on any number of machines.

TASKS_BACKEND = env.str("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend")
TASKS = {"default": {"BACKEND": TASKS_BACKEND}}
# The queue's Redis (django-rq): REDIS_URL unless TASKS_REDIS_URL names another. A queue needs
# a Redis that never evicts (maxmemory-policy noeviction) where a cache wants allkeys-lru: give
# the queue its own Redis when the cache's may evict.
TASKS_REDIS_URL = env.str("TASKS_REDIS_URL", default=REDIS_URL or "redis://127.0.0.1:6379/0")
RQ_QUEUES = {"default": {"URL": TASKS_REDIS_URL, "DEFAULT_TIMEOUT": 3600}}
RQ = {"JOB_CLASS": "core.task_rq.Job"}
# /healthz reports the queue as stalled when a task has waited longer than this (seconds).
LENTERA_TASKS_STALLED_AFTER = env.int("LENTERA_TASKS_STALLED_AFTER", default=300)
# E-mail tasks meeting a mail server that is down are tried again, 1, 2, 4... minutes later (at
# most an hour apart), and fail for good after this many attempts (about two hours by default).
LENTERA_TASK_MAX_ATTEMPTS = env.int("LENTERA_TASK_MAX_ATTEMPTS", default=8)
LENTERA_TASK_RETRY_DELAY = env.int("LENTERA_TASK_RETRY_DELAY", default=60)
LENTERA_TASK_RETRY_MAX_DELAY = env.int("LENTERA_TASK_RETRY_MAX_DELAY", default=3600)
# A task RUNNING longer than this (seconds) lost its worker: the worker's start and
# `lentera_daily` put it back in the queue, and /healthz counts it as stuck.
LENTERA_TASKS_STUCK_AFTER = env.int("LENTERA_TASKS_STUCK_AFTER", default=1800)

# xAPI statements to a learning record store (README, "Learning records to an LRS (xAPI)"):
# the LRS's xAPI endpoint (e.g. https://lrs.example.go.id/xAPI/; empty: nothing is sent), its
# basic-auth key and secret, the seconds one request may take, and the longest wait between two
# attempts while the LRS is down (doubling from LENTERA_TASK_RETRY_DELAY).
LENTERA_XAPI_ENDPOINT = env.str("LENTERA_XAPI_ENDPOINT", default="")
LENTERA_XAPI_KEY = env.str("LENTERA_XAPI_KEY", default="")
LENTERA_XAPI_SECRET = env.str("LENTERA_XAPI_SECRET", default="")
LENTERA_XAPI_TIMEOUT = env.float("LENTERA_XAPI_TIMEOUT", default=10.0)
LENTERA_XAPI_RETRY_MAX_DELAY = env.int("LENTERA_XAPI_RETRY_MAX_DELAY", default=6 * 3600)

# Wagtail

# The site's name. With BASE_URL it names the site everywhere: Wagtail's default site takes both
# (`manage.py site_identity`, run by `make setup`) and allauth's e-mails too (learners.adapters).
WAGTAIL_SITE_NAME = "Lentera"
# The site's public address, for links in e-mails and certificate QR codes.
WAGTAILADMIN_BASE_URL = env.str("BASE_URL", default="http://127.0.0.1:8000")
# Content in two languages (wagtail-localize): every page and the Competency snippet has a locale,
# Indonesian (the source, where enrollments, progress and JP are kept) and English. A page is
# served from its Indonesian tree under both prefixes; under /en/ its live English translation's
# text is shown, or the Indonesian text with a "not yet translated" notice (content/translation.py).
WAGTAIL_I18N_ENABLED = True
# Machine translation is off: editors translate by hand. To offer DeepL in the translation editor:
# {"CLASS": "wagtail_localize.machine_translators.deepl.DeepLTranslator",
#  "OPTIONS": {"AUTH_KEY": "..."}} (the text leaves the country: decide with the data owner).
WAGTAILLOCALIZE_MACHINE_TRANSLATOR = None
WAGTAILSEARCH_BACKENDS = {
    "default": {
        # Wagtail's database backend, with SQLite's index stemmed like PostgreSQL's.
        "BACKEND": "search.backend",
        # The Indonesian Snowball stemmer (PostgreSQL's text search configuration, the same
        # algorithm in Python on SQLite): "pelayanan", "melayani" and "layanan" all find each
        # other. Changing it needs `manage.py update_index`.
        "SEARCH_CONFIG": env.str("LENTERA_SEARCH_CONFIG", default="indonesian"),
    }
}
WAGTAILEMBEDS_RESPONSIVE_HTML = True
# Uploads. Documents: an allow-list of office, text and media formats (never HTML, SVG or
# programs), content checked against the extension (content.forms.DocumentForm), served by
# Wagtail's view with nosniff, a "default-src 'none'" CSP and as attachments except PDF.
WAGTAILDOCS_EXTENSIONS = [
    "csv", "docx", "mp3", "mp4", "odp", "ods", "odt", "pdf", "pptx", "txt", "vtt", "webm", "xlsx",
]  # fmt: skip
# Named here rather than left to the server's MIME database: browsers load caption tracks only
# as text/vtt, and nosniff keeps them from guessing.
WAGTAILDOCS_CONTENT_TYPES = {"vtt": "text/vtt", "webm": "video/webm", "mp4": "video/mp4"}
WAGTAILDOCS_DOCUMENT_FORM_BASE = "content.forms.DocumentForm"
WAGTAILDOCS_SERVE_METHOD = "serve_view"
WAGTAILDOCS_INLINE_CONTENT_TYPES = ["application/pdf"]
WAGTAILDOCS_BLOCK_EMBEDDED_CONTENT = True
WAGTAILDOCS_MAX_UPLOAD_SIZE = env.int("WAGTAILDOCS_MAX_UPLOAD_SIZE", default=50 * 1024 * 1024)
# Images: raster formats only (no SVG), checked by Wagtail against their content; the pixel cap
# (width x height x frames) keeps a small "decompression bomb" from exhausting memory.
WAGTAILIMAGES_MAX_UPLOAD_SIZE = env.int("WAGTAILIMAGES_MAX_UPLOAD_SIZE", default=10 * 1024 * 1024)
WAGTAILIMAGES_MAX_IMAGE_PIXELS = env.int("WAGTAILIMAGES_MAX_IMAGE_PIXELS", default=40_000_000)
WAGTAILIMAGES_EXTENSIONS = ["avif", "gif", "jpg", "jpeg", "png", "webp"]
# No calls home from the admin: many government networks block them.
WAGTAIL_ENABLE_UPDATE_CHECK = False
# No avatars fetched from gravatar.com: it leaks e-mail hashes and fails offline.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_MODERATION_ENABLED = True
# No autosave in the page editor (Wagtail 8 saves every 0.5 s by default). Its request posts the
# whole edit form, including the hidden fields a moderator's "Approve and publish" click adds, so
# one fired just after the approval replayed it with the page as loaded and saved the fresh
# course back as a draft. It also turns an abandoned "add page" form into a draft (the slug is
# then taken), leaves a draft over each approved page and marks text "Saved" before the server
# has it. Editors save, submit or publish explicitly; leaving with unsaved changes still warns.
WAGTAIL_AUTOSAVE_INTERVAL = 0
# An approved workflow publishes the page, unless its parent is not live (content.workflows),
# and a course's request publishes its changed modules and lessons with it (moderation.workflows).
WAGTAIL_FINISH_WORKFLOW_ACTION = "moderation.workflows.workflow_state_publish"
# Moderation requests go to the organization's own moderators only, not to every superuser.
WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS = False

# Lentera

# PP 17/2020 art. 203(4): every PNS is owed at least 20 JP a year; PPPK at most 24 JP.
LENTERA_JP_TARGET = env.int("LENTERA_JP_TARGET", default=20)
LENTERA_PPPK_JP_CAP = env.int("LENTERA_PPPK_JP_CAP", default=24)
# HR's reminder to a PNS below the JP target: not sent again to the same person within this
# many days, whoever in HR asks (compliance.reminders).
LENTERA_COMPLIANCE_REMINDER_DAYS = env.int("LENTERA_COMPLIANCE_REMINDER_DAYS", default=7)
# A cohort learner is at risk when their progress is more than this many percentage points
# behind the share of the cohort's duration already elapsed.
LENTERA_AT_RISK_THRESHOLD = env.int("LENTERA_AT_RISK_THRESHOLD", default=20)
# Days a cohort invitation's link stays valid (a resend starts the count again); expired
# invitations free their seat, and lentera_daily removes them after as many days again.
LENTERA_INVITATION_DAYS = env.int("LENTERA_INVITATION_DAYS", default=14)
# Bulk learner imports (CSV or XLSX): the largest file and the most rows accepted.
LENTERA_IMPORT_MAX_BYTES = env.int("LENTERA_IMPORT_MAX_BYTES", default=2 * 1024 * 1024)
LENTERA_IMPORT_MAX_ROWS = env.int("LENTERA_IMPORT_MAX_ROWS", default=5000)
# What an XLSX may hold once unpacked (its parts' sizes are read before parsing): 5,000 rows of
# NIPs and names take a few MB; a small "zip bomb" expands to gigabytes.
LENTERA_IMPORT_MAX_UNCOMPRESSED_BYTES = env.int(
    "LENTERA_IMPORT_MAX_UNCOMPRESSED_BYTES", default=20 * 1024 * 1024
)
# Uploaded e-learning packages (SCORM, H5P; packages.validation), checked from the zip's central
# directory before anything is stored and again while extracting (headers can lie): the most
# files, the most bytes unpacked in all and per file, and the highest compression ratio of a file
# (a "zip bomb" packs gigabytes of zeros at 1000:1; real content rarely passes 20:1).
LENTERA_PACKAGE_MAX_FILES = env.int("LENTERA_PACKAGE_MAX_FILES", default=5000)
LENTERA_PACKAGE_MAX_BYTES = env.int("LENTERA_PACKAGE_MAX_BYTES", default=500 * 1024 * 1024)
LENTERA_PACKAGE_MAX_FILE_BYTES = env.int(
    "LENTERA_PACKAGE_MAX_FILE_BYTES", default=200 * 1024 * 1024
)
LENTERA_PACKAGE_MAX_RATIO = env.int("LENTERA_PACKAGE_MAX_RATIO", default=100)
# Runtime commits and H5P statements one learner may send per minute in one package lesson
# (packages.services.commits_allowed, counted in the cache): a package saving in a loop is
# answered 429 rather than filling the database. scorm-again commits on each LMSCommit/Commit.
LENTERA_PACKAGE_COMMITS_PER_MINUTE = env.int("LENTERA_PACKAGE_COMMITS_PER_MINUTE", default=60)
# The longest a cohort may run, in days (about three years): longer programmes are split.
LENTERA_COHORT_MAX_DAYS = env.int("LENTERA_COHORT_MAX_DAYS", default=3 * 366)
# 1 JP is conventionally 45 minutes, but this is practice rather than regulation.
LENTERA_MINUTES_PER_JP = env.int("LENTERA_MINUTES_PER_JP", default=45)
# Largest evidence file a learner may attach to a development record (bytes).
LENTERA_EVIDENCE_MAX_BYTES = env.int("LENTERA_EVIDENCE_MAX_BYTES", default=5 * 1024 * 1024)
# Whether `seed_demo` may create demo accounts with printed passwords.
LENTERA_DEMO_ACCOUNTS = env.bool("LENTERA_DEMO_ACCOUNTS", default=True)
# Where data subjects reach the data protection officer (shown on the privacy notice).
LENTERA_PRIVACY_CONTACT_EMAIL = env.str("LENTERA_PRIVACY_CONTACT_EMAIL", default="")

# Security: explicit settings, tightened in production.py, never derived from DEBUG.

SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# A fixed lifetime from sign-in (a working day), not one renewed by every request, which would
# write the session on every page view. Office computers are often shared; "Remember me" left
# unticked ends the session when the browser closes (allauth).
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=12 * 3600)
SECURE_CONTENT_TYPE_NOSNIFF = True
# Other sites see the origin only, never a page's path; video players (YouTube) refuse to play
# in an embed that sends no referrer at all.
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Wagtail's page preview sets SAMEORIGIN on its own views, the only ones the admin frames.
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# Accounts (django-allauth)

ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
# "optional" locally (console e-mail); "mandatory" under production settings.
ACCOUNT_EMAIL_VERIFICATION = env.str("ACCOUNT_EMAIL_VERIFICATION", default="optional")
# No anonymous answer tells whether an address has an account: password reset and e-mail
# changes answer the same either way, and so does sign-up once verification is "mandatory"
# (production): with "optional", allauth must refuse a taken address at sign-up, as addresses
# are unique. The NIP never tells either (learners.membership).
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PRESERVE_USERNAME_CASING = False
# Reverse proxies in front of Lentera, so that rate limits see each client's address rather than
# the proxy's (production settings count one).
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("ALLAUTH_TRUSTED_PROXY_COUNT", default=0)
# allauth's rate limits (amount/period/per), kept in the cache: set REDIS_URL when running more
# than one process, or each counts on its own. A whole office or training room signs in from
# one public address, so the per-address limits let 200 colleagues in within a minute, mistyping
# included; guessing one account's password stays at 5 tries per 5 minutes per e-mail address
# ("key"), whatever the address. The other actions keep allauth's defaults.
ACCOUNT_RATE_LIMITS = {
    "login": env.str("RATE_LIMIT_LOGIN", default="500/m/ip"),
    "login_failed": env.str("RATE_LIMIT_LOGIN_FAILED", default="50/m/ip,300/h/ip,5/5m/key"),
    "signup": env.str("RATE_LIMIT_SIGNUP", default="100/m/ip"),
    # The sign-up page's "my NIP is used by someone else" form (learners.membership_views).
    "nip_help": env.str("RATE_LIMIT_NIP_HELP", default="20/h/ip"),
    # Every new question, answer, report and announcement of the discussions (discussions.views).
    "discussion_post": env.str("RATE_LIMIT_DISCUSSION_POST", default="10/m/user,100/h/user"),
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Lentera"
# Wagtail's own login, password reset and private-page login all go through allauth. The
# admin's turns away people signed in without admin access with a 403 page (lentera.views).
WAGTAILADMIN_LOGIN_URL = "admin_login"
WAGTAIL_FRONTEND_LOGIN_URL = "account_login"
WAGTAIL_PASSWORD_RESET_ENABLED = False
# Wagtail's password-only form at /admin/login/ would skip MFA and rate limits: it refuses all.
WAGTAILADMIN_USER_LOGIN_FORM = "learners.forms.AdminPasswordLoginClosedForm"
# Sign-up asks the employment questions (NIP, organization, supervisor) and stores them.
ACCOUNT_FORMS = {"signup": "learners.forms.SignupForm"}
ACCOUNT_ADAPTER = "learners.adapters.AccountAdapter"
# "[Lentera] ...", never the host a request came in on ("[127.0.0.1:8101]").
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{WAGTAIL_SITE_NAME}] "
SOCIALACCOUNT_ADAPTER = "learners.adapters.SocialAccountAdapter"

# Single sign-on with an agency's OpenID Connect provider (a 2023 presidential directive asks
# government platforms to integrate rather than add another login). Off unless configured.
# Register both redirect URIs with the provider, as the callback follows the interface language:
# /accounts/oidc/<OIDC_PROVIDER_ID>/login/callback/ and /en/accounts/oidc/<...>/login/callback/.
OIDC_SERVER_URL = env.str("OIDC_SERVER_URL", default="")
OIDC_CLIENT_ID = env.str("OIDC_CLIENT_ID", default="")
# The agency's sign-on may confirm organization membership: the claim naming the person's
# organization, and the organizations (slugs or short names) it may vouch for. Both empty: it
# confirms nobody, and the organization admin does.
OIDC_ORGANIZATION_CLAIM = env.str("OIDC_ORGANIZATION_CLAIM", default="")
OIDC_ORGANIZATIONS = env.list("OIDC_ORGANIZATIONS", default=[])
SOCIALACCOUNT_PROVIDERS = {
    "openid_connect": {
        # PKCE protects the code exchange; any provider that ignores it still works.
        "OAUTH_PKCE_ENABLED": env.bool("OIDC_PKCE_ENABLED", default=True),
        "APPS": (
            [
                {
                    "provider_id": env.str("OIDC_PROVIDER_ID", default="instansi"),
                    "name": env.str("OIDC_PROVIDER_NAME", default="SSO Instansi"),
                    "client_id": OIDC_CLIENT_ID,
                    "secret": env.str("OIDC_CLIENT_SECRET", default=""),
                    "settings": {"server_url": OIDC_SERVER_URL},
                }
            ]
            if OIDC_SERVER_URL and OIDC_CLIENT_ID
            else []
        ),
    }
}

# Content Security Policy (django-csp). The site and learner pages run no inline script or
# style (templates/components/chart.html draws its SVG with CSS classes too), so neither is
# allowed: injected markup cannot run. Only the video players of lesson embeds may be framed.
# lentera.csp gives the Wagtail admin its own, looser policy.


def _origin(url: str) -> list[str]:
    """The scheme and host of an absolute URL (static files or media on another host), or none."""
    parts = urlsplit(url)
    return [f"{parts.scheme}://{parts.netloc}"] if parts.scheme and parts.netloc else []


_ASSET_HOSTS = list(dict.fromkeys(_origin(STATIC_URL) + _origin(MEDIA_URL)))
LENTERA_VIDEO_EMBED_HOSTS = env.list(
    "LENTERA_VIDEO_EMBED_HOSTS",
    default=[
        "https://www.youtube.com",
        "https://www.youtube-nocookie.com",
        "https://player.vimeo.com",
    ],
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, *_ASSET_HOSTS],
        "style-src": [SELF, *_ASSET_HOSTS],
        "img-src": [SELF, "data:", *_ASSET_HOSTS],
        "media-src": [SELF, *_ASSET_HOSTS],
        "font-src": [SELF, *_ASSET_HOSTS],
        "connect-src": [SELF],
        "frame-src": LENTERA_VIDEO_EMBED_HOSTS,
        "object-src": [NONE],
        "base-uri": [SELF],
        # Browsers apply form-action to the redirect after a POST too: the agency SSO button
        # posts to Lentera, which redirects to the identity provider.
        "form-action": [SELF, *_origin(OIDC_SERVER_URL)],
        "frame-ancestors": [NONE],
    }
}
# Wagtail's admin still writes inline scripts and styles, previews pages in a frame of its own,
# and shows uploads before they are saved (blob: URLs).
LENTERA_ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": CONTENT_SECURITY_POLICY["DIRECTIVES"]
    | {
        "script-src": [SELF, UNSAFE_INLINE, *_ASSET_HOSTS],
        "style-src": [SELF, UNSAFE_INLINE, *_ASSET_HOSTS],
        "img-src": [SELF, "data:", "blob:", *_ASSET_HOSTS],
        "frame-src": [SELF, *LENTERA_VIDEO_EMBED_HOSTS],
        "frame-ancestors": [SELF],
    }
}

# SCORM and H5P packages are someone else's JavaScript: each package's files are served from an
# origin of its own, "https://*.paket.lentera.go.id" giving package <uuid> the host
# p-<uuid hex>.paket.lentera.go.id (another host than BASE_URL's, in ALLOWED_HOSTS as
# ".paket.lentera.go.id", covered by no cookie domain), where no session exists. A fixed origin
# ("https://paket.lentera.go.id") also works, all packages then sharing its storage (`check
# --deploy` warns). Empty: the "loopback twin" of a development machine, site at
# http://127.0.0.1:P or http://localhost:P and packages at http://p-<uuid hex>.localhost:P;
# elsewhere packages are unavailable, and `check --deploy` says so (packages/origin.py,
# packages/checks.py). The site's policy lets its pages frame those origins (site/csp.py);
# package files get a policy of their own (packages/views.py).
LENTERA_PACKAGE_ORIGIN = env.str("LENTERA_PACKAGE_ORIGIN", default="")

# Quizzes: a submission this many seconds after the time limit is still accepted
# (network latency on slow links); later ones are refused whatever the browser says.
LENTERA_QUIZ_GRACE_SECONDS = env.int("LENTERA_QUIZ_GRACE_SECONDS", default=30)

# Certificates

# Python format string; `year` and `number` (the certificate's database sequence) are given.
LENTERA_CERTIFICATE_SERIAL_PATTERN = env.str(
    "LENTERA_CERTIFICATE_SERIAL_PATTERN", default="LTR/{year}/{number:06d}"
)
# Open Badges credentials: the organizations' Ed25519 private keys are stored encrypted with a
# key derived from this secret (SECRET_KEY when empty). Changing it retires the keys it opened
# (README, "Open Badges 3.0 credentials").
LENTERA_CREDENTIALS_SECRET = env.str("LENTERA_CREDENTIALS_SECRET", default="")
