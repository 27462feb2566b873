"""Production settings: base settings, tightened. Every relaxation of base is undone here."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DATABASE_URL, REDIS_URL, env

DEBUG = False
SECRET_KEY = env.str("SECRET_KEY")  # no default: fail fast rather than run with a guessable key
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")

# No silent fallback to base's SQLite file: a server that lost its DATABASE_URL would otherwise
# start on an empty database of its own.
if not DATABASE_URL:
    raise ImproperlyConfigured(
        "DATABASE_URL must be set under production settings, e.g. "
        "postgres://lentera:password@127.0.0.1:5432/lentera (there is no SQLite fallback)."
    )
# Redis holds what every process and machine must share: the cache (allauth's and the package
# runtime's rate limits, cached pages and figures), sessions (read from Redis, written through
# to the database: base.py), and the task queue (below). A per-process cache would count rate
# limits and invalidate cached figures in one process only.
if not REDIS_URL:
    raise ImproperlyConfigured(
        "REDIS_URL must be set under production settings, e.g. redis://127.0.0.1:6379/0: the "
        "cache, sessions and the task queue are shared there by every web and task worker."
    )
# The queue on Redis by default (workers on any machine: `manage.py rqworker default
# --with-scheduler`); TASKS_BACKEND=django_tasks_db.DatabaseBackend keeps the database queue.
TASKS_BACKEND = env.str("TASKS_BACKEND", default="core.task_rq.RQBackend")
TASKS = {"default": {"BACKEND": TASKS_BACKEND}}

# Uploads (MEDIA_ROOT) and private files (PRIVATE_MEDIA_ROOT: certificates, packages, exports)
# live on a filesystem every app server and task worker mounts (NFS, EFS, CephFS...), named
# explicitly: the checkout's own folders would give each machine files the others cannot see.
for _name in ("MEDIA_ROOT", "PRIVATE_MEDIA_ROOT"):
    if not env.str(_name, default=""):
        raise ImproperlyConfigured(
            f"{_name} must be set under production settings: a folder on the filesystem that "
            "every app server and task worker shares (README, 'Deploying on several machines')."
        )

LENTERA_DEMO_ACCOUNTS = env.bool("LENTERA_DEMO_ACCOUNTS", default=False)

# HTTPS only: secure cookies, a redirect from plain HTTP and a year of HSTS. Lower
# SECURE_HSTS_SECONDS only while first moving a host to HTTPS; SECURE_HSTS_PRELOAD=false for a
# domain that will not be submitted to the browsers' preload list.
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# "__Host-" cookies: the browser keeps them only when set Secure, with Path=/ and without a
# Domain, so no other host can set or overwrite them. The package origin
# (LENTERA_PACKAGE_ORIGIN) is same-site on a subdomain (paket.example.go.id beside
# lentera.example.go.id): a package's script could otherwise set `sessionid` or `csrftoken`
# with Domain=example.go.id and the site would receive them (cookie tossing: session fixation,
# a CSRF token of the package's choosing). packages.checks (W008) warns when these are changed.
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"
LANGUAGE_COOKIE_NAME = "__Host-django_language"
# The read replica's read-your-writes pin (core/replica.py), sent Secure like the others.
LENTERA_REPLICA_COOKIE_NAME = "__Host-lentera_primary"
LANGUAGE_COOKIE_SECURE = True
SESSION_COOKIE_DOMAIN = CSRF_COOKIE_DOMAIN = LANGUAGE_COOKIE_DOMAIN = None
SESSION_COOKIE_PATH = CSRF_COOKIE_PATH = LANGUAGE_COOKIE_PATH = "/"
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
# Behind a TLS-terminating proxy (nginx, a load balancer) that sets X-Forwarded-Proto and
# X-Forwarded-For. Set SECURE_PROXY_SSL_HEADER=false only when Lentera terminates TLS itself:
# a client could otherwise claim HTTPS, and its own address, through those headers.
BEHIND_PROXY = env.bool("SECURE_PROXY_SSL_HEADER", default=True)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Without counting the proxy, every learner would share its address in allauth's rate limits.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("ALLAUTH_TRUSTED_PROXY_COUNT", default=int(BEHIND_PROXY))

ACCOUNT_EMAIL_VERIFICATION = "mandatory"
