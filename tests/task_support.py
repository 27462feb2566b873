"""Running background tasks the way production does: on the database queue, with a worker,
and a mail server that is down."""

import socket

import pytest

from core.management.commands.db_worker import Worker


def work_off_queue(*, worker_id: str = "test-worker") -> None:
    """Run Lentera's worker until no task is ready, as `db_worker --batch` does."""
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    ).run()


def closed_port() -> int:
    """A local TCP port nothing listens on: connecting is refused at once."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def database_tasks(settings):
    """Tasks go to the database queue (not the immediate backend) and wait for a worker."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.LENTERA_TASK_MAX_ATTEMPTS = 3
    settings.LENTERA_TASK_RETRY_DELAY = 60
    return settings


@pytest.fixture
def smtp_down(settings):
    """Django's real SMTP backend, pointed at a port where no mail server listens."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = closed_port()
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    return settings


def smtp_back_up(settings) -> None:
    """The mail server answers again (Django's in-memory outbox stands in for it)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
