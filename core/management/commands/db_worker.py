"""`manage.py db_worker`: django-tasks-db's worker, made to outlive its database and its crashes.

Upstream's worker lets any database error out of its loop: after a PostgreSQL restart it exits
(with DEBUG off), or, under the autoreloader `make run` uses, its thread dies while the process
stays alive doing nothing. This one waits for the database to come back and carries on. At
start, and after each reconnection, it puts back in the queue the tasks its previous life left
RUNNING (same --worker-id) and those stuck for longer than LENTERA_TASKS_STUCK_AFTER.
"""

import contextlib
import logging
import os
import time

from django.core.management.base import CommandError
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker

from core.task_queue import tasks_stuck_requeue

logger = logging.getLogger("django_tasks_db")

#: Seconds between attempts to reach a database that is down, doubling up to the maximum.
RECONNECT_DELAY = 1
RECONNECT_MAX_DELAY = 30


def _connections_drop() -> None:
    """Forget every connection, broken or not: the next query opens a fresh one."""
    for connection in connections.all(initialized_only=True):
        # A broken one may raise on closing; close() forgets it all the same.
        with contextlib.suppress(DatabaseError):
            connection.close()


class Worker(db_worker.Worker):
    """Upstream's worker, restarted on a lost database connection instead of dying."""

    def run(self) -> None:
        delay = RECONNECT_DELAY
        while self.running:
            try:
                tasks_stuck_requeue(worker_id=self.worker_id)
                super().run()
                return  # --batch or --max-tasks: done
            except (OperationalError, InterfaceError) as error:
                if not self.running:
                    raise
                logger.warning(
                    "Database unavailable (%s): worker %s retries in %d s",
                    str(error).strip() or type(error).__name__,
                    self.worker_id,
                    delay,
                )
                _connections_drop()
                time.sleep(delay)
                delay = min(delay * 2, RECONNECT_MAX_DELAY)


class Command(db_worker.Command):
    help = db_worker.Command.help + " (reconnects to the database by itself)"

    def handle(
        self,
        *,
        verbosity: int,
        queue_name: str,
        interval: float,
        batch: bool,
        backend_name: str,
        startup_delay: bool,
        reload: bool,
        max_tasks: int | None,
        worker_id: str,
        exclude_queues: str,
        **options,
    ) -> None:
        # Upstream's handle (django-tasks-db 0.13) with this module's Worker: it has no hook
        # for the worker class.
        self.configure_logging(verbosity)
        if reload and batch:
            logger.warning(
                "--reload and --batch cannot be specified together. Disabling autoreload."
            )
            reload = False
        queue_names = queue_name.split(",")
        excluded_queue_names = exclude_queues.split(",") if exclude_queues else []
        if excluded_queue_names and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = Worker(
            queue_names=queue_names,
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=excluded_queue_names,
        )
        if reload:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()  # only in the reloader's child process
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
